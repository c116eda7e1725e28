//! An operation's input as the CLI sees it, read from the JSON Schema the simulation generates
//! from its request types ([`amilab_cloud::api::OperationSpec::input_schema`]): member types,
//! which members are required, their documentation, and the API's own names for them
//! ([`amilab_cloud::naming::wire_name`]).

use serde_json::{Map, Value};

use amilab_cloud::api::OperationSpec;
use amilab_cloud::naming::{wire_name, xform_name};

use crate::shape::{Member, Shape};

/// How deep `$ref`s are followed before a shape is taken as [`Shape::Any`]: deeper than any
/// request of the simulation, and a guard against a recursive type.
const MAX_DEPTH: usize = 16;

/// The operation's input: a [`Shape::Structure`] whose members are in the order the operation
/// declares its parameters (the order of boto3's messages and of the CLI's help).
pub fn input_shape(op: &OperationSpec) -> Shape {
    let schema = Value::from(op.input_schema());
    let defs = schema
        .get("$defs")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let reader = Reader {
        service: op.service,
        defs: &defs,
    };
    let mut shape = reader.shape(&schema, 0);
    if let Shape::Structure(members) = &mut shape {
        let order = op.parameters();
        members.sort_by_key(|m| order.iter().position(|p| *p == m.key));
    }
    shape
}

struct Reader<'a> {
    service: &'static str,
    defs: &'a Map<String, Value>,
}

impl Reader<'_> {
    fn shape(&self, schema: &Value, depth: usize) -> Shape {
        if depth > MAX_DEPTH {
            return Shape::Any;
        }
        let Some(object) = schema.as_object() else {
            // `true`: any value (a JSON document).
            return Shape::Any;
        };
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            let name = reference.rsplit('/').next().unwrap_or(reference);
            return match self.defs.get(name) {
                Some(def) => self.shape(def, depth + 1),
                None => Shape::Any,
            };
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(choices) = object.get(key).and_then(Value::as_array) {
                let not_null: Vec<&Value> = choices
                    .iter()
                    .filter(|c| c.get("type").and_then(Value::as_str) != Some("null"))
                    .collect();
                if not_null.len() == 1 {
                    return self.shape(not_null[0], depth + 1);
                }
                // An enum whose variants are documented one by one: strings.
                if !not_null.is_empty() && not_null.iter().all(|c| is_string_choice(c)) {
                    return Shape::String;
                }
                return Shape::Any;
            }
        }
        if object.contains_key("enum") || object.contains_key("const") {
            return Shape::String;
        }
        let kind = match object.get("type") {
            Some(Value::String(kind)) => kind.as_str(),
            Some(Value::Array(kinds)) => kinds
                .iter()
                .filter_map(Value::as_str)
                .find(|k| *k != "null")
                .unwrap_or("null"),
            _ => return Shape::Any,
        };
        match kind {
            "string" if object.get("format").and_then(Value::as_str) == Some("date-time") => {
                Shape::Timestamp
            }
            "string" => Shape::String,
            "integer" => Shape::Integer,
            "number" => Shape::Float,
            "boolean" => Shape::Boolean,
            "array" => Shape::List(Box::new(
                object
                    .get("items")
                    .map_or(Shape::Any, |items| self.shape(items, depth + 1)),
            )),
            "object" => match (object.get("properties"), object.get("additionalProperties")) {
                (Some(Value::Object(properties)), _) => {
                    Shape::Structure(self.members(properties, object.get("required"), depth))
                }
                (None, Some(Value::Bool(false))) => Shape::Structure(Vec::new()),
                (None, Some(values)) => Shape::Map(Box::new(self.shape(values, depth + 1))),
                (None, None) => Shape::Map(Box::new(Shape::Any)),
                (Some(_), _) => Shape::Any,
            },
            _ => Shape::Any,
        }
    }

    fn members(
        &self,
        properties: &Map<String, Value>,
        required: Option<&Value>,
        depth: usize,
    ) -> Vec<Member> {
        let required: Vec<&str> = required
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        properties
            .iter()
            .map(|(key, schema)| Member {
                name: wire_name(self.service, key).into_owned(),
                key: key.clone(),
                shape: self.shape(schema, depth + 1),
                required: required.contains(&key.as_str()),
                documentation: schema
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            })
            .collect()
    }
}

fn is_string_choice(schema: &Value) -> bool {
    schema.get("const").is_some_and(Value::is_string)
        || schema.get("enum").is_some()
        || schema.get("type").and_then(Value::as_str) == Some("string")
}

/// A request the CLI built (the API's member names) turned into the simulation's (boto3's
/// snake_case keys), checked as botocore's `ParamValidator` checks it: every problem, one line
/// each, in its wording (`Unknown parameter in Filters[0]: "Nme", must be one of: Name,
/// Values`), with the API's names. A member botocore knows but the simulation declares not
/// simulated (`not_simulated`: boto3 key paths such as `placement.group_name`) is passed on
/// under its boto3 key, for the simulation to refuse by name.
pub fn to_request(
    shape: &Shape,
    value: &Value,
    not_simulated: &[&str],
) -> Result<Value, Vec<String>> {
    let mut problems = Vec::new();
    let mut context = Context {
        not_simulated,
        problems: &mut problems,
    };
    let request = convert(shape, value, "", "", &mut context);
    if problems.is_empty() {
        Ok(request)
    } else {
        Err(problems)
    }
}

/// botocore's name for where a value is: `input` at the top, else its path.
fn place(path: &str) -> &str {
    if path.is_empty() {
        "input"
    } else {
        path
    }
}

/// What a conversion carries down: the members not simulated, and the problems found.
struct Context<'a> {
    not_simulated: &'a [&'a str],
    problems: &'a mut Vec<String>,
}

/// `value` of `shape` at `path` (botocore's, for messages) and `keys` (boto3's key path, for
/// the members not simulated).
fn convert(shape: &Shape, value: &Value, path: &str, keys: &str, context: &mut Context) -> Value {
    let wrong = |context: &mut Context, valid: &str| {
        context.problems.push(format!(
            "Invalid type for parameter {}, value: {}, type: {}, valid types: {valid}",
            place(path),
            crate::output::py_str(value),
            python_type(value)
        ));
        Value::Null
    };
    match shape {
        Shape::Structure(members) => {
            let Value::Object(map) = value else {
                return wrong(context, "<class 'dict'>");
            };
            for member in members.iter().filter(|m| m.required) {
                if !map.contains_key(&member.name) {
                    context.problems.push(format!(
                        "Missing required parameter in {}: \"{}\"",
                        place(path),
                        member.name
                    ));
                }
            }
            let mut out = Map::new();
            let join = |prefix: &str, name: &str| {
                if prefix.is_empty() {
                    name.to_string()
                } else {
                    format!("{prefix}.{name}")
                }
            };
            for (name, item) in map {
                let key = xform_name(name);
                match members.iter().find(|m| &m.name == name) {
                    Some(member) => {
                        out.insert(
                            member.key.clone(),
                            convert(
                                &member.shape,
                                item,
                                &join(path, name),
                                &join(keys, &member.key),
                                context,
                            ),
                        );
                    }
                    None if context.not_simulated.contains(&join(keys, &key).as_str()) => {
                        out.insert(key, item.clone());
                    }
                    None => context.problems.push(format!(
                        "Unknown parameter in {}: \"{name}\", must be one of: {}",
                        place(path),
                        members
                            .iter()
                            .map(|m| m.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                }
            }
            Value::Object(out)
        }
        Shape::Map(values) => {
            let Value::Object(map) = value else {
                return wrong(context, "<class 'dict'>");
            };
            Value::Object(
                map.iter()
                    .map(|(k, v)| {
                        let inner = format!("{}.{k}", place(path));
                        (k.clone(), convert(values, v, &inner, keys, context))
                    })
                    .collect(),
            )
        }
        Shape::List(items) => {
            let Value::Array(list) = value else {
                return wrong(context, "<class 'list'>, <class 'tuple'>");
            };
            Value::Array(
                list.iter()
                    .enumerate()
                    .map(|(i, v)| {
                        convert(items, v, &format!("{}[{i}]", place(path)), keys, context)
                    })
                    .collect(),
            )
        }
        Shape::String if !value.is_string() => wrong(context, "<class 'str'>"),
        Shape::Integer if !(value.is_i64() || value.is_u64()) => wrong(context, "<class 'int'>"),
        Shape::Float if !value.is_number() => wrong(
            context,
            "<class 'float'>, <class 'decimal.Decimal'>, <class 'int'>",
        ),
        Shape::Boolean if !value.is_boolean() => wrong(context, "<class 'bool'>"),
        Shape::Timestamp if !(value.is_string() || value.is_number()) => {
            wrong(context, "<class 'datetime.datetime'>, <class 'str'>")
        }
        _ => value.clone(),
    }
}

/// Python's `type(value)` for a value parsed from JSON, as botocore's messages print it.
fn python_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "<class 'NoneType'>",
        Value::Bool(_) => "<class 'bool'>",
        Value::Number(n) if n.is_f64() => "<class 'float'>",
        Value::Number(_) => "<class 'int'>",
        Value::String(_) => "<class 'str'>",
        Value::Array(_) => "<class 'list'>",
        Value::Object(_) => "<class 'dict'>",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use amilab_cloud::api::operation;
    use serde_json::json;

    fn member<'a>(shape: &'a Shape, name: &str) -> &'a Member {
        match shape {
            Shape::Structure(members) => members.iter().find(|m| m.name == name).unwrap(),
            other => panic!("not a structure: {other:?}"),
        }
    }

    #[test]
    fn describe_images_reads_as_botocore_declares_it() {
        let shape = input_shape(operation("ec2", "describe_images").unwrap());
        let Shape::Structure(members) = &shape else {
            panic!()
        };
        // The order the simulation declares them in, which boto3's messages show.
        let order: Vec<&str> = members.iter().map(|m| m.key.as_str()).collect();
        assert_eq!(
            order,
            operation("ec2", "describe_images").unwrap().parameters()
        );
        let filters = member(&shape, "Filters");
        let Shape::List(filter) = &filters.shape else {
            panic!("{filters:?}")
        };
        assert_eq!(
            member(filter, "Values").shape,
            Shape::List(Box::new(Shape::String))
        );
        assert_eq!(member(&shape, "DryRun").shape, Shape::Boolean);
        assert_eq!(member(&shape, "MaxResults").shape, Shape::Integer);
        assert!(!member(&shape, "Owners").documentation.is_empty());
    }

    #[test]
    fn maps_structures_and_requirements() {
        let shape = input_shape(operation("ssm", "send_command").unwrap());
        assert!(member(&shape, "DocumentName").required);
        assert_eq!(
            member(&shape, "Parameters").shape,
            Shape::Map(Box::new(Shape::List(Box::new(Shape::String))))
        );
        let shape = input_shape(operation("imagebuilder", "get_image").unwrap());
        assert!(member(&shape, "imageBuildVersionArn").required);
    }

    #[test]
    fn requests_get_boto3_keys_and_botocore_problems() {
        let shape = input_shape(operation("ssm", "send_command").unwrap());
        assert_eq!(
            to_request(
                &shape,
                &json!({"DocumentName": "AWS-RunShellScript", "Parameters": {"commands": ["ls"]}}),
                &[]
            ),
            Ok(json!({"document_name": "AWS-RunShellScript", "parameters": {"commands": ["ls"]}}))
        );
        let shape = input_shape(operation("ec2", "describe_images").unwrap());
        assert_eq!(
            to_request(&shape, &json!({"Filters": [{"Nme": "x"}], "MaxResults": "5"}), &[]),
            Err(vec![
                "Unknown parameter in Filters[0]: \"Nme\", must be one of: Name, Values"
                    .to_string(),
                "Invalid type for parameter MaxResults, value: 5, type: <class 'str'>, valid types: <class 'int'>"
                    .to_string(),
            ])
        );
    }
}
