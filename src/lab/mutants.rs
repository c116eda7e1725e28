//! Mutants of a lab's reference solution, for mutation testing of labs: every statement removed
//! in turn, every numeric literal bumped, and sabotage endings appended. A mutant that still
//! passes a lab's checks shows the checks are too weak. This module only derives the mutants;
//! grading them is someone else's job.

use std::collections::{BTreeMap, BTreeSet};

use rhai::{ASTNode, Engine, Expr, OptimizationLevel, Position, Stmt, StmtBlock, AST};
use sha2::{Digest, Sha256};

/// What a mutant changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MutantKind {
    /// One statement deleted (at top level, in a block, a `fn` body or a closure body).
    Remove,
    /// One numeric literal changed: an integer `n` becomes `n + 1`, a float `x` becomes `x + 1.0`.
    Literal,
    /// A destructive ending appended after the script.
    Sabotage,
}

/// One mutant of a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mutant {
    /// Stable id, e.g. `remove-3f2a1c`, `literal-9b0e4d`, `sabotage-terminate-instances`.
    ///
    /// Removal and literal ids hash the whitespace-normalized text of the statement concerned
    /// (plus its occurrence index among identical statements), never its line, so they survive
    /// unrelated edits elsewhere in the file. In the unlikely event of a 6-digit collision the
    /// later mutant gets a `-2`, `-3`… suffix.
    pub id: String,
    pub kind: MutantKind,
    /// 1-based line in the original source (for sabotage: the last line + 1).
    pub line: usize,
    /// One human line, diff-like: `- 12: ec2.get_waiter("image_available").wait(#{image_ids: [image]});`
    /// `~ 7: let version = 1;  (1 → 2)` or `+ end: terminate every instance the learner owns`.
    pub diff: String,
    /// The whole mutated script.
    pub source: String,
}

/// Derives the mutants of `source`: removals in source order, then literals in source order,
/// then the sabotage endings in a fixed order. `other_account` is the 12-digit account the
/// `sabotage-share-other` ending shares images with.
///
/// Every mutant returned compiles; no two have the same source. `Err` when `source` itself does
/// not compile, or when `other_account` is not a 12-digit account id (it is spliced into Rhai).
pub fn derive(source: &str, other_account: &str) -> Result<Vec<Mutant>, String> {
    let engine = compiler();
    let ast = engine
        .compile(source)
        .map_err(|e| format!("the script does not compile: {e}"))?;
    if other_account.len() != 12 || !other_account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "'{other_account}' is not an AWS account id: an account id is exactly 12 digits"
        ));
    }
    let text = Text::new(source);
    let bodies = bodies(&ast, &text);
    let mut spans = Vec::new();
    text.block(ast.statements(), Some(source.len()), true, &mut spans);
    for body in &bodies {
        text.block(&body.statements, body.end, false, &mut spans);
    }
    // Source order, outer before inner when two start together (a statement and the first one
    // of a block it opens cannot start together, but be deterministic anyway).
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    spans.dedup();

    let records = records(&text, &spans);
    let mut ids = Ids::default();
    let mut seen = BTreeSet::new();
    seen.insert(source.to_string());
    let mut mutants = Vec::new();

    for record in &records {
        let Some(mutated) = text.without(record.span) else {
            continue;
        };
        if !seen.insert(mutated.clone()) || engine.compile(&mutated).is_err() {
            continue;
        }
        let digest = hex6(&["remove", &record.normalized, &record.occurrence.to_string()]);
        mutants.push(Mutant {
            id: ids.unique(format!("remove-{digest}")),
            kind: MutantKind::Remove,
            line: text.line_of(record.span.start),
            diff: format!(
                "- {}: {}",
                text.line_of(record.span.start),
                shorten(&record.normalized)
            ),
            source: mutated,
        });
    }

    let literals = literals(&ast, &bodies, &text);
    // A literal's index counts the literals before it in its innermost statement only.
    let mut per_record: BTreeMap<Option<usize>, usize> = BTreeMap::new();
    for literal in literals {
        let enclosing = records
            .iter()
            .enumerate()
            .filter(|(_, r)| r.span.start <= literal.start && literal.end <= r.span.end)
            .max_by_key(|(_, r)| r.span.start)
            .map(|(i, _)| i);
        let index = per_record.entry(enclosing).or_insert(0);
        let this_index = *index;
        *index += 1;
        let (Some(before), Some(old), Some(after)) = (
            source.get(..literal.start),
            source.get(literal.start..literal.end),
            source.get(literal.end..),
        ) else {
            continue;
        };
        let mutated = format!("{before}{}{after}", literal.new);
        if !seen.insert(mutated.clone()) || engine.compile(&mutated).is_err() {
            continue;
        }
        let line = text.line_of(literal.start);
        let (context, occurrence) = match enclosing.and_then(|i| records.get(i)) {
            Some(r) => (r.normalized.clone(), r.occurrence),
            // Outside any removable statement (a closure without braces at the top of a
            // `switch` arm…): the line is the best context there is.
            None => (normalize(text.line_text(line)), 0),
        };
        let digest = hex6(&[
            "literal",
            &context,
            &occurrence.to_string(),
            &this_index.to_string(),
            old,
            &literal.new,
        ]);
        mutants.push(Mutant {
            id: ids.unique(format!("literal-{digest}")),
            kind: MutantKind::Literal,
            line,
            diff: format!(
                "~ {line}: {}  ({old} → {})",
                shorten(text.line_text(line).trim()),
                literal.new
            ),
            source: mutated,
        });
    }

    let end_line = source.lines().count() + 1;
    for sabotage in SABOTAGES {
        let mutated = format!(
            "{source}\n;\n{}",
            sabotage_code(sabotage.action, other_account)
        );
        // The endings are fixed code; this only guards against a script that ends in a way
        // an appended statement cannot follow.
        if !seen.insert(mutated.clone()) || engine.compile(&mutated).is_err() {
            continue;
        }
        mutants.push(Mutant {
            id: format!("sabotage-{}", sabotage.name),
            kind: MutantKind::Sabotage,
            line: end_line,
            diff: format!("+ end: {}", sabotage.what.replace("{other}", other_account)),
            source: mutated,
        });
    }
    Ok(mutants)
}

/// A compiler that keeps the source's shape: no optimisation (which would fold constants and
/// drop statements), no registered functions (names resolve at run time, so unknown ones are
/// fine).
fn compiler() -> Engine {
    let mut engine = Engine::new_raw();
    engine.set_optimization_level(OptimizationLevel::None);
    engine
}

/// A removable statement: byte range `start..end` in the source, trailing `;` included,
/// trailing comments and whitespace excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: usize,
    end: usize,
}

struct Record {
    span: Span,
    normalized: String,
    /// How many earlier statements (in source order) have the same normalized text.
    occurrence: usize,
}

fn records(text: &Text, spans: &[Span]) -> Vec<Record> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    spans
        .iter()
        .map(|&span| {
            let normalized = normalize(text.src.get(span.start..span.end).unwrap_or(""));
            let count = counts.entry(normalized.clone()).or_insert(0);
            let occurrence = *count;
            *count += 1;
            Record {
                span,
                normalized,
                occurrence,
            }
        })
        .collect()
}

/// A function body from the AST's library (a `fn` or a closure).
struct Body {
    statements: Vec<Stmt>,
    /// Byte offset of the closing `}`; `None` for a closure without braces, whose single
    /// expression cannot be removed.
    end: Option<usize>,
}

/// The bodies of every function, `fn` definitions and closures alike. Rhai does not export the
/// body's type, so each function is put alone in an AST of its own and walked: the roots of that
/// walk are exactly the body's statements. (`AST::clone_functions_only_filtered` would be the
/// obvious tool, but in rhai 1.27 it ignores its filter when copying into an empty library.)
fn bodies(ast: &AST, text: &Text) -> Vec<Body> {
    let mut out = Vec::new();
    for def in ast.iter_fn_def() {
        let mut module = rhai::Module::new();
        module.set_script_fn(def.clone());
        let alone = AST::new(Vec::<Stmt>::new(), module);
        let mut statements = Vec::new();
        alone.walk(&mut |path: &[ASTNode]| {
            if let [ASTNode::Stmt(stmt)] = path {
                statements.push((*stmt).clone());
            }
            true
        });
        let end = text.closing_brace(def.body.start_position(), def.body.end_position());
        out.push(Body { statements, end });
    }
    out
}

/// A numeric literal to change: its bytes in the source and the replacement text.
struct Literal {
    start: usize,
    end: usize,
    new: String,
}

/// Every integer and float literal in the script and its functions, in source order. Strings'
/// text never holds one (the AST has string constants there); `${...}` interpolations do.
fn literals(ast: &AST, bodies: &[Body], text: &Text) -> Vec<Literal> {
    let mut found: BTreeMap<usize, Literal> = BTreeMap::new();
    let mut visit = |path: &[ASTNode]| {
        let constant = match path.last() {
            Some(ASTNode::Expr(Expr::IntegerConstant(n, pos))) => Some((Number::Int(*n), *pos)),
            Some(ASTNode::Expr(Expr::FloatConstant(x, pos))) => Some((Number::Float(**x), *pos)),
            _ => None,
        };
        if let Some((value, pos)) = constant {
            if let Some(literal) = text.literal(value, pos) {
                found.entry(literal.start).or_insert(literal);
            }
        }
        true
    };
    let mut path = Vec::new();
    for stmt in ast.statements() {
        stmt.walk(&mut path, &mut visit);
        path.clear();
    }
    for body in bodies {
        for stmt in &body.statements {
            stmt.walk(&mut path, &mut visit);
            path.clear();
        }
    }
    found.into_values().collect()
}

#[derive(Debug, Clone, Copy)]
enum Number {
    Int(rhai::INT),
    Float(rhai::FLOAT),
}

/// The source text with what the AST does not say: byte offsets of lines, which bytes are
/// comments, and where top-level `fn` definitions start.
struct Text<'s> {
    src: &'s str,
    line_starts: Vec<usize>,
    comment: Vec<bool>,
    /// Byte offsets of top-level `fn` definitions (of `private` when present). They are not
    /// statements, so a top-level statement's span must stop before the next one.
    fn_starts: Vec<usize>,
}

impl<'s> Text<'s> {
    fn new(src: &'s str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        let (comment, fn_starts) = scan(src);
        Text {
            src,
            line_starts,
            comment,
            fn_starts,
        }
    }

    /// Byte offset of a Rhai position (1-based line, 1-based character column).
    fn offset(&self, pos: Position) -> Option<usize> {
        let line = pos.line()?;
        let column = pos.position()?;
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let rest = self.src.get(start..)?;
        let (i, c) = rest.char_indices().nth(column.checked_sub(1)?)?;
        (c != '\n').then_some(start + i)
    }

    /// 1-based line of a byte offset.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset)
    }

    fn line_text(&self, line: usize) -> &'s str {
        let start = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let end = self
            .line_starts
            .get(line)
            .map(|e| e - 1)
            .unwrap_or(self.src.len());
        self.src
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches('\r')
    }

    fn is_trivia(&self, offset: usize) -> bool {
        self.comment.get(offset).copied().unwrap_or(false)
            || self
                .src
                .as_bytes()
                .get(offset)
                .is_some_and(|b| b.is_ascii_whitespace())
    }

    /// The offset just after the last code byte before `boundary` (and not before `start`).
    fn trim_back(&self, start: usize, boundary: usize) -> usize {
        let mut end = boundary;
        while end > start && self.is_trivia(end - 1) {
            end -= 1;
        }
        end
    }

    /// The offset of the last code byte before `offset`, if any.
    fn previous_code(&self, offset: usize) -> Option<usize> {
        (0..offset).rev().find(|&i| !self.is_trivia(i))
    }

    /// The byte offset of a block's `}`, when the block has braces.
    fn closing_brace(&self, start: Position, end: Position) -> Option<usize> {
        if start.is_none() || end.is_none() {
            return None;
        }
        let end = self.offset(end)?;
        (self.src.as_bytes().get(end) == Some(&b'}')).then_some(end)
    }

    /// Where a statement really starts. `Stmt::position` points at the operator of an
    /// assignment and at the `.` or operator of some expressions, so take the earliest
    /// position of any node in it; then take in any `(` it opens with (parentheses have no
    /// node of their own).
    fn stmt_start(&self, stmt: &Stmt) -> Option<usize> {
        let mut earliest: Option<usize> = None;
        let mut path = Vec::new();
        stmt.walk(&mut path, &mut |nodes: &[ASTNode]| {
            if let Some(offset) = nodes.last().and_then(|n| self.offset(n.position())) {
                earliest = Some(earliest.map_or(offset, |e| e.min(offset)));
            }
            true
        });
        let mut start = earliest?;
        while let Some(i) = self.previous_code(start) {
            if self.src.as_bytes().get(i) != Some(&b'(') {
                break;
            }
            start = i;
        }
        Some(start)
    }

    /// Collects the spans of a block's statements, then those of every block inside them.
    /// `end` is the block's `}` (or the end of the file at top level); `None` for a block
    /// without braces, whose statements are only looked into.
    fn block(&self, stmts: &[Stmt], end: Option<usize>, top: bool, out: &mut Vec<Span>) {
        // `Share` statements are the parser's bookkeeping for closures, `Noop` a lone `;`.
        let live: Vec<&Stmt> = stmts
            .iter()
            .filter(|s| !matches!(s, Stmt::Noop(..) | Stmt::Share(..)))
            .collect();
        if let Some(end) = end {
            let starts: Vec<Option<usize>> = live.iter().map(|s| self.stmt_start(s)).collect();
            for (i, start) in starts.iter().enumerate() {
                let Some(start) = *start else { continue };
                let mut boundary = starts[i + 1..].iter().flatten().next().copied();
                boundary = Some(boundary.map_or(end, |b| b.min(end)));
                if top {
                    if let Some(&f) = self.fn_starts.iter().find(|&&f| f > start) {
                        boundary = boundary.map(|b| b.min(f));
                    }
                }
                let boundary = boundary.unwrap_or(end);
                if boundary <= start {
                    continue;
                }
                let stop = self.trim_back(start, boundary);
                if stop > start {
                    out.push(Span { start, end: stop });
                }
            }
        }
        for stmt in live {
            self.stmt(stmt, out);
        }
    }

    fn nested(&self, block: &StmtBlock, out: &mut Vec<Span>) {
        let span = block.span();
        let end = self.closing_brace(span.start(), span.end());
        self.block(block.statements(), end, false, out);
    }

    fn stmt(&self, stmt: &Stmt, out: &mut Vec<Span>) {
        match stmt {
            Stmt::Var(x, ..) => self.expr(&x.1, out),
            Stmt::If(x, ..) | Stmt::TryCatch(x, ..) => {
                self.expr(&x.expr, out);
                self.nested(&x.body, out);
                self.nested(&x.branch, out);
            }
            Stmt::While(x, ..) | Stmt::Do(x, ..) => {
                self.expr(&x.expr, out);
                self.nested(&x.body, out);
            }
            Stmt::For(x, ..) => {
                self.expr(&x.2.expr, out);
                self.nested(&x.2.body, out);
            }
            Stmt::Switch(x, ..) => {
                self.expr(&x.0, out);
                // `expressions` is a list in arm order (the case table is a hash map).
                for arm in &x.1.expressions {
                    self.expr(&arm.lhs, out);
                    self.expr(&arm.rhs, out);
                }
            }
            Stmt::Assignment(x) => {
                self.expr(&x.1.lhs, out);
                self.expr(&x.1.rhs, out);
            }
            Stmt::FnCall(x, ..) => x.args.iter().for_each(|a| self.expr(a, out)),
            Stmt::Block(block) => self.nested(block, out),
            Stmt::Expr(e) => self.expr(e, out),
            Stmt::BreakLoop(Some(e), ..) | Stmt::Return(Some(e), ..) => self.expr(e, out),
            _ => {}
        }
    }

    fn expr(&self, expr: &Expr, out: &mut Vec<Span>) {
        match expr {
            // A `{ ... }` block expression or switch arm has braces; the wrappers the parser
            // makes for `if` expressions and capturing closures do not.
            Expr::Stmt(block) => self.nested(block, out),
            // The parts of `${...}` are blocks with braces too, but not statements anyone
            // wrote: look into them only.
            Expr::InterpolatedString(x, ..) => x.iter().for_each(|e| match e {
                Expr::Stmt(block) => self.block(block.statements(), None, false, out),
                e => self.expr(e, out),
            }),
            Expr::Array(x, ..) => x.iter().for_each(|e| self.expr(e, out)),
            Expr::Map(x, ..) => x.0.iter().for_each(|(_, e)| self.expr(e, out)),
            Expr::Index(x, ..) | Expr::Dot(x, ..) => {
                self.expr(&x.lhs, out);
                self.expr(&x.rhs, out);
            }
            Expr::And(x, ..) | Expr::Or(x, ..) | Expr::Coalesce(x, ..) => {
                x.iter().for_each(|e| self.expr(e, out))
            }
            Expr::FnCall(x, ..) | Expr::MethodCall(x, ..) => {
                x.args.iter().for_each(|e| self.expr(e, out))
            }
            _ => {}
        }
    }

    /// The source without `span`; a statement that filled its lines takes its lines with it.
    /// `None` only if the span is not on character boundaries (it always is).
    fn without(&self, span: Span) -> Option<String> {
        let src = self.src;
        let line_start = src.get(..span.start)?.rfind('\n').map_or(0, |i| i + 1);
        let line_end = src
            .get(span.end..)?
            .find('\n')
            .map_or(src.len(), |i| span.end + i + 1);
        let before_blank = src.get(line_start..span.start)?.trim().is_empty();
        let after_blank = src.get(span.end..line_end)?.trim().is_empty();
        let (from, to) = if before_blank && after_blank {
            (line_start, line_end)
        } else {
            (span.start, span.end)
        };
        Some(format!("{}{}", src.get(..from)?, src.get(to..)?))
    }

    /// The literal a constant was parsed from, when its text is where the position says and
    /// reads back as the same value (anything else is left alone rather than guessed at).
    fn literal(&self, value: Number, pos: Position) -> Option<Literal> {
        let at = self.offset(pos)?;
        let (start, end, read) = read_number(self.src, at).or_else(|| {
            // A folded negative literal may carry the position of its digits.
            let minus = self.previous_code(at)?;
            (self.src.as_bytes().get(minus) == Some(&b'-'))
                .then(|| read_number(self.src, minus))
                .flatten()
        })?;
        let new = match (value, read) {
            (Number::Int(n), Number::Int(r)) if n == r => n.checked_add(1)?.to_string(),
            (Number::Float(x), Number::Float(r)) if x == r && x.is_finite() => float_text(x + 1.0),
            _ => return None,
        };
        Some(Literal { start, end, new })
    }
}

/// Reads a number literal (with an optional leading `-`) at `at`: its extent and value.
fn read_number(src: &str, at: usize) -> Option<(usize, usize, Number)> {
    let bytes = src.as_bytes();
    let mut i = at;
    let negative = bytes.get(i) == Some(&b'-');
    if negative {
        i += 1;
        while bytes.get(i).is_some_and(|b| *b == b' ' || *b == b'\t') {
            i += 1;
        }
    }
    let digits_start = i;
    if !bytes.get(i)?.is_ascii_digit() {
        return None;
    }
    let radix = match bytes.get(i..i + 2) {
        Some(b"0x") => Some(16),
        Some(b"0o") => Some(8),
        Some(b"0b") => Some(2),
        _ => None,
    };
    let digits = |i: &mut usize, f: fn(&u8) -> bool| {
        while bytes.get(*i).is_some_and(|b| f(b) || *b == b'_') {
            *i += 1;
        }
    };
    if let Some(radix) = radix {
        i += 2;
        digits(&mut i, u8::is_ascii_hexdigit);
        let text: String = src
            .get(digits_start + 2..i)?
            .chars()
            .filter(|c| *c != '_')
            .collect();
        let n = rhai::INT::from_str_radix(&text, radix).ok()?;
        let n = if negative { n.checked_neg()? } else { n };
        return Some((at, i, Number::Int(n)));
    }
    digits(&mut i, u8::is_ascii_digit);
    let mut float = false;
    // `1..3` is a range and `1.max(2)` a method call: only a digit after `.` makes a float.
    if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
        float = true;
        i += 1;
        digits(&mut i, u8::is_ascii_digit);
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(bytes.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        if bytes.get(j).is_some_and(u8::is_ascii_digit) {
            float = true;
            i = j;
            digits(&mut i, u8::is_ascii_digit);
        }
    }
    let text: String = src
        .get(digits_start..i)?
        .chars()
        .filter(|c| *c != '_')
        .collect();
    let number = if float {
        let x: rhai::FLOAT = text.parse().ok()?;
        Number::Float(if negative { -x } else { x })
    } else {
        let n: rhai::INT = text.parse().ok()?;
        Number::Int(if negative { n.checked_neg()? } else { n })
    };
    Some((at, i, number))
}

/// A float as Rhai source: always with a `.` or an exponent, so it stays a float.
fn float_text(x: rhai::FLOAT) -> String {
    let text = format!("{x:?}");
    if text.contains(['.', 'e', 'E']) {
        text
    } else {
        format!("{text}.0")
    }
}

/// Marks comment bytes and finds top-level `fn` definitions. A small lexer: it knows comments
/// (`//`, nested `/* */`), strings (`"..."` with escapes, `'c'`, `` `...` `` with `${...}`
/// interpolations of code) and brace depth, which is all it takes.
fn scan(src: &str) -> (Vec<bool>, Vec<usize>) {
    #[derive(Clone, Copy)]
    enum Ctx {
        Code,
        /// Code inside `${ }`, with its own brace depth.
        Interpolation(usize),
        Backtick,
    }
    let b = src.as_bytes();
    let n = b.len();
    let mut comment = vec![false; n];
    let mut fn_starts = Vec::new();
    let mut stack = vec![Ctx::Code];
    let mut depth = 0usize;
    // The last word seen in top-level code and where it started, for `private fn`.
    let mut last_word: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < n {
        let ctx = *stack.last().unwrap_or(&Ctx::Code);
        match ctx {
            Ctx::Backtick => {
                if b[i] == b'`' {
                    stack.pop();
                    i += 1;
                } else if b[i] == b'$' && b.get(i + 1) == Some(&b'{') {
                    stack.push(Ctx::Interpolation(0));
                    i += 2;
                } else {
                    i += 1;
                }
            }
            Ctx::Code | Ctx::Interpolation(_) => {
                let c = b[i];
                if c == b'/' && b.get(i + 1) == Some(&b'/') {
                    while i < n && b[i] != b'\n' {
                        comment[i] = true;
                        i += 1;
                    }
                } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
                    let mut nesting = 0usize;
                    while i < n {
                        if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                            nesting += 1;
                            comment[i] = true;
                            comment[i + 1] = true;
                            i += 2;
                        } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                            comment[i] = true;
                            comment[i + 1] = true;
                            i += 2;
                            nesting -= 1;
                            if nesting == 0 {
                                break;
                            }
                        } else {
                            comment[i] = true;
                            i += 1;
                        }
                    }
                } else if c == b'"' || c == b'\'' {
                    i += 1;
                    while i < n {
                        if b[i] == b'\\' {
                            i += 2;
                        } else if b[i] == c {
                            i += 1;
                            break;
                        } else {
                            i += 1;
                        }
                    }
                } else if c == b'`' {
                    stack.push(Ctx::Backtick);
                    i += 1;
                } else if c == b'{' {
                    match stack.last_mut() {
                        Some(Ctx::Interpolation(d)) => *d += 1,
                        _ => depth += 1,
                    }
                    i += 1;
                } else if c == b'}' {
                    match stack.last_mut() {
                        Some(Ctx::Interpolation(0)) => {
                            stack.pop();
                        }
                        Some(Ctx::Interpolation(d)) => *d -= 1,
                        _ => depth = depth.saturating_sub(1),
                    }
                    i += 1;
                } else if c.is_ascii_alphanumeric() || c == b'_' {
                    let start = i;
                    while i < n && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                        i += 1;
                    }
                    if stack.len() == 1 && depth == 0 {
                        if src.get(start..i) == Some("fn") {
                            let at = match last_word {
                                Some((s, e))
                                    if src.get(s..e) == Some("private")
                                        && src
                                            .get(e..start)
                                            .is_some_and(|g| g.trim().is_empty()) =>
                                {
                                    s
                                }
                                _ => start,
                            };
                            fn_starts.push(at);
                        }
                        last_word = Some((start, i));
                    }
                } else {
                    i += 1;
                }
            }
        }
    }
    (comment, fn_starts)
}

/// Whitespace runs collapsed to one space: the identity of a statement's text.
fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most 100 characters of a one-line text.
fn shorten(text: &str) -> String {
    const MAX: usize = 100;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let head: String = text.chars().take(MAX - 1).collect();
        format!("{head}…")
    }
}

/// The first 6 hex digits of the SHA-256 of the parts, each ended by a newline.
fn hex6(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update(b"\n");
    }
    hasher.finalize()[..3]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Hands out ids, suffixing the rare collision so ids stay unique.
#[derive(Default)]
struct Ids(BTreeSet<String>);

impl Ids {
    fn unique(&mut self, id: String) -> String {
        let mut candidate = id.clone();
        let mut n = 2;
        while !self.0.insert(candidate.clone()) {
            candidate = format!("{id}-{n}");
            n += 1;
        }
        candidate
    }
}

#[derive(Clone, Copy)]
enum Action {
    Terminate,
    Stop,
    Deregister,
    MakePublic,
    ShareOther,
}

struct Sabotage {
    name: &'static str,
    what: &'static str,
    action: Action,
}

/// The endings, in the order mutants are reported.
const SABOTAGES: [Sabotage; 5] = [
    Sabotage {
        name: "terminate-instances",
        what: "terminate every instance the learner owns",
        action: Action::Terminate,
    },
    Sabotage {
        name: "stop-instances",
        what: "stop every running instance the learner owns",
        action: Action::Stop,
    },
    Sabotage {
        name: "deregister-images",
        what: "deregister every image the learner owns and delete its snapshots",
        action: Action::Deregister,
    },
    Sabotage {
        name: "make-public",
        what: "make every image the learner owns public",
        action: Action::MakePublic,
    },
    Sabotage {
        name: "share-other",
        what: "share every image the learner owns with account {other}",
        action: Action::ShareOther,
    },
];

/// The Rhai of a sabotage ending. It runs in a block of its own so its variables cannot clash
/// with the script's, visits every region the account sees, and wraps each call in `try` so
/// one refusal (termination protection, a blocked public share…) does not spare the rest.
fn sabotage_code(action: Action, other_account: &str) -> String {
    let per_instance = |call: &str, condition: &str| {
        format!(
            r#"for amilab_reservation in amilab_ec2.describe_instances(#{{}}).reservations {{
            for amilab_instance in amilab_reservation.instances {{
                if {condition} {{
                    try {{
                        amilab_ec2.{call}(#{{instance_ids: [amilab_instance.instance_id]}});
                    }} catch {{}}
                }}
            }}
        }}"#
        )
    };
    let per_image = |body: &str| {
        format!(
            r#"for amilab_image in amilab_ec2.describe_images(#{{owners: ["self"]}}).images {{
            {body}
        }}"#
        )
    };
    let permission = |who: &str| {
        per_image(&format!(
            r#"try {{
                amilab_ec2.modify_image_attribute(#{{image_id: amilab_image.image_id,
                    launch_permission: #{{add: [{who}]}}}});
            }} catch {{}}"#
        ))
    };
    let per_region = match action {
        Action::Terminate => per_instance("terminate_instances", "true"),
        Action::Stop => per_instance(
            "stop_instances",
            r#""state" in amilab_instance && amilab_instance.state.name == "running""#,
        ),
        Action::Deregister => per_image(
            r#"let amilab_snapshots = [];
            if "block_device_mappings" in amilab_image {
                for amilab_mapping in amilab_image.block_device_mappings {
                    if "ebs" in amilab_mapping && "snapshot_id" in amilab_mapping.ebs {
                        amilab_snapshots.push(amilab_mapping.ebs.snapshot_id);
                    }
                }
            }
            try {
                amilab_ec2.deregister_image(#{image_id: amilab_image.image_id});
            } catch {}
            for amilab_snapshot in amilab_snapshots {
                try {
                    amilab_ec2.delete_snapshot(#{snapshot_id: amilab_snapshot});
                } catch {}
            }"#,
        ),
        Action::MakePublic => permission(r#"#{group: "all"}"#),
        Action::ShareOther => permission(&format!(r#"#{{user_id: "{other_account}"}}"#)),
    };
    format!(
        r#"// amilab sabotage
{{
    let amilab_regions = [];
    try {{
        amilab_regions = client("ec2", "us-east-1").describe_regions(#{{}}).regions;
    }} catch {{}}
    for amilab_region in amilab_regions {{
        try {{
        let amilab_ec2 = client("ec2", amilab_region.region_name);
        {per_region}
        }} catch {{}}
    }}
}}
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    use crate::script::{self, RunOptions};
    use amilab_cloud::{Cloud, WorldConfig};

    const OTHER: &str = "444455556666";
    const LABS: [&str; 3] = [
        "first-golden-image",
        "clone-across-regions",
        "share-with-teammate",
    ];

    fn solution(lab: &str) -> String {
        let path = format!("{}/labs/{lab}/solution.rhai", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn of_kind(source: &str, kind: MutantKind) -> Vec<Mutant> {
        derive(source, OTHER)
            .unwrap()
            .into_iter()
            .filter(|m| m.kind == kind)
            .collect()
    }

    fn removal_sources(source: &str) -> Vec<String> {
        of_kind(source, MutantKind::Remove)
            .into_iter()
            .map(|m| m.source)
            .collect()
    }

    /// The removed statements, as the diffs show them (`- 3: text` → `text`).
    fn removed(source: &str) -> Vec<String> {
        of_kind(source, MutantKind::Remove)
            .into_iter()
            .map(|m| m.diff.split_once(": ").unwrap().1.to_string())
            .collect()
    }

    fn literal_sources(source: &str) -> Vec<String> {
        of_kind(source, MutantKind::Literal)
            .into_iter()
            .map(|m| m.source)
            .collect()
    }

    #[test]
    fn top_level_statements_including_a_last_one_without_semicolon() {
        let src = "let a = 1;\nlet b = a + 2;\nprint(b)";
        assert_eq!(
            removal_sources(src),
            [
                "let b = a + 2;\nprint(b)",
                "let a = 1;\nprint(b)",
                "let a = 1;\nlet b = a + 2;\n",
            ]
        );
        let m = &of_kind(src, MutantKind::Remove)[1];
        assert_eq!(m.line, 2);
        assert_eq!(m.diff, "- 2: let b = a + 2;");
    }

    #[test]
    fn statements_in_if_and_else_branches() {
        let src = "if x > 1 {\n    a();\n    b();\n} else {\n    c();\n}\nd();\n";
        assert_eq!(
            removal_sources(src),
            [
                "d();\n",
                "if x > 1 {\n    b();\n} else {\n    c();\n}\nd();\n",
                "if x > 1 {\n    a();\n} else {\n    c();\n}\nd();\n",
                "if x > 1 {\n    a();\n    b();\n} else {\n}\nd();\n",
                "if x > 1 {\n    a();\n    b();\n} else {\n    c();\n}\n",
            ]
        );
    }

    #[test]
    fn statements_in_loops() {
        let src = "for i in 0..3 {\n    f(i);\n}\nwhile x { g(); h(); }\nloop { break; }\ndo { y(); } while z;\n";
        let sources = removal_sources(src);
        for expected in [
            "for i in 0..3 {\n}\nwhile x { g(); h(); }\nloop { break; }\ndo { y(); } while z;\n",
            "for i in 0..3 {\n    f(i);\n}\nwhile x {  h(); }\nloop { break; }\ndo { y(); } while z;\n",
            "for i in 0..3 {\n    f(i);\n}\nwhile x { g();  }\nloop { break; }\ndo { y(); } while z;\n",
            "for i in 0..3 {\n    f(i);\n}\nwhile x { g(); h(); }\nloop {  }\ndo { y(); } while z;\n",
            "for i in 0..3 {\n    f(i);\n}\nwhile x { g(); h(); }\nloop { break; }\ndo {  } while z;\n",
        ] {
            assert!(sources.iter().any(|s| s == expected), "missing:\n{expected}");
        }
        assert_eq!(
            removed(src),
            [
                "for i in 0..3 { f(i); }",
                "f(i);",
                "while x { g(); h(); }",
                "g();",
                "h();",
                "loop { break; }",
                "break;",
                "do { y(); } while z;",
                "y();",
            ]
        );
    }

    #[test]
    fn statements_in_fn_bodies_and_closures() {
        let src = "fn helper(x) {\n    let y = x + 1;\n    y * 2\n}\nlet f = |v| {\n    v.push(1);\n    v\n};\nlet ids = list.map(|i| i.id);\n";
        assert_eq!(
            removed(src),
            [
                "let y = x + 1;",
                "y * 2",
                "let f = |v| { v.push(1); v };",
                "v.push(1);",
                "v",
                "let ids = list.map(|i| i.id);",
            ]
        );
        let sources = removal_sources(src);
        assert!(sources.contains(
            &"fn helper(x) {\n    y * 2\n}\nlet f = |v| {\n    v.push(1);\n    v\n};\nlet ids = list.map(|i| i.id);\n".to_string()
        ));
        assert!(sources.contains(
            &"fn helper(x) {\n    let y = x + 1;\n    y * 2\n}\nlet f = |v| {\n    v\n};\nlet ids = list.map(|i| i.id);\n".to_string()
        ));
        // A closure that captures a variable is wrapped by the parser; its body still counts.
        let captured = "let k = 2;\nlet g = |v| { v.push(k); v };\n";
        assert!(removed(captured).contains(&"v.push(k);".to_string()));
    }

    #[test]
    fn a_top_level_statement_stops_before_a_fn_definition() {
        let src = "let a = 1;\n/// doc\nprivate fn f() { 2 }\nlet b = 3;\nfn g() { 4 }\n";
        let sources = removal_sources(src);
        assert_eq!(
            sources[0],
            "/// doc\nprivate fn f() { 2 }\nlet b = 3;\nfn g() { 4 }\n"
        );
        assert_eq!(
            sources[1],
            "let a = 1;\n/// doc\nprivate fn f() {  }\nlet b = 3;\nfn g() { 4 }\n"
        );
        assert_eq!(
            sources[2],
            "let a = 1;\n/// doc\nprivate fn f() { 2 }\nfn g() { 4 }\n"
        );
        assert_eq!(removed(src), ["let a = 1;", "2", "let b = 3;", "4"]);
    }

    #[test]
    fn try_catch_switch_arms_and_plain_blocks() {
        let src = "try {\n    risky();\n} catch (e) {\n    print(e);\n}\nswitch x {\n    1 => { one(); two(); }\n    _ => other(),\n}\n{\n    inner();\n}\n";
        assert_eq!(
            removed(src),
            [
                "try { risky(); } catch (e) { print(e); }",
                "risky();",
                "print(e);",
                "switch x { 1 => { one(); two(); } _ => other(), }",
                "one();",
                "two();",
                "{ inner(); }",
                "inner();",
            ]
        );
    }

    #[test]
    fn statement_starts_are_found_where_positions_point_elsewhere() {
        let src = r#"let ec2 = client("ec2", "us-east-1");
// a comment about the waiter
ec2.get_waiter("image_available").wait(#{image_ids: [image]});  // trailing note
total += launched.len();
image_in[r] = ec2.copy_image(#{name: "x"}).image_id;
let n = if r == home { base + extra } else { base };
(a).b();
x + 1;
/* block */ -y;
"#;
        assert_eq!(
            removed(src),
            [
                r#"let ec2 = client("ec2", "us-east-1");"#,
                r#"ec2.get_waiter("image_available").wait(#{image_ids: [image]});"#,
                "total += launched.len();",
                r#"image_in[r] = ec2.copy_image(#{name: "x"}).image_id;"#,
                "let n = if r == home { base + extra } else { base };",
                "base + extra",
                "base",
                "(a).b();",
                "x + 1;",
                "-y;",
            ]
        );
        let sources = removal_sources(src);
        // The comments around a removed statement stay.
        assert!(sources[1].contains("// a comment about the waiter\n  // trailing note\n"));
        assert!(sources[9].ends_with("x + 1;\n/* block */ \n"));
    }

    #[test]
    fn string_interpolations_are_not_statements() {
        let src = "print(`v${version} of ${name}`);\n";
        assert_eq!(removed(src), ["print(`v${version} of ${name}`);"]);
    }

    #[test]
    fn columns_count_characters_and_crlf_files_work() {
        let src = "print(\"héllo → ü\"); let n = 3;\r\nlet m = 5;\r\n";
        assert_eq!(
            literal_sources(src),
            [
                "print(\"héllo → ü\"); let n = 4;\r\nlet m = 5;\r\n",
                "print(\"héllo → ü\"); let n = 3;\r\nlet m = 6;\r\n",
            ]
        );
        assert_eq!(
            removal_sources(src),
            [
                " let n = 3;\r\nlet m = 5;\r\n",
                "print(\"héllo → ü\"); \r\nlet m = 5;\r\n",
                "print(\"héllo → ü\"); let n = 3;\r\n",
            ]
        );
    }

    #[test]
    fn integer_literals_become_one_more() {
        assert_eq!(literal_sources("let n = 3;"), ["let n = 4;"]);
        let m = &of_kind("let version = 1;\n", MutantKind::Literal)[0];
        assert_eq!(m.diff, "~ 1: let version = 1;  (1 → 2)");
        assert_eq!(m.line, 1);
    }

    #[test]
    fn literals_in_interpolations_but_not_in_string_text_or_names() {
        let src = "let x1 = 5;\nprint(`v${x1}`);\nprint(`${1 + x1}`);\nprint(\"v1 and 22\");\n";
        assert_eq!(
            literal_sources(src),
            [
                "let x1 = 6;\nprint(`v${x1}`);\nprint(`${1 + x1}`);\nprint(\"v1 and 22\");\n",
                "let x1 = 5;\nprint(`v${x1}`);\nprint(`${2 + x1}`);\nprint(\"v1 and 22\");\n",
            ]
        );
    }

    #[test]
    fn floats_negatives_radixes_underscores_and_ranges() {
        let src = "let f = 1.5;\nlet g = 2.0;\nlet big = 1_000;\nlet h = 0x1F;\nlet neg = -2;\nfor i in 1..3 {}\nlet m = 7.max(8);\nlet e = 1e3;\n";
        let changed: Vec<String> = of_kind(src, MutantKind::Literal)
            .iter()
            .map(|m| m.diff.rsplit_once("  ").unwrap().1.to_string())
            .collect();
        assert_eq!(
            changed,
            [
                "(1.5 → 2.5)",
                "(2.0 → 3.0)",
                "(1_000 → 1001)",
                "(0x1F → 32)",
                "(-2 → -1)",
                "(1 → 2)",
                "(3 → 4)",
                "(7 → 8)",
                "(8 → 9)",
                "(1e3 → 1001.0)",
            ]
        );
        let sources = literal_sources(src);
        assert!(sources[0].starts_with("let f = 2.5;\n"));
        assert!(sources[4].contains("let neg = -1;\n"));
        assert!(sources[5].contains("for i in 2..3 {}"));
    }

    #[test]
    fn a_script_that_does_not_compile_is_an_error() {
        let err = derive("let = ;", OTHER).unwrap_err();
        assert!(err.contains("does not compile"), "{err}");
        assert!(derive("let a = 1;", "teammate").is_err());
    }

    #[test]
    fn every_mutant_compiles_and_ids_are_unique() {
        let mut scripts: Vec<String> = LABS.iter().map(|l| solution(l)).collect();
        scripts.push("let a = 1;\nlet a = 1;\nif a { b(); } else { b(); }\n".into());
        for src in &scripts {
            let mutants = derive(src, OTHER).unwrap();
            let mut ids = BTreeSet::new();
            let mut sources = BTreeSet::new();
            for m in &mutants {
                assert!(
                    compiler().compile(&m.source).is_ok(),
                    "{}:\n{}",
                    m.id,
                    m.source
                );
                assert!(ids.insert(m.id.clone()), "duplicate id {}", m.id);
                assert!(
                    sources.insert(m.source.clone()),
                    "duplicate source {}",
                    m.id
                );
                assert_ne!(&m.source, src);
            }
            // Removals, then literals, then sabotage.
            let kinds: Vec<MutantKind> = mutants.iter().map(|m| m.kind).collect();
            let mut sorted = kinds.clone();
            sorted.sort();
            assert_eq!(kinds, sorted);
        }
    }

    #[test]
    fn identical_statements_get_distinct_ids() {
        let src = "b();\nb();\nc();\n";
        let ids: Vec<String> = of_kind(src, MutantKind::Remove)
            .into_iter()
            .map(|m| m.id)
            .collect();
        // Removing either `b();` gives the same text, so only one is kept.
        assert_eq!(ids.len(), 2);
        let twice = "if x { b(); }\nif y { b(); }\n";
        let removals = of_kind(twice, MutantKind::Remove);
        assert_eq!(removals.len(), 4);
        assert_ne!(removals[1].id, removals[3].id);
    }

    #[test]
    fn ids_survive_unrelated_edits() {
        for lab in LABS {
            let src = solution(lab);
            let edited =
                format!("// a new first line\nlet unrelated = 42;\n{src}\nprint(\"done\");\n");
            let before = derive(&src, OTHER).unwrap();
            let after: BTreeMap<String, Mutant> = derive(&edited, OTHER)
                .unwrap()
                .into_iter()
                .map(|m| (m.id.clone(), m))
                .collect();
            for m in &before {
                let moved = after
                    .get(&m.id)
                    .unwrap_or_else(|| panic!("{lab}: {} ({}) is gone", m.id, m.diff));
                assert_eq!(moved.kind, m.kind);
                if m.kind != MutantKind::Sabotage {
                    assert_eq!(moved.line, m.line + 2, "{}", m.id);
                    assert_eq!(
                        moved.diff.split_once(": ").unwrap().1,
                        m.diff.split_once(": ").unwrap().1
                    );
                }
            }
        }
    }

    #[test]
    fn solutions_yield_removals_inside_loops_and_literals() {
        let clone = solution("clone-across-regions");
        let removed = removed(&clone);
        for inside_for in [
            "total += launched.len();",
            "let ec2 = client(\"ec2\", r);",
            "ec2.get_waiter(\"instance_running\").wait(#{instance_ids: launched});",
        ] {
            assert!(removed.iter().any(|r| r == inside_for), "{inside_for}");
        }
        assert!(removed
            .iter()
            .any(|r| r.starts_with("image_in[r] = client(")));
        let golden = solution("first-golden-image");
        let literals = of_kind(&golden, MutantKind::Literal);
        assert!(literals
            .iter()
            .any(|m| m.diff.contains("let version = 1;  (1 → 2)")));
        for lab in LABS {
            let sabotage = of_kind(&solution(lab), MutantKind::Sabotage);
            let ids: Vec<&str> = sabotage.iter().map(|m| m.id.as_str()).collect();
            assert_eq!(
                ids,
                [
                    "sabotage-terminate-instances",
                    "sabotage-stop-instances",
                    "sabotage-deregister-images",
                    "sabotage-make-public",
                    "sabotage-share-other",
                ]
            );
        }
    }

    /// Two regions, two running instances and one available image in each.
    const SETUP: &str = r#"
for region in ["us-east-1", "eu-west-1"] {
    let ec2 = client("ec2", region);
    let ami = ec2.describe_images(#{owners: ["amazon"],
        filters: [#{name: "name", values: ["al2023-ami-*-x86_64"]}]}).images[0].image_id;
    let ids = ec2.run_instances(#{image_id: ami, instance_type: "t3.micro",
        min_count: 2, max_count: 2}).instances.map(|i| i.instance_id);
    ec2.get_waiter("instance_running").wait(#{instance_ids: ids});
    let image = ec2.create_image(#{instance_id: ids[0], name: `web-${region}`}).image_id;
    ec2.get_waiter("image_available").wait(#{image_ids: [image]});
    ec2.get_waiter("instance_running").wait(#{instance_ids: ids});
}
print("ready")"#;

    /// What the two regions hold, one line per region, after `sleep` lets states settle.
    const INSPECT: &str = r#"
sleep(600);
for region in ["us-east-1", "eu-west-1"] {
    let ec2 = client("ec2", region);
    let states = [];
    for r in ec2.describe_instances(#{}).reservations {
        for i in r.instances { states.push(i.state.name); }
    }
    let images = ec2.describe_images(#{owners: ["self"]}).images;
    let perms = [];
    for image in images {
        for p in ec2.describe_image_attribute(#{image_id: image.image_id,
            attribute: "launchPermission"}).launch_permissions {
            if "group" in p { perms.push(p.group); }
            if "user_id" in p { perms.push(p.user_id); }
        }
    }
    let snapshots = ec2.describe_snapshots(#{owner_ids: ["self"]}).snapshots.len();
    print(`${region} instances=${states} images=${images.len()} snapshots=${snapshots} perms=${perms}`);
}"#;

    fn after_sabotage(id: &str) -> Vec<String> {
        let cloud = Rc::new(RefCell::new(Cloud::new(WorldConfig::default())));
        let mutant = derive(SETUP, OTHER)
            .unwrap()
            .into_iter()
            .find(|m| m.id == id)
            .unwrap();
        let report = script::run(&cloud, &mutant.source, RunOptions::default());
        assert!(report.succeeded(), "{id}: {:?}", report.failure);
        assert_eq!(report.output.lines[0].text, "ready");
        let report = script::run(&cloud, INSPECT, RunOptions::default());
        assert!(report.succeeded(), "{:?}", report.failure);
        report.output.lines.into_iter().map(|l| l.text).collect()
    }

    #[test]
    fn without_sabotage_the_world_is_intact() {
        let cloud = Rc::new(RefCell::new(Cloud::new(WorldConfig::default())));
        assert!(script::run(&cloud, SETUP, RunOptions::default()).succeeded());
        let report = script::run(&cloud, INSPECT, RunOptions::default());
        let lines: Vec<String> = report.output.lines.into_iter().map(|l| l.text).collect();
        assert_eq!(
            lines,
            [
                "us-east-1 instances=[\"running\", \"running\"] images=1 snapshots=1 perms=[]",
                "eu-west-1 instances=[\"running\", \"running\"] images=1 snapshots=1 perms=[]",
            ]
        );
    }

    #[test]
    fn sabotage_terminate_instances() {
        for line in after_sabotage("sabotage-terminate-instances") {
            assert!(
                line.contains("instances=[\"terminated\", \"terminated\"] images=1"),
                "{line}"
            );
        }
    }

    #[test]
    fn sabotage_stop_instances() {
        for line in after_sabotage("sabotage-stop-instances") {
            assert!(
                line.contains("instances=[\"stopped\", \"stopped\"] images=1"),
                "{line}"
            );
        }
    }

    #[test]
    fn sabotage_deregister_images() {
        for line in after_sabotage("sabotage-deregister-images") {
            assert!(line.contains("images=0 snapshots=0"), "{line}");
            assert!(line.contains("\"running\", \"running\""), "{line}");
        }
    }

    #[test]
    fn sabotage_make_public() {
        for line in after_sabotage("sabotage-make-public") {
            assert!(
                line.ends_with("images=1 snapshots=1 perms=[\"all\"]"),
                "{line}"
            );
        }
    }

    #[test]
    fn sabotage_share_other() {
        for line in after_sabotage("sabotage-share-other") {
            assert!(
                line.ends_with(&format!("images=1 snapshots=1 perms=[\"{OTHER}\"]")),
                "{line}"
            );
        }
    }
}
