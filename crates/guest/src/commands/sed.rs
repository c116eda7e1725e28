//! `sed`: `s///` and `/re/d` scripts, on standard input or in place.

use super::super::shell::{push_bounded, Outcome, Shell};
use super::super::{MAX_FILE_BYTES, MAX_REGEX_SCAN_BYTES};
use super::args::option_value;
use super::regex::{sed_char_escape, Dialect, Found, Options, Pattern, Syntax};

/// One sed command: `s/pattern/replacement/flags` or `/pattern/d`.
#[derive(Debug, Clone)]
enum SedCommand {
    Substitute(Substitution),
    Delete { pattern: Pattern },
}

/// `s/pattern/replacement/flags`.
#[derive(Debug, Clone)]
struct Substitution {
    pattern: Pattern,
    replacement: Vec<Piece>,
    /// `g`: every match from the `occurrence`-th on, not only that one.
    global: bool,
    /// A number flag: which match to replace (the first without one).
    occurrence: usize,
    /// `p`: print the line when a replacement was made.
    print: bool,
}

/// A part of a replacement.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    /// `&` and `\0` (group 0, the whole match), `\1`…`\9`.
    Group(usize),
    /// GNU's case conversions: `\U`, `\L`, `\u`, `\l` and `\E`.
    Case(Case),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Upper,
    Lower,
    UpperNext,
    LowerNext,
    End,
}

/// Reads a replacement up to an unescaped `delimiter`; `\delimiter` becomes the delimiter itself.
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

/// Reads a regular expression up to an unescaped `delimiter`, like [`read_delimited`], except
/// that a bracket expression is copied whole: GNU sed does not end a regex at a delimiter inside
/// brackets (`s/[/]/x/` replaces a slash), and a backslash there is an ordinary character.
fn read_regex(chars: &[char], start: usize, delimiter: char) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut i = start;
    while let Some(&c) = chars.get(i) {
        if c == delimiter {
            return Some((out, i + 1));
        }
        match c {
            '\\' => {
                let next = *chars.get(i + 1)?;
                if next != delimiter {
                    out.push('\\');
                }
                out.push(next);
                i += 2;
            }
            '[' => {
                let end = bracket_end(chars, i)?;
                out.extend(&chars[i..end]);
                i = end;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    None
}

/// Where the bracket expression that opens at `chars[open] == '['` ends (after its `]`).
fn bracket_end(chars: &[char], open: usize) -> Option<usize> {
    let mut i = open + 1;
    if chars.get(i) == Some(&'^') {
        i += 1;
    }
    // A `]` first is a member, not the end.
    if chars.get(i) == Some(&']') {
        i += 1;
    }
    loop {
        match *chars.get(i)? {
            ']' => return Some(i + 1),
            '[' if matches!(chars.get(i + 1), Some(':' | '.' | '=')) => {
                let kind = chars[i + 1];
                let close = (i + 2..chars.len())
                    .find(|&j| chars[j] == kind && chars.get(j + 1) == Some(&']'));
                i = close.map_or(i + 1, |j| j + 2);
            }
            _ => i += 1,
        }
    }
}

/// Parses a replacement: `&`, `\0`…`\9`, case conversions, sed's character escapes, and any
/// other escaped character for itself (`\&` is a literal `&`, `\\` a backslash).
fn parse_replacement(text: &str) -> Vec<Piece> {
    let chars: Vec<char> = text.chars().collect();
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let flush = |literal: &mut String, pieces: &mut Vec<Piece>| {
        if !literal.is_empty() {
            pieces.push(Piece::Text(std::mem::take(literal)));
        }
    };
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        if c == '&' {
            flush(&mut literal, &mut pieces);
            pieces.push(Piece::Group(0));
            continue;
        }
        if c != '\\' {
            literal.push(c);
            continue;
        }
        let Some(&escaped) = chars.get(i) else {
            literal.push('\\');
            break;
        };
        i += 1;
        let case = match escaped {
            'U' => Some(Case::Upper),
            'L' => Some(Case::Lower),
            'u' => Some(Case::UpperNext),
            'l' => Some(Case::LowerNext),
            'E' => Some(Case::End),
            _ => None,
        };
        if let Some(case) = case {
            flush(&mut literal, &mut pieces);
            pieces.push(Piece::Case(case));
        } else if let Some(n) = escaped.to_digit(10) {
            flush(&mut literal, &mut pieces);
            pieces.push(Piece::Group(n as usize));
        } else if let Some((c, used)) = sed_char_escape(escaped, &chars[i..]) {
            literal.push(c);
            i += used;
        } else {
            // `\&`, `\\`, a backslash-newline, and anything else: the character itself.
            literal.push(escaped);
        }
    }
    flush(&mut literal, &mut pieces);
    pieces
}

fn parse_sed_script(script: &str, extended: bool) -> Result<Vec<SedCommand>, String> {
    let chars: Vec<char> = script.chars().collect();
    let mut commands = Vec::new();
    // An empty regex (`s//x/`) stands for the last one before it.
    let mut last_pattern: Option<Pattern> = None;
    let mut i = 0;
    let at = |i: usize, message: &str| format!("-e expression #1, char {i}: {message}");
    let unknown = |i: usize, c: char| at(i + 1, &format!("unknown command: `{c}'"));
    let syntax = if extended {
        Syntax::Extended
    } else {
        Syntax::Basic
    };
    let mut compile = |source: &str, ignore_case: bool, i: usize| {
        if source.is_empty() {
            return last_pattern
                .clone()
                .ok_or_else(|| at(0, "no previous regular expression"));
        }
        let options = Options {
            ignore_case,
            ..Options::new(syntax, Dialect::Sed)
        };
        let pattern = Pattern::new(source, options).map_err(|error| at(i, &error.to_string()))?;
        last_pattern = Some(pattern.clone());
        Ok(pattern)
    };
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || c == ';' {
            i += 1;
            continue;
        }
        if c == '/' {
            let (source, next) = read_regex(&chars, i + 1, '/')
                .ok_or_else(|| at(chars.len(), "unterminated address regex"))?;
            // GNU sed compiles an address as soon as it has read it.
            let pattern = compile(&source, false, next)?;
            match chars.get(next) {
                Some('d') => commands.push(SedCommand::Delete { pattern }),
                Some(&other) => return Err(unknown(next, other)),
                None => return Err(at(next, "missing command")),
            }
            i = next + 1;
            continue;
        }
        if c != 's' {
            return Err(unknown(i, c));
        }
        let unterminated = || at(chars.len(), "unterminated `s' command");
        let delimiter = *chars.get(i + 1).ok_or_else(unterminated)?;
        let (source, next) = read_regex(&chars, i + 2, delimiter).ok_or_else(unterminated)?;
        let (replacement, next) =
            read_delimited(&chars, next, delimiter).ok_or_else(unterminated)?;
        let mut global = false;
        let mut ignore_case = false;
        let mut print = false;
        let mut occurrence: Option<usize> = None;
        i = next;
        while let Some(&flag) = chars.get(i) {
            match flag {
                'g' => global = true,
                'p' => print = true,
                'I' | 'i' => ignore_case = true,
                // Multi-line mode changes what `^` and `$` match in a pattern space of several
                // lines; this sed's pattern space is always one line.
                'm' | 'M' => {}
                d if d.is_ascii_digit() => {
                    let digit = d.to_digit(10).unwrap_or(0) as usize;
                    let n = occurrence.unwrap_or(0).saturating_mul(10) + digit;
                    if n == 0 {
                        return Err(at(i + 1, "number option to `s' command may not be zero"));
                    }
                    occurrence = Some(n);
                }
                'w' | 'e' => {
                    return Err(at(
                        i + 1,
                        &format!(
                            "the `{flag}' flag of `s' is not supported in this simulated guest"
                        ),
                    ))
                }
                ';' | '}' | '#' => break,
                space if space.is_whitespace() => break,
                _ => return Err(at(i + 1, "unknown option to `s'")),
            }
            i += 1;
        }
        // GNU sed compiles the regex once it has read the flags, and reports errors there.
        let pattern = compile(&source, ignore_case, i)?;
        let replacement = parse_replacement(&replacement);
        let highest = replacement.iter().filter_map(|piece| match piece {
            Piece::Group(n) => Some(*n),
            _ => None,
        });
        if let Some(n) = highest.max().filter(|n| *n > pattern.groups()) {
            return Err(at(
                i,
                &format!("invalid reference \\{n} on `s' command's RHS"),
            ));
        }
        commands.push(SedCommand::Substitute(Substitution {
            pattern,
            replacement,
            global,
            occurrence: occurrence.unwrap_or(1),
            print,
        }));
    }
    Ok(commands)
}

/// The case conversions in force while a replacement is written out.
#[derive(Default)]
struct CaseState {
    /// `\U` or `\L` until `\E`.
    all: Option<Case>,
    /// `\u` or `\l`: the next character only.
    next: Option<Case>,
}

impl CaseState {
    fn push(&mut self, out: &mut String, text: &str) {
        if self.all.is_none() && self.next.is_none() {
            out.push_str(text);
            return;
        }
        for c in text.chars() {
            match self.next.take().or(self.all) {
                Some(Case::Upper | Case::UpperNext) => out.extend(c.to_uppercase()),
                Some(Case::Lower | Case::LowerNext) => out.extend(c.to_lowercase()),
                Some(Case::End) | None => out.push(c),
            }
        }
    }

    fn apply(&mut self, case: Case) {
        match case {
            Case::Upper | Case::Lower => self.all = Some(case),
            Case::UpperNext | Case::LowerNext => self.next = Some(case),
            Case::End => *self = CaseState::default(),
        }
    }
}

/// Writes a replacement for the match `found` in `line`. It is built from the groups here, not
/// handed to the `regex` crate's expansion, where a `$` would mean a group.
fn render_replacement(pieces: &[Piece], line: &str, found: &Found, out: &mut String) {
    let mut case = CaseState::default();
    for piece in pieces {
        match piece {
            Piece::Text(text) => case.push(out, text),
            Piece::Group(n) => case.push(out, found.group(line, *n)),
            Piece::Case(change) => case.apply(*change),
        }
    }
}

/// Why sed stopped before the end of its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Halt {
    /// The result would exceed a file's size limit.
    TooLarge,
    /// The run's regular-expression budget is spent ([`MAX_REGEX_SCAN_BYTES`]).
    TooCostly,
}

/// Applies `s///` to one line: the new line and whether anything was replaced. Searches are
/// charged to `scan_left`.
fn substitute(
    line: &str,
    substitution: &Substitution,
    scan_left: &mut u64,
) -> Result<(String, bool), Halt> {
    let mut out = String::new();
    let mut copied = 0;
    let mut replaced = false;
    let pattern = &substitution.pattern;
    // Finding the groups of a match takes a slower engine: only when the replacement uses them.
    let uses_groups = substitution
        .replacement
        .iter()
        .any(|piece| matches!(piece, Piece::Group(n) if *n > 0));
    let mut matches = if uses_groups {
        pattern.matches_with_groups(line)
    } else {
        pattern.matches(line)
    }
    .within(*scan_left);
    for (index, found) in matches.by_ref().enumerate() {
        if index + 1 < substitution.occurrence {
            continue;
        }
        out.push_str(line.get(copied..found.start()).unwrap_or(""));
        render_replacement(&substitution.replacement, line, &found, &mut out);
        copied = found.end();
        replaced = true;
        if out.len() > MAX_FILE_BYTES {
            return Err(Halt::TooLarge);
        }
        if !substitution.global {
            break;
        }
    }
    *scan_left = matches.scan_left();
    if matches.gave_up() {
        return Err(Halt::TooCostly);
    }
    out.push_str(line.get(copied..).unwrap_or(""));
    Ok((out, replaced))
}

/// Runs a sed program over text, its searches charged to `scan_left`.
fn run_sed(
    commands: &[SedCommand],
    text: &str,
    quiet: bool,
    scan_left: &mut u64,
) -> Result<String, Halt> {
    let mut out = String::new();
    // As GNU sed does, a last line without a newline is written without one, unless more
    // output follows it (`p` then the automatic print).
    let mut missing_newline = false;
    let mut emit = |out: &mut String, line: &str, newline: &str| {
        if missing_newline {
            out.push('\n');
        }
        out.push_str(line);
        out.push_str(newline);
        missing_newline = newline.is_empty();
        out.len() <= MAX_FILE_BYTES
    };
    'lines: for raw in text.split_inclusive('\n') {
        let (mut line, newline) = match raw.strip_suffix('\n') {
            Some(body) => (body.to_string(), "\n"),
            None => (raw.to_string(), ""),
        };
        for command in commands {
            match command {
                SedCommand::Delete { pattern } if pattern.is_match(&line) => continue 'lines,
                SedCommand::Delete { .. } => {}
                SedCommand::Substitute(substitution) => {
                    let (new, replaced) = substitute(&line, substitution, scan_left)?;
                    line = new;
                    if replaced && substitution.print && !emit(&mut out, &line, newline) {
                        return Err(Halt::TooLarge);
                    }
                }
            }
        }
        if !quiet && !emit(&mut out, &line, newline) {
            return Err(Halt::TooLarge);
        }
    }
    Ok(out)
}

/// sed's message when the run's regular-expression budget is spent.
fn too_costly() -> String {
    format!(
        "sed: simulator limit: regular expressions read more than {} MiB in this run (a pattern like 'a.*b|a' on a very long line); command stopped",
        MAX_REGEX_SCAN_BYTES >> 20
    )
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
            } else if arg == "--in-place" {
                in_place = Some(String::new());
            } else if let Some(suffix) = arg.strip_prefix("--in-place=") {
                in_place = Some(suffix.to_string());
            } else if arg == "--regexp-extended" {
                extended = true;
            } else if arg == "--quiet" || arg == "--silent" {
                quiet = true;
            } else if arg.starts_with("--") {
                // other long options (--follow-symlinks, --posix) change nothing here
            } else if let Some(cluster) = arg.strip_prefix('-').filter(|c| !c.is_empty()) {
                // Short options may share an argument (`-nE`, `-ri`); as in GNU sed, `-i` takes
                // the rest as its backup suffix (`-ie` backs up to `FILEe`) and `-e` the rest or
                // the next argument as a script.
                for (at, flag) in cluster.char_indices() {
                    let rest = &cluster[at + flag.len_utf8()..];
                    match flag {
                        'E' | 'r' => extended = true,
                        'n' => quiet = true,
                        'i' => {
                            in_place = Some(rest.to_string());
                            break;
                        }
                        'e' => {
                            if rest.is_empty() {
                                index += 1;
                                scripts.extend(args.get(index).cloned());
                            } else {
                                scripts.push(rest.to_string());
                            }
                            break;
                        }
                        // -s, -u and the like change nothing here
                        _ => {}
                    }
                }
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
                match run_sed(&commands, &source, quiet, &mut self.regex_scan_left) {
                    Ok(result) => push_bounded(&mut outcome.out, &result),
                    Err(Halt::TooLarge) => {
                        outcome.error(4, "sed: couldn't write: No space left on device")
                    }
                    Err(Halt::TooCostly) => return Outcome::fail(124, &too_costly()),
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
            let result = match run_sed(&commands, &content, quiet, &mut self.regex_scan_left) {
                Ok(result) => result,
                Err(Halt::TooLarge) => {
                    outcome.error(
                        4,
                        &format!("sed: couldn't write to {file}: No space left on device"),
                    );
                    continue;
                }
                Err(Halt::TooCostly) => return Outcome::fail(124, &too_costly()),
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

    /// Exit status, standard output and standard error of `script` on a fresh guest.
    fn sed(script: &str) -> (i32, String, String) {
        let result = run(&mut al2023(), script);
        (result.exit_code, result.stdout, result.stderr)
    }

    fn output(script: &str) -> String {
        let (status, out, err) = sed(script);
        assert_eq!(status, 0, "{script}: {err}");
        out
    }

    #[test]
    fn groups_in_the_pattern_and_references_in_the_replacement() {
        assert_eq!(
            output("echo 'Listen 80' | sed 's/\\(Listen\\) 80/\\1 8080/'"),
            "Listen 8080\n"
        );
        assert_eq!(output("echo xaab | sed -E 's/(a+)(b)/\\2\\1/'"), "xbaa\n");
        assert_eq!(output("echo abc | sed -E 's/(b)/[\\0]/'"), "a[b]c\n");
        assert_eq!(
            output("echo 'a b' | sed 's/\\(a\\)\\|\\(b\\)/<\\1\\2>/g'"),
            "<a> <b>\n"
        );
    }

    #[test]
    fn ampersand_and_escapes_in_the_replacement() {
        assert_eq!(output("echo port | sed 's/port/[&] \\&/'"), "[port] &\n");
        assert_eq!(output("echo ab | sed 's/a/1\\n2\\t/'"), "1\n2\tb\n");
        assert_eq!(output("echo ab | sed 's/a/\\\\/'"), "\\b\n");
        // A `$` is the learner's text, never a reference for the regex crate.
        assert_eq!(output("echo a | sed 's/a/$0 ${1} $$/'"), "$0 ${1} $$\n");
        assert_eq!(
            output("echo 'hello world' | sed 's/\\(\\w\\+\\) \\(\\w\\+\\)/\\u\\1 \\U\\2\\E!/'"),
            "Hello WORLD!\n"
        );
        assert_eq!(
            output("echo 'HELLO World' | sed 's/\\w\\+/\\L\\u&/g'"),
            "Hello World\n"
        );
    }

    #[test]
    fn a_reference_to_a_missing_group_is_refused() {
        assert_eq!(
            sed("echo a | sed 's/a/\\1/'"),
            (
                1,
                String::new(),
                "sed: -e expression #1, char 7: invalid reference \\1 on `s' command's RHS\n"
                    .to_string()
            )
        );
        assert_eq!(
            sed("echo a | sed 's/\\(a\\)/\\2/'").2,
            "sed: -e expression #1, char 11: invalid reference \\2 on `s' command's RHS\n"
        );
    }

    #[test]
    fn back_references_in_a_pattern_are_refused() {
        assert_eq!(
            sed("echo aa | sed 's/\\(a\\)\\1/b/'"),
            (
                1,
                String::new(),
                "sed: -e expression #1, char 12: back-references (\\1) in a pattern are not supported in this simulated guest\n"
                    .to_string()
            )
        );
    }

    #[test]
    fn bad_patterns_are_refused_like_gnu_sed() {
        for (script, message) in [
            ("-E 's/a{2/X/'", "char 8: Unmatched \\{"),
            ("'s/a\\{2/X/'", "char 9: Unmatched \\{"),
            ("-E 's/(/X/'", "char 6: Unmatched ( or \\("),
            ("-E 's/)/X/'", "char 6: Unmatched ) or \\)"),
            (
                "-E 's/*a/X/'",
                "char 7: Invalid preceding regular expression",
            ),
            ("'s/[z-a]/X/'", "char 10: Invalid range end"),
            ("'s/[abc/X/'", "char 9: unterminated `s' command"),
            ("'/[abc/d'", "char 7: unterminated address regex"),
            ("'/\\(/d'", "char 4: Unmatched ( or \\("),
            ("'s/x\\{99999\\}/X/'", "char 15: Regular expression too big"),
            ("'s//X/'", "char 0: no previous regular expression"),
            ("'s/a/x/q'", "char 7: unknown option to `s'"),
            (
                "'s/b/x/0'",
                "char 7: number option to `s' command may not be zero",
            ),
        ] {
            assert_eq!(
                sed(&format!("echo a | sed {script}")),
                (
                    1,
                    String::new(),
                    format!("sed: -e expression #1, {message}\n")
                ),
                "{script}"
            );
        }
    }

    #[test]
    fn the_longest_of_the_leftmost_matches_is_replaced() {
        // GNU sed gives `X`; the regex crate alone would give `X-full`.
        assert_eq!(
            output("echo nginx-full | sed -E 's/nginx|nginx-full/X/'"),
            "X\n"
        );
        assert_eq!(
            output("echo aabab | sed -E 's/(a*)((ab)*)/[\\1|\\2]/'"),
            "[a|abab]\n"
        );
    }

    #[test]
    fn flags_of_the_s_command() {
        assert_eq!(output("echo aaa | sed 's/a/x/'"), "xaa\n");
        assert_eq!(output("echo aaa | sed 's/a/x/g'"), "xxx\n");
        assert_eq!(output("echo aaa | sed 's/a/x/2'"), "axa\n");
        assert_eq!(output("echo aaaa | sed 's/a/x/2g'"), "axxx\n");
        assert_eq!(output("echo NginX | sed 's/nginx/web/I'"), "web\n");
        assert_eq!(output("printf 'a\\nb\\n' | sed -n 's/a/x/p'"), "x\n");
        assert_eq!(output("printf 'a' | sed 's/a/x/p'"), "x\nx");
        assert_eq!(output("echo abc | sed 's/x*/-/g'"), "-a-b-c-\n");
        assert_eq!(output("echo baaac | sed 's/a*/x/g'"), "xbxcx\n");
        // A newline put in the pattern space is a character like any other to `.`.
        assert_eq!(output("echo ab | sed 's/a/\\n/;s/.*/X/'"), "X\n");
        assert_eq!(output("echo ab | sed 's/a/\\n/;s/^b/Y/'"), "\nb\n");
        // An empty regex is the previous one.
        assert_eq!(output("echo abab | sed 's/b/x/;s//y/'"), "axay\n");
    }

    #[test]
    fn short_options_share_an_argument() {
        let mut guest = al2023();
        run(&mut guest, "echo 'port 80' > /tmp/conf");
        let result = run(
            &mut guest,
            "sed -ri 's/(port) ([0-9]+)/\\1 8\\2/' /tmp/conf",
        );
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert_eq!(guest.file("/tmp/conf").as_deref(), Some("port 880\n"));
        assert_eq!(
            run(&mut guest, "sed -nE 's/(o)/[\\1]/p' /tmp/conf").stdout,
            "p[o]rt 880\n"
        );
        assert_eq!(
            run(&mut guest, "sed -ne 's/880/80/p' /tmp/conf").stdout,
            "port 80\n"
        );
        run(&mut guest, "sed -Ei.bak 's/8+/9/' /tmp/conf");
        assert_eq!(guest.file("/tmp/conf").as_deref(), Some("port 90\n"));
        assert_eq!(guest.file("/tmp/conf.bak").as_deref(), Some("port 880\n"));
    }

    #[test]
    fn delimiters_and_brackets() {
        assert_eq!(output("echo a/b | sed 's/[/]/X/'"), "aXb\n");
        assert_eq!(output("echo 'a/b\\c' | sed 's/[\\/]/X/g'"), "aXbXc\n");
        assert_eq!(output("echo 'a|b' | sed 's|a\\|b|X|'"), "X\n");
        assert_eq!(output("echo 'a|b' | sed -E 's|a\\|b|X|g'"), "X|X\n");
        assert_eq!(output("echo 'x]y' | sed 's/[]]/-/'"), "x-y\n");
        // `]` first in a bracket with the delimiter in it.
        assert_eq!(output("echo 'a]b/c' | sed 's/[]/]/X/g'"), "aXbXc\n");
    }

    #[test]
    fn quadratic_searches_stop_at_the_runs_budget() {
        // `a.*b|a` on one long line of `a`s: every search reads to the end of the line. On a
        // file's largest line (64 KiB) GNU sed takes 7.6 s; here the run's budget stops it.
        let mut guest = al2023();
        let line = "a".repeat(60_000);
        run(&mut guest, &format!("echo {line} > /tmp/long"));
        let result = run(&mut guest, "sed -E -i 's/a.*b|a/X/g' /tmp/long\necho after");
        assert_eq!(result.exit_code, 0, "the script goes on: {}", result.stderr);
        assert!(
            result
                .stderr
                .contains("sed: simulator limit: regular expressions read more than 256 MiB"),
            "{}",
            result.stderr
        );
        assert_eq!(
            guest.file("/tmp/long").as_deref(),
            Some(format!("{line}\n").as_str()),
            "the file is left as it was"
        );
        let result = run(&mut guest, "grep -oE 'a.*b|a' /tmp/long");
        assert_eq!(result.exit_code, 124, "{}", result.stderr);
        assert!(
            result.stderr.contains("grep: simulator limit"),
            "{}",
            result.stderr
        );
    }

    #[test]
    fn honest_substitutions_on_long_lines_fit_the_budget() {
        // 4,000 replacements on a 16 KiB line, and a whole file of short lines.
        let mut guest = al2023();
        let line = "ab".repeat(8_000);
        run(&mut guest, &format!("echo {line} > /tmp/long"));
        let result = run(&mut guest, "sed -i 's/a/x/g' /tmp/long");
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert_eq!(
            guest.file("/tmp/long").unwrap(),
            format!("{}\n", "xb".repeat(8_000))
        );
        let writes: String = (0..2_000)
            .map(|i| format!("echo key{i}=value{i} >> /tmp/conf\n"))
            .collect();
        run(&mut guest, &writes);
        let result = run(
            &mut guest,
            "sed -i -E 's/=(.*)$/ = \\1/' /tmp/conf\ngrep -c ' = value' /tmp/conf",
        );
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert_eq!(result.stdout, "2000\n");
    }
}
