//! `--query`: a JMESPath expression over the answer, evaluated by the `jmespath` crate with the
//! three things Python's `jmespath` (which the AWS CLI runs) does beyond the specification:
//! a backtick literal that is not JSON is a string (`` [?Key==`Name`] ``, the form the AWS
//! documentation uses), `<`, `<=`, `>`, `>=` compare strings too
//! (`Images[?CreationDate>='2025-01-01']`), `sum`, `abs`, `ceil` and `floor` give integers
//! as Python's do (`62`, not `62.0`), and objects keep the answer's member order.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use jmespath::ast::{Ast, Comparator, KeyValuePair};
use jmespath::functions::Function;
use jmespath::{Context, Rcvar, Runtime, SearchResult, Variable};
use serde_json::Value;

/// The most operators that nest (`.`, `|`, `&&`, `||`, `[`, `(`, `{`, `!`, `&`) a query may
/// have. The parser and the evaluator recurse once per level, and a query of a few thousand
/// (`a.a.a.…`) overflowed the stack, which aborts the process; Python's jmespath stops at its
/// own recursion limit too. No real query comes near it.
pub const MAX_QUERY_NESTING: usize = 256;

/// The answer after `query`, or the CLI's message for a query it cannot run.
pub fn apply(query: &str, value: &Value) -> Result<Value, String> {
    let bad = |reason: String| format!("\nBad value for --query {query}: {reason}\n");
    let nesting = query.chars().filter(|c| ".|&[({!".contains(*c)).count();
    if nesting > MAX_QUERY_NESTING {
        return Err(bad(format!(
            "the expression nests {nesting} operators; amilab evaluates at most {MAX_QUERY_NESTING}"
        )));
    }
    let expression = legacy_literals(query);
    let ast = jmespath::parse(&expression).map_err(|e| bad(e.reason.to_string()))?;
    // Multi-select hashes first: `{Z:Name,A:ImageId}` keeps the order it was written in.
    let mut orders = BTreeMap::new();
    hash_orders(&ast, &mut orders);
    let compiled = jmespath::Expression::new(expression.as_str(), comparisons(ast), runtime());
    let data = Variable::from_json(&value.to_string()).map_err(bad)?;
    let result = compiled
        .search(data)
        .map_err(|e| bad(e.reason.to_string()))?;
    let mut result = serde_json::to_value(&*result).map_err(|e| bad(e.to_string()))?;
    // The jmespath crate keeps objects sorted; Python's keeps them in the document's order,
    // which the CLI prints. A part of the answer picked out whole gets that order back.
    member_orders(value, &mut orders);
    reorder(&mut result, &orders);
    Ok(result)
}

/// Python jmespath's lexer: a backtick literal that does not parse as JSON is taken as a
/// string of its text (left spaces trimmed), a deprecated form the AWS documentation still
/// uses. Raw strings (`'…'`) and quoted identifiers (`"…"`) are left alone.
fn legacy_literals(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    let mut chars = query.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                while let Some(d) = chars.next() {
                    out.push(d);
                    if d == '\\' {
                        if let Some(e) = chars.next() {
                            out.push(e);
                        }
                    } else if d == c {
                        break;
                    }
                }
            }
            '`' => {
                let mut literal = String::new();
                let mut closed = false;
                while let Some(d) = chars.next() {
                    if d == '\\' && chars.peek() == Some(&'`') {
                        literal.push('`');
                        chars.next();
                    } else if d == '`' {
                        closed = true;
                        break;
                    } else {
                        literal.push(d);
                    }
                }
                if closed && serde_json::from_str::<Value>(&literal).is_err() {
                    let text = Value::from(literal.trim_start()).to_string();
                    out.push('`');
                    out.push_str(&text.replace('`', "\\`"));
                    out.push('`');
                } else {
                    out.push('`');
                    out.push_str(&literal.replace('`', "\\`"));
                    if closed {
                        out.push('`');
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// The ordering comparisons, as functions of our runtime that compare strings too.
const ORDERINGS: [(&str, Comparator); 4] = [
    ("amilab_lt", Comparator::LessThan),
    ("amilab_le", Comparator::LessThanEqual),
    ("amilab_gt", Comparator::GreaterThan),
    ("amilab_ge", Comparator::GreaterThanEqual),
];

/// `ast` with every ordering comparison turned into a call of our comparison function.
fn comparisons(ast: Ast) -> Ast {
    let b = |node: Box<Ast>| Box::new(comparisons(*node));
    match ast {
        Ast::Comparison {
            offset,
            comparator,
            lhs,
            rhs,
        } => match ORDERINGS.iter().find(|(_, c)| *c == comparator) {
            Some((name, _)) => Ast::Function {
                offset,
                name: name.to_string(),
                args: vec![comparisons(*lhs), comparisons(*rhs)],
            },
            None => Ast::Comparison {
                offset,
                comparator,
                lhs: b(lhs),
                rhs: b(rhs),
            },
        },
        Ast::Condition {
            offset,
            predicate,
            then,
        } => Ast::Condition {
            offset,
            predicate: b(predicate),
            then: b(then),
        },
        Ast::Expref { offset, ast } => Ast::Expref {
            offset,
            ast: b(ast),
        },
        Ast::Flatten { offset, node } => Ast::Flatten {
            offset,
            node: b(node),
        },
        Ast::Function { offset, name, args } => Ast::Function {
            offset,
            name,
            args: args.into_iter().map(comparisons).collect(),
        },
        Ast::MultiList { offset, elements } => Ast::MultiList {
            offset,
            elements: elements.into_iter().map(comparisons).collect(),
        },
        Ast::MultiHash { offset, elements } => Ast::MultiHash {
            offset,
            elements: elements
                .into_iter()
                .map(|kv| KeyValuePair {
                    key: kv.key,
                    value: comparisons(kv.value),
                })
                .collect(),
        },
        Ast::Not { offset, node } => Ast::Not {
            offset,
            node: b(node),
        },
        Ast::Projection { offset, lhs, rhs } => Ast::Projection {
            offset,
            lhs: b(lhs),
            rhs: b(rhs),
        },
        Ast::ObjectValues { offset, node } => Ast::ObjectValues {
            offset,
            node: b(node),
        },
        Ast::And { offset, lhs, rhs } => Ast::And {
            offset,
            lhs: b(lhs),
            rhs: b(rhs),
        },
        Ast::Or { offset, lhs, rhs } => Ast::Or {
            offset,
            lhs: b(lhs),
            rhs: b(rhs),
        },
        Ast::Subexpr { offset, lhs, rhs } => Ast::Subexpr {
            offset,
            lhs: b(lhs),
            rhs: b(rhs),
        },
        leaf => leaf,
    }
}

/// An ordering comparison as Python's jmespath makes it: two numbers or two strings compare;
/// anything else is `null`.
struct Ordering(Comparator);

impl Function for Ordering {
    fn evaluate(&self, args: &[Rcvar], _: &mut Context<'_>) -> SearchResult {
        use std::cmp::Ordering as O;
        let order = match (args.first().map(|a| &**a), args.get(1).map(|a| &**a)) {
            (Some(Variable::Number(a)), Some(Variable::Number(b))) => a
                .as_f64()
                .zip(b.as_f64())
                .and_then(|(a, b)| a.partial_cmp(&b)),
            (Some(Variable::String(a)), Some(Variable::String(b))) => Some(a.cmp(b)),
            _ => None,
        };
        let verdict = order.map(|o| match self.0 {
            Comparator::LessThan => o == O::Less,
            Comparator::LessThanEqual => o != O::Greater,
            Comparator::GreaterThan => o == O::Greater,
            _ => o != O::Less,
        });
        Ok(Rcvar::new(verdict.map_or(Variable::Null, Variable::Bool)))
    }
}

/// The number functions whose result is a float in the `jmespath` crate but an integer in
/// Python's where Python's is: `sum` of integers, `abs` of an integer, `ceil` and `floor`
/// (`math.ceil` and `math.floor` give integers).
#[derive(Clone, Copy)]
enum Arithmetic {
    Sum,
    Abs,
    Ceil,
    Floor,
}

impl Function for Arithmetic {
    fn evaluate(&self, args: &[Rcvar], ctx: &mut Context<'_>) -> SearchResult {
        use jmespath::functions::{ArgumentType, Signature};
        let input = match self {
            Arithmetic::Sum => ArgumentType::TypedArray(Box::new(ArgumentType::Number)),
            _ => ArgumentType::Number,
        };
        Signature::new(vec![input], None).validate(args, ctx)?;
        let number = |v: &Variable| match v {
            Variable::Number(n) => Some(n.clone()),
            _ => None,
        };
        let value = match self {
            Arithmetic::Sum => {
                let items: Vec<serde_json::Number> = args[0]
                    .as_array()
                    .map(|a| a.iter().filter_map(|v| number(v)).collect())
                    .unwrap_or_default();
                let ints: Option<Vec<i64>> = items.iter().map(serde_json::Number::as_i64).collect();
                match ints.and_then(|i| i.iter().try_fold(0i64, |s, x| s.checked_add(*x))) {
                    Some(total) => Variable::Number(total.into()),
                    None => float(items.iter().filter_map(serde_json::Number::as_f64).sum()),
                }
            }
            Arithmetic::Abs => match number(&args[0]) {
                Some(n) => match n.as_i64().and_then(i64::checked_abs) {
                    Some(i) => Variable::Number(i.into()),
                    None => float(n.as_f64().unwrap_or(f64::NAN).abs()),
                },
                None => Variable::Null,
            },
            Arithmetic::Ceil | Arithmetic::Floor => {
                let f = number(&args[0])
                    .and_then(|n| n.as_f64())
                    .unwrap_or(f64::NAN);
                let whole = if matches!(self, Arithmetic::Ceil) {
                    f.ceil()
                } else {
                    f.floor()
                };
                if whole.is_finite() && whole.abs() < 9.0e15 {
                    Variable::Number((whole as i64).into())
                } else {
                    float(whole)
                }
            }
        };
        Ok(Rcvar::new(value))
    }
}

/// A float as a JMESPath value (`null` for what JSON cannot hold).
fn float(f: f64) -> Variable {
    serde_json::Number::from_f64(f).map_or(Variable::Null, Variable::Number)
}

fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        let mut runtime = Runtime::new();
        runtime.register_builtin_functions();
        for (name, comparator) in ORDERINGS {
            runtime.register_function(name, Box::new(Ordering(comparator)));
        }
        for (name, function) in [
            ("sum", Arithmetic::Sum),
            ("abs", Arithmetic::Abs),
            ("ceil", Arithmetic::Ceil),
            ("floor", Arithmetic::Floor),
        ] {
            runtime.register_function(name, Box::new(function));
        }
        runtime
    })
}

/// The keys of every multi-select hash in the expression, in the order written, by their
/// sorted set.
fn hash_orders(ast: &Ast, orders: &mut BTreeMap<Vec<String>, Vec<String>>) {
    let mut walk = |node: &Ast| hash_orders(node, orders);
    match ast {
        Ast::MultiHash { elements, .. } => {
            let order: Vec<String> = elements.iter().map(|kv| kv.key.clone()).collect();
            let mut set = order.clone();
            set.sort();
            for kv in elements {
                hash_orders(&kv.value, orders);
            }
            orders.entry(set).or_insert(order);
        }
        Ast::Comparison { lhs, rhs, .. }
        | Ast::Projection { lhs, rhs, .. }
        | Ast::And { lhs, rhs, .. }
        | Ast::Or { lhs, rhs, .. }
        | Ast::Subexpr { lhs, rhs, .. } => {
            walk(lhs);
            walk(rhs);
        }
        Ast::Condition {
            predicate, then, ..
        } => {
            walk(predicate);
            walk(then);
        }
        Ast::Expref { ast, .. } => walk(ast),
        Ast::Flatten { node, .. } | Ast::Not { node, .. } | Ast::ObjectValues { node, .. } => {
            walk(node)
        }
        Ast::Function { args, .. } => args.iter().for_each(walk),
        Ast::MultiList { elements, .. } => elements.iter().for_each(walk),
        _ => {}
    }
}

/// Every object's member names in document order, by their sorted set.
fn member_orders(value: &Value, orders: &mut BTreeMap<Vec<String>, Vec<String>>) {
    match value {
        Value::Object(map) => {
            let order: Vec<String> = map.keys().cloned().collect();
            let mut set = order.clone();
            set.sort();
            orders.entry(set).or_insert(order);
            map.values().for_each(|v| member_orders(v, orders));
        }
        Value::Array(items) => items.iter().for_each(|v| member_orders(v, orders)),
        _ => {}
    }
}

/// Puts each object's members in the order an object of the same members had in the answer.
fn reorder(value: &mut Value, orders: &BTreeMap<Vec<String>, Vec<String>>) {
    match value {
        Value::Object(map) => {
            map.values_mut().for_each(|v| reorder(v, orders));
            let mut set: Vec<String> = map.keys().cloned().collect();
            set.sort();
            if let Some(order) = orders.get(&set) {
                let mut taken = std::mem::take(map);
                for key in order {
                    if let Some(v) = taken.remove(key) {
                        map.insert(key.clone(), v);
                    }
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| reorder(v, orders)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn images() -> Value {
        json!({"Images": [
            {"Name": "old", "CreationDate": "2024-03-01T00:00:00.000Z", "Tags": [{"Key": "Name", "Value": "a"}]},
            {"Name": "new", "CreationDate": "2025-03-01T00:00:00.000Z", "Tags": [{"Key": "Name", "Value": "b"}]}
        ]})
    }

    #[test]
    fn backtick_literals_that_are_not_json_are_strings() {
        assert_eq!(
            apply("Images[].Tags[?Key==`Name`].Value[]", &images()),
            Ok(json!(["a", "b"]))
        );
        assert_eq!(
            apply("Images[?starts_with(Name, `ne`)].Name", &images()),
            Ok(json!(["new"]))
        );
        // JSON literals stay JSON; raw strings are untouched.
        assert_eq!(apply("`[1, 2]`", &images()), Ok(json!([1, 2])));
        assert_eq!(apply("'`x`'", &images()), Ok(json!("`x`")));
    }

    #[test]
    fn strings_compare_as_pythons_jmespath_compares_them() {
        assert_eq!(
            apply("Images[?CreationDate>='2025-01-01'].Name", &images()),
            Ok(json!(["new"]))
        );
        assert_eq!(
            apply("Images[?CreationDate<'2025-01-01'].Name", &images()),
            Ok(json!(["old"]))
        );
        assert_eq!(apply("`2` > `1`", &images()), Ok(json!(true)));
        assert_eq!(apply("`2` <= 'a'", &images()), Ok(Value::Null));
        assert_eq!(
            apply("sort_by(Images, &CreationDate)[-1].Name", &images()),
            Ok(json!("new"))
        );
    }

    #[test]
    fn arithmetic_keeps_integers_as_python_does() {
        let sizes = json!({"Sizes": [8, 20, 34], "Floats": [1.5, 0.5], "One": 2.0});
        assert_eq!(apply("sum(Sizes)", &sizes), Ok(json!(62)));
        assert_eq!(apply("sum(Floats)", &sizes), Ok(json!(2.0)));
        assert_eq!(apply("abs(`-3`)", &sizes), Ok(json!(3)));
        assert_eq!(apply("ceil(`1.2`)", &sizes), Ok(json!(2)));
        assert_eq!(apply("floor(`1.8`)", &sizes), Ok(json!(1)));
        // A float of the answer stays one.
        assert_eq!(apply("One", &sizes), Ok(json!(2.0)));
        assert!(apply("sum(`\"x\"`)", &sizes).is_err());
    }

    #[test]
    fn members_keep_the_answers_order_and_bad_queries_say_so() {
        let answer = json!({"Zeta": 1, "Alpha": {"Y": 1, "B": 2}});
        let hash = apply("{Z:Zeta,A:Alpha.B}", &answer).unwrap();
        assert_eq!(
            hash.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["Z", "A"]
        );
        let picked = apply("@", &answer).unwrap();
        assert_eq!(
            picked.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["Zeta", "Alpha"]
        );
        assert!(apply("Images[", &answer)
            .unwrap_err()
            .starts_with("\nBad value for --query Images[: "));
        // Deep nesting is refused before the parser recurses into it.
        let deep = format!("a{}", ".a".repeat(100_000));
        assert!(apply(&deep, &answer)
            .unwrap_err()
            .contains("amilab evaluates at most 256"));
        let deep = "[".repeat(100_000);
        assert!(apply(&deep, &answer).is_err());
    }
}
