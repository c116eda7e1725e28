//! The lexer: one logical line into words (with quoting and expansions kept apart) and operators.

use std::mem;

/// A control operator (`&&`, `||`, `;`, `&`, `|`) or a redirection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    And,
    Or,
    Semi,
    Background,
    Pipe,
    /// `>`
    Out,
    /// `>>`
    Append,
    /// `2>`
    ErrOut,
    /// `2>>`
    ErrAppend,
    /// `2>&1`
    ErrToOut,
    /// `>&2`
    OutToErr,
    /// `&>`
    AllOut,
    /// `<`
    In,
}

impl Op {
    pub(crate) fn text(self) -> &'static str {
        match self {
            Op::And => "&&",
            Op::Or => "||",
            Op::Semi => ";",
            Op::Background => "&",
            Op::Pipe => "|",
            Op::Out => ">",
            Op::Append => ">>",
            Op::ErrOut => "2>",
            Op::ErrAppend => "2>>",
            Op::ErrToOut => "2>&1",
            Op::OutToErr => ">&2",
            Op::AllOut => "&>",
            Op::In => "<",
        }
    }

    pub(crate) fn is_redirect(self) -> bool {
        matches!(
            self,
            Op::Out
                | Op::Append
                | Op::ErrOut
                | Op::ErrAppend
                | Op::ErrToOut
                | Op::OutToErr
                | Op::AllOut
                | Op::In
        )
    }

    /// Whether a file name follows (`> file`), unlike the descriptor copies `2>&1` and `>&2`.
    pub(crate) fn needs_target(self) -> bool {
        self.is_redirect() && !matches!(self, Op::ErrToOut | Op::OutToErr)
    }
}

/// A piece of a word; expansions are done when the command runs, not when it is parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    Text {
        text: String,
        quoted: bool,
    },
    Var {
        name: String,
        default: Option<String>,
        quoted: bool,
    },
    Subst {
        script: String,
        quoted: bool,
    },
}

/// One shell word, as the parts it was written in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Word {
    pub(crate) parts: Vec<Part>,
}

impl Word {
    /// The word's text when it is one unquoted literal (for keywords and `!`).
    pub(crate) fn literal(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [Part::Text {
                text,
                quoted: false,
            }] => Some(text),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token {
    Word(Word),
    Op(Op),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LexError {
    /// The line ends inside quotes or `$(`: the script continues on the next line.
    Unterminated(char),
    Unsupported(&'static str),
}

/// The word being lexed; `started` tells an empty quoted word (`''`) from no word at all.
#[derive(Default)]
struct WordBuilder {
    parts: Vec<Part>,
    started: bool,
}

impl WordBuilder {
    fn push_char(&mut self, c: char, quoted: bool) {
        self.push_text(c.encode_utf8(&mut [0; 4]), quoted);
    }

    fn push_text(&mut self, s: &str, quoted: bool) {
        self.started = true;
        if let Some(Part::Text { text, quoted: q }) = self.parts.last_mut() {
            if *q == quoted {
                text.push_str(s);
                return;
            }
        }
        self.parts.push(Part::Text {
            text: s.to_string(),
            quoted,
        });
    }

    fn push_part(&mut self, part: Part) {
        self.started = true;
        self.parts.push(part);
    }

    fn finish_into(&mut self, tokens: &mut Vec<Token>) {
        if self.started {
            tokens.push(Token::Word(Word {
                parts: mem::take(&mut self.parts),
            }));
            self.started = false;
        }
    }
}

fn is_name_char(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric()
}

/// Whether a `~` before this character stands alone (so it expands to the home directory).
fn is_word_end(c: Option<&char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || matches!(c, '/' | ';' | '&' | '|' | '<' | '>'))
}

/// Whether `word` is `NAME=value`.
pub(crate) fn is_assignment(word: &str) -> bool {
    match word.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && name.chars().all(is_name_char)
        }
        None => false,
    }
}

/// Splits one logical line into words and operators.
pub(crate) fn tokenize(text: &str) -> Result<Vec<Token>, LexError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut word = WordBuilder::default();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !word.started {
            if c == '#' {
                break;
            }
            if let Some((op, len)) = fd_redirect(&chars[i..]) {
                tokens.push(Token::Op(op));
                i += len;
                continue;
            }
            if c == '~' && is_word_end(chars.get(i + 1)) {
                word.push_text("/root", true);
                i += 1;
                continue;
            }
        }
        match c {
            c if c.is_whitespace() => {
                word.finish_into(&mut tokens);
                i += 1;
            }
            '&' | '|' | ';' | '<' | '>' => {
                word.finish_into(&mut tokens);
                let (op, len) = operator(&chars[i..])?;
                tokens.push(Token::Op(op));
                i += len;
            }
            '(' | ')' => return Err(LexError::Unsupported("subshells and functions ( )")),
            '\'' => {
                let end = (i + 1..chars.len())
                    .find(|&j| chars[j] == '\'')
                    .ok_or(LexError::Unterminated('\''))?;
                let inner: String = chars[i + 1..end].iter().collect();
                word.push_text(&inner, true);
                i = end + 1;
            }
            '"' => i = lex_double_quoted(&chars, i + 1, &mut word)?,
            '\\' => {
                if let Some(&next) = chars.get(i + 1) {
                    if next != '\n' {
                        word.push_char(next, true);
                    }
                }
                i += 2;
            }
            '$' => i = lex_dollar(&chars, i, false, &mut word)?,
            '`' => i = lex_backticks(&chars, i, false, &mut word)?,
            _ => {
                word.push_char(c, false);
                i += 1;
            }
        }
    }
    word.finish_into(&mut tokens);
    Ok(tokens)
}

/// `2>&1`, `2>>`, `2>`, `1>&2`, `1>>`, `1>` at the start of a word.
fn fd_redirect(chars: &[char]) -> Option<(Op, usize)> {
    let starts = |s: &str| s.chars().enumerate().all(|(k, c)| chars.get(k) == Some(&c));
    [
        ("2>&1", Op::ErrToOut),
        ("2>>", Op::ErrAppend),
        ("2>", Op::ErrOut),
        ("1>&2", Op::OutToErr),
        ("1>>", Op::Append),
        ("1>", Op::Out),
    ]
    .into_iter()
    .find(|(s, _)| starts(s))
    .map(|(s, op)| (op, s.len()))
}

fn operator(chars: &[char]) -> Result<(Op, usize), LexError> {
    let next = chars.get(1).copied();
    let op = match (chars[0], next) {
        ('&', Some('&')) => (Op::And, 2),
        ('&', Some('>')) => (Op::AllOut, 2),
        ('&', _) => (Op::Background, 1),
        ('|', Some('|')) => (Op::Or, 2),
        ('|', _) => (Op::Pipe, 1),
        (';', Some(';')) => return Err(LexError::Unsupported("case statements (;;)")),
        (';', _) => (Op::Semi, 1),
        ('<', Some('<')) => return Err(LexError::Unsupported("here-documents (<<)")),
        ('<', _) => (Op::In, 1),
        ('>', Some('>')) => (Op::Append, 2),
        ('>', Some('&')) if chars.get(2) == Some(&'2') => (Op::OutToErr, 3),
        ('>', Some('|')) => (Op::Out, 2),
        _ => (Op::Out, 1),
    };
    Ok(op)
}

fn lex_double_quoted(
    chars: &[char],
    start: usize,
    word: &mut WordBuilder,
) -> Result<usize, LexError> {
    word.push_text("", true);
    let mut i = start;
    loop {
        let Some(&c) = chars.get(i) else {
            return Err(LexError::Unterminated('"'));
        };
        match c {
            '"' => return Ok(i + 1),
            '\\' => match chars.get(i + 1) {
                Some(&next @ ('"' | '\\' | '$' | '`')) => {
                    word.push_char(next, true);
                    i += 2;
                }
                Some('\n') => i += 2,
                _ => {
                    word.push_char('\\', true);
                    i += 1;
                }
            },
            '$' => i = lex_dollar(chars, i, true, word)?,
            '`' => i = lex_backticks(chars, i, true, word)?,
            _ => {
                word.push_char(c, true);
                i += 1;
            }
        }
    }
}

/// `$NAME`, `${NAME}`, `${NAME:-default}`, `$?`, `$(command)`; a lone `$` is literal.
fn lex_dollar(
    chars: &[char],
    i: usize,
    quoted: bool,
    word: &mut WordBuilder,
) -> Result<usize, LexError> {
    match chars.get(i + 1) {
        Some('{') => {
            let end = (i + 2..chars.len())
                .find(|&j| chars[j] == '}')
                .ok_or(LexError::Unterminated('}'))?;
            let inner: String = chars[i + 2..end].iter().collect();
            let (name, default) = match inner.split_once(":-") {
                Some((name, default)) => (name.to_string(), Some(default.to_string())),
                None => (inner, None),
            };
            word.push_part(Part::Var {
                name,
                default,
                quoted,
            });
            Ok(end + 1)
        }
        Some('(') => {
            if chars.get(i + 2) == Some(&'(') {
                return Err(LexError::Unsupported("arithmetic expansion $(( ))"));
            }
            let end = matching_paren(chars, i + 2).ok_or(LexError::Unterminated(')'))?;
            let script: String = chars[i + 2..end].iter().collect();
            word.push_part(Part::Subst { script, quoted });
            Ok(end + 1)
        }
        Some(&c) if matches!(c, '?' | '$' | '#' | '@' | '*' | '!') || c.is_ascii_digit() => {
            word.push_part(Part::Var {
                name: c.to_string(),
                default: None,
                quoted,
            });
            Ok(i + 2)
        }
        Some(&c) if c == '_' || c.is_ascii_alphabetic() => {
            let end = (i + 1..chars.len())
                .find(|&j| !is_name_char(chars[j]))
                .unwrap_or(chars.len());
            let name: String = chars[i + 1..end].iter().collect();
            word.push_part(Part::Var {
                name,
                default: None,
                quoted,
            });
            Ok(end)
        }
        _ => {
            word.push_char('$', quoted);
            Ok(i + 1)
        }
    }
}

fn lex_backticks(
    chars: &[char],
    i: usize,
    quoted: bool,
    word: &mut WordBuilder,
) -> Result<usize, LexError> {
    let end = (i + 1..chars.len())
        .find(|&j| chars[j] == '`')
        .ok_or(LexError::Unterminated('`'))?;
    let script: String = chars[i + 1..end].iter().collect();
    word.push_part(Part::Subst { script, quoted });
    Ok(end + 1)
}

/// The `)` closing a `$(` whose body starts at `start`, skipping quoted text.
fn matching_paren(chars: &[char], start: usize) -> Option<usize> {
    let mut depth = 1;
    let mut quote: Option<char> = None;
    let mut i = start;
    while i < chars.len() {
        let c = chars[i];
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => i += 1,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '\\') => i += 1,
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::*;

    #[test]
    fn quoting_groups_words_and_is_removed() {
        let mut guest = al2023();
        let result = run(&mut guest, "echo 'a  b'   \"c  d\" e\\ f\necho '$HOME' \"$HOME\" ~\necho \"it's\" 'say \"hi\"'\necho a#b # comment");
        assert_eq!(
            result.stdout,
            "a  b c  d e f\n$HOME /root /root\nit's say \"hi\"\na#b\n"
        );
        run(&mut guest, "touch '/tmp/with space'");
        assert!(guest.file("/tmp/with space").is_some());
        let result = run(&mut guest, "echo \"unterminated");
        assert_eq!(result.exit_code, 2);
        assert!(result
            .stderr
            .contains("unexpected EOF while looking for matching"));
    }
}
