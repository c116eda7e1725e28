//! Properties of the shorthand parser and of argument unpacking: no input makes them panic, and
//! simple `key=value` lists (with csv lists of values) parse back to what generated them.

use amilab_awscli::{argument, shorthand, Member, Shape};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use serde_json::{Map, Value};

/// Text biased towards shorthand's punctuation, quotes, escapes, whitespace and non-ASCII.
fn shorthandish() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-c=,@\\[\\]{}'\" \\\\\t\n\u{a0}é日😀-]{0,40}",
    ]
}

fn member(name: &str, shape: Shape) -> Member {
    Member {
        name: name.to_owned(),
        key: name.to_lowercase(),
        shape,
        required: false,
        documentation: String::new(),
    }
}

fn shapes() -> Vec<Shape> {
    let scalars = Shape::Structure(vec![
        member("a", Shape::Integer),
        member("b", Shape::Float),
        member("c", Shape::Boolean),
        member("d", Shape::List(Box::new(Shape::Integer))),
        member("e", Shape::Any),
    ]);
    vec![
        Shape::String,
        Shape::Integer,
        Shape::Float,
        Shape::Boolean,
        Shape::Any,
        Shape::List(Box::new(Shape::Integer)),
        Shape::List(Box::new(Shape::List(Box::new(Shape::Float)))),
        Shape::List(Box::new(scalars.clone())),
        Shape::Map(Box::new(Shape::List(Box::new(Shape::Boolean)))),
        Shape::Map(Box::new(Shape::Any)),
        scalars,
    ]
}

proptest! {
    #[test]
    fn parse_never_panics(text in shorthandish()) {
        if let Err(error) = shorthand::parse(&text) {
            let _ = error.to_string();
        }
    }

    #[test]
    fn value_never_panics(which in 0usize..11, words in vec(shorthandish(), 0..3)) {
        let shape = &shapes()[which];
        if let Err(error) = argument::value("--x", shape, &words) {
            let _ = error.to_string();
        }
    }

    #[test]
    fn simple_key_value_lists_round_trip(
        pairs in btree_map(
            "[A-Za-z][A-Za-z0-9_.-]{0,8}",
            vec("[A-Za-z0-9._/:*-]{1,10}", 1..4),
            1..5,
        )
    ) {
        let text = pairs
            .iter()
            .map(|(key, values)| format!("{key}={}", values.join(",")))
            .collect::<Vec<_>>()
            .join(",");
        let expected: Map<String, Value> = pairs
            .into_iter()
            .map(|(key, values)| {
                let value = match values.as_slice() {
                    [one] => Value::String(one.clone()),
                    _ => Value::Array(values.into_iter().map(Value::String).collect()),
                };
                (key, value)
            })
            .collect();
        prop_assert_eq!(shorthand::parse(&text).unwrap(), Value::Object(expected));
    }
}
