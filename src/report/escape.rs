//! Escaping for every output channel, so that learner-controlled text cannot forge structure
//! (terminal escapes, XML, markdown tables, GitHub workflow commands, TAP directives).

/// Neutralises CI log commands: a line that would start (after leading blanks) with `::`
/// (GitHub workflow commands) or `##[` (the older form) gets a space inside the marker
/// (`: :`, `# #[`), and `##vso[` (Azure Pipelines, which looks for it anywhere in a line)
/// becomes `# #vso[` wherever it appears, so learner text printed in a CI log can never forge
/// an annotation or a pipeline command.
pub fn no_commands(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let line = no_azure_commands(line);
        let line = line.as_str();
        let body = line.trim_start();
        let lead = &line[..line.len() - body.len()];
        if let Some(rest) = body.strip_prefix("::") {
            out.push_str(lead);
            out.push_str(": :");
            out.push_str(rest);
        } else if let Some(rest) = body.strip_prefix("##[") {
            out.push_str(lead);
            out.push_str("# #[");
            out.push_str(rest);
        } else {
            out.push_str(line);
        }
    }
    out
}

/// `##vso[` in any case, anywhere in `line`, becomes `# #vso[`.
fn no_azure_commands(line: &str) -> String {
    replace_azure_marker(line, "# #")
}

/// JSON text (a report that may be printed into a CI log) with no Azure Pipelines command in
/// it: the `#` that starts each `##vso[` inside a string becomes the escape `\u0023`, so the JSON
/// still means exactly the same. Its lines cannot start a GitHub command: every line of
/// serde_json's output starts with a bracket, a blank or a quote.
pub fn json_no_commands(json: &str) -> String {
    replace_azure_marker(json, "\\u0023#")
}

/// Replaces the first two characters of every `##vso[` (in any case) with `with`.
fn replace_azure_marker(line: &str, with: &str) -> String {
    const MARKER: &str = "##vso[";
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.char_indices().map(|(i, _)| i).find(|&i| {
        rest[i..]
            .get(..MARKER.len())
            .is_some_and(|m| m.eq_ignore_ascii_case(MARKER))
    }) {
        out.push_str(&rest[..at]);
        out.push_str(with);
        out.push_str(&rest[at + 2..at + MARKER.len()]);
        rest = &rest[at + MARKER.len()..];
    }
    out.push_str(rest);
    out
}

/// Makes text safe for a terminal or a CI log: control characters other than newline and tab
/// become visible `\u{..}` escapes (a learner's answer cannot move the cursor or change
/// colours), and no line can start a CI log command (see [`no_commands`]).
pub fn terminal(s: &str) -> String {
    no_commands(&controls(s))
}

fn controls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '\n' || c == '\t' || !c.is_control() {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    out
}

/// Folds text onto one line: line breaks become ` / `, other controls are escaped.
pub fn one_line(s: &str) -> String {
    let folded = s
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" / ");
    no_commands(&controls(&folded)).replace('\t', " ")
}

pub use amilab_text::xml;

/// Inline markdown (one table cell or one line): specials are backslash-escaped, HTML is
/// entity-escaped, line breaks become `<br>`.
pub fn markdown_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let s = s.trim_end_matches(['\n', '\r']);
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '!' | '{' | '}' | '(' | ')' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            c if c.is_control() && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// The data part of a GitHub workflow command (`::notice ...::DATA`).
pub fn gh_data(s: &str) -> String {
    no_azure_commands(s)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value of a GitHub workflow command (`title=VALUE`).
pub fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// A TAP test-point description: one line, `#` and `\` escaped so no directive can be forged.
pub fn tap_description(s: &str) -> String {
    one_line(s).replace('\\', "\\\\").replace('#', "\\#")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_controls() {
        assert_eq!(terminal("a\x1b[31mb\nc"), "a\\u{1b}[31mb\nc");
    }

    #[test]
    fn no_line_starts_a_ci_command() {
        assert_eq!(
            terminal("ok\n  ::error::x\n##[warning]y"),
            "ok\n  : :error::x\n# #[warning]y"
        );
        assert_eq!(one_line("::error::x"), ": :error::x");
        assert_eq!(no_commands("a::b"), "a::b");
        assert_eq!(
            no_commands("x ##vso[task.complete]\n##VSO[a]##vso["),
            "x # #vso[task.complete]\n# #VSO[a]# #vso["
        );
    }

    #[test]
    fn json_keeps_its_meaning() {
        let json = serde_json::to_string(&"x ##VSO[task.complete]").unwrap();
        let safe = json_no_commands(&json);
        assert_eq!(safe, "\"x \\u0023#VSO[task.complete]\"");
        assert_eq!(
            serde_json::from_str::<String>(&safe).unwrap(),
            "x ##VSO[task.complete]"
        );
    }

    #[test]
    fn one_line_folds() {
        assert_eq!(one_line("a\n::error::x\r\n b"), "a / ::error::x / b");
    }

    #[test]
    fn markdown_cells() {
        assert_eq!(markdown_inline("a|b\n<script>"), "a\\|b<br>&lt;script&gt;");
    }

    #[test]
    fn github_commands() {
        assert_eq!(gh_data("50%\n::error::x"), "50%25%0A::error::x");
        assert_eq!(gh_property("a:b,c"), "a%3Ab%2Cc");
    }

    #[test]
    fn tap() {
        assert_eq!(
            tap_description("x # TODO\nnot ok 9"),
            "x \\# TODO / not ok 9"
        );
    }
}
