//! `amilab aws SERVICE COMMAND [ARGS…]`: the AWS CLI against the learner's sandbox, a world kept
//! in `.amilab/sandbox.json` between commands (created on first use, `--reset` to start over).
//! What it prints and its exit codes are the AWS CLI's (`amilab_awscli::driver`).

use std::path::{Component, Path, PathBuf};

use clap::Args;

use super::world_file::{load_world_file, save_world_file};
use super::{CliError, Outcome};
use amilab_awscli::driver::{self, Session};
use amilab_cloud::{Cloud, WorldConfig};

/// Where the sandbox is kept, relative to the working directory.
pub const SANDBOX: &str = ".amilab/sandbox.json";

/// The account the sandbox acts as: the default world's learner.
pub const SANDBOX_ACCOUNT: &str = "123456789012";

/// The region commands go to without `--region`, as a freshly configured CLI's default.
pub const SANDBOX_REGION: &str = "us-east-1";

/// Simulated seconds between one sandbox command and the next, as if typed: the sandbox's
/// clock moves on by this much before each command, so that what is under way when you type
/// (an Auto Scaling group's launches, an instance's boot) goes on as it would while you typed.
/// Waiting (`aws ec2 wait …`) moves it as far as the wait takes.
pub const COMMAND_GAP: u64 = 10;

/// The largest file a `file://` argument may name: no request needs more.
pub const MAX_PARAM_FILE_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  amilab aws ec2 describe-images --owners amazon --query 'Images[0].ImageId'\n  amilab aws ec2 run-instances --image-id ami-… --instance-type t2.micro\n  amilab aws ec2 describe-instances --output table\n  amilab aws --reset"
)]
pub struct AwsArgs {
    /// Start the sandbox over: a new world, as on first use (with a command, the command then
    /// runs in it)
    #[arg(long)]
    pub reset: bool,
    /// Keep the sandbox in FILE instead of .amilab/sandbox.json (a world file, as `run --world`
    /// writes)
    #[arg(long, value_name = "FILE")]
    pub sandbox: Option<PathBuf>,
    /// The AWS CLI command, as you would type it after `aws`: `ec2 describe-images --owners
    /// self`, `ec2 help`, `ec2 wait instance-running --instance-ids i-…`
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "COMMAND"
    )]
    pub words: Vec<String>,
}

pub fn execute(args: &AwsArgs) -> Result<Outcome, CliError> {
    let path = args
        .sandbox
        .clone()
        .unwrap_or_else(|| PathBuf::from(SANDBOX));
    let saved = if args.reset {
        None
    } else {
        load_world_file(
            &path,
            "run `amilab aws --reset` to start a new sandbox (the old one is lost), or pass --sandbox FILE",
        )?
    };
    let mut cloud = saved.unwrap_or_else(new_sandbox);
    if args.words.is_empty() {
        if args.reset {
            save(&path, &cloud)?;
            return Ok(Outcome {
                stdout: format!("A new sandbox is in {}.\n", path.display()),
                ..Outcome::default()
            });
        }
        return Err(CliError::usage(
            "give an AWS CLI command: `amilab aws ec2 describe-images --owners self`; `amilab aws help` lists the services",
        ));
    }
    let base = std::env::current_dir().map_err(|e| {
        CliError::usage(format!(
            "cannot read the working directory: {}",
            crate::diagnostic::io_reason(&e)
        ))
    })?;
    let read_file = |name: &str| read_param_file(&base, name);
    cloud.advance(COMMAND_GAP);
    let outcome = driver::run(
        &mut Session {
            cloud: &mut cloud,
            account: SANDBOX_ACCOUNT.into(),
            default_region: default_region(),
            read_file: &read_file,
            read_only: false,
            default_output: std::env::var("AWS_DEFAULT_OUTPUT").ok(),
        },
        &args.words,
    );
    // Every command is saved, failed ones too: a failed call is on the trail, and a waiter
    // that gave up has waited.
    save(&path, &cloud)?;
    Ok(Outcome {
        stdout: outcome.stdout,
        stderr: outcome.stderr,
        code: u8::try_from(outcome.exit_code).unwrap_or(u8::MAX),
    })
}

/// The region without `--region`: `AWS_REGION`, else `AWS_DEFAULT_REGION`, else
/// [`SANDBOX_REGION`] (AWS CLI v2's order).
fn default_region() -> String {
    ["AWS_REGION", "AWS_DEFAULT_REGION"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|r| !r.is_empty()))
        .unwrap_or_else(|| SANDBOX_REGION.to_string())
}

/// The world a sandbox starts as: the default world, seed 0, as `amilab run` without a lab.
pub fn new_sandbox() -> Cloud {
    Cloud::new(WorldConfig {
        component_document_parser: Some(crate::yaml::component_document),
        ..WorldConfig::default()
    })
}

fn save(path: &Path, cloud: &Cloud) -> Result<(), CliError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            CliError::usage(format!(
                "cannot create `{}` for the sandbox: {}",
                dir.display(),
                crate::diagnostic::io_reason(&e)
            ))
        })?;
    }
    save_world_file(path, &cloud.save_world()).map_err(CliError::usage)
}

/// A `file://` argument's text: a path relative to the working directory and inside it (the
/// sandbox reads nothing else), at most [`MAX_PARAM_FILE_BYTES`].
pub fn read_param_file(base: &Path, name: &str) -> Result<String, String> {
    let relative = Path::new(name);
    if relative.is_absolute()
        || relative
            .components()
            .any(|c| matches!(c, Component::ParentDir | Component::Prefix(_)))
    {
        return Err(
            "amilab reads files inside the working directory only; give a relative path such as file://request.json"
                .into(),
        );
    }
    let path = base.join(relative);
    let size = std::fs::metadata(&path)
        .map_err(|e| match e.kind() {
            // Python's words, which the CLI prints.
            std::io::ErrorKind::NotFound => {
                format!("[Errno 2] No such file or directory: '{name}'")
            }
            _ => crate::diagnostic::io_reason(&e),
        })?
        .len();
    if size > MAX_PARAM_FILE_BYTES {
        return Err(format!(
            "the file is {size} bytes; amilab reads at most {MAX_PARAM_FILE_BYTES}"
        ));
    }
    std::fs::read_to_string(&path).map_err(|e| crate::diagnostic::io_reason(&e))
}
