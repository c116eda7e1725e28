//! `amilab quiz take`: the interactive mode (inquire): arrow keys to choose, space to tick,
//! typed answers, step-by-step ordering (with undo) and matching, rationale wrapped to the
//! terminal, and a score card. Ctrl-C quits with exit code 130 after confirming the loss of a
//! half-made answer.

use std::cell::RefCell;
use std::io::{IsTerminal, Write};
use std::rc::Rc;

use inquire::autocompletion::{Autocomplete, Replacement};
use inquire::error::{CustomUserError, InquireError};
use inquire::validator::Validation;
use inquire::{Confirm, MultiSelect, Select, Text};

use super::CliError;
use crate::quiz::answers::{Answer, Response};
use crate::quiz::draw::{DrawnQuestion, Paper};
use crate::quiz::grade::grade_given;
use crate::quiz::number::parse_number;
use crate::quiz::score;
use crate::quiz::spec::{FeedbackTiming, Kind};
use crate::report::escape;
use crate::report::model::{fmt_points, points_text};
use crate::report::text::{pretty, PrettyOptions};
use crate::report::wrap::{terminal_width, wrap_indented};
use amilab_text::plural;

/// The exit code of a quiz quit with Ctrl-C: the shell's for a process ended by SIGINT.
pub const EXIT_INTERRUPTED: u8 = 130;

/// The choice that takes back the last step of an order question.
const UNDO: &str = "↩ undo last step";

/// What a prompt returned: an answer, a skipped question (Esc), Ctrl-C at a question, or
/// Ctrl-C at one of the quiz's own yes/no questions (which quits without asking again).
enum Step {
    Answered(Response),
    Skipped,
    Interrupted,
    Quit,
}

/// What a typed answer is read as.
enum Typed<'a> {
    Text,
    /// A number, in the question's unit if it has one.
    Number(Option<&'a str>),
}

/// What the learner has entered so far on the current question. It survives a Ctrl-C that the
/// learner takes back, so the question comes back as they left it.
#[derive(Debug, Default)]
struct Draft {
    /// Typed text (text and numeric questions), as of the last key press.
    typed: Rc<RefCell<String>>,
    /// Order questions: the steps placed so far.
    placed: Vec<usize>,
    /// Match questions: the targets picked so far, one per left item.
    paired: Vec<usize>,
}

impl Draft {
    /// Whether quitting now would throw away something the learner entered. A multiple-choice
    /// question always counts: inquire does not say which boxes were ticked when Ctrl-C
    /// interrupts it, and asking once too often loses less than not asking.
    fn is_started(&self, kind: Kind) -> bool {
        match kind {
            Kind::Multiple => true,
            Kind::Text | Kind::Numeric => !self.typed.borrow().trim().is_empty(),
            Kind::Order => !self.placed.is_empty(),
            Kind::Match => !self.paired.is_empty(),
            Kind::Single | Kind::TrueFalse => false,
        }
    }
}

/// Records what is in a text prompt after every key press (inquire asks an autocompleter for
/// suggestions each time the text changes, and tells nothing else before Ctrl-C). It suggests
/// nothing.
#[derive(Clone)]
struct Recorder(Rc<RefCell<String>>);

impl Autocomplete for Recorder {
    fn get_suggestions(&mut self, input: &str) -> Result<Vec<String>, CustomUserError> {
        input.clone_into(&mut self.0.borrow_mut());
        Ok(Vec::new())
    }

    fn get_completion(
        &mut self,
        _: &str,
        _: Option<String>,
    ) -> Result<Replacement, CustomUserError> {
        Ok(None)
    }
}

fn step<T>(r: Result<T, InquireError>, f: impl FnOnce(T) -> Response) -> Result<Step, CliError> {
    match r {
        Ok(v) => Ok(Step::Answered(f(v))),
        Err(InquireError::OperationCanceled) => Ok(Step::Skipped),
        Err(InquireError::OperationInterrupted) => Ok(Step::Interrupted),
        Err(e) => Err(prompt_failed(e)),
    }
}

fn prompt_failed(e: InquireError) -> CliError {
    CliError {
        code: 3,
        message: format!("error: the terminal prompt failed: {e}"),
    }
}

/// A yes/no question that defaults to no. Esc answers no; Ctrl-C is `None`.
fn confirm(message: &str) -> Result<Option<bool>, CliError> {
    match Confirm::new(message).with_default(false).prompt() {
        Ok(yes) => Ok(Some(yes)),
        Err(InquireError::OperationCanceled) => Ok(Some(false)),
        Err(InquireError::OperationInterrupted) => Ok(None),
        Err(e) => Err(prompt_failed(e)),
    }
}

fn labels(q: &DrawnQuestion, texts: &[&str]) -> Vec<String> {
    q.order
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            format!(
                "{}) {}",
                DrawnQuestion::letter(k),
                escape::one_line(texts[i])
            )
        })
        .collect()
}

/// A text prompt that records what is typed into `draft` and starts from what it holds.
fn typed_answer(
    message: &str,
    help: &str,
    draft: &Draft,
    typed: Typed,
) -> Result<String, InquireError> {
    let start = draft.typed.borrow().clone();
    let mut prompt = Text::new(message)
        .with_help_message(help)
        .with_initial_value(&start)
        .with_autocomplete(Recorder(Rc::clone(&draft.typed)));
    if let Typed::Number(unit) = typed {
        // Numbers are read as in answers files (`$7.50`, `1,000`), with the same messages.
        let unit = unit.map(str::to_string);
        prompt = prompt.with_validator(move |s: &str| {
            Ok(match parse_number(s, unit.as_deref()) {
                Ok(_) => Validation::Valid,
                Err(why) => Validation::Invalid(why.into()),
            })
        });
    }
    prompt.prompt()
}

fn ask(q: &DrawnQuestion, draft: &mut Draft) -> Result<Step, CliError> {
    let spec = q.spec;
    match spec.kind {
        Kind::Single => {
            let texts: Vec<&str> = spec.options.iter().map(|o| o.text.as_str()).collect();
            let r = Select::new("Your answer:", labels(q, &texts))
                .with_help_message("↑↓ to move, enter to choose, esc to skip")
                .raw_prompt();
            step(r, |o| Response::Single(q.order[o.index]))
        }
        Kind::Multiple => loop {
            let texts: Vec<&str> = spec.options.iter().map(|o| o.text.as_str()).collect();
            let r = MultiSelect::new("Tick every correct option:", labels(q, &texts))
                .with_help_message("↑↓ to move, space to tick, enter to submit, esc to skip")
                .raw_prompt();
            let answered = step(r, |os| {
                let mut picked: Vec<usize> = os.iter().map(|o| q.order[o.index]).collect();
                picked.sort_unstable();
                Response::Multiple(picked)
            })?;
            // Enter before ticking anything is more often a slip than an answer.
            if matches!(&answered, Step::Answered(Response::Multiple(p)) if p.is_empty()) {
                match confirm("Submit with no option ticked?")? {
                    Some(true) => return Ok(answered),
                    Some(false) => continue,
                    None => return Ok(Step::Quit),
                }
            }
            return Ok(answered);
        },
        Kind::TrueFalse => {
            let r = Select::new("True or false?", vec!["true", "false"])
                .with_help_message("↑↓ to move, enter to choose, esc to skip")
                .raw_prompt();
            step(r, |o| Response::TrueFalse(o.index == 0))
        }
        Kind::Numeric => {
            let message = match &spec.unit {
                Some(u) => format!("Your answer (in {u}):"),
                None => "Your answer:".to_string(),
            };
            let unit = spec.unit.as_deref();
            let r = typed_answer(
                &message,
                "type a number, enter to submit, esc to skip",
                draft,
                Typed::Number(unit),
            );
            // The prompt's validator parsed the same text, so this parse succeeds.
            step(r, |s| {
                Response::Numeric(parse_number(&s, unit).unwrap_or(f64::NAN))
            })
        }
        Kind::Text => {
            let r = typed_answer(
                "Your answer:",
                "type, enter to submit, esc to skip",
                draft,
                Typed::Text,
            );
            step(r, Response::Text)
        }
        Kind::Order => {
            let n = q.order.len();
            loop {
                let remaining: Vec<usize> = q
                    .order
                    .iter()
                    .copied()
                    .filter(|i| !draft.placed.contains(i))
                    .collect();
                if remaining.len() <= 1 {
                    break;
                }
                let mut options: Vec<String> = remaining
                    .iter()
                    .map(|&i| format!("{}) {}", q.letter_of(i), escape::one_line(&spec.steps[i])))
                    .collect();
                // Last, so the steps keep their places in the list.
                if !draft.placed.is_empty() {
                    options.push(UNDO.to_string());
                }
                let message = format!("Step {} of {n}: which comes next?", draft.placed.len() + 1);
                let help = if draft.placed.is_empty() {
                    "↑↓ to move, enter to choose, esc to skip"
                } else {
                    "↑↓ to move, enter to choose (or undo the last step), esc to skip"
                };
                match step(
                    Select::new(&message, options)
                        .with_help_message(help)
                        .raw_prompt(),
                    |o| Response::Single(o.index),
                )? {
                    Step::Answered(Response::Single(k)) if k == remaining.len() => {
                        draft.placed.pop();
                    }
                    Step::Answered(Response::Single(k)) => draft.placed.push(remaining[k]),
                    Step::Answered(_) => unreachable!("a Select answers with Single"),
                    other => return Ok(other),
                }
            }
            let last: Vec<usize> = q
                .order
                .iter()
                .copied()
                .filter(|i| !draft.placed.contains(i))
                .collect();
            let mut chosen = draft.placed.clone();
            chosen.extend(last);
            let order: Vec<String> = chosen.iter().map(|&i| q.letter_of(i)).collect();
            println!("  Your order: {}", order.join(", "));
            Ok(Step::Answered(Response::Order(chosen)))
        }
        Kind::Match => {
            let targets = spec.match_targets();
            for (i, pair) in spec.pairs.iter().enumerate().skip(draft.paired.len()) {
                let message = format!("{}. {} →", i + 1, escape::one_line(&pair.left));
                match step(
                    Select::new(&message, labels(q, &targets))
                        .with_help_message("↑↓ to move, enter to pair, esc to skip the question")
                        .raw_prompt(),
                    |o| Response::Single(q.order[o.index]),
                )? {
                    Step::Answered(Response::Single(t)) => draft.paired.push(t),
                    Step::Answered(_) => unreachable!("a Select answers with Single"),
                    other => return Ok(other),
                }
            }
            Ok(Step::Answered(Response::Match(
                draft.paired.iter().copied().map(Some).collect(),
            )))
        }
    }
}

/// Prints `text` after `indent`, wrapped to the terminal.
fn print_wrapped(text: &str, indent: &str, width: usize) {
    for line in wrap_indented(&escape::terminal(text), indent, width) {
        println!("{line}");
    }
}

/// Runs the quiz in the terminal; returns the exit code (0 passed, 1 not passed, 130 quit).
pub fn take(paper: &Paper) -> Result<Taken, CliError> {
    let quiz = paper.quiz;
    let color = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let width = terminal_width();
    println!("{}: {}", quiz.id, escape::terminal(&quiz.title));
    println!(
        "Learner {} · {} · pass mark {}%",
        paper.learner,
        plural(paper.questions.len(), "question", "questions"),
        fmt_points(quiz.pass_mark)
    );
    if !quiz.intro.trim().is_empty() {
        println!();
        print_wrapped(quiz.intro.trim(), "", width);
    }
    let mut answers = Vec::new();
    let total = paper.questions.len();
    for (n, q) in paper.questions.iter().enumerate() {
        let spec = q.spec;
        println!(
            "\n── Question {} of {total} · {} · {} ──",
            n + 1,
            spec.kind.as_str(),
            points_text(spec.points)
        );
        print_wrapped(spec.prompt.trim(), "", width);
        if spec.kind == Kind::Match {
            println!("Pair each item on the left with one on the right:");
            for (k, &i) in q.order.iter().enumerate() {
                println!(
                    "  {}) {}",
                    DrawnQuestion::letter(k),
                    escape::one_line(spec.match_targets()[i])
                );
            }
        }
        let _ = std::io::stdout().flush();
        let mut draft = Draft::default();
        let answer = loop {
            match ask(q, &mut draft)? {
                Step::Answered(r) => break Answer::Given(r),
                Step::Skipped => {
                    println!("  (skipped)");
                    break Answer::Missing;
                }
                stop @ (Step::Interrupted | Step::Quit) => {
                    let ask_first =
                        matches!(stop, Step::Interrupted) && draft.is_started(spec.kind);
                    if ask_first && confirm("Discard your answer and quit?")? == Some(false) {
                        continue;
                    }
                    println!(
                        "\nQuit at question {} of {total}: nothing was graded, and your answers were not kept.",
                        n + 1
                    );
                    let _ = std::io::stdout().flush();
                    return Ok(Taken {
                        code: EXIT_INTERRUPTED,
                        result: None,
                    });
                }
            }
        };
        if quiz.feedback == FeedbackTiming::AfterEach {
            let item = score::item(q, &answer, quiz.reveal_answers);
            println!(
                "  {} · {} of {}",
                item.status.word(),
                fmt_points(item.points),
                points_text(item.max_points)
            );
            for text in [&item.message, &item.feedback].into_iter().flatten() {
                print_wrapped(text, "  ", width);
            }
        }
        answers.push(answer);
    }
    let result = grade_given(paper, &answers);
    let card = pretty(
        &result,
        PrettyOptions {
            color,
            width: Some(width),
        },
    );
    println!("\n{}", card.trim_end());
    let _ = std::io::stdout().flush();
    Ok(Taken {
        code: result.exit_code(),
        result: Some(result),
    })
}

/// How a quiz taken at the terminal ended.
#[derive(Debug)]
pub struct Taken {
    /// The exit code: the result's, or 130 when the learner quit.
    pub code: u8,
    /// The graded paper; `None` when the learner quit before the end (nothing was graded).
    pub result: Option<crate::report::RunResult>,
}
