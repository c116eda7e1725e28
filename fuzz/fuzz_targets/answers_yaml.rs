//! An answers file as `amilab quiz grade` reads it: strict parsing into `AnswersFile`, then
//! grading it against a paper of each built-in quiz (every answer's shape checked against its
//! question by `answers::interpret`) and rendering the result in every report format.
#![no_main]

use amilab::quiz::{self, AnswersFile};
use amilab::report::format::{render, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() as u64 > amilab::limits::MAX_ANSWERS_BYTES {
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(answers) = quiz::parse::parse_strict::<AnswersFile>("answers.yaml", text) else {
        return;
    };
    let learner = answers
        .learner
        .clone()
        .unwrap_or_else(|| "fuzz".to_string());
    for b in quiz::BUILTIN {
        let loaded = quiz::bank::load_text(b.path, b.source).expect("built-in quizzes are valid");
        let paper = quiz::draw(&loaded.spec, &learner);
        let result = quiz::grade::grade_file(&paper, &answers, "answers.yaml", data);
        if b.id == answers.quiz {
            for format in Format::ALL {
                let _ = render(&result, format, false);
            }
        }
    }
});
