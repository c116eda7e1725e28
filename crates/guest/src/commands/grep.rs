//! `grep`, `egrep` and `fgrep`.

use std::collections::BTreeSet;

use super::super::shell::{push_bounded, Outcome, Shell};
use super::args::option_value;
use super::regex::{Dialect, Extent, Options, Pattern, Syntax};

impl Shell<'_> {
    pub(crate) fn cmd_grep(&mut self, tool: &str, args: &[String], stdin: &str) -> Outcome {
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
                    "extended-regexp" => short.insert('E'),
                    "fixed-strings" => short.insert('F'),
                    "line-regexp" => short.insert('x'),
                    "word-regexp" => short.insert('w'),
                    "only-matching" => short.insert('o'),
                    "line-number" => short.insert('n'),
                    "files-with-matches" => short.insert('l'),
                    "no-messages" => short.insert('s'),
                    "no-filename" => short.insert('h'),
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
        let syntax = if has('F') || tool == "fgrep" {
            Syntax::Fixed
        } else if has('E') || tool == "egrep" {
            Syntax::Extended
        } else {
            Syntax::Basic
        };
        let options = Options {
            ignore_case: has('i') || has('y'),
            // As in GNU grep, -x wins over -w.
            extent: if has('x') {
                Extent::Line
            } else if has('w') {
                Extent::Word
            } else {
                Extent::Anywhere
            },
            ..Options::new(syntax, Dialect::Grep)
        };
        // Each line of a pattern is a pattern of its own (`grep $'a\nb'` is `grep -e a -e b`).
        let pattern_lines: Vec<&str> = patterns.iter().flat_map(|p| p.split('\n')).collect();
        let pattern = match Pattern::any(&pattern_lines, options) {
            Ok(pattern) => pattern,
            Err(error) => return Outcome::fail(2, &format!("grep: {error}")),
        };
        let mut outcome = Outcome::success();
        for warning in pattern.warnings() {
            outcome.warn(&format!("grep: warning: {warning}"));
        }
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
                let hit = pattern.is_match(line) != has('v');
                if !hit {
                    continue;
                }
                count += 1;
                matched_any = true;
                if has('q') || has('c') || has('l') {
                    continue;
                }
                let mut prefix = String::new();
                if prefix_names {
                    prefix.push_str(&format!("{name}:"));
                }
                if has('n') {
                    prefix.push_str(&format!("{}:", number + 1));
                }
                if !has('o') {
                    push_bounded(&mut outcome.out, &format!("{prefix}{line}\n"));
                    continue;
                }
                // -o: each non-empty match on a line of its own (nothing for -v lines, which
                // have no match to show).
                if has('v') {
                    continue;
                }
                let mut matches = pattern.matches(line).within(self.regex_scan_left);
                for found in matches.by_ref() {
                    let text = found.group(line, 0);
                    if !text.is_empty() {
                        push_bounded(&mut outcome.out, &format!("{prefix}{text}\n"));
                    }
                }
                self.regex_scan_left = matches.scan_left();
                if matches.gave_up() {
                    outcome.error(124, &format!(
                        "grep: simulator limit: regular expressions read more than {} MiB in this run (a pattern like 'a.*b|a' on a very long line); command stopped",
                        crate::MAX_REGEX_SCAN_BYTES >> 20
                    ));
                    return outcome;
                }
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

#[cfg(test)]
mod tests {
    use super::super::super::testing::*;

    /// Exit status, standard output and standard error of `script` on a fresh guest.
    fn grep(script: &str) -> (i32, String, String) {
        let result = run(&mut al2023(), script);
        (result.exit_code, result.stdout, result.stderr)
    }

    fn matched(script: &str) -> String {
        let (status, out, err) = grep(script);
        assert_eq!(status, 0, "{script}: {err}");
        out
    }

    #[test]
    fn alternation_in_both_syntaxes() {
        assert_eq!(matched("echo nginx | grep -E 'nginx|httpd'"), "nginx\n");
        assert_eq!(matched("echo httpd | egrep 'nginx|httpd'"), "httpd\n");
        assert_eq!(matched("echo nginx | grep 'nginx\\|httpd'"), "nginx\n");
        assert_eq!(
            matched("printf 'nginx\\nhttpd\\nsshd\\n' | grep -c -e nginx -e httpd"),
            "2\n"
        );
        // A pattern of several lines is several patterns.
        assert_eq!(
            matched("printf 'a\\nb\\nc\\n' | grep \"$(printf 'a\\nc')\""),
            "a\nc\n"
        );
    }

    #[test]
    fn intervals_and_literals() {
        let ports = "printf '80\\n443\\n8080\\n' | ";
        assert_eq!(matched(&format!("{ports}grep -E '^[0-9]{{3}}$'")), "443\n");
        assert_eq!(matched(&format!("{ports}grep '^[0-9]\\{{3\\}}$'")), "443\n");
        // In a BRE, `+ ? | (` are ordinary characters.
        let text = "printf 'a+b\\naab\\nx?\\nx\\na|b\\nf(x)\\n' | ";
        assert_eq!(matched(&format!("{text}grep 'a+b'")), "a+b\n");
        assert_eq!(matched(&format!("{text}grep '^x?$'")), "x?\n");
        assert_eq!(matched(&format!("{text}grep 'a|b'")), "a|b\n");
        assert_eq!(matched(&format!("{text}grep 'f(x'")), "f(x)\n");
        // In an ERE a backslash makes `.` literal.
        assert_eq!(matched("printf 'a.b\\naxb\\n' | grep -E 'a\\.b'"), "a.b\n");
        // GNU grep reads an ERE `{` that opens no interval as a literal.
        assert_eq!(matched("echo 'a{2' | grep -E 'a{2'"), "a{2\n");
    }

    #[test]
    fn bracket_expressions() {
        let text = "printf 'x]y\\nback\\\\slash\\nplain\\n' | ";
        assert_eq!(matched(&format!("{text}grep '[]]'")), "x]y\n");
        assert_eq!(matched(&format!("{text}grep '[\\]'")), "back\\slash\n");
        assert_eq!(
            grep(&format!("{text}grep -c '[^]a-z\\]'")),
            (1, "0\n".to_string(), String::new())
        );
        assert_eq!(
            matched("printf 'port 80\\nnone\\n' | grep '[[:digit:]]'"),
            "port 80\n"
        );
    }

    #[test]
    fn ignore_case() {
        assert_eq!(matched("echo NGINX | grep -i 'nginx\\|httpd'"), "NGINX\n");
        assert_eq!(matched("echo 'A.B' | grep -iF 'a.b'"), "A.B\n");
    }

    #[test]
    fn back_references_are_refused_with_grep_s_status_for_a_bad_pattern() {
        assert_eq!(
            grep("echo aa | grep '\\(a\\)\\1'"),
            (
                2,
                String::new(),
                "grep: back-references (\\1) in a pattern are not supported in this simulated guest\n"
                    .to_string()
            )
        );
        assert_eq!(grep("echo aa | grep -E '(a)\\1'").0, 2);
    }

    #[test]
    fn bad_patterns_are_refused_like_gnu_grep() {
        for (pattern, message) in [
            ("'[abc'", "Unmatched [, [^, [:, [., or [="),
            ("'a\\{2'", "Unmatched \\{"),
            ("'\\('", "Unmatched ( or \\("),
            ("-E '('", "Unmatched ( or \\("),
            ("-E 'a{2,1}'", "Invalid content of \\{\\}"),
            ("'[[:digits:]]'", "Invalid character class name"),
            ("'a\\'", "Trailing backslash"),
            ("-E '(((a{100}){100}){100})'", "Regular expression too big"),
        ] {
            assert_eq!(
                grep(&format!("echo a | grep {pattern}")),
                (2, String::new(), format!("grep: {message}\n")),
                "{pattern}"
            );
        }
    }

    #[test]
    fn a_leading_repetition_in_an_ere_is_ignored_with_gnu_grep_s_warning() {
        assert_eq!(
            grep("echo a | grep -E '*a'"),
            (
                0,
                "a\n".to_string(),
                "grep: warning: * at start of expression\n".to_string()
            )
        );
    }

    #[test]
    fn only_matching_shows_the_leftmost_longest_matches() {
        assert_eq!(
            matched("echo nginx-full | grep -oE 'nginx|nginx-full'"),
            "nginx-full\n"
        );
        assert_eq!(
            matched("printf 'a1b22\\nc\\n333\\n' | grep -on '[0-9]\\+'"),
            "1:1\n1:22\n3:333\n"
        );
        // An empty match shows nothing, but the line still matches.
        assert_eq!(
            grep("echo abc | grep -o 'x*'"),
            (0, String::new(), String::new())
        );
    }

    #[test]
    fn whole_words_and_whole_lines() {
        let text = "printf 'nginx\\nnginx-full\\nmynginx\\n' | ";
        assert_eq!(
            matched(&format!("{text}grep -w nginx")),
            "nginx\nnginx-full\n"
        );
        assert_eq!(
            matched(&format!("{text}grep -x 'nginx\\|mynginx'")),
            "nginx\nmynginx\n"
        );
        assert_eq!(
            matched(&format!("{text}grep --line-regexp -F nginx")),
            "nginx\n"
        );
    }
}
