//! `sed`: `s///` and `/re/d` scripts, on standard input or in place.

use super::super::shell::{push_bounded, Outcome, Shell};
use super::super::MAX_FILE_BYTES;
use super::args::option_value;
use super::regex::Pattern;

/// One sed command: `s/pattern/replacement/flags` or `/pattern/d`.
#[derive(Debug, Clone)]
enum SedCommand {
    Substitute {
        pattern: Pattern,
        replacement: String,
        global: bool,
    },
    Delete {
        pattern: Pattern,
    },
}

/// Reads text up to an unescaped `delimiter`; `\delimiter` becomes the delimiter itself.
fn read_delimited(chars: &[char], start: usize, delimiter: char) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut i = start;
    while let Some(&c) = chars.get(i) {
        if c == delimiter {
            return Some((out, i + 1));
        }
        if c == '\\' && chars.get(i + 1) == Some(&delimiter) {
            out.push(delimiter);
            i += 2;
            continue;
        }
        if c == '\\' {
            if let Some(&next) = chars.get(i + 1) {
                out.push('\\');
                out.push(next);
                i += 2;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    None
}

fn parse_sed_script(script: &str, extended: bool) -> Result<Vec<SedCommand>, String> {
    let chars: Vec<char> = script.chars().collect();
    let mut commands = Vec::new();
    let mut i = 0;
    let unknown =
        |i: usize, c: char| format!("-e expression #1, char {}: unknown command: `{c}'", i + 1);
    let unterminated = |i: usize| format!("-e expression #1, char {}: unterminated `s' command", i);
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || c == ';' {
            i += 1;
            continue;
        }
        if c == '/' {
            let (source, next) =
                read_delimited(&chars, i + 1, '/').ok_or_else(|| unterminated(chars.len()))?;
            let pattern = Pattern::compile(&source, extended, false)?;
            match chars.get(next) {
                Some('d') => commands.push(SedCommand::Delete { pattern }),
                Some(&other) => return Err(unknown(next, other)),
                None => return Err(format!("-e expression #1, char {}: missing command", next)),
            }
            i = next + 1;
            continue;
        }
        if c != 's' {
            return Err(unknown(i, c));
        }
        let delimiter = *chars.get(i + 1).ok_or_else(|| unterminated(chars.len()))?;
        let (source, next) =
            read_delimited(&chars, i + 2, delimiter).ok_or_else(|| unterminated(chars.len()))?;
        let (replacement, next) =
            read_delimited(&chars, next, delimiter).ok_or_else(|| unterminated(chars.len()))?;
        let mut global = false;
        let mut ignore_case = false;
        i = next;
        while let Some(&flag) = chars.get(i) {
            match flag {
                'g' => global = true,
                'I' | 'i' => ignore_case = true,
                'p' => {}
                d if d.is_ascii_digit() => {}
                _ => break,
            }
            i += 1;
        }
        let pattern = Pattern::compile(&source, extended, ignore_case)?;
        commands.push(SedCommand::Substitute {
            pattern,
            replacement,
            global,
        });
    }
    Ok(commands)
}

/// Expands `&` (the match) and `\n`, `\t`, `\&`, `\\` in a sed replacement.
fn render_replacement(replacement: &str, matched: &str, out: &mut String) {
    let mut chars = replacement.chars();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str(matched),
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) if other.is_ascii_digit() => {}
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            other => out.push(other),
        }
    }
}

/// Applies `s///` to one line; `None` when the result would exceed a file's size limit.
fn substitute(line: &str, pattern: &Pattern, replacement: &str, global: bool) -> Option<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut pos = 0;
    while pos <= chars.len() {
        let Some((start, end)) = pattern.find_at(&chars, pos) else {
            break;
        };
        out.extend(&chars[pos..start]);
        let matched: String = chars[start..end].iter().collect();
        render_replacement(replacement, &matched, &mut out);
        if out.len() > MAX_FILE_BYTES {
            return None;
        }
        if end == start {
            if let Some(&c) = chars.get(start) {
                out.push(c);
            }
            pos = start + 1;
        } else {
            pos = end;
        }
        if !global {
            break;
        }
    }
    if pos < chars.len() {
        out.extend(&chars[pos..]);
    }
    Some(out)
}

/// Runs a sed program over text; `None` when the result would be too large.
fn run_sed(commands: &[SedCommand], text: &str) -> Option<String> {
    let mut out = String::new();
    'lines: for raw in text.split_inclusive('\n') {
        let (mut line, newline) = match raw.strip_suffix('\n') {
            Some(body) => (body.to_string(), "\n"),
            None => (raw.to_string(), ""),
        };
        for command in commands {
            match command {
                SedCommand::Delete { pattern } if pattern.is_match(&line) => continue 'lines,
                SedCommand::Delete { .. } => {}
                SedCommand::Substitute {
                    pattern,
                    replacement,
                    global,
                } => {
                    line = substitute(&line, pattern, replacement, *global)?;
                }
            }
        }
        out.push_str(&line);
        out.push_str(newline);
        if out.len() > MAX_FILE_BYTES {
            return None;
        }
    }
    Some(out)
}

impl Shell<'_> {
    pub(crate) fn cmd_sed(&mut self, args: &[String], stdin: &str) -> Outcome {
        let mut scripts: Vec<String> = Vec::new();
        let mut in_place: Option<String> = None;
        let mut extended = false;
        let mut quiet = false;
        let mut operands = Vec::new();
        let mut index = 0;
        while index < args.len() {
            let arg = &args[index];
            if let Some(value) = option_value(args, &mut index, "-e", "--expression") {
                scripts.extend(value);
            } else if arg == "-i" || arg == "--in-place" {
                in_place = Some(String::new());
            } else if let Some(suffix) = arg.strip_prefix("-i") {
                in_place = Some(suffix.to_string());
            } else if arg == "-E" || arg == "-r" || arg == "--regexp-extended" {
                extended = true;
            } else if arg == "-n" || arg == "--quiet" {
                quiet = true;
            } else if arg.starts_with('-') && arg.len() > 1 {
                // other options (-s, -u, --follow-symlinks) change nothing here
            } else {
                operands.push(arg.clone());
            }
            index += 1;
        }
        if scripts.is_empty() {
            if operands.is_empty() {
                return Outcome::fail(
                    1,
                    "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...",
                );
            }
            scripts.push(operands.remove(0));
        }
        let commands = match parse_sed_script(&scripts.join("\n"), extended) {
            Ok(commands) => commands,
            Err(message) => return Outcome::fail(1, &format!("sed: {message}")),
        };
        let mut outcome = Outcome::success();
        let Some(suffix) = in_place else {
            let sources = if operands.is_empty() {
                vec![stdin.to_string()]
            } else {
                let mut found = Vec::new();
                for file in &operands {
                    match self.read_path(file) {
                        Ok(content) => found.push(content),
                        Err(e) => {
                            outcome.error(2, &format!("sed: can't read {file}: {}", e.describe()))
                        }
                    }
                }
                found
            };
            for source in sources {
                match run_sed(&commands, &source) {
                    Some(result) if !quiet => push_bounded(&mut outcome.out, &result),
                    Some(_) => {}
                    None => outcome.error(4, "sed: couldn't write: No space left on device"),
                }
            }
            return outcome;
        };
        if operands.is_empty() {
            return Outcome::fail(1, "sed: no input files");
        }
        for file in &operands {
            let content = match self.read_path(file) {
                Ok(content) => content,
                Err(e) => {
                    outcome.error(2, &format!("sed: can't read {file}: {}", e.describe()));
                    continue;
                }
            };
            let Some(result) = run_sed(&commands, &content) else {
                outcome.error(
                    4,
                    &format!("sed: couldn't write to {file}: No space left on device"),
                );
                continue;
            };
            if !suffix.is_empty() {
                if let Err(e) = self.write_path(&format!("{file}{suffix}"), content, false) {
                    outcome.error(
                        4,
                        &format!("sed: couldn't open file {file}{suffix}: {}", e.describe()),
                    );
                    continue;
                }
            }
            if let Err(e) = self.write_path(file, result, false) {
                outcome.error(
                    4,
                    &format!("sed: couldn't write to {file}: {}", e.describe()),
                );
            }
        }
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::*;

    #[test]
    fn sed_and_grep() {
        let mut guest = al2023();
        run(&mut guest, "dnf install -y nginx");
        let result = run(&mut guest, "sed -i 's/listen       80;/listen 8080;/' /etc/nginx/nginx.conf\ngrep -q 'listen 8080' /etc/nginx/nginx.conf");
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        run(&mut guest, "printf 'a-a-a\\n#Port 22\\n' > /tmp/t\nsed -i -e 's/a/b/g' -e 's/^#Port .*/Port 2222/' /tmp/t");
        assert_eq!(guest.file("/tmp/t").as_deref(), Some("b-b-b\nPort 2222\n"));
        let result = run(&mut guest, "grep -n Port /tmp/t");
        assert_eq!(
            (result.exit_code, result.stdout.as_str()),
            (0, "2:Port 2222\n")
        );
        assert_eq!(run(&mut guest, "grep nothing /tmp/t").exit_code, 1);
        assert_eq!(run(&mut guest, "grep x /missing").exit_code, 2);
        assert_eq!(
            run(&mut guest, "echo Hello | grep -i hello").stdout,
            "Hello\n"
        );
        assert_eq!(
            run(&mut guest, "sed 's/l\\+/L/' /etc/hostname").stdout,
            "ip-172-31-16-10.ec2.internaL\n"
        );
    }
}
