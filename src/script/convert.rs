//! Rhai values ⇄ JSON values, the neutral form the cloud's requests and responses travel in.

use rhai::{Dynamic, EvalAltResult, Position};
use serde_json::Value;

/// A Rhai value as JSON (maps keep Rhai's sorted key order).
pub fn to_json(value: &Dynamic) -> Result<Value, Box<EvalAltResult>> {
    rhai::serde::from_dynamic::<Value>(value)
}

/// A JSON value as a Rhai value: objects become object maps, numbers INT or FLOAT.
pub fn from_json(value: Value) -> Dynamic {
    rhai::serde::to_dynamic(value).unwrap_or(Dynamic::UNIT)
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
}
