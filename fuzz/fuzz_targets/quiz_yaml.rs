//! A quiz file: `validate_quiz` (what `amilab validate` runs), then, for a valid quiz, what
//! `amilab quiz template / grade / export` do with it: a learner's paper, its answers
//! template, grading that template (every question unanswered) and the GIFT export.
#![no_main]

use amilab::quiz::{self, AnswersFile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() as u64 > amilab::limits::MAX_QUIZ_BYTES {
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = quiz::validate_quiz("quiz.yaml", text);
    let Ok(loaded) = quiz::bank::load_text("quiz.yaml", text) else {
        return;
    };
    let paper = quiz::draw(&loaded.spec, "fuzz");
    let template = quiz::template::template(&paper);
    let _ = quiz::template::answer_key(&paper);
    let answers: AnswersFile = quiz::parse::parse_strict("answers.yaml", &template)
        .expect("a quiz's own answers template parses as an answers file");
    let _ = quiz::grade::grade_file(&paper, &answers, "answers.yaml", template.as_bytes());
    let _ = quiz::gift::export(&loaded.spec);
});
