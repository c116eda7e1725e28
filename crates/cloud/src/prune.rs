//! A response encoded with only the members some dotted paths reach: what a waiter's poll
//! needs. A waiter polls a describe call every few simulated seconds and reads one or two
//! members of the answer (`reservations[].instances[].state.name`); encoding the whole answer
//! as JSON for that was most of the cost of a poll (a copy of every instance's every member
//! into a map that hashes each key).
//!
//! The rule, for every path given: [`crate::waiters::select`] finds the same values in the
//! pruned answer as in the whole one. Members on a path are encoded exactly as
//! `serde_json::to_value` encodes them; everything off every path is left out.

use serde::ser::{self, Impossible, Serialize};
use serde_json::{Map, Value};

/// `value` as JSON holding only what `paths` reach (paths as [`crate::waiters::select`] reads
/// them: members joined by `.`, a `[]` suffix flattening a list).
///
/// Errors: as `serde_json::to_value` (a map key that is not a string).
pub(crate) fn to_value<T: Serialize + ?Sized>(
    value: &T,
    paths: &[&str],
) -> Result<Value, serde_json::Error> {
    value.serialize(Pruner { paths })
}

/// Serializes one value for the `paths` left below it.
#[derive(Clone, Copy)]
struct Pruner<'p> {
    paths: &'p [&'p str],
}

impl<'p> Pruner<'p> {
    /// Whether the whole value is wanted: a path ends here.
    fn whole(&self) -> bool {
        self.paths.iter().any(|p| p.is_empty())
    }

    /// The paths below member `key`: the rest of each path whose first member is `key`.
    fn below(&self, key: &str) -> Vec<&'p str> {
        self.paths
            .iter()
            .filter_map(|p| {
                let (first, rest) = p.split_once('.').unwrap_or((p, ""));
                let name = first.strip_suffix("[]").unwrap_or(first);
                (name == key).then_some(rest)
            })
            .collect()
    }
}

/// The whole value, as `serde_json::to_value` encodes it.
fn whole<T: Serialize + ?Sized>(value: &T) -> Result<Value, serde_json::Error> {
    serde_json::to_value(value)
}

impl<'p> ser::Serializer for Pruner<'p> {
    type Ok = Value;
    type Error = serde_json::Error;
    type SerializeSeq = Seq<'p>;
    type SerializeTuple = Seq<'p>;
    type SerializeTupleStruct = Seq<'p>;
    type SerializeTupleVariant = Impossible<Value, serde_json::Error>;
    type SerializeMap = Members<'p>;
    type SerializeStruct = Members<'p>;
    type SerializeStructVariant = Impossible<Value, serde_json::Error>;

    // Scalars are cheap and have nothing below them: encoded as they are.
    fn serialize_bool(self, v: bool) -> Result<Value, Self::Error> {
        whole(&v)
    }
    fn serialize_i8(self, v: i8) -> Result<Value, Self::Error> {
        whole(&v)
    }
    fn serialize_i16(self, v: i16) -> Result<Value, Self::Error> {
        whole(&v)
    }
    fn serialize_i32(self, v: i32) -> Result<Value, Self::Error> {
        whole(&v)
    }
    fn serialize_i64(self, v: i64) -> Result<Value, Self::Error> {
        whole(&v)
    }
    fn serialize_u8(self, v: u8) -> Result<Value, Self::Error> {
        whole(&v)
    }
    fn serialize_u16(self, v: u16) -> Result<Value, Self::Error> {
        whole(&v)
    }
    fn serialize_u32(self, v: u32) -> Result<Value, Self::Error> {
        whole(&v)
    }
    fn serialize_u64(self, v: u64) -> Result<Value, Self::Error> {
        whole(&v)
    }
    fn serialize_f32(self, v: f32) -> Result<Value, Self::Error> {
        whole(&v)
    }
    fn serialize_f64(self, v: f64) -> Result<Value, Self::Error> {
        whole(&v)
    }
    fn serialize_char(self, v: char) -> Result<Value, Self::Error> {
        whole(&v)
    }
    fn serialize_str(self, v: &str) -> Result<Value, Self::Error> {
        whole(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, Self::Error> {
        whole(v)
    }
    fn serialize_none(self) -> Result<Value, Self::Error> {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, Self::Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, Self::Error> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Value, Self::Error> {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Value, Self::Error> {
        Ok(Value::String(variant.to_string()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Value, Self::Error> {
        value.serialize(self)
    }
    // Variants with data are encoded whole (`{variant: value}`), as serde_json does: no
    // response reaches them on a waiter's path, and whole is never wrong, only slower.
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, Self::Error> {
        serde_json::value::Serializer.serialize_newtype_variant(name, index, variant, value)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'p>, Self::Error> {
        Ok(Seq {
            pruner: self,
            items: Vec::with_capacity(len.unwrap_or(0)),
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'p>, Self::Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Seq<'p>, Self::Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Self::Error> {
        Err(ser::Error::custom(format!(
            "a waiter cannot read the tuple variant {variant}"
        )))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Members<'p>, Self::Error> {
        Ok(Members {
            pruner: self,
            map: Map::new(),
            key: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Members<'p>, Self::Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Self::Error> {
        Err(ser::Error::custom(format!(
            "a waiter cannot read the struct variant {variant}"
        )))
    }
}

/// A list: every item pruned by the same paths (`[]` flattens a list into its items, and a
/// path without `[]` finds nothing below a list, pruned or whole).
struct Seq<'p> {
    pruner: Pruner<'p>,
    items: Vec<Value>,
}

impl Seq<'_> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), serde_json::Error> {
        let item = if self.pruner.whole() {
            whole(value)?
        } else {
            value.serialize(self.pruner)?
        };
        self.items.push(item);
        Ok(())
    }
}

impl ser::SerializeSeq for Seq<'_> {
    type Ok = Value;
    type Error = serde_json::Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Self::Error> {
        self.push(value)
    }
    fn end(self) -> Result<Value, Self::Error> {
        Ok(Value::Array(self.items))
    }
}

impl ser::SerializeTuple for Seq<'_> {
    type Ok = Value;
    type Error = serde_json::Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Self::Error> {
        self.push(value)
    }
    fn end(self) -> Result<Value, Self::Error> {
        Ok(Value::Array(self.items))
    }
}

impl ser::SerializeTupleStruct for Seq<'_> {
    type Ok = Value;
    type Error = serde_json::Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Self::Error> {
        self.push(value)
    }
    fn end(self) -> Result<Value, Self::Error> {
        Ok(Value::Array(self.items))
    }
}

/// A structure or map: only the members some path names, each pruned by the rest of its
/// paths (whole where a path ends).
struct Members<'p> {
    pruner: Pruner<'p>,
    map: Map<String, Value>,
    /// A map's key, between `serialize_key` and `serialize_value`.
    key: Option<String>,
}

impl Members<'_> {
    fn member<T: Serialize + ?Sized>(
        &mut self,
        key: &str,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        if self.pruner.whole() {
            self.map.insert(key.to_string(), whole(value)?);
            return Ok(());
        }
        let below = self.pruner.below(key);
        if !below.is_empty() {
            let value = if below.iter().any(|p| p.is_empty()) {
                whole(value)?
            } else {
                value.serialize(Pruner { paths: &below })?
            };
            self.map.insert(key.to_string(), value);
        }
        Ok(())
    }
}

impl ser::SerializeStruct for Members<'_> {
    type Ok = Value;
    type Error = serde_json::Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Self::Error> {
        self.member(key, value)
    }
    fn end(self) -> Result<Value, Self::Error> {
        Ok(Value::Object(self.map))
    }
}

impl ser::SerializeMap for Members<'_> {
    type Ok = Value;
    type Error = serde_json::Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Self::Error> {
        // serde_json's own rule for keys: strings, and numbers and booleans written as strings.
        self.key = Some(match serde_json::to_value(key)? {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => return Err(ser::Error::custom("key must be a string")),
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Self::Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| ser::Error::custom("a map value without a key"))?;
        self.member(&key, value)
    }
    fn end(self) -> Result<Value, Self::Error> {
        Ok(Value::Object(self.map))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::to_value;
    use crate::waiters::select;

    #[derive(Serialize)]
    struct State {
        code: u16,
        name: &'static str,
    }

    #[derive(Serialize)]
    enum Size {
        Small,
        Sized(u8),
    }

    #[derive(Serialize)]
    struct Instance {
        instance_id: String,
        state: State,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        tags: BTreeMap<String, String>,
        size: Size,
        launched: Option<u64>,
    }

    #[derive(Serialize)]
    struct Reservation {
        reservation_id: String,
        instances: Vec<Instance>,
    }

    #[derive(Serialize)]
    struct Output {
        reservations: Vec<Reservation>,
        status: Option<&'static str>,
        next_token: Option<String>,
    }

    fn instance(n: u8, state: &'static str) -> Instance {
        Instance {
            instance_id: format!("i-{n}"),
            state: State {
                code: 16,
                name: state,
            },
            reason: n.is_multiple_of(2).then(|| "User initiated".to_string()),
            tags: BTreeMap::from([("Name".to_string(), format!("web-{n}"))]),
            size: if n.is_multiple_of(2) {
                Size::Small
            } else {
                Size::Sized(n)
            },
            launched: Some(u64::from(n) * 60),
        }
    }

    fn output() -> Output {
        Output {
            reservations: vec![
                Reservation {
                    reservation_id: "r-1".into(),
                    instances: vec![instance(1, "running"), instance(2, "pending")],
                },
                Reservation {
                    reservation_id: "r-2".into(),
                    instances: vec![instance(3, "running")],
                },
            ],
            status: Some("Pending"),
            next_token: None,
        }
    }

    #[test]
    fn every_path_finds_what_it_finds_in_the_whole_answer() {
        let out = output();
        let full = serde_json::to_value(&out).unwrap();
        let paths = [
            "reservations[].instances[].state.name",
            "reservations[]",
            "reservations[].instances[].tags",
            "reservations[].instances[].size",
            "reservations[].instances[].reason",
            "reservations[].instances[].launched",
            "reservations[].instances[].missing",
            "reservations.instances",
            "status",
            "next_token",
            "missing[].state",
        ];
        for path in paths {
            let pruned = to_value(&out, &[path]).unwrap();
            assert_eq!(select(&pruned, path), select(&full, path), "{path}");
        }
        // Several paths at once: each still finds its own.
        let pruned = to_value(&out, &paths).unwrap();
        for path in paths {
            assert_eq!(select(&pruned, path), select(&full, path), "{path}");
        }
    }

    #[test]
    fn members_off_every_path_are_left_out() {
        let pruned = to_value(&output(), &["reservations[].instances[].state.name"]).unwrap();
        assert_eq!(
            pruned,
            serde_json::json!({"reservations": [
                {"instances": [{"state": {"name": "running"}}, {"state": {"name": "pending"}}]},
                {"instances": [{"state": {"name": "running"}}]},
            ]})
        );
        // Where a path ends, the member is whole.
        let pruned = to_value(&output(), &["reservations[].instances[].state"]).unwrap();
        assert_eq!(
            pruned["reservations"][1]["instances"][0]["state"],
            serde_json::json!({"code": 16, "name": "running"})
        );
    }
}
