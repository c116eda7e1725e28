//! A small POSIX-style regular expression engine for `grep` and `sed`.

use super::super::MAX_PATTERN_PIECES;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Atom {
    Literal(char),
    Any,
    Class {
        ranges: Vec<(char, char)>,
        negated: bool,
    },
}

impl Atom {
    fn matches(&self, c: char, ignore_case: bool) -> bool {
        let fold = |x: char| {
            if ignore_case {
                x.to_ascii_lowercase()
            } else {
                x
            }
        };
        match self {
            Atom::Literal(l) => fold(*l) == fold(c),
            Atom::Any => c != '\n',
            Atom::Class { ranges, negated } => {
                let hit = |x: char| ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&x));
                let found = hit(c)
                    || (ignore_case
                        && (hit(c.to_ascii_lowercase()) || hit(c.to_ascii_uppercase())));
                found != *negated
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Repeat {
    Once,
    ZeroOrMore,
    ZeroOrOne,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Piece {
    atom: Atom,
    repeat: Repeat,
}

/// A small POSIX-style regex: literals, `.`, `[...]` (ranges, `^`, `[:digit:]`-style classes),
/// `*`, `\+`/`\?` (`+`/`?` in extended mode), `^` and `$` anchors. Matching simulates the
/// automaton (no backtracking), so it is linear in the text for a given pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern {
    pieces: Vec<Piece>,
    pub(crate) anchored_start: bool,
    pub(crate) anchored_end: bool,
    ignore_case: bool,
}

fn posix_class(name: &str) -> Option<Vec<(char, char)>> {
    Some(match name {
        "digit" => vec![('0', '9')],
        "alpha" => vec![('a', 'z'), ('A', 'Z')],
        "alnum" => vec![('a', 'z'), ('A', 'Z'), ('0', '9')],
        "upper" => vec![('A', 'Z')],
        "lower" => vec![('a', 'z')],
        "space" => vec![(' ', ' '), ('\t', '\r')],
        "blank" => vec![(' ', ' '), ('\t', '\t')],
        "xdigit" => vec![('0', '9'), ('a', 'f'), ('A', 'F')],
        "punct" => vec![('!', '/'), (':', '@'), ('[', '`'), ('{', '~')],
        _ => return None,
    })
}

/// Parses `[...]` starting at `chars[start] == '['`; returns the atom and the index after `]`.
fn parse_bracket(chars: &[char], start: usize) -> Result<(Atom, usize), String> {
    let mut i = start + 1;
    let negated = chars.get(i) == Some(&'^');
    if negated {
        i += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    loop {
        let Some(&c) = chars.get(i) else {
            return Err("unterminated [".to_string());
        };
        if c == ']' && !first {
            return Ok((Atom::Class { ranges, negated }, i + 1));
        }
        first = false;
        if c == '[' && chars.get(i + 1) == Some(&':') {
            let rest: String = chars[i + 2..].iter().collect();
            if let Some(end) = rest.find(":]") {
                let class = posix_class(&rest[..end])
                    .ok_or_else(|| "invalid character class".to_string())?;
                ranges.extend(class);
                i += 2 + rest[..end].chars().count() + 2;
                continue;
            }
        }
        if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|c| *c != ']') {
            ranges.push((c, chars[i + 2]));
            i += 3;
        } else {
            ranges.push((c, c));
            i += 1;
        }
    }
}

impl Pattern {
    pub(crate) fn compile(
        source: &str,
        extended: bool,
        ignore_case: bool,
    ) -> Result<Pattern, String> {
        let chars: Vec<char> = source.chars().collect();
        let anchored_start = chars.first() == Some(&'^');
        let mut i = usize::from(anchored_start);
        let mut pieces: Vec<Piece> = Vec::new();
        let mut anchored_end = false;
        while i < chars.len() {
            let c = chars[i];
            let repeat = match c {
                '*' => Some(Repeat::ZeroOrMore),
                '+' if extended => Some(Repeat::Once),
                '?' if extended => Some(Repeat::ZeroOrOne),
                '\\' if !extended && chars.get(i + 1) == Some(&'+') => Some(Repeat::Once),
                '\\' if !extended && chars.get(i + 1) == Some(&'?') => Some(Repeat::ZeroOrOne),
                _ => None,
            };
            if let (Some(repeat), Some(last)) = (repeat, pieces.last().cloned()) {
                i += if c == '\\' { 2 } else { 1 };
                match repeat {
                    // one-or-more is one, then zero-or-more
                    Repeat::Once => pieces.push(Piece {
                        atom: last.atom,
                        repeat: Repeat::ZeroOrMore,
                    }),
                    other => {
                        if let Some(piece) = pieces.last_mut() {
                            piece.repeat = other;
                        }
                    }
                }
                continue;
            }
            let atom = match c {
                '$' if i + 1 == chars.len() => {
                    anchored_end = true;
                    i += 1;
                    continue;
                }
                '.' => {
                    i += 1;
                    Atom::Any
                }
                '[' => {
                    let (atom, next) = parse_bracket(&chars, i)?;
                    i = next;
                    atom
                }
                '\\' => {
                    let next = *chars
                        .get(i + 1)
                        .ok_or_else(|| "trailing backslash (\\)".to_string())?;
                    i += 2;
                    match next {
                        'n' => Atom::Literal('\n'),
                        't' => Atom::Literal('\t'),
                        'd' => Atom::Class {
                            ranges: vec![('0', '9')],
                            negated: false,
                        },
                        's' => Atom::Class {
                            ranges: vec![(' ', ' '), ('\t', '\r')],
                            negated: false,
                        },
                        'w' => Atom::Class {
                            ranges: vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')],
                            negated: false,
                        },
                        other => Atom::Literal(other),
                    }
                }
                _ => {
                    i += 1;
                    Atom::Literal(c)
                }
            };
            pieces.push(Piece {
                atom,
                repeat: Repeat::Once,
            });
            if pieces.len() > MAX_PATTERN_PIECES {
                return Err("regular expression too big".to_string());
            }
        }
        Ok(Pattern {
            pieces,
            anchored_start,
            anchored_end,
            ignore_case,
        })
    }

    /// A pattern that matches `text` literally (`grep -F`).
    pub(crate) fn literal(text: &str, ignore_case: bool) -> Pattern {
        let pieces = text
            .chars()
            .map(|c| Piece {
                atom: Atom::Literal(c),
                repeat: Repeat::Once,
            })
            .collect();
        Pattern {
            pieces,
            anchored_start: false,
            anchored_end: false,
            ignore_case,
        }
    }

    fn add_thread(&self, set: &mut [Option<usize>], state: usize, start: usize) {
        let mut state = state;
        loop {
            if set[state].is_some_and(|existing| existing <= start) {
                return;
            }
            set[state] = Some(start);
            if state < self.pieces.len() && self.pieces[state].repeat != Repeat::Once {
                state += 1;
            } else {
                return;
            }
        }
    }

    /// The leftmost-longest match at or after `from`, as character positions.
    pub(crate) fn find_at(&self, text: &[char], from: usize) -> Option<(usize, usize)> {
        let accept = self.pieces.len();
        let mut current: Vec<Option<usize>> = vec![None; accept + 1];
        let mut best: Option<(usize, usize)> = None;
        let mut pos = from;
        loop {
            if best.is_none() && (!self.anchored_start || pos == 0) {
                self.add_thread(&mut current, 0, pos);
            }
            if let Some(start) = current[accept] {
                let at_end_ok = !self.anchored_end || pos == text.len();
                let better = best.is_none_or(|(s, e)| start < s || (start == s && pos > e));
                if at_end_ok && better {
                    best = Some((start, pos));
                }
            }
            if pos >= text.len() {
                break;
            }
            let c = text[pos];
            let mut next: Vec<Option<usize>> = vec![None; accept + 1];
            for (state, thread) in current.iter().enumerate().take(accept) {
                let Some(start) = *thread else { continue };
                if best.is_some_and(|(s, _)| start > s) {
                    continue;
                }
                let piece = &self.pieces[state];
                if piece.atom.matches(c, self.ignore_case) {
                    let target = if piece.repeat == Repeat::ZeroOrMore {
                        state
                    } else {
                        state + 1
                    };
                    self.add_thread(&mut next, target, start);
                }
            }
            current = next;
            pos += 1;
            let alive = current.iter().any(Option::is_some);
            if !alive && (best.is_some() || self.anchored_start) {
                break;
            }
        }
        best
    }

    pub(crate) fn is_match(&self, line: &str) -> bool {
        let chars: Vec<char> = line.chars().collect();
        self.find_at(&chars, 0).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_like_basic_regexes() {
        let matches = |p: &str, s: &str| Pattern::compile(p, false, false).unwrap().is_match(s);
        assert!(matches("^#\\?Port", "#Port 22") && matches("^#\\?Port", "Port 22"));
        assert!(!matches("^Port", "#Port"));
        assert!(matches("a.*c$", "xxabbbc") && !matches("a.*c$", "abcd"));
        assert!(matches("[0-9][0-9]*", "port 80") && !matches("[[:digit:]]", "none"));
        assert!(Pattern::compile("ab+c", true, false)
            .unwrap()
            .is_match("abbbc"));
        let chars: Vec<char> = "aaa".chars().collect();
        assert_eq!(
            Pattern::compile("a*", false, false)
                .unwrap()
                .find_at(&chars, 0),
            Some((0, 3))
        );
        assert!(Pattern::compile("[abc", false, false).is_err());
    }
}
