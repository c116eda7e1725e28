//! `grep`, `egrep` and `fgrep`.

use std::collections::BTreeSet;

use super::super::shell::{push_bounded, Outcome, Shell};
use super::args::option_value;
use super::regex::Pattern;

impl Shell<'_> {
    pub(crate) fn cmd_grep(&self, tool: &str, args: &[String], stdin: &str) -> Outcome {
        let mut patterns: Vec<String> = Vec::new();
        let mut short = BTreeSet::new();
        let mut operands = Vec::new();
        let mut index = 0;
        while index < args.len() {
            let arg = &args[index];
            if let Some(value) = option_value(args, &mut index, "-e", "--regexp") {
                patterns.extend(value);
            } else if arg == "--" {
                operands.extend(args[index + 1..].iter().cloned());
                break;
            } else if let Some(long) = arg.strip_prefix("--") {
                match long {
                    "quiet" | "silent" => short.insert('q'),
                    "ignore-case" => short.insert('i'),
                    "invert-match" => short.insert('v'),
                    "count" => short.insert('c'),
                    "recursive" => short.insert('r'),
                    _ => false,
                };
            } else if arg.starts_with('-') && arg.len() > 1 {
                short.extend(arg.chars().skip(1));
            } else {
                operands.push(arg.clone());
            }
            index += 1;
        }
        if patterns.is_empty() {
            if operands.is_empty() {
                return Outcome::fail(2, "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.");
            }
            patterns.push(operands.remove(0));
        }
        let has = |c: char| short.contains(&c);
        let extended = has('E') || tool == "egrep";
        let ignore_case = has('i');
        let mut compiled = Vec::new();
        for source in &patterns {
            let pattern = if has('F') || tool == "fgrep" {
                Ok(Pattern::literal(source, ignore_case))
            } else {
                Pattern::compile(source, extended, ignore_case)
            };
            match pattern {
                Ok(mut pattern) => {
                    if has('x') {
                        pattern.anchored_start = true;
                        pattern.anchored_end = true;
                    }
                    compiled.push(pattern);
                }
                Err(message) => return Outcome::fail(2, &format!("grep: {message}")),
            }
        }
        let mut outcome = Outcome::success();
        let mut had_error = false;
        let recursive = has('r') || has('R');
        let mut sources: Vec<(String, String)> = Vec::new();
        if operands.is_empty() && !recursive {
            sources.push(("(standard input)".into(), stdin.to_string()));
        }
        let operands = if operands.is_empty() && recursive {
            vec![".".to_string()]
        } else {
            operands
        };
        for operand in &operands {
            let path = self.path(operand);
            let live = &self.guest.live;
            if live.is_dir(&path) {
                if recursive {
                    let (files, _) = live.subtree(&path);
                    for file in files {
                        let shown = format!(
                            "{}{}",
                            operand.trim_end_matches('/'),
                            &file[path.len().min(file.len())..]
                        );
                        let shown = if path == "/" { file.clone() } else { shown };
                        sources.push((shown, live.files.get(&file).cloned().unwrap_or_default()));
                    }
                } else {
                    had_error = true;
                    if !has('s') {
                        outcome.warn(&format!("grep: {operand}: Is a directory"));
                    }
                }
                continue;
            }
            match self.read_path(operand) {
                Ok(content) => sources.push((operand.clone(), content)),
                Err(e) => {
                    had_error = true;
                    if !has('s') {
                        outcome.warn(&format!("grep: {operand}: {}", e.describe()));
                    }
                }
            }
        }
        let prefix_names = (sources.len() > 1 || recursive) && !has('h');
        let mut matched_any = false;
        for (name, content) in &sources {
            let mut count = 0;
            for (number, line) in content.lines().enumerate() {
                let hit = compiled.iter().any(|p| p.is_match(line)) != has('v');
                if !hit {
                    continue;
                }
                count += 1;
                matched_any = true;
                if has('q') || has('c') || has('l') {
                    continue;
                }
                let mut shown = String::new();
                if prefix_names {
                    shown.push_str(&format!("{name}:"));
                }
                if has('n') {
                    shown.push_str(&format!("{}:", number + 1));
                }
                shown.push_str(line);
                shown.push('\n');
                push_bounded(&mut outcome.out, &shown);
            }
            if has('c') && !has('q') {
                let label = if prefix_names {
                    format!("{name}:")
                } else {
                    String::new()
                };
                outcome.say(&format!("{label}{count}"));
            }
            if has('l') && count > 0 && !has('q') {
                outcome.say(name);
            }
        }
        outcome.status = if had_error && !(has('q') && matched_any) {
            2
        } else if matched_any {
            0
        } else {
            1
        };
        outcome
    }
}
