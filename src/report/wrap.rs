//! Feedback text wrapped at word boundaries to a width (the terminal's in `quiz take`): words
//! are never broken, and each line keeps its indentation on the lines it wraps onto.

use textwrap::{Options, WordSplitter};

/// The width to wrap at: the terminal's columns, or 80 when standard output is not a terminal.
pub fn terminal_width() -> usize {
    textwrap::termwidth()
}

/// `text` with every line prefixed by `indent` and wrapped at `width` columns. A line's own
/// leading spaces are kept on the lines it wraps onto; a word longer than the width stays
/// whole on a line of its own (a URL or an image id is never cut in two).
pub fn wrap_indented(text: &str, indent: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let body = line.trim_start();
        if body.is_empty() {
            out.push(indent.trim_end().to_string());
            continue;
        }
        let prefix = format!("{indent}{}", &line[..line.len() - body.len()]);
        let options = Options::new(width.max(prefix.chars().count() + 1))
            .initial_indent(&prefix)
            .subsequent_indent(&prefix)
            .break_words(false)
            .word_splitter(WordSplitter::NoHyphenation);
        out.extend(
            textwrap::wrap(body.trim_end(), options)
                .into_iter()
                .map(|l| l.into_owned()),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_within_the_width() {
        let text = "Each copy has its own snapshots, so three regions cost three times as much.";
        let lines = wrap_indented(text, "  ", 30);
        assert_eq!(
            lines,
            [
                "  Each copy has its own",
                "  snapshots, so three regions",
                "  cost three times as much.",
            ]
        );
        assert!(lines.iter().all(|l| l.chars().count() <= 30));
    }

    #[test]
    fn never_breaks_words_or_hyphenated_names() {
        let text = "see ami-0123456789abcdef0-with-a-long-name and well-known words";
        let lines = wrap_indented(text, "", 12);
        assert!(lines.contains(&"ami-0123456789abcdef0-with-a-long-name".to_string()));
        assert!(lines.contains(&"well-known".to_string()), "{lines:?}");
        let words: Vec<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
        assert_eq!(words, text.split_whitespace().collect::<Vec<_>>());
    }

    #[test]
    fn keeps_each_lines_indentation() {
        let text = "b) HVM: every current type is HVM.\n    - nested point that is long enough";
        let lines = wrap_indented(text, "  ", 24);
        assert_eq!(
            lines,
            [
                "  b) HVM: every current",
                "  type is HVM.",
                "      - nested point",
                "      that is long",
                "      enough",
            ]
        );
    }

    #[test]
    fn short_text_and_blank_lines_are_unchanged() {
        assert_eq!(wrap_indented("Twelve.", "  ", 80), ["  Twelve."]);
        assert_eq!(wrap_indented("a\n\nb", "> ", 80), ["> a", ">", "> b"]);
    }
}
