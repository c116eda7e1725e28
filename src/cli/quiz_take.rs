//! `amilab quiz take`: the interactive mode (inquire): arrow keys to choose, space to tick,
//! typed answers, step-by-step ordering and matching, rationale, and a score card.

use std::io::{IsTerminal, Write};

use inquire::error::InquireError;
use inquire::{CustomType, MultiSelect, Select, Text};

use super::CliError;
use crate::quiz::answers::{Answer, Response};
use crate::quiz::draw::{DrawnQuestion, Paper};
use crate::quiz::grade::grade_given;
use crate::quiz::score;
use crate::quiz::spec::{FeedbackTiming, Kind};
use crate::report::escape;
use crate::report::model::fmt_points;
use crate::report::text::{pretty, PrettyOptions};

/// What a prompt returned: an answer, a skipped question (Esc), or the learner stopped (Ctrl-C).
enum Step {
    Answered(Response),
    Skipped,
    Stopped,
}

fn step<T>(r: Result<T, InquireError>, f: impl FnOnce(T) -> Response) -> Result<Step, CliError> {
    match r {
        Ok(v) => Ok(Step::Answered(f(v))),
        Err(InquireError::OperationCanceled) => Ok(Step::Skipped),
        Err(InquireError::OperationInterrupted) => Ok(Step::Stopped),
        Err(e) => Err(CliError {
            code: 3,
            message: format!("error: the terminal prompt failed: {e}"),
        }),
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

fn ask(q: &DrawnQuestion) -> Result<Step, CliError> {
    let spec = q.spec;
    match spec.kind {
        Kind::Single => {
            let texts: Vec<&str> = spec.options.iter().map(|o| o.text.as_str()).collect();
            let r = Select::new("Your answer:", labels(q, &texts))
                .with_help_message("↑↓ to move, enter to choose, esc to skip")
                .raw_prompt();
            step(r, |o| Response::Single(q.order[o.index]))
        }
        Kind::Multiple => {
            let texts: Vec<&str> = spec.options.iter().map(|o| o.text.as_str()).collect();
            let r = MultiSelect::new("Tick every correct option:", labels(q, &texts))
                .with_help_message("↑↓ to move, space to tick, enter to submit, esc to skip")
                .raw_prompt();
            step(r, |os| {
                let mut picked: Vec<usize> = os.iter().map(|o| q.order[o.index]).collect();
                picked.sort_unstable();
                Response::Multiple(picked)
            })
        }
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
            let r = CustomType::<f64>::new(&message)
                .with_error_message("Type a number, such as 8 or 0.5")
                .with_help_message("type a number, enter to submit, esc to skip")
                .prompt();
            step(r, Response::Numeric)
        }
        Kind::Text => {
            let r = Text::new("Your answer:")
                .with_help_message("type, enter to submit, esc to skip")
                .prompt();
            step(r, Response::Text)
        }
        Kind::Order => {
            let n = q.order.len();
            let mut remaining: Vec<usize> = q.order.clone();
            let mut chosen = Vec::new();
            while remaining.len() > 1 {
                let options: Vec<String> = remaining
                    .iter()
                    .map(|&i| format!("{}) {}", q.letter_of(i), escape::one_line(&spec.steps[i])))
                    .collect();
                let message = format!("Step {} of {n}: which comes next?", chosen.len() + 1);
                match step(
                    Select::new(&message, options)
                        .with_help_message("↑↓ to move, enter to choose, esc to skip")
                        .raw_prompt(),
                    |o| Response::Single(o.index),
                )? {
                    Step::Answered(Response::Single(k)) => chosen.push(remaining.remove(k)),
                    Step::Answered(_) => unreachable!("a Select answers with Single"),
                    other => return Ok(other),
                }
            }
            chosen.extend(remaining);
            let order: Vec<String> = chosen.iter().map(|&i| q.letter_of(i)).collect();
            println!("  Your order: {}", order.join(", "));
            Ok(Step::Answered(Response::Order(chosen)))
        }
        Kind::Match => {
            let targets = spec.match_targets();
            let mut chosen = Vec::new();
            for (i, pair) in spec.pairs.iter().enumerate() {
                let message = format!("{}. {} →", i + 1, escape::one_line(&pair.left));
                match step(
                    Select::new(&message, labels(q, &targets))
                        .with_help_message("↑↓ to move, enter to pair, esc to skip the question")
                        .raw_prompt(),
                    |o| Response::Single(q.order[o.index]),
                )? {
                    Step::Answered(Response::Single(t)) => chosen.push(Some(t)),
                    Step::Answered(_) => unreachable!("a Select answers with Single"),
                    other => return Ok(other),
                }
            }
            Ok(Step::Answered(Response::Match(chosen)))
        }
    }
}

/// Runs the quiz in the terminal; returns the exit code (0 passed, 1 not passed).
pub fn take(paper: &Paper) -> Result<u8, CliError> {
    let quiz = paper.quiz;
    let color = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    println!("{}: {}", quiz.id, escape::terminal(&quiz.title));
    println!(
        "Learner {} · {} questions · pass mark {}%",
        paper.learner,
        paper.questions.len(),
        fmt_points(quiz.pass_mark)
    );
    if !quiz.intro.trim().is_empty() {
        println!("\n{}", escape::terminal(quiz.intro.trim()));
    }
    let mut answers = Vec::new();
    let total = paper.questions.len();
    let mut stopped = false;
    for (n, q) in paper.questions.iter().enumerate() {
        if stopped {
            answers.push(Answer::Missing);
            continue;
        }
        let spec = q.spec;
        let unit = if spec.points == 1.0 {
            "point"
        } else {
            "points"
        };
        println!(
            "\n── Question {} of {total} · {} · {} {unit} ──",
            n + 1,
            spec.kind.as_str(),
            fmt_points(spec.points)
        );
        println!("{}", escape::terminal(spec.prompt.trim()));
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
        let answer = match ask(q)? {
            Step::Answered(r) => Answer::Given(r),
            Step::Skipped => {
                println!("  (skipped)");
                Answer::Missing
            }
            Step::Stopped => {
                println!("\nStopped: the questions left are scored as unanswered.");
                stopped = true;
                Answer::Missing
            }
        };
        if quiz.feedback == FeedbackTiming::AfterEach && !stopped {
            let item = score::item(q, &answer, quiz.reveal_answers);
            println!(
                "  {} · {} of {} points",
                item.status.word(),
                fmt_points(item.points),
                fmt_points(item.max_points)
            );
            for text in [&item.message, &item.feedback].into_iter().flatten() {
                for line in escape::terminal(text).lines() {
                    println!("  {line}");
                }
            }
        }
        answers.push(answer);
    }
    let result = grade_given(paper, &answers);
    println!(
        "\n{}",
        pretty(&result, PrettyOptions { color, width: None }).trim_end()
    );
    let _ = std::io::stdout().flush();
    Ok(result.exit_code())
}
