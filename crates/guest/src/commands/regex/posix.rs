//! Translates POSIX basic and extended regular expressions, as GNU grep and sed read them, into
//! the syntax of the `regex` crate.
//!
//! The two syntaxes differ in which characters are operators: in a basic expression (BRE)
//! `\( \) \| \{ \} \+ \?` are operators (the last three are GNU extensions) and the bare
//! characters are literals; in an extended expression (ERE) it is the other way round. The
//! `regex` crate reads roughly the ERE way, so every literal is escaped on the way out and every
//! operator is written in the crate's spelling. Bracket expressions are rebuilt item by item,
//! because POSIX and the crate disagree inside them too (a `\` is literal in POSIX).
//!
//! What the crate cannot express is refused with an error, never passed through: a
//! back-reference inside a pattern (`\(a\)\1`) has no equivalent in a regex engine without
//! backtracking.

use std::fmt;

use super::super::super::MAX_PATTERN_NESTING;

/// POSIX's limit on a repetition count (`RE_DUP_MAX` in glibc); a bigger count is "too big".
const MAX_REPEAT: u32 = 32_767;

/// GNU grep and GNU sed use different glibc syntax bits, so a few corner cases differ: where
/// grep reads a stray `)` or `{` in an ERE as a literal, or ignores a leading `*` with a
/// warning, sed refuses the pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Grep,
    Sed,
}

/// Why a pattern is refused. The messages are glibc's, which GNU grep and sed print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PatternError {
    UnmatchedBracket,
    UnmatchedOpenParen,
    UnmatchedCloseParen,
    UnmatchedBrace,
    InvalidInterval,
    InvalidPreceding,
    InvalidBackReference,
    InvalidClassName,
    InvalidCollation,
    InvalidRangeEnd,
    TrailingBackslash,
    TooBig,
    Invalid,
    /// `[:alpha:]` where `[[:alpha:]]` was meant (GNU's own check).
    ClassSyntax,
    /// `\N` inside a pattern: valid POSIX that the `regex` crate cannot express.
    BackReference(u32),
    /// The `regex` crate refused a translation: a bug in this module, reported rather than
    /// hidden behind a mismatch.
    Untranslatable(String),
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            PatternError::UnmatchedBracket => "Unmatched [, [^, [:, [., or [=",
            PatternError::UnmatchedOpenParen => "Unmatched ( or \\(",
            PatternError::UnmatchedCloseParen => "Unmatched ) or \\)",
            PatternError::UnmatchedBrace => "Unmatched \\{",
            PatternError::InvalidInterval => "Invalid content of \\{\\}",
            PatternError::InvalidPreceding => "Invalid preceding regular expression",
            PatternError::InvalidBackReference => "Invalid back reference",
            PatternError::InvalidClassName => "Invalid character class name",
            PatternError::InvalidCollation => "Invalid collation character",
            PatternError::InvalidRangeEnd => "Invalid range end",
            PatternError::TrailingBackslash => "Trailing backslash",
            PatternError::TooBig => "Regular expression too big",
            PatternError::Invalid => "Invalid regular expression",
            PatternError::ClassSyntax => "character class syntax is [[:space:]], not [:space:]",
            PatternError::BackReference(n) => {
                return write!(
                    f,
                    "back-references (\\{n}) in a pattern are not supported in this simulated guest"
                )
            }
            PatternError::Untranslatable(why) => {
                return write!(f, "Invalid regular expression ({why})")
            }
        };
        f.write_str(text)
    }
}

/// A pattern in the `regex` crate's syntax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Translation {
    pub(crate) regex: String,
    /// What GNU grep warns about but accepts (`* at start of expression`).
    pub(crate) warnings: Vec<String>,
}

/// Translates `source`, a BRE or (`extended`) an ERE.
pub(crate) fn translate(
    source: &str,
    extended: bool,
    dialect: Dialect,
) -> Result<Translation, PatternError> {
    let mut translator = Translator {
        chars: source.chars().collect(),
        i: 0,
        extended,
        dialect,
        out: String::with_capacity(source.len() * 2),
        open: Vec::new(),
        groups: 0,
        parens: 0,
        prev: Prev::Start,
        warnings: Vec::new(),
        class_syntax: false,
    };
    while let Some(c) = translator.next() {
        if extended {
            translator.extended_char(c)?;
        } else {
            translator.basic_char(c)?;
        }
    }
    if !translator.open.is_empty() {
        return Err(PatternError::UnmatchedOpenParen);
    }
    if translator.class_syntax {
        return Err(PatternError::ClassSyntax);
    }
    Ok(Translation {
        regex: translator.out,
        warnings: translator.warnings,
    })
}

/// The character for a GNU sed escape (`\n`, `\t`, `\x41`, `\d065`, `\o101`, `\cA`…) whose
/// letter is `letter` and which `rest` follows; with how many characters of `rest` it takes.
/// `None` when `\letter` is not such an escape (then it stands for the letter).
pub(crate) fn sed_char_escape(letter: char, rest: &[char]) -> Option<(char, usize)> {
    let simple = match letter {
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        'f' => Some('\u{c}'),
        'v' => Some('\u{b}'),
        'a' => Some('\u{7}'),
        _ => None,
    };
    if simple.is_some() {
        return simple.map(|c| (c, 0));
    }
    if letter == 'c' {
        let next = rest.first().filter(|c| c.is_ascii())?;
        let control = (next.to_ascii_uppercase() as u8) ^ 0x40;
        return Some((char::from(control), 1));
    }
    let (radix, most) = match letter {
        'd' => (10, 3),
        'o' => (8, 3),
        'x' => (16, 2),
        _ => return None,
    };
    let digits: String = rest
        .iter()
        .take(most)
        .take_while(|c| c.is_digit(radix))
        .collect();
    let value = u32::from_str_radix(&digits, radix).ok()?;
    // Only byte values, as in sed: `\d999` is not a character.
    let byte = u8::try_from(value).ok()?;
    Some((char::from(byte), digits.len()))
}

/// What the translator just emitted, which decides what `*`, `^` and `{` mean next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prev {
    /// The start of the pattern, of a group or of an alternative: `^` here is an anchor, and a
    /// repetition operator has nothing to repeat.
    Start,
    /// An anchor or another assertion: nothing to repeat either.
    Assertion,
    /// An atom that begins at byte `at` of the output; `repeated` once it carries an operator.
    Atom { at: usize, repeated: bool },
}

/// The upper bound of an interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Max {
    /// `{m}`
    Exact,
    /// `{m,}`
    Unbounded,
    /// `{m,n}` or `{,n}`
    UpTo(u32),
}

/// A bound of an interval as read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Number {
    Absent,
    Value(u32),
    /// Something other than digits, or no closing brace.
    Malformed,
}

/// Where reading a bound stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    Close,
    Comma,
    End,
}

/// An element of a bracket expression.
enum Element {
    Char(char),
    Class(String),
}

struct Translator {
    chars: Vec<char>,
    i: usize,
    extended: bool,
    dialect: Dialect,
    out: String,
    /// The groups still open: where each begins in the output, and its number.
    open: Vec<(usize, u32)>,
    /// Groups opened so far (the number of the last one).
    groups: u32,
    /// Parentheses written, groups and the wrappers of repeated repetitions: each nests.
    parens: usize,
    prev: Prev,
    warnings: Vec<String>,
    /// Whether a bracket expression reads like `[:alpha:]`.
    class_syntax: bool,
}

impl Translator {
    fn next(&mut self) -> Option<char> {
        let c = self.chars.get(self.i).copied();
        if c.is_some() {
            self.i += 1;
        }
        c
    }

    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.i + ahead).copied()
    }

    fn basic_char(&mut self, c: char) -> Result<(), PatternError> {
        match c {
            '\\' => {
                let escaped = self.next().ok_or(PatternError::TrailingBackslash)?;
                match escaped {
                    '(' => self.open_group(),
                    ')' => self.close_group(),
                    '|' => {
                        self.alternative();
                        Ok(())
                    }
                    '{' => self.interval(),
                    // GNU extensions; at the start of an expression, a literal character.
                    '+' | '?' => match self.repeatable() {
                        Some((at, repeated)) => self.repeat(at, repeated, &escaped.to_string()),
                        None => {
                            self.literal(escaped);
                            Ok(())
                        }
                    },
                    other => self.escape(other),
                }
            }
            // A `*` with nothing before it is a literal in a BRE.
            '*' => match self.repeatable() {
                Some((at, repeated)) => self.repeat(at, repeated, "*"),
                None => {
                    self.literal('*');
                    Ok(())
                }
            },
            // In a BRE `^` anchors only at the start of an expression and `$` only at its end;
            // anywhere else each is a literal.
            '^' if self.prev == Prev::Start => {
                self.assertion("^");
                Ok(())
            }
            '$' if self.at_basic_end() => {
                self.assertion("$");
                Ok(())
            }
            '[' => self.bracket(),
            '.' => {
                self.atom(".");
                Ok(())
            }
            other => {
                self.literal(other);
                Ok(())
            }
        }
    }

    fn extended_char(&mut self, c: char) -> Result<(), PatternError> {
        match c {
            '\\' => {
                let escaped = self.next().ok_or(PatternError::TrailingBackslash)?;
                self.escape(escaped)
            }
            '(' => self.open_group(),
            // GNU grep reads an unmatched `)` as a literal; sed refuses it.
            ')' if self.open.is_empty() && self.dialect == Dialect::Grep => {
                self.literal(')');
                Ok(())
            }
            ')' => self.close_group(),
            '|' => {
                self.alternative();
                Ok(())
            }
            '*' | '+' | '?' => match self.repeatable() {
                Some((at, repeated)) => self.repeat(at, repeated, &c.to_string()),
                None => self.leading_repetition(&c.to_string()),
            },
            '{' => self.interval(),
            '^' => {
                self.assertion("^");
                Ok(())
            }
            '$' => {
                self.assertion("$");
                Ok(())
            }
            '[' => self.bracket(),
            '.' => {
                self.atom(".");
                Ok(())
            }
            other => {
                self.literal(other);
                Ok(())
            }
        }
    }

    /// A backslash sequence that means the same in both syntaxes (the BRE operators are
    /// handled before): back-references, GNU's `\w \s \b \< \>…`, sed's `\n \t…`, and
    /// otherwise the escaped character itself (`\.`, `\*`, and in an ERE `\(`, `\{`, `\|`).
    fn escape(&mut self, escaped: char) -> Result<(), PatternError> {
        match escaped {
            '1'..='9' => {
                let n = escaped.to_digit(10).unwrap_or(0);
                let closed = n <= self.groups && self.open.iter().all(|(_, open)| *open != n);
                if closed {
                    Err(PatternError::BackReference(n))
                } else {
                    Err(PatternError::InvalidBackReference)
                }
            }
            'w' | 'W' | 's' | 'S' => {
                self.atom(&format!("\\{escaped}"));
                Ok(())
            }
            'b' => {
                self.assertion(r"\b");
                Ok(())
            }
            'B' => {
                self.assertion(r"\B");
                Ok(())
            }
            // The crate's `\b{start}` and `\b{end}` are exactly GNU's start and end of a word
            // (both read word characters as Unicode letters, digits and `_` in a UTF-8 locale).
            '<' => {
                self.assertion(r"\b{start}");
                Ok(())
            }
            '>' => {
                self.assertion(r"\b{end}");
                Ok(())
            }
            // GNU's start and end of the whole text (the line, for grep and this sed).
            '`' => {
                self.assertion(r"\A");
                Ok(())
            }
            '\'' => {
                self.assertion(r"\z");
                Ok(())
            }
            letter if self.dialect == Dialect::Sed => {
                let rest = &self.chars[self.i..];
                match sed_char_escape(letter, rest) {
                    Some((c, used)) => {
                        self.i += used;
                        self.literal(c);
                    }
                    None => self.literal(letter),
                }
                Ok(())
            }
            // grep has no `\n` or `\t`: GNU grep reads `\t` as `t`.
            other => {
                self.literal(other);
                Ok(())
            }
        }
    }

    /// At the end of a BRE, of a group or of an alternative, where `$` is an anchor.
    fn at_basic_end(&self) -> bool {
        matches!(
            (self.peek(0), self.peek(1)),
            (None, _) | (Some('\\'), Some(')' | '|'))
        )
    }

    /// The atom a repetition operator would apply to: where it starts and whether it already
    /// carries one. `None` at the start of an expression or after an anchor.
    fn repeatable(&self) -> Option<(usize, bool)> {
        match self.prev {
            Prev::Atom { at, repeated } => Some((at, repeated)),
            Prev::Start | Prev::Assertion => None,
        }
    }

    /// Applies `operator` (`*`, `+`, `?`, `{m,n}`) to the atom at `at`.
    fn repeat(&mut self, at: usize, repeated: bool, operator: &str) -> Result<(), PatternError> {
        if repeated {
            // POSIX's `a**` or `a+?` repeats the repetition; the crate would read `+?` as a lazy
            // `+` (and refuse `**`), so the first repetition becomes a group of its own.
            // glibc's basic syntax, which sed uses, refuses a `*` or an interval there (and
            // takes `\+` and `\?`).
            let star_or_interval = operator == "*" || operator.starts_with('{');
            if !self.extended && self.dialect == Dialect::Sed && star_or_interval {
                return Err(PatternError::InvalidPreceding);
            }
            self.count_paren()?;
            self.out.insert_str(at, "(?:");
            self.out.push(')');
        }
        self.out.push_str(operator);
        self.prev = Prev::Atom { at, repeated: true };
        Ok(())
    }

    /// A repetition operator with nothing to repeat in an ERE: GNU grep warns and ignores it,
    /// GNU sed refuses the pattern.
    fn leading_repetition(&mut self, operator: &str) -> Result<(), PatternError> {
        match self.dialect {
            Dialect::Grep => {
                self.warnings
                    .push(format!("{operator} at start of expression"));
                Ok(())
            }
            Dialect::Sed => Err(PatternError::InvalidPreceding),
        }
    }

    /// An interval, `\{m,n\}` in a BRE or `{m,n}` in an ERE, whose opening brace was just read.
    fn interval(&mut self) -> Result<(), PatternError> {
        let repeatable = self.repeatable();
        match (self.dialect, self.extended, repeatable) {
            // A leading `\{` in a BRE: GNU grep reads a literal brace.
            (Dialect::Grep, false, None) => {
                self.literal('{');
                return Ok(());
            }
            // sed refuses a leading brace, and in a BRE one after a repetition, before it
            // reads the interval (glibc looks at the token first).
            (Dialect::Sed, _, None) | (Dialect::Sed, false, Some((_, true))) => {
                return Err(PatternError::InvalidPreceding)
            }
            _ => {}
        }
        // This follows glibc's parse_dup_op, whose errors GNU grep and sed report.
        let after_brace = self.i;
        let (min, stop) = self.interval_number();
        let min = match min {
            // `{,n}` is `{0,n}`; `{}` is refused.
            Number::Absent if stop == Stop::Comma => Number::Value(0),
            Number::Absent => return Err(PatternError::InvalidInterval),
            other => other,
        };
        let (max, stop) = match (min, stop) {
            (Number::Value(_), Stop::Close) => (None, stop),
            (Number::Value(_), Stop::Comma) => {
                let (max, stop) = self.interval_number();
                (Some(max), stop)
            }
            _ => (Some(Number::Malformed), stop),
        };
        let (Number::Value(min), Some(Number::Value(_) | Number::Absent) | None) = (min, max)
        else {
            // Not an interval at all: GNU grep reads the brace of an ERE as a literal, sed
            // refuses the pattern.
            if self.extended && self.dialect == Dialect::Grep {
                self.i = after_brace;
                self.literal('{');
                return Ok(());
            }
            return Err(if stop == Stop::End {
                PatternError::UnmatchedBrace
            } else {
                PatternError::InvalidInterval
            });
        };
        let max = match max {
            None => Max::Exact,
            Some(Number::Value(max)) => Max::UpTo(max),
            Some(_) => Max::Unbounded,
        };
        // `{2,1}`, and `{1,2,3}` which stops at its second comma.
        if matches!(max, Max::UpTo(max) if max < min) || stop != Stop::Close {
            return Err(PatternError::InvalidInterval);
        }
        if min.max(if let Max::UpTo(max) = max { max } else { 0 }) > MAX_REPEAT {
            return Err(PatternError::TooBig);
        }
        let operator = match max {
            Max::Exact => format!("{{{min}}}"),
            Max::Unbounded => format!("{{{min},}}"),
            Max::UpTo(max) => format!("{{{min},{max}}}"),
        };
        match repeatable {
            Some((at, repeated)) => self.repeat(at, repeated, &operator),
            None => self.leading_repetition("{...}"),
        }
    }

    /// Reads a bound of an interval up to the closing brace, a comma or the end (glibc's
    /// fetch_number): what it held, and where it stopped.
    fn interval_number(&mut self) -> (Number, Stop) {
        let mut number = Number::Absent;
        loop {
            let Some(c) = self.next() else {
                return (Number::Malformed, Stop::End);
            };
            let closing = if self.extended {
                c == '}'
            } else {
                c == '\\' && self.peek(0) == Some('}')
            };
            if closing {
                self.i += usize::from(!self.extended);
                return (number, Stop::Close);
            }
            if c == ',' {
                return (number, Stop::Comma);
            }
            if c == '\\' {
                // An escaped character in an interval: not a digit, whatever it is.
                self.i += usize::from(self.peek(0).is_some());
            }
            number = match (number, c.to_digit(10)) {
                (Number::Absent, Some(digit)) => Number::Value(digit),
                // Saturates past the limit, to be refused as too big.
                (Number::Value(n), Some(digit)) => Number::Value(
                    n.saturating_mul(10)
                        .saturating_add(digit)
                        .min(MAX_REPEAT + 1),
                ),
                _ => Number::Malformed,
            };
        }
    }

    fn count_paren(&mut self) -> Result<(), PatternError> {
        self.parens += 1;
        if self.parens > MAX_PATTERN_NESTING {
            return Err(PatternError::TooBig);
        }
        Ok(())
    }

    fn open_group(&mut self) -> Result<(), PatternError> {
        self.count_paren()?;
        self.groups += 1;
        self.open.push((self.out.len(), self.groups));
        self.out.push('(');
        self.prev = Prev::Start;
        Ok(())
    }

    fn close_group(&mut self) -> Result<(), PatternError> {
        let (at, _) = self.open.pop().ok_or(PatternError::UnmatchedCloseParen)?;
        self.out.push(')');
        self.prev = Prev::Atom {
            at,
            repeated: false,
        };
        Ok(())
    }

    fn alternative(&mut self) {
        self.out.push('|');
        self.prev = Prev::Start;
    }

    fn atom(&mut self, regex: &str) {
        let at = self.out.len();
        self.out.push_str(regex);
        self.prev = Prev::Atom {
            at,
            repeated: false,
        };
    }

    fn assertion(&mut self, regex: &str) {
        self.out.push_str(regex);
        self.prev = Prev::Assertion;
    }

    fn literal(&mut self, c: char) {
        let mut buffer = [0; 4];
        self.atom(&::regex::escape(c.encode_utf8(&mut buffer)));
    }

    /// A bracket expression, whose `[` was just read: `]` first is a member, `^` first negates,
    /// `a-z` is a range, `[:digit:]` a class, `[.c.]` and `[=c=]` the character c, and a
    /// backslash is an ordinary member (sed still reads `\n`, `\t`… in brackets).
    fn bracket(&mut self) -> Result<(), PatternError> {
        let open = self.i;
        let mut class = String::from("[");
        if self.peek(0) == Some('^') {
            self.i += 1;
            class.push('^');
        }
        if self.peek(0).is_none() {
            // glibc: nothing at all after `[` or `[^`.
            return Err(PatternError::Invalid);
        }
        let mut first = true;
        loop {
            let c = self.next().ok_or(PatternError::UnmatchedBracket)?;
            if c == ']' && !first {
                break;
            }
            first = false;
            let low = match self.bracket_element(c)? {
                Element::Class(name) => {
                    class.push_str(&format!("[:{name}:]"));
                    continue;
                }
                Element::Char(low) => low,
            };
            let is_range = self.peek(0) == Some('-') && self.peek(1).is_some_and(|c| c != ']');
            if !is_range {
                push_class_char(&mut class, low);
                continue;
            }
            self.i += 1;
            let c = self.next().ok_or(PatternError::UnmatchedBracket)?;
            let Element::Char(high) = self.bracket_element(c)? else {
                return Err(PatternError::InvalidRangeEnd);
            };
            if high < low {
                return Err(PatternError::InvalidRangeEnd);
            }
            push_class_char(&mut class, low);
            class.push('-');
            push_class_char(&mut class, high);
        }
        // GNU grep and sed refuse `[:alpha:]` for `[[:alpha:]]`, the usual slip; it would be
        // a set of letters and colons. (`[:]` and `[^:a:]` are fine.)
        let inside = &self.chars[open..self.i - 1];
        if inside.len() > 1
            && inside.first() == Some(&':')
            && inside.last() == Some(&':')
            && inside.iter().any(|c| *c != ':')
        {
            // Reported once the rest has been read: GNU checks this after glibc's own errors.
            self.class_syntax = true;
        }
        class.push(']');
        self.atom(&class);
        Ok(())
    }

    /// One element of a bracket expression, starting with `c` (already read).
    fn bracket_element(&mut self, c: char) -> Result<Element, PatternError> {
        if c == '\\' && self.dialect == Dialect::Sed {
            if let Some(letter) = self.peek(0) {
                if let Some((escaped, used)) = sed_char_escape(letter, &self.chars[self.i + 1..]) {
                    self.i += 1 + used;
                    return Ok(Element::Char(escaped));
                }
            }
        }
        let kind = match (c, self.peek(0)) {
            ('[', Some(kind @ (':' | '.' | '='))) => kind,
            _ => return Ok(Element::Char(c)),
        };
        // The name runs to the matching `:]`, `.]` or `=]`.
        let start = self.i + 1;
        let end = (start..self.chars.len())
            .find(|&j| self.chars[j] == kind && self.chars.get(j + 1) == Some(&']'))
            .ok_or(PatternError::UnmatchedBracket)?;
        let name: String = self.chars[start..end].iter().collect();
        self.i = end + 2;
        if kind == ':' {
            // The crate's classes are ASCII, like GNU's in the C locale; in a UTF-8 locale GNU
            // also counts letters beyond ASCII (`é` is `[:alpha:]` there, not here).
            const CLASSES: [&str; 12] = [
                "alnum", "alpha", "blank", "cntrl", "digit", "graph", "lower", "print", "punct",
                "space", "upper", "xdigit",
            ];
            if !CLASSES.contains(&name.as_str()) {
                return Err(PatternError::InvalidClassName);
            }
            return Ok(Element::Class(name));
        }
        // Collating symbols and equivalence classes of one character are that character; this
        // guest has no multi-character collating elements (glibc's locales hardly do).
        let mut chars = name.chars();
        match (chars.next(), chars.next()) {
            (Some(single), None) => Ok(Element::Char(single)),
            _ => Err(PatternError::InvalidCollation),
        }
    }
}

/// A member of a class in the crate's syntax: letters and digits as they are, every other ASCII
/// character by its code (`]`, `\`, `^`, `-`, `[`, `&`, `~` all mean something there).
fn push_class_char(class: &mut String, c: char) {
    if c.is_ascii_alphanumeric() || !c.is_ascii() {
        class.push(c);
    } else {
        class.push_str(&format!("\\x{{{:X}}}", u32::from(c)));
    }
}
