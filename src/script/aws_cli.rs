//! `aws("ec2 describe-images --owners self")` in scripts: an AWS CLI command line run against
//! the script's cloud by the same front end as `amilab aws` (`amilab_awscli::driver`). It returns
//! the answer as data (after `--query`), or the printed text for `--output text|table` and
//! `help`; failures are thrown as API errors are, `#{code, message, operation}`.

use std::cell::RefCell;
use std::rc::Rc;

use rhai::{Dynamic, Engine, EvalAltResult, NativeCallContext};

use super::clients::error_map;
use super::convert::{from_json, throw};
use amilab_awscli::driver::{self, Session, EXIT_OK, EXIT_USAGE};
use amilab_cloud::Cloud;

type Shared = Rc<RefCell<Cloud>>;

/// Registers `aws(command)` acting as `learner_account` in `us-east-1` by default (as
/// `client(service)` does). With `read_only`, commands that change the cloud are refused.
pub fn register(engine: &mut Engine, cloud: Shared, learner_account: &str, read_only: bool) {
    let account = learner_account.to_string();
    engine.register_fn(
        "aws",
        move |ctx: NativeCallContext, command: &str| -> Result<Dynamic, Box<EvalAltResult>> {
            run(&ctx, &cloud, &account, read_only, command)
        },
    );
}

/// The words of a command line as a POSIX shell splits them, with line continuations
/// (`\` at the end of a line, as the study notes write long commands) joined and a leading
/// `aws` dropped, so that a command pasted from the notes runs as written.
pub fn words(command: &str) -> Option<Vec<String>> {
    let joined = command.replace("\\\r\n", " ").replace("\\\n", " ");
    let mut words = shlex::split(&joined)?;
    if words.first().map(String::as_str) == Some("aws") {
        words.remove(0);
    }
    Some(words)
}

fn run(
    ctx: &NativeCallContext,
    cloud: &Shared,
    account: &str,
    read_only: bool,
    command: &str,
) -> Result<Dynamic, Box<EvalAltResult>> {
    super::clients::check_time(ctx)?;
    let position = ctx.call_position();
    let Some(words) = words(command) else {
        return Err(throw(
            error_map(
                "ParamValidationError",
                "the command has an unclosed quote: close every ' and \" you open",
                "aws",
            ),
            position,
        ));
    };
    let read_file = |_: &str| -> Result<String, String> {
        Err("scripts cannot read files; give the JSON inline instead of file://".into())
    };
    let outcome = driver::run(
        &mut Session {
            cloud: &mut cloud.borrow_mut(),
            account: account.to_string(),
            default_region: "us-east-1".into(),
            read_file: &read_file,
            read_only,
            default_output: None,
        },
        &words,
    );
    if outcome.exit_code != EXIT_OK {
        let (code, message, operation) = match outcome.error {
            Some(error) => error,
            None => (
                if outcome.exit_code == EXIT_USAGE {
                    "ParamValidationError".to_string()
                } else {
                    "CliError".to_string()
                },
                outcome.stderr.trim().to_string(),
                "aws".to_string(),
            ),
        };
        return Err(throw(error_map(&code, &message, &operation), position));
    }
    Ok(match outcome.value {
        Some(value) => from_json(value),
        // As a shell's `$(aws …)` takes it: without the final newline.
        None => Dynamic::from(
            outcome
                .stdout
                .strip_suffix('\n')
                .unwrap_or(&outcome.stdout)
                .to_string(),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_lines_split_as_a_shell_splits_them() {
        assert_eq!(
            words(
                "aws ec2 create-image \\\n  --instance-id i-1 \\\n  --name \"My App\" --no-reboot"
            ),
            Some(
                [
                    "ec2",
                    "create-image",
                    "--instance-id",
                    "i-1",
                    "--name",
                    "My App",
                    "--no-reboot"
                ]
                .map(String::from)
                .to_vec()
            )
        );
        assert_eq!(
            words("ec2 describe-images --query 'Images[*].[ImageId,Name]'").unwrap()[3],
            "Images[*].[ImageId,Name]"
        );
        assert_eq!(words("ec2 describe-images --name 'open"), None);
    }
}
