//! How amilab words what it shows: a count with its noun in the right number ([`plural`]) and a
//! title closed as a sentence without doubling its own punctuation ([`sentence`]).

use std::fmt::Display;

/// The noun that agrees with `n` as it is shown: `one` when `n` displays as exactly `1`,
/// `many` otherwise (`0 points`, `1 point`, `1.5 points`). Deciding on the displayed text keeps
/// the noun right for fractional counts that are rounded for display.
pub fn noun<'a>(n: impl Display, one: &'a str, many: &'a str) -> &'a str {
    if n.to_string() == "1" {
        one
    } else {
        many
    }
}

/// `n` and the noun that agrees with it: `plural(1, "point", "points")` is `1 point`,
/// `plural("1.5", "point", "points")` is `1.5 points`. Pass fractional numbers already
/// formatted as they are shown.
pub fn plural(n: impl Display, one: &str, many: &str) -> String {
    let shown = n.to_string();
    let word = noun(&shown, one, many);
    format!("{shown} {word}")
}

/// `text` ended as a sentence: a period is added unless it already ends in `.`, `?`, `!`, `…`
/// or `:` (a title `Is it free?` stays `Is it free?`, never `Is it free?.`). Trailing
/// whitespace is dropped; empty text stays empty.
pub fn sentence(text: &str) -> String {
    let t = text.trim_end();
    match t.chars().last() {
        None => String::new(),
        Some('.' | '?' | '!' | '…' | ':') => t.to_string(),
        Some(_) => format!("{t}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_agrees_with_the_number_shown() {
        for (n, want) in [
            ("0", "0 points"),
            ("1", "1 point"),
            ("1.5", "1.5 points"),
            ("2", "2 points"),
            ("0.5", "0.5 points"),
            ("11", "11 points"),
        ] {
            assert_eq!(plural(n, "point", "points"), want);
        }
        assert_eq!(plural(1usize, "call", "calls"), "1 call");
        assert_eq!(plural(0usize, "call", "calls"), "0 calls");
        assert_eq!(plural(3u32, "quiz", "quizzes"), "3 quizzes");
        assert_eq!(noun(1usize, "hint", "hints"), "hint");
        assert_eq!(noun(21usize, "hint", "hints"), "hints");
    }

    #[test]
    fn sentence_never_doubles_punctuation() {
        for (title, want) in [
            ("Copy an image", "Copy an image."),
            ("Is creating an image free?", "Is creating an image free?"),
            ("Stop!", "Stop!"),
            ("Done.", "Done."),
            ("Wait…", "Wait…"),
            ("Pick one:", "Pick one:"),
            ("Trailing space?  ", "Trailing space?"),
            ("", ""),
        ] {
            assert_eq!(sentence(title), want, "{title:?}");
        }
    }
}
