//! The Rhai binding: a sandboxed engine whose clients mirror boto3, and the runner that executes
//! a learner's script against a cloud and reports what happened.

pub mod aws_cli;
pub mod clients;
pub mod complete;
pub mod convert;
pub mod failure;
pub mod sandbox;
pub mod session;
pub mod sort;

use std::cell::RefCell;
use std::rc::Rc;

use amilab_cloud::Cloud;
pub use failure::{Failure, FailureKind};
pub use sandbox::{Globals, Limits, Output, OutputLine};

/// How a script is run.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    pub limits: Limits,
    /// Refuse mutating calls (for graders' checks).
    pub read_only: bool,
}

/// What running a script produced; the cloud it ran in holds the state reached.
#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    pub output: Output,
    /// `None` when the script ran to its end.
    pub failure: Option<Failure>,
}

impl RunReport {
    pub fn succeeded(&self) -> bool {
        self.failure.is_none()
    }
}

/// Compiles and runs `source` in `cloud` as the cloud's learner account.
pub fn run(cloud: &Rc<RefCell<Cloud>>, source: &str, options: RunOptions) -> RunReport {
    run_with(cloud, source, options, Globals::new())
}

/// Like [`run`], with read-only `globals` the script reads as variables (a lab's `params`).
pub fn run_with(
    cloud: &Rc<RefCell<Cloud>>,
    source: &str,
    options: RunOptions,
    globals: Globals,
) -> RunReport {
    // Checked before parsing: parse time grows with the square of the variables declared.
    if let Some(t) = crate::limits::script_too_large(source) {
        return RunReport {
            output: Output::default(),
            failure: Some(failure::too_large(&t)),
        };
    }
    // A byte order mark (editors on Windows save one) is not Rhai: without it, the script.
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let output = Rc::new(RefCell::new(Output::default()));
    let ran = crate::bug::catch(|| run_contained(cloud, source, options, globals, &output));
    let failure = ran.unwrap_or_else(|bug| Some(failure::internal(&bug)));
    let output = output.borrow().clone();
    RunReport { output, failure }
}

/// [`run_with`] past the size check; a panic in it is caught by the caller.
fn run_contained(
    cloud: &Rc<RefCell<Cloud>>,
    source: &str,
    options: RunOptions,
    globals: Globals,
    output: &Rc<RefCell<Output>>,
) -> Option<Failure> {
    crate::bug::test_panic("script");
    let mut engine = sandbox::engine(options.limits, output.clone());
    sandbox::set_globals(&mut engine, globals);
    let account = cloud.borrow().account().to_string();
    aws_cli::register(&mut engine, cloud.clone(), &account, options.read_only);
    clients::register(&mut engine, cloud.clone(), &account, options.read_only);
    sort::register(&mut engine);
    let failure = match engine.compile(source) {
        Err(e) => Some(failure::from_parse_error(&e)),
        Ok(ast) => {
            // API calls stop at the deadline too (the sandbox's clock is read between
            // operations only); cleared whatever happens, a panic included.
            struct Clear;
            impl Drop for Clear {
                fn drop(&mut self) {
                    clients::set_stop_at(None);
                }
            }
            let _clear = Clear;
            clients::set_stop_at(Some(std::time::Instant::now() + options.limits.deadline));
            engine
                .run_ast(&ast)
                .err()
                .and_then(|e| failure::from_eval_error(*e, &options.limits))
        }
    };
    drop(engine);
    failure
}
