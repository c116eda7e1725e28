//! A small Rhai scanner for validation: the identifiers, string literals and punctuation of
//! check code with their positions, skipping comments and the text of strings (but scanning
//! the code inside backtick strings' `${...}`), and the `params.NAME` / `params["NAME"]`
//! (likewise `accounts`, `world`) references it makes.

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Ident(String),
    /// A `"..."` string's text (escapes kept as written, `\"` unescaped).
    Str(String),
    Punct(char),
    /// A number, a character literal or a piece of a backtick string.
    Other,
}

/// A token and its 1-based line and column (in characters).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Token {
    pub tok: Tok,
    pub line: usize,
    pub column: usize,
}

struct Scanner {
    chars: Vec<char>,
    i: usize,
    line: usize,
    column: usize,
    out: Vec<Token>,
}

impl Scanner {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.i + ahead).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek(0)?;
        self.i += 1;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn push(&mut self, tok: Tok, line: usize, column: usize) {
        self.out.push(Token { tok, line, column });
    }

    /// Reads a quoted literal after its opening `quote`; returns its text.
    fn quoted(&mut self, quote: char) -> String {
        let mut text = String::new();
        while let Some(c) = self.bump() {
            match c {
                '\\' => {
                    if let Some(n) = self.bump() {
                        if n != quote {
                            text.push('\\');
                        }
                        text.push(n);
                    }
                }
                c if c == quote => break,
                c => text.push(c),
            }
        }
        text
    }

    /// Reads backtick-string text up to its end (`false`) or up to and including an
    /// interpolation's `${` (`true`).
    fn backtick(&mut self) -> bool {
        while let Some(c) = self.bump() {
            match c {
                '`' => return false,
                '$' if self.peek(0) == Some('{') => {
                    self.bump();
                    return true;
                }
                _ => {}
            }
        }
        false
    }

    fn run(mut self) -> Vec<Token> {
        // For each open `{`: whether it opened a backtick string's interpolation.
        let mut braces: Vec<bool> = Vec::new();
        while let Some(c) = self.peek(0) {
            let (line, column) = (self.line, self.column);
            match c {
                c if c.is_whitespace() => {
                    self.bump();
                }
                '/' if self.peek(1) == Some('/') => {
                    while self.peek(0).is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                '/' if self.peek(1) == Some('*') => {
                    self.bump();
                    self.bump();
                    let mut depth = 1;
                    while depth > 0 {
                        match (self.bump(), self.peek(0)) {
                            (None, _) => break,
                            (Some('*'), Some('/')) => {
                                self.bump();
                                depth -= 1;
                            }
                            (Some('/'), Some('*')) => {
                                self.bump();
                                depth += 1;
                            }
                            _ => {}
                        }
                    }
                }
                '"' => {
                    self.bump();
                    let text = self.quoted('"');
                    self.push(Tok::Str(text), line, column);
                }
                '\'' => {
                    self.bump();
                    self.quoted('\'');
                    self.push(Tok::Other, line, column);
                }
                '`' => {
                    self.bump();
                    self.push(Tok::Other, line, column);
                    if self.backtick() {
                        braces.push(true);
                    }
                }
                '{' => {
                    self.bump();
                    braces.push(false);
                    self.push(Tok::Punct('{'), line, column);
                }
                '}' => {
                    self.bump();
                    if braces.pop() == Some(true) {
                        if self.backtick() {
                            braces.push(true);
                        }
                    } else {
                        self.push(Tok::Punct('}'), line, column);
                    }
                }
                c if c.is_alphabetic() || c == '_' => {
                    let mut name = String::new();
                    while let Some(c) = self.peek(0).filter(|c| c.is_alphanumeric() || *c == '_') {
                        name.push(c);
                        self.bump();
                    }
                    self.push(Tok::Ident(name), line, column);
                }
                c if c.is_ascii_digit() => {
                    while let Some(c) = self.peek(0) {
                        let decimal = c == '.' && self.peek(1).is_some_and(|d| d.is_ascii_digit());
                        if !(c.is_alphanumeric() || c == '_' || decimal) {
                            break;
                        }
                        self.bump();
                    }
                    self.push(Tok::Other, line, column);
                }
                c => {
                    self.bump();
                    self.push(Tok::Punct(c), line, column);
                }
            }
        }
        self.out
    }
}

/// The tokens of `code`.
pub(super) fn tokens(code: &str) -> Vec<Token> {
    Scanner {
        chars: code.chars().collect(),
        i: 0,
        line: 1,
        column: 1,
        out: Vec::new(),
    }
    .run()
}

/// A read of `ROOT.NAME` or `ROOT["NAME"]`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Reference {
    pub root: &'static str,
    pub name: String,
    /// Whether it was written `ROOT["NAME"]`.
    pub indexed: bool,
    /// Where `NAME` starts.
    pub line: usize,
    pub column: usize,
}

fn is_punct(t: Option<&Token>, c: char) -> bool {
    t.is_some_and(|t| t.tok == Tok::Punct(c))
}

fn is_ident(t: Option<&Token>, name: &str) -> bool {
    t.is_some_and(|t| matches!(&t.tok, Tok::Ident(n) if n == name))
}

/// Roots the code declares itself (`let params`, `const world`, a function or closure
/// parameter): reads of those are the code's own business.
fn shadowed(toks: &[Token], root: &str) -> bool {
    toks.iter().enumerate().any(|(i, t)| {
        if !matches!(&t.tok, Tok::Ident(n) if n == root) {
            return false;
        }
        let prev = i.checked_sub(1).and_then(|p| toks.get(p));
        let next = toks.get(i + 1);
        let closure_param = is_punct(prev, '|') && (is_punct(next, '|') || is_punct(next, ','));
        if is_ident(prev, "let") || is_ident(prev, "const") || closure_param {
            return true;
        }
        // Inside `fn name( ... )`?
        let mut j = i;
        while j > 0 {
            j -= 1;
            match &toks[j].tok {
                Tok::Punct('(') => {
                    return j >= 2
                        && matches!(toks[j - 1].tok, Tok::Ident(_))
                        && is_ident(toks.get(j - 2), "fn");
                }
                Tok::Ident(_) | Tok::Punct(',') => {}
                _ => return false,
            }
        }
        false
    })
}

/// Every `ROOT.NAME` / `ROOT?.NAME` / `ROOT["NAME"]` / `ROOT?["NAME"]` read of the roots
/// `params`, `accounts` and `world` (not method calls like `params.keys()`, not members of
/// other values like `x.params`, not roots the code declares itself).
pub(super) fn references(code: &str) -> Vec<Reference> {
    let toks = tokens(code);
    let mut out = Vec::new();
    for root in ["params", "accounts", "world"] {
        if shadowed(&toks, root) {
            continue;
        }
        for (i, t) in toks.iter().enumerate() {
            if !matches!(&t.tok, Tok::Ident(n) if n == root) {
                continue;
            }
            let prev = i.checked_sub(1).and_then(|p| toks.get(p));
            let path = i >= 2 && is_punct(prev, ':') && is_punct(toks.get(i - 2), ':');
            if is_punct(prev, '.') || is_ident(prev, "fn") || path {
                continue;
            }
            let mut j = i + 1;
            if is_punct(toks.get(j), '?') {
                j += 1;
            }
            let (name, at, indexed) = match (toks.get(j), toks.get(j + 1), toks.get(j + 2)) {
                (
                    Some(d),
                    Some(
                        n @ Token {
                            tok: Tok::Ident(name),
                            ..
                        },
                    ),
                    after,
                ) if d.tok == Tok::Punct('.') && !is_punct(after, '(') => {
                    (name.clone(), (n.line, n.column), false)
                }
                (
                    Some(b),
                    Some(
                        s @ Token {
                            tok: Tok::Str(name),
                            ..
                        },
                    ),
                    Some(e),
                ) if b.tok == Tok::Punct('[') && e.tok == Tok::Punct(']') => {
                    (name.clone(), (s.line, s.column + 1), true)
                }
                _ => continue,
            };
            out.push(Reference {
                root,
                name,
                indexed,
                line: at.0,
                column: at.1,
            });
        }
    }
    out.sort_by_key(|r| (r.line, r.column));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(code: &str) -> Vec<(String, usize, usize)> {
        references(code)
            .into_iter()
            .map(|r| (format!("{}.{}", r.root, r.name), r.line, r.column))
            .collect()
    }

    #[test]
    fn finds_reads_and_skips_strings_comments_and_methods() {
        let code = "let a = params.region; // params.nope\n/* params.no /* nested */ params.no */\nlet s = \"params.nope\";\nx.params.nope; params.keys(); params.regions.len();\nworld[\"web-1\"] == accounts?.team && params?[\"n\"]\n`${params.count} of ${ `${world.x}` }` + 'p'";
        assert_eq!(
            names(code),
            [
                ("params.region".into(), 1, 16),
                ("params.regions".into(), 4, 38),
                ("world.web-1".into(), 5, 8),
                ("accounts.team".into(), 5, 29),
                ("params.n".into(), 5, 46),
                ("params.count".into(), 6, 11),
                ("world.x".into(), 6, 33),
            ]
        );
    }

    #[test]
    fn declared_roots_are_the_codes_own() {
        assert!(references("let params = #{}; params.x").is_empty());
        assert!(references("fn f(a, world) { world.x }").is_empty());
        assert!(references("[1].map(|params| params.y)").is_empty());
        assert_eq!(references("fn f() { params.z }").len(), 1);
        assert_eq!(references("a || params.z").len(), 1);
        assert_eq!(references("#{region: params.z}").len(), 1);
        assert!(references("m::params.z").is_empty());
    }
}
