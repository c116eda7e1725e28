//! Regular expressions for `grep` and `sed`: POSIX patterns, translated ([`posix`]) to the
//! `regex` crate, which does the matching.
//!
//! POSIX reports the *leftmost-longest* match: among the matches that start leftmost, the
//! longest, whatever the order of the alternatives. The `regex` crate reports the
//! leftmost-*first* one (the first alternative that matches): for `nginx|nginx-full` on
//! `nginx-full` GNU sed replaces all of it, the crate would replace `nginx`. Whether a line
//! matches does not depend on this, so `grep` asks the crate alone. Where the span matters
//! (`sed s///`, `grep -o`) a match is found in steps, with engines of `regex-automata` (the
//! crate's own engine library) built with [`MatchKind::All`], which follow every alternative
//! instead of stopping at the first:
//!
//! 1. the crate finds where the leftmost match starts (the same position under both rules);
//! 2. a lazy DFA run anchored there finds the last position where a match ends: the longest;
//! 3. only if the groups are wanted, a Pike VM run over exactly that span reports them: those
//!    of the highest-priority way to match it, which is what POSIX asks for in all but
//!    contrived cases (POSIX wants each group, left to right, as long as possible).
//!
//! Like GNU sed's, and like the crate's own iteration, finding every match can take time
//! quadratic in the length of a line for patterns such as `a.*b|a` (each search may read to
//! the end of the line): 7.6 s for one 64 KiB line. So each search is charged the bytes it may
//! read, against the budget of the guest run ([`Matches::within`]); once it is spent the
//! iteration stops and [`Matches::gave_up`] says so, and the command fails with a simulator
//! limit instead of holding the grader past its deadline.

mod posix;

use std::sync::OnceLock;

use ::regex::{Regex, RegexBuilder};
use regex_automata::hybrid::dfa::{self as lazy, DFA};
use regex_automata::nfa::thompson::{self, pikevm::PikeVM, NFA};
use regex_automata::util::captures::Captures;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, MatchKind};

use super::super::{MAX_PATTERN_BYTES, MAX_REGEX_BYTES};
pub(crate) use posix::{sed_char_escape, Dialect, PatternError};

/// How to read a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// POSIX basic (`grep`, `sed`).
    Basic,
    /// POSIX extended (`grep -E`, `sed -E`).
    Extended,
    /// A fixed string (`grep -F`).
    Fixed,
}

/// What part of a line a match must cover (`grep -x`, `grep -w`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Extent {
    Anywhere,
    /// The whole line.
    Line,
    /// Whole words: no word character just before or just after.
    Word,
}

/// How to compile a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Options {
    pub(crate) syntax: Syntax,
    pub(crate) dialect: Dialect,
    pub(crate) ignore_case: bool,
    pub(crate) extent: Extent,
}

impl Options {
    pub(crate) fn new(syntax: Syntax, dialect: Dialect) -> Options {
        Options {
            syntax,
            dialect,
            ignore_case: false,
            extent: Extent::Anywhere,
        }
    }
}

/// A compiled pattern.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    /// Leftmost-first: whether a line matches, and where the leftmost match starts.
    regex: Regex,
    ignore_case: bool,
    /// The engines for leftmost-longest spans and groups, built on the first search that needs
    /// them (most patterns only ever answer yes or no).
    longest: OnceLock<Longest>,
    warnings: Vec<String>,
}

/// The engines of steps 2 and 3 (see the module's documentation). Each is `None` if it could
/// not be built, which should not happen for a pattern the crate compiled with the same limits:
/// the Pike VM stands in for a missing lazy DFA, and the crate's own leftmost-first match for
/// both.
#[derive(Debug, Clone)]
struct Longest {
    dfa: Option<DFA>,
    vm: Option<PikeVM>,
}

/// One match: the span of the whole match (group 0) and of each group, as byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    spans: Vec<Option<(usize, usize)>>,
}

impl Found {
    pub(crate) fn start(&self) -> usize {
        self.spans.first().copied().flatten().map_or(0, |(s, _)| s)
    }

    pub(crate) fn end(&self) -> usize {
        self.spans.first().copied().flatten().map_or(0, |(_, e)| e)
    }

    /// The text group `n` matched (0 is the whole match); empty if it took no part.
    pub(crate) fn group<'t>(&self, text: &'t str, n: usize) -> &'t str {
        self.spans
            .get(n)
            .copied()
            .flatten()
            .and_then(|(s, e)| text.get(s..e))
            .unwrap_or("")
    }
}

impl Pattern {
    pub(crate) fn new(source: &str, options: Options) -> Result<Pattern, PatternError> {
        Pattern::any(&[source], options)
    }

    /// A pattern that matches where any of `sources` does (`grep -e a -e b`), as one regex so
    /// that the leftmost-longest match is chosen among all of them.
    pub(crate) fn any(sources: &[&str], options: Options) -> Result<Pattern, PatternError> {
        if sources.iter().map(|source| source.len()).sum::<usize>() > MAX_PATTERN_BYTES {
            return Err(PatternError::TooBig);
        }
        let mut alternatives = Vec::with_capacity(sources.len());
        let mut warnings = Vec::new();
        for source in sources {
            match options.syntax {
                Syntax::Fixed => alternatives.push(::regex::escape(source)),
                Syntax::Basic | Syntax::Extended => {
                    let extended = options.syntax == Syntax::Extended;
                    let translation = posix::translate(source, extended, options.dialect)?;
                    alternatives.push(translation.regex);
                    warnings.extend(translation.warnings);
                }
            }
        }
        let translated = match alternatives.as_slice() {
            [single] => single.clone(),
            several => several
                .iter()
                .map(|alternative| format!("(?:{alternative})"))
                .collect::<Vec<_>>()
                .join("|"),
        };
        // `(?s)`: in POSIX `.` matches any character, a newline too (sed's `s/a/\n/` can put one
        // in the pattern space). The flag travels in the pattern, so both engines get it.
        let translated = match options.extent {
            Extent::Anywhere => format!("(?s){translated}"),
            Extent::Line => format!("(?s)^(?:{translated})$"),
            // GNU's `-w`: the match may not have a word character right before or after it.
            Extent::Word => format!(r"(?s)\b{{start-half}}(?:{translated})\b{{end-half}}"),
        };
        let regex = RegexBuilder::new(&translated)
            .case_insensitive(options.ignore_case)
            .size_limit(MAX_REGEX_BYTES)
            .dfa_size_limit(MAX_REGEX_BYTES)
            .nest_limit(NEST_LIMIT)
            .build()
            .map_err(|error| match error {
                ::regex::Error::CompiledTooBig(_) => PatternError::TooBig,
                other => PatternError::Untranslatable(other.to_string()),
            })?;
        Ok(Pattern {
            regex,
            ignore_case: options.ignore_case,
            longest: OnceLock::new(),
            warnings,
        })
    }

    /// What GNU grep would warn about on standard error.
    pub(crate) fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The number of groups, `\(…\)` or `(…)`.
    pub(crate) fn groups(&self) -> usize {
        self.regex.captures_len().saturating_sub(1)
    }

    pub(crate) fn is_match(&self, line: &str) -> bool {
        self.regex.is_match(line)
    }

    /// The matches in `text`, left to right, each leftmost-longest, as GNU sed's `s///g` takes
    /// them: after a match, the search goes on where it ended, and an empty match right where
    /// the previous one ended does not count (`s/a*/x/g` turns `baaac` into `xbxcx`). Only the
    /// span of each match is known: [`Found::group`] is empty for other groups.
    pub(crate) fn matches<'p, 't>(&'p self, text: &'t str) -> Matches<'p, 't> {
        self.iterate(text, false)
    }

    /// Like [`Pattern::matches`], with the span of each group too.
    pub(crate) fn matches_with_groups<'p, 't>(&'p self, text: &'t str) -> Matches<'p, 't> {
        self.iterate(text, true)
    }

    fn iterate<'p, 't>(&'p self, text: &'t str, groups: bool) -> Matches<'p, 't> {
        let longest = self.longest.get_or_init(|| self.build_longest());
        Matches {
            pattern: self,
            text,
            dfa: longest.dfa.as_ref().map(|dfa| (dfa, dfa.create_cache())),
            vm: longest
                .vm
                .as_ref()
                .map(|vm| (vm, vm.create_cache(), vm.create_captures())),
            groups,
            at: 0,
            last_end: None,
            scan_left: u64::MAX,
            gave_up: false,
        }
    }

    fn build_longest(&self) -> Longest {
        let nfa = NFA::compiler()
            .syntax(
                syntax::Config::new()
                    .case_insensitive(self.ignore_case)
                    .nest_limit(NEST_LIMIT),
            )
            .configure(thompson::Config::new().nfa_size_limit(Some(MAX_REGEX_BYTES)))
            .build(self.regex.as_str());
        let Ok(nfa) = nfa else {
            return Longest {
                dfa: None,
                vm: None,
            };
        };
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::All)
                    // A lazy DFA cannot see Unicode word boundaries (`\b`, `\<`) in general;
                    // with this it handles ASCII text and stops with an error on other text,
                    // where the Pike VM takes over.
                    .unicode_word_boundary(true),
            )
            .build_from_nfa(nfa.clone())
            .ok();
        let vm = PikeVM::builder()
            .configure(PikeVM::config().match_kind(MatchKind::All))
            .build_from_nfa(nfa)
            .ok();
        Longest { dfa, vm }
    }
}

/// Deep enough for any pattern [`posix`] lets through (it bounds the parentheses it writes),
/// shallow enough that the crate's recursive passes cannot overflow the stack.
const NEST_LIMIT: u32 = 1_000;

/// The iterator of [`Pattern::matches`].
pub(crate) struct Matches<'p, 't> {
    pattern: &'p Pattern,
    text: &'t str,
    dfa: Option<(&'p DFA, lazy::Cache)>,
    vm: Option<(&'p PikeVM, thompson::pikevm::Cache, Captures)>,
    /// Whether to find the span of each group, not only of the whole match.
    groups: bool,
    /// Where the next search starts.
    at: usize,
    last_end: Option<usize>,
    /// Bytes the searches may still read (see the module documentation).
    scan_left: u64,
    /// Whether the iteration stopped because `scan_left` was spent.
    gave_up: bool,
}

impl Matches<'_, '_> {
    /// Limits the searches to reading `bytes` bytes in all (each search is charged the rest of
    /// the line from where it starts).
    pub(crate) fn within(mut self, bytes: u64) -> Self {
        self.scan_left = bytes;
        self
    }

    /// The bytes left of the budget given to [`Matches::within`].
    pub(crate) fn scan_left(&self) -> u64 {
        self.scan_left
    }

    /// Whether the iteration ended because the budget was spent, not because no match was left.
    pub(crate) fn gave_up(&self) -> bool {
        self.gave_up
    }

    /// The leftmost-longest match that starts at `start`, where the crate found `first`.
    fn longest_at(&mut self, start: usize, first: &::regex::Match<'_>) -> Found {
        let end = self.dfa.as_mut().and_then(|(dfa, cache)| {
            let input = Input::new(self.text).range(start..).anchored(Anchored::Yes);
            // An error (non-ASCII text near a word boundary) leaves it to the Pike VM.
            let found = dfa.try_search_fwd(cache, &input).ok().flatten();
            found.map(|half| half.offset())
        });
        if let (Some(end), false) = (end, self.groups) {
            return Found {
                spans: vec![Some((start, end))],
            };
        }
        if let Some((vm, cache, captures)) = self.vm.as_mut() {
            // Where the match ends is known, the Pike VM need not read further. Look-around
            // (`$`, `\b`) still sees the text beyond the span.
            let input = Input::new(self.text)
                .range(start..end.unwrap_or(self.text.len()))
                .anchored(Anchored::Yes);
            vm.search(cache, &input, captures);
            if captures.is_match() {
                let spans = (0..captures.group_len())
                    .map(|n| captures.get_group(n).map(|span| (span.start, span.end)))
                    .collect();
                return Found { spans };
            }
        }
        // Without the engines (see `Longest`): the crate's own, leftmost-first, match.
        let spans = self
            .pattern
            .regex
            .captures_at(self.text, start)
            .map(|caps| {
                caps.iter()
                    .map(|group| group.map(|m| (m.start(), m.end())))
                    .collect()
            })
            .unwrap_or_else(|| vec![Some((first.start(), first.end()))]);
        Found { spans }
    }

    /// The offset of the character after `at` (past the end when `at` is the end).
    fn step(&self, at: usize) -> usize {
        at + self.text[at..].chars().next().map_or(1, char::len_utf8)
    }
}

impl Iterator for Matches<'_, '_> {
    type Item = Found;

    fn next(&mut self) -> Option<Found> {
        loop {
            if self.at > self.text.len() {
                return None;
            }
            // The crate's search, then the longest-match search, may each read to the end.
            let cost = 2 * (self.text.len() - self.at) as u64;
            if cost > self.scan_left {
                // What is left could not pay for this search: it counts as spent.
                self.scan_left = 0;
                self.gave_up = true;
                return None;
            }
            self.scan_left -= cost;
            let first = self.pattern.regex.find_at(self.text, self.at)?;
            let found = self.longest_at(first.start(), &first);
            let (start, end) = (found.start(), found.end());
            if start == end && self.last_end == Some(start) {
                // An empty match where the previous match ended: look again one character on.
                self.at = self.step(start);
                continue;
            }
            self.at = if start == end { self.step(start) } else { end };
            self.last_end = Some(end);
            return Some(found);
        }
    }
}

#[cfg(test)]
mod tests;
