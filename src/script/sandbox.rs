//! The sandboxed Rhai engine: only the packages a script needs, every limit set explicitly
//! (so debug and release builds agree), no `eval`, no modules, a wall-clock deadline, and
//! bounded capture of `print` / `debug`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rhai::packages::{
    BasicArrayPackage, BasicMapPackage, BasicMathPackage, CorePackage, LogicPackage,
    MoreStringPackage, Package,
};
use std::collections::BTreeMap;

use rhai::{Dynamic, Engine, Module, Shared};

use crate::memory::Allowance;

mod bounded_pad;

/// Every limit a script runs under. A breach ends the run; the state reached is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_operations: u64,
    pub max_call_levels: usize,
    pub max_expr_depth: usize,
    pub max_function_expr_depth: usize,
    /// Bytes a script (or one check) may hold beyond what was live when it started: script
    /// values, the API trail, everything the simulation created. Checked after every operation;
    /// see [`crate::memory`] and README, "Limits".
    pub max_memory: usize,
    pub max_variables: usize,
    pub max_functions: usize,
    /// Real time a script may run (a guard against runaway loops, not a simulated duration).
    pub deadline: Duration,
    pub max_output_lines: usize,
    pub max_output_bytes: usize,
}

/// A script's (and each check's) memory allowance: 64 MiB, ten times what the course's largest
/// lab holds (roll-out-v2, about 6 MB) and three times a script that collects 100,000 image
/// ids. See README, "Limits", for the bound it gives a whole run.
pub const MAX_MEMORY: usize = 64 * 1024 * 1024;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_operations: 2_000_000,
            max_call_levels: 48,
            max_expr_depth: 64,
            max_function_expr_depth: 32,
            max_memory: MAX_MEMORY,
            max_variables: 2_000,
            max_functions: 256,
            deadline: Duration::from_secs(5),
            max_output_lines: 2_000,
            max_output_bytes: 64 * 1024,
        }
    }
}

/// One line a script printed, with where it was printed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputLine {
    pub text: String,
    pub line: usize,
    /// `debug(...)` rather than `print(...)`.
    pub debug: bool,
}

/// What a script printed, bounded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub lines: Vec<OutputLine>,
    pub bytes: usize,
    pub truncated: bool,
    /// The limits that cut the output (lines, bytes), once it was cut.
    pub cut_at: Option<(usize, usize)>,
}

impl Output {
    /// `the script printed more than the sandbox keeps (2,000 lines or 64 KiB)`, once cut.
    pub fn truncation_note(&self) -> Option<String> {
        let (lines, bytes) = self.cut_at?;
        Some(format!(
            "the script printed more than the sandbox keeps ({} or {})",
            amilab_text::plural(crate::limits::thousands(lines as u64), "line", "lines"),
            crate::limits::human(bytes as u64)
        ))
    }

    fn push(&mut self, limits: &Limits, line: OutputLine) {
        if self.truncated {
            return;
        }
        if self.lines.len() >= limits.max_output_lines
            || self.bytes + line.text.len() > limits.max_output_bytes
        {
            self.truncated = true;
            self.cut_at = Some((limits.max_output_lines, limits.max_output_bytes));
            return;
        }
        self.bytes += line.text.len();
        self.lines.push(line);
    }
}

thread_local! {
    /// The allowed packages, built once per thread: building them registers hundreds of
    /// functions, and a grading run makes an engine per check.
    static PACKAGES: Vec<Shared<Module>> = vec![
        CorePackage::new().as_shared_module(),
        LogicPackage::new().as_shared_module(),
        BasicMathPackage::new().as_shared_module(),
        BasicArrayPackage::new().as_shared_module(),
        BasicMapPackage::new().as_shared_module(),
        MoreStringPackage::new().as_shared_module(),
    ];
}

/// Bytes held beyond which single operations may be slow enough for the deadline to be checked
/// after each one.
const SLOW_OPERATIONS_ABOVE: isize = 4 << 20;

/// Message carried by the progress callback when the deadline passes.
pub const DEADLINE_TOKEN: &str = "amilab:deadline";
/// Message carried by the progress callback (and by `pad`) when the memory allowance is spent.
pub const MEMORY_TOKEN: &str = "amilab:memory";
/// Message carried by the progress callback when the run was interrupted ([`Interrupter`]).
pub const INTERRUPT_TOKEN: &str = "amilab:interrupt";

/// Stops a running script at its next check, from any thread (`amilab explore`'s Ctrl-C
/// handler); the next run of the engine starts uninterrupted.
#[derive(Debug, Clone, Default)]
pub struct Interrupter(Arc<AtomicBool>);

impl Interrupter {
    /// Asks the script that is running to stop.
    pub fn interrupt(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    fn interrupted(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

thread_local! {
    /// Whether runs started on this thread count processor time (see
    /// [`count_processor_time_on_this_thread`]).
    static PROCESSOR_TIME: Cell<bool> = const { Cell::new(false) };
}

/// Makes the time limits of runs started on this thread count the thread's processor time
/// instead of real time. `amilab grade` sets it on its grading threads: there, real time would
/// shrink a script's allowance whenever the machine is busy — with the other learners' scripts
/// on the other threads — and the same script would pass alone and be stopped in a class (a
/// verdict that depends on one's neighbours). A script never waits (sleeps and waiters advance
/// the simulated clock), so its processor time is the time it takes on an idle machine. `run`
/// and `check` keep real time: a learner waits for their own run, and a starved process must
/// still end when it says it will.
pub fn count_processor_time_on_this_thread() {
    PROCESSOR_TIME.with(|p| p.set(true));
}

/// The clock a deadline reads: this thread's processor time, or real time (since the first
/// read on this thread: only differences matter). Where the operating system cannot say a
/// thread's processor time, real time.
fn clock(processor: bool) -> Duration {
    thread_local! {
        static START: Instant = Instant::now();
    }
    if processor {
        if let Ok(t) = cpu_time::ThreadTime::try_now() {
            return t.as_duration();
        }
    }
    START.with(Instant::elapsed)
}

/// When a run must stop, in real time or (on a grading thread) in processor time ([`clock`]),
/// and how much memory it may hold; restartable, so one engine can run several scripts (a lab's
/// checks) each with the whole allowance.
#[derive(Debug, Clone)]
pub struct Deadline {
    at: Rc<Cell<Duration>>,
    processor: bool,
    allowed: Duration,
    memory: Allowance,
    interrupter: Interrupter,
}

impl Deadline {
    fn new(allowed: Duration, memory: usize) -> Self {
        let processor = PROCESSOR_TIME.with(Cell::get);
        Deadline {
            at: Rc::new(Cell::new(clock(processor) + allowed)),
            processor,
            allowed,
            memory: Allowance::new(memory),
            interrupter: Interrupter::default(),
        }
    }

    /// Gives the next run the whole allowance of time and memory again, uninterrupted.
    pub fn restart(&self) {
        self.at.set(clock(self.processor) + self.allowed);
        self.memory.restart();
        self.interrupter.0.store(false, Ordering::Relaxed);
    }

    /// What stops the engine's runs from another thread.
    pub fn interrupter(&self) -> Interrupter {
        self.interrupter.clone()
    }

    fn passed(&self) -> bool {
        clock(self.processor) > self.at.get()
    }
}

/// A raw engine with the allowed packages and every limit applied; output goes to `output`.
pub fn engine(limits: Limits, output: Rc<RefCell<Output>>) -> Engine {
    engine_with_deadline(limits, output).0
}

/// [`engine`], with the handle that restarts its deadline.
pub fn engine_with_deadline(limits: Limits, output: Rc<RefCell<Output>>) -> (Engine, Deadline) {
    let mut engine = Engine::new_raw();
    PACKAGES.with(|packages| {
        for package in packages {
            engine.register_global_module(package.clone());
        }
    });
    engine.disable_symbol("eval");
    engine.disable_symbol("import");
    engine.disable_symbol("export");
    engine
        .set_max_operations(limits.max_operations)
        .set_max_call_levels(limits.max_call_levels)
        .set_max_expr_depths(limits.max_expr_depth, limits.max_function_expr_depth)
        // No size limits of Rhai's own: with any of them set, Rhai re-measures a whole array
        // after every `push` (quadratic), and counts all strings inside an array against the
        // string limit (a list of 12,000 image ids was refused). The memory allowance, checked
        // after every operation, bounds growth instead; `pad` is the one way to ask for a size
        // in a single operation, so it is bounded below.
        .set_max_string_size(0)
        .set_max_array_size(0)
        .set_max_map_size(0)
        .set_max_variables(limits.max_variables)
        .set_max_functions(limits.max_functions)
        .set_max_modules(0)
        .set_fail_on_invalid_map_property(true);
    let deadline = Deadline::new(limits.deadline, limits.max_memory);
    let watched = deadline.clone();
    engine.on_progress(move |ops| {
        // Memory after every operation (a thread-local read), so a run holds at most its
        // allowance plus what one operation adds. The clock every 4096th (reading it costs
        // more), or after every operation once the script holds large values, as a single
        // operation on megabytes (`to_string` of a big array) can take seconds.
        let used = watched.memory.used();
        if used > watched.memory.limit() as isize {
            Some(Dynamic::from(MEMORY_TOKEN))
        } else if (ops % 4096 == 0 || used > SLOW_OPERATIONS_ABOVE) && watched.passed() {
            Some(Dynamic::from(DEADLINE_TOKEN))
        } else if ops % 4096 == 0 && watched.interrupter.interrupted() {
            Some(Dynamic::from(INTERRUPT_TOKEN))
        } else {
            None
        }
    });
    bounded_pad::register(&mut engine, deadline.memory.clone());
    let printed = output.clone();
    engine.on_print(move |text| {
        printed.borrow_mut().push(
            &limits,
            OutputLine {
                text: text.to_string(),
                line: 0,
                debug: false,
            },
        );
    });
    engine.on_debug(move |text, _source, pos| {
        output.borrow_mut().push(
            &limits,
            OutputLine {
                text: text.to_string(),
                line: pos.line().unwrap_or(0),
                debug: true,
            },
        );
    });
    (engine, deadline)
}

/// Read-only values a script sees as variables (a lab's `params`, `accounts`, `learner`).
pub type Globals = BTreeMap<String, Dynamic>;

/// Makes `globals` readable as variables everywhere, inside functions too (Rhai functions do
/// not see the outer scope). A variable the script declares itself with the same name wins.
pub fn set_globals(engine: &mut Engine, globals: Globals) {
    if globals.is_empty() {
        return;
    }
    #[allow(deprecated)] // Rhai marks the variable resolver "volatile", not deprecated.
    engine.on_var(move |name, index, context| {
        if index > 0 || context.scope().contains(name) {
            return Ok(None);
        }
        Ok(globals.get(name).cloned())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globals_are_visible_in_functions_and_can_be_shadowed() {
        let mut engine = engine(Limits::default(), Rc::new(RefCell::new(Output::default())));
        let mut globals = Globals::new();
        globals.insert("params".into(), Dynamic::from(7_i64));
        set_globals(&mut engine, globals);
        let seen: i64 = engine.eval("fn f() { params * 2 } f() + params").unwrap();
        assert_eq!(seen, 21);
        let shadowed: i64 = engine.eval("let params = 1; params").unwrap();
        assert_eq!(shadowed, 1);
        let arg: i64 = engine.eval("fn g(params) { params } g(3)").unwrap();
        assert_eq!(arg, 3);
    }
}
