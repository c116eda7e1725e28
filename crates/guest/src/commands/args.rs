//! Command-line option parsing shared by the simulated commands.

use std::collections::BTreeSet;

/// Short flags (`-rf` → r, f), long flags (`--force` → force) and operands; `--` ends flags.
#[derive(Debug, Default)]
pub(crate) struct Flags {
    short: BTreeSet<char>,
    pub(crate) long: BTreeSet<String>,
    pub(crate) operands: Vec<String>,
}

impl Flags {
    pub(crate) fn parse(args: &[String]) -> Flags {
        let mut flags = Flags::default();
        let mut only_operands = false;
        for arg in args {
            if only_operands || arg == "-" || !arg.starts_with('-') {
                flags.operands.push(arg.clone());
            } else if arg == "--" {
                only_operands = true;
            } else if let Some(long) = arg.strip_prefix("--") {
                flags
                    .long
                    .insert(long.split('=').next().unwrap_or(long).to_string());
            } else {
                flags.short.extend(arg.chars().skip(1));
            }
        }
        flags
    }

    pub(crate) fn has(&self, short: char) -> bool {
        self.short.contains(&short)
    }

    /// Whether the short flag or its long form is present.
    pub(crate) fn any(&self, short: char, long: &str) -> bool {
        self.short.contains(&short) || self.long.contains(long)
    }
}

/// The value after an option that takes one (`-m 755`, `-m755`, `--mode=755`).
pub(crate) fn option_value(
    args: &[String],
    index: &mut usize,
    short: &str,
    long: &str,
) -> Option<Option<String>> {
    let arg = &args[*index];
    if arg == short || arg == long {
        *index += 1;
        return Some(args.get(*index).cloned());
    }
    if let Some(value) = arg.strip_prefix(&format!("{long}=")) {
        return Some(Some(value.to_string()));
    }
    if short.len() == 2 && arg.starts_with(short) && !arg.starts_with("--") {
        return Some(Some(arg[short.len()..].to_string()));
    }
    None
}
