//! Rhai values ⇄ JSON values, the neutral form the cloud's requests and responses travel in.

use rhai::{Dynamic, EvalAltResult, Position};
use serde_json::Value;

/// A Rhai value as JSON (maps keep Rhai's sorted key order).
pub fn to_json(value: &Dynamic) -> Result<Value, Box<EvalAltResult>> {
    rhai::serde::from_dynamic::<Value>(value)
}

/// A JSON value as a Rhai value: objects become object maps, numbers INT (when they fit) or
/// FLOAT. Total: every JSON value has a Rhai value, so nothing is silently lost.
pub fn from_json(value: Value) -> Dynamic {
    match value {
        Value::Null => Dynamic::UNIT,
        Value::Bool(b) => Dynamic::from_bool(b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Dynamic::from_int(i),
            None => Dynamic::from_float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Dynamic::from(s),
        Value::Array(items) => Dynamic::from_array(items.into_iter().map(from_json).collect()),
        Value::Object(map) => Dynamic::from_map(
            map.into_iter()
                .map(|(k, v)| (k.into(), from_json(v)))
                .collect(),
        ),
    }
}

/// A runtime error carrying `value` as what `catch (e)` receives.
pub fn throw(value: Dynamic, position: Position) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(value, position))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trips_nested_values() {
        let v = json!({"images": [{"image_id": "ami-1", "public": false, "size": 8, "ratio": 0.5}], "none": null});
        let back = to_json(&from_json(v.clone())).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn numbers_keep_their_kind() {
        assert!(from_json(json!(8)).is_int());
        assert!(from_json(json!(0.5)).is_float());
        // Beyond i64: a FLOAT, never a silent unit.
        assert!(from_json(json!(u64::MAX)).is_float());
        assert!(from_json(json!(null)).is_unit());
    }
}
