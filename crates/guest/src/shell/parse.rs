//! The parser: tokens into and-or lists of pipelines of simple commands, and the joining of
//! physical lines into logical ones.

use super::super::MAX_LOGICAL_LINE_BYTES;
use super::lex::{tokenize, LexError, Op, Token, Word};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Redirect {
    pub(crate) op: Op,
    pub(crate) target: Option<Word>,
}

/// Words and redirections of one command.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct SimpleCommand {
    pub(crate) words: Vec<Word>,
    pub(crate) redirects: Vec<Redirect>,
}

/// `[!] a | b | c`
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pipeline {
    pub(crate) negated: bool,
    pub(crate) commands: Vec<SimpleCommand>,
}

/// `a && b || c`: the first pipeline, then each one with whether it follows `&&`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AndOrList {
    pub(crate) first: Pipeline,
    pub(crate) rest: Vec<(bool, Pipeline)>,
}

/// Words that start or end compound commands, which this shell does not support.
const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac",
    "function", "select", "{", "}",
];

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

/// Bash's message for a token that cannot come where it is.
fn unexpected(token: Option<&Token>) -> String {
    match token {
        None => "syntax error: unexpected end of file".to_string(),
        Some(Token::Op(op)) => format!("syntax error near unexpected token `{}'", op.text()),
        Some(Token::Word(_)) => "syntax error".to_string(),
    }
}

impl Parser {
    fn parse(tokens: Vec<Token>) -> Result<Vec<AndOrList>, String> {
        let mut parser = Parser { tokens, pos: 0 };
        let mut lists = Vec::new();
        while parser.peek().is_some() {
            let first = parser.pipeline()?;
            let mut rest = Vec::new();
            while let Some(Token::Op(op @ (Op::And | Op::Or))) = parser.peek() {
                let is_and = *op == Op::And;
                parser.pos += 1;
                rest.push((is_and, parser.pipeline()?));
            }
            lists.push(AndOrList { first, rest });
            match parser.peek() {
                None => break,
                Some(Token::Op(Op::Semi | Op::Background)) => parser.pos += 1,
                other => return Err(unexpected(other)),
            }
        }
        Ok(lists)
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn pipeline(&mut self) -> Result<Pipeline, String> {
        let negated = matches!(self.peek(), Some(Token::Word(w)) if w.literal() == Some("!"));
        if negated {
            self.pos += 1;
        }
        let mut commands = vec![self.simple_command()?];
        while let Some(Token::Op(Op::Pipe)) = self.peek() {
            self.pos += 1;
            commands.push(self.simple_command()?);
        }
        Ok(Pipeline { negated, commands })
    }

    fn simple_command(&mut self) -> Result<SimpleCommand, String> {
        let mut command = SimpleCommand::default();
        loop {
            match self.peek() {
                Some(Token::Word(word)) => {
                    if command.words.is_empty() {
                        if let Some(keyword) = word.literal().filter(|w| KEYWORDS.contains(w)) {
                            return Err(format!(
                                "`{keyword}': compound commands (if, for, while, case, {{ }}) are not supported by this simulated shell"
                            ));
                        }
                    }
                    command.words.push(word.clone());
                    self.pos += 1;
                }
                Some(Token::Op(op)) if op.is_redirect() => {
                    let op = *op;
                    self.pos += 1;
                    let target = if op.needs_target() {
                        match self.peek() {
                            Some(Token::Word(word)) => {
                                let word = word.clone();
                                self.pos += 1;
                                Some(word)
                            }
                            None => {
                                return Err(
                                    "syntax error near unexpected token `newline'".to_string()
                                )
                            }
                            other => return Err(unexpected(other)),
                        }
                    } else {
                        None
                    };
                    command.redirects.push(Redirect { op, target });
                }
                other => {
                    if command.words.is_empty() && command.redirects.is_empty() {
                        return Err(unexpected(other));
                    }
                    return Ok(command);
                }
            }
        }
    }
}

/// Reads lines from `start` until a whole command is parsed: a trailing `\`, an open quote, or
/// a trailing `&&`/`||`/`|` continues on the next line. Returns the commands and lines used.
pub(crate) fn read_logical_line(
    lines: &[String],
    start: usize,
) -> Result<(Vec<AndOrList>, usize), String> {
    let mut text = String::new();
    let mut used = 0;
    loop {
        let line = &lines[start + used];
        used += 1;
        text.push_str(line);
        if text.len() > MAX_LOGICAL_LINE_BYTES {
            return Err("command too long (simulator limit)".to_string());
        }
        let more = start + used < lines.len();
        let trailing_backslashes = text.chars().rev().take_while(|c| *c == '\\').count();
        if trailing_backslashes % 2 == 1 {
            text.pop();
            if more {
                continue;
            }
        }
        match tokenize(&text) {
            Ok(tokens) => {
                let open = matches!(tokens.last(), Some(Token::Op(Op::And | Op::Or | Op::Pipe)));
                if open && more {
                    text.push('\n');
                    continue;
                }
                return Parser::parse(tokens).map(|lists| (lists, used));
            }
            Err(LexError::Unterminated(_)) if more => text.push('\n'),
            Err(LexError::Unterminated(c)) => {
                return Err(format!("unexpected EOF while looking for matching `{c}'"));
            }
            Err(LexError::Unsupported(what)) => {
                return Err(format!("{what}: not supported by this simulated shell"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::*;

    #[test]
    fn line_continuations_join_lines() {
        let mut guest = al2023();
        let result = run(
            &mut guest,
            "dnf install -y \\\n  git \\\n  jq &&\n  echo done",
        );
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert!(guest.has_package("git") && guest.has_package("jq"));
        assert!(result.stdout.ends_with("done\n"));
    }

    #[test]
    fn unsupported_syntax_stops_like_a_syntax_error() {
        let mut guest = al2023();
        let result = run(
            &mut guest,
            "echo one\nif true; then echo two; fi\necho three",
        );
        assert_eq!(result.exit_code, 2);
        assert_eq!(result.stdout, "one\n");
        assert!(result
            .stderr
            .contains("not supported by this simulated shell"));
        let result = run(&mut guest, "cat > /tmp/x <<EOF\nhello\nEOF");
        assert_eq!(result.exit_code, 2);
        assert!(guest.file("/tmp/x").is_none());
        let result = run(&mut guest, "&& echo x");
        assert_eq!(result.exit_code, 2);
        assert!(result
            .stderr
            .contains("syntax error near unexpected token `&&'"));
    }
}
