//! Word expansion: variables, command substitution, field splitting, braces and globs.

use std::mem;

use super::super::paths::{child_path, normalize_path};
use super::super::MAX_ARG_BYTES;
use super::lex::{Part, Word};
use super::{Scope, Shell, Stop};

impl Shell<'_> {
    /// Expands words into the command's arguments: variables and substitutions, field
    /// splitting, braces, then globs.
    pub(crate) fn expand_words(&mut self, words: &[Word]) -> Result<Vec<String>, Stop> {
        let mut argv = Vec::new();
        for word in words {
            let braces = word
                .parts
                .iter()
                .any(|p| matches!(p, Part::Text { text, quoted: false } if text.contains('{')));
            for (field, glob) in self.expand_fields(word)? {
                let alternatives = if braces {
                    expand_braces(&field)
                } else {
                    vec![field]
                };
                for field in alternatives {
                    if glob {
                        argv.extend(self.glob(&field));
                    } else {
                        argv.push(field);
                    }
                }
                if argv.len() > MAX_ARG_BYTES {
                    break;
                }
            }
        }
        Ok(argv)
    }

    /// One word → fields. Unquoted expansions split on whitespace; unquoted `*`/`?` mark a
    /// field for globbing.
    fn expand_fields(&mut self, word: &Word) -> Result<Vec<(String, bool)>, Stop> {
        let mut fields = Vec::new();
        let mut current = String::new();
        let mut glob = false;
        let mut started = false;
        for part in &word.parts {
            let (value, quoted) = match part {
                Part::Text { text, quoted } => {
                    current.push_str(text);
                    started = true;
                    glob |= !quoted && text.contains(['*', '?']);
                    continue;
                }
                Part::Var {
                    name,
                    default,
                    quoted,
                } => (self.variable(name, default.as_deref())?, *quoted),
                Part::Subst { script, quoted } => (self.command_substitution(script)?, *quoted),
            };
            if current.len() + value.len() > MAX_ARG_BYTES {
                self.stderr.push("bash: Argument list too long\n");
                return Err(Stop::Exit(126));
            }
            if quoted {
                current.push_str(&value);
                started = true;
                continue;
            }
            let starts_blank = value.starts_with(char::is_whitespace);
            let ends_blank = value.ends_with(char::is_whitespace);
            for (index, piece) in value.split_whitespace().enumerate() {
                if (index > 0 || starts_blank) && started {
                    fields.push((mem::take(&mut current), mem::take(&mut glob)));
                }
                current.push_str(piece);
                started = true;
            }
            if ends_blank && started {
                fields.push((mem::take(&mut current), mem::take(&mut glob)));
                started = false;
            }
        }
        if started {
            fields.push((current, glob));
        }
        Ok(fields)
    }

    /// `$name` or `${name:-default}`, special parameters (`$?`, `$$`, …) included; fails under
    /// `set -u` when the variable is unset.
    fn variable(&mut self, name: &str, default: Option<&str>) -> Result<String, Stop> {
        let value = match name {
            "?" => Some(self.last_status.to_string()),
            "$" => Some("4242".to_string()),
            "#" => Some("0".to_string()),
            "0" => Some("bash".to_string()),
            "PWD" => Some(self.cwd.clone()),
            "HOSTNAME" => Some(self.guest.hostname()),
            _ => self.vars.get(name).cloned(),
        };
        match (value, default) {
            (Some(value), Some(default)) if value.is_empty() => Ok(default.to_string()),
            (Some(value), _) => Ok(value),
            (None, Some(default)) => Ok(default.to_string()),
            (None, None) if self.options.nounset && !matches!(name, "@" | "*" | "!") => {
                self.stderr
                    .push(&format!("bash: {name}: unbound variable\n"));
                Err(Stop::Exit(1))
            }
            (None, None) => Ok(String::new()),
        }
    }

    /// `$(script)`: its standard output without trailing newlines; its status becomes `$?`.
    fn command_substitution(&mut self, script: &str) -> Result<String, Stop> {
        let lines: Vec<String> = script.lines().map(str::to_string).collect();
        let (result, out, err) = self.run_nested(&lines, Scope::Subshell, None);
        self.stderr.push(&err);
        self.last_status = match result {
            Ok(status) | Err(Stop::Exit(status)) => status,
            Err(abort) => return Err(abort),
        };
        self.substitution_status = Some(self.last_status);
        Ok(out.trim_end_matches('\n').to_string())
    }

    /// Expands a glob against the live file system; no match leaves the word as it was.
    fn glob(&self, pattern: &str) -> Vec<String> {
        let absolute = pattern.starts_with('/');
        // (shown form, absolute path) of every candidate so far
        let mut candidates: Vec<(String, String)> = vec![(
            if absolute {
                "/".to_string()
            } else {
                String::new()
            },
            if absolute {
                "/".to_string()
            } else {
                self.cwd.clone()
            },
        )];
        for component in pattern.split('/').filter(|c| !c.is_empty()) {
            let mut next = Vec::new();
            for (shown, path) in &candidates {
                let join_shown = |name: &str| {
                    if shown.is_empty() || shown.ends_with('/') {
                        format!("{shown}{name}")
                    } else {
                        format!("{shown}/{name}")
                    }
                };
                if component.contains(['*', '?']) {
                    if !self.guest.live.is_dir(path) {
                        continue;
                    }
                    for name in self.guest.live.children(path).into_keys() {
                        let hidden_ok = !name.starts_with('.') || component.starts_with('.');
                        if hidden_ok && amilab_text::wildcard(component, &name) {
                            next.push((join_shown(&name), child_path(path, &name)));
                        }
                    }
                } else {
                    let candidate = normalize_path(path, component);
                    if self.guest.live.exists(&candidate) {
                        next.push((join_shown(component), candidate));
                    }
                }
            }
            candidates = next;
            if candidates.is_empty() {
                break;
            }
        }
        let mut matches: Vec<String> = candidates.into_iter().map(|(shown, _)| shown).collect();
        matches.sort();
        if matches.is_empty() {
            vec![pattern.to_string()]
        } else {
            matches
        }
    }
}

/// Brace expansion: `a{b,c}d` → `abd acd`, `f{1..3}` → `f1 f2 f3`. Text without a complete
/// group stays as it is; the number of results is bounded.
pub(crate) fn expand_braces(word: &str) -> Vec<String> {
    const MAX_BRACE_RESULTS: usize = 1024;
    let Some((prefix, alternatives, suffix)) = first_brace_group(word) else {
        return vec![word.to_string()];
    };
    let mut out = Vec::new();
    let mut bytes = 0;
    for alternative in alternatives {
        for expanded in expand_braces(&format!("{prefix}{alternative}{suffix}")) {
            bytes += expanded.len();
            if out.len() >= MAX_BRACE_RESULTS || bytes > MAX_ARG_BYTES {
                return out;
            }
            out.push(expanded);
        }
    }
    out
}

/// The first `{…}` group with a top-level comma or a `N..M` range: prefix, choices, suffix.
fn first_brace_group(word: &str) -> Option<(&str, Vec<String>, &str)> {
    for (open, _) in word.char_indices().filter(|(_, c)| *c == '{') {
        let mut depth = 0;
        let mut commas = Vec::new();
        for (offset, c) in word[open..].char_indices() {
            match c {
                '{' => depth += 1,
                ',' if depth == 1 => commas.push(open + offset),
                '}' => {
                    depth -= 1;
                    if depth > 0 {
                        continue;
                    }
                    let close = open + offset;
                    let inner = &word[open + 1..close];
                    let choices: Vec<String> = if commas.is_empty() {
                        let (from, to) = inner.split_once("..")?;
                        let (from, to) = (from.parse::<i64>().ok()?, to.parse::<i64>().ok()?);
                        if from.abs_diff(to) > 1024 {
                            return None;
                        }
                        if from <= to {
                            (from..=to).map(|n| n.to_string()).collect()
                        } else {
                            (to..=from).rev().map(|n| n.to_string()).collect()
                        }
                    } else {
                        let mut bounds = vec![open];
                        bounds.extend(&commas);
                        bounds.push(close);
                        bounds
                            .windows(2)
                            .map(|w| word[w[0] + 1..w[1]].to_string())
                            .collect()
                    };
                    return Some((&word[..open], choices, &word[close + 1..]));
                }
                _ => {}
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::*;

    #[test]
    fn variables_and_command_substitution() {
        let mut guest = al2023();
        let result = run(
            &mut guest,
            "export APP=web\nNAME=\"my app\"\necho \"$APP ${NAME} ${MISSING:-fallback} [$MISSING]\"\necho \"<h1>$(hostname)</h1>\" > /tmp/i.html\nfalse; echo $?",
        );
        assert_eq!(result.stdout, "web my app fallback []\n1\n");
        assert_eq!(
            guest.file("/tmp/i.html").as_deref(),
            Some("<h1>ip-172-31-16-10.ec2.internal</h1>\n")
        );
        let result = run(&mut guest, "set -e\nx=$(false)\necho never");
        assert_eq!(
            (result.exit_code, result.stdout.as_str()),
            (1, ""),
            "x=$(false) fails, as in bash"
        );
        let result = run(&mut guest, "set -u\necho $UNDEFINED\necho never");
        assert_eq!(result.exit_code, 1);
        assert!(result.stderr.contains("UNDEFINED: unbound variable"));
    }
}
