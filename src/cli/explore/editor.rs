//! The terminal front end of `amilab explore`: rustyline's line editor with history kept in
//! [`super::HISTORY_FILE`], multi-line input while an input is incomplete, and Tab completion.

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;

use rustyline::completion::Completer;
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::FileHistory;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{CompletionType, Config, Context, Editor, Helper};

use super::commands;
use super::repl::Repl;
use crate::cli::CliError;
use crate::script::complete;
use crate::script::session::{is_incomplete, Variable};

/// Completion and validation, with the session's variables as of the last input.
struct ExploreHelper {
    variables: Rc<RefCell<Vec<Variable>>>,
}

impl Completer for ExploreHelper {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        Ok(candidates(line, pos, &self.variables.borrow()))
    }
}

/// What Tab offers at `pos`: a `:` command at the start of the line, else the script's words.
fn candidates(line: &str, pos: usize, variables: &[Variable]) -> (usize, Vec<String>) {
    let before = line.get(..pos).unwrap_or(line);
    let command = before.trim_start();
    if command.starts_with(':') && !command.contains(char::is_whitespace) {
        return (before.len() - command.len(), commands::complete(command));
    }
    let c = complete::complete(line, pos, variables);
    (c.start, c.candidates)
}

impl Validator for ExploreHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        let input = ctx.input();
        if !input.trim_start().starts_with(':') && is_incomplete(input) {
            Ok(ValidationResult::Incomplete)
        } else {
            Ok(ValidationResult::Valid(None))
        }
    }
}

impl Hinter for ExploreHelper {
    type Hint = String;
}

impl Highlighter for ExploreHelper {}

impl Helper for ExploreHelper {}

/// Reads inputs at the prompt until `:quit` or Ctrl-D; Ctrl-C drops the input being typed.
pub fn run(repl: &mut Repl, banner: &str) -> Result<(), CliError> {
    let config = Config::builder()
        .auto_add_history(false)
        .completion_type(CompletionType::List)
        .max_history_size(1000)
        .map_err(editor_error)?
        .history_ignore_dups(true)
        .map_err(editor_error)?
        .build();
    let mut editor: Editor<ExploreHelper, FileHistory> =
        Editor::with_config(config).map_err(editor_error)?;
    let variables = Rc::new(RefCell::new(repl.variables()));
    editor.set_helper(Some(ExploreHelper {
        variables: variables.clone(),
    }));
    // Ctrl-C while an input runs stops that input, not the session (at the prompt the line
    // editor reads Ctrl-C as a key). A handler set already (never, in this process) keeps
    // Ctrl-C's usual meaning.
    let interrupter = repl.interrupter();
    let _ = ctrlc::set_handler(move || interrupter.interrupt());
    let history = Path::new(super::HISTORY_FILE);
    // No history yet, or an unreadable one: the session starts without.
    let _ = editor.load_history(history);
    print!("{banner}");
    loop {
        match editor.readline("amilab> ") {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                }
                let quit = super::emit(repl.handle(&line));
                *variables.borrow_mut() = repl.variables();
                if quit {
                    break;
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(editor_error(e)),
        }
    }
    save_history(&mut editor, history);
    Ok(())
}

/// Saves the history where it can; a directory that cannot be written keeps none (a session
/// in a read-only checkout is still a session).
fn save_history(editor: &mut Editor<ExploreHelper, FileHistory>, history: &Path) {
    if let Some(dir) = history.parent() {
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
    }
    let _ = editor.save_history(history);
}

fn editor_error(e: ReadlineError) -> CliError {
    CliError {
        code: crate::cli::exit::USAGE,
        message: format!("the line editor failed: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_offers_commands_at_the_start_and_script_words_elsewhere() {
        assert_eq!(candidates(":tr", 3, &[]), (0, vec![":trail".to_string()]));
        assert_eq!(candidates("  :re", 5, &[]), (2, vec![":reset".to_string()]));
        let (start, words) = candidates("ec2.describe_imag", 17, &[]);
        assert_eq!(start, 4);
        assert_eq!(words, ["describe_image_attribute", "describe_images"]);
        // A `:` inside a map is not a command.
        let (_, words) = candidates("ec2.run_instances(#{image_id: \"x\", min", 38, &[]);
        assert_eq!(words, ["min_count"]);
    }
}
