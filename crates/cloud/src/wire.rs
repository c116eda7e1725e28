//! Responses with the API's own member names (`{"Images": [{"ImageId": …}]}`), as the AWS CLI
//! prints them: a serializer that renames the fields of every structure with
//! [`wire_name`] and leaves the keys of maps (SSM's `Parameters`, Cost Explorer's metrics,
//! Image Builder's tags), which are the caller's, as they are.
//!
//! It serializes the typed response, not the boto3-style `Value`, because only the types know a
//! structure from a map. A response member kept as a `serde_json::Value` is a map to the
//! serializer; one that holds structures in boto3's keys (a launch template's data) says so with
//! `#[serde(serialize_with = "crate::wire::boto3_structure")]`, and its keys are renamed too.

use serde::ser::{self, Serialize};
use serde_json::{Map, Number, Value};

use crate::naming::wire_name;

/// `value` as JSON with the wire names of `service` (`ec2`, `imagebuilder`, …).
///
/// Errors: what serde_json's own serializer refuses (a map key that is not a string, a float
/// that is not finite); the simulation's responses have neither.
pub fn to_wire<T: Serialize + ?Sized>(
    service: &str,
    value: &T,
) -> Result<Value, serde_json::Error> {
    value.serialize(Wire {
        service,
        structures: false,
    })
}

#[derive(Clone, Copy)]
struct Wire<'s> {
    service: &'s str,
    /// Inside a [`boto3_structure`]: maps are structures whose keys are boto3's.
    structures: bool,
}

/// The newtype name that marks a timestamp member ([`timestamp`]).
const TIMESTAMP: &str = "amilab::wire::Timestamp";

/// `serialize_with` for a response member of botocore's `timestamp` type kept as ISO-8601 text
/// (`String` or `Option<String>`): as it is for scripts; for the AWS CLI, as v2 prints a
/// timestamp by default (`cli_timestamp_format = iso8601`: Python's `isoformat()` in UTC,
/// `2025-06-02T09:00:00+00:00`, with microseconds only when there are some). The conformance
/// test holds every timestamp member of every answer to that form.
pub fn timestamp<T: Serialize + ?Sized, S: ser::Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_newtype_struct(TIMESTAMP, value)
}

/// ISO-8601 text as AWS CLI v2 prints a timestamp; text it cannot read, unchanged.
fn cli_timestamp(text: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(text) {
        Ok(t) => {
            let t = t.with_timezone(&chrono::Utc);
            if t.timestamp_subsec_micros() == 0 {
                t.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
            } else {
                t.format("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string()
            }
        }
        Err(_) => text.to_string(),
    }
}

/// The newtype name that marks a `Value` of boto3-keyed structures ([`boto3_structure`]).
const BOTO3_STRUCTURE: &str = "amilab::wire::Boto3Structure";

/// `serialize_with` for a response member kept as a `serde_json::Value` that holds structures
/// in boto3's keys (never a map of the caller's keys): plain JSON for scripts, renamed for the
/// AWS CLI.
pub fn boto3_structure<S: ser::Serializer>(
    value: &Value,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_newtype_struct(BOTO3_STRUCTURE, value)
}

/// [`boto3_structure`] for a list of them.
pub fn boto3_structures<S: ser::Serializer>(
    values: &[Value],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    struct Each<'v>(&'v Value);
    impl Serialize for Each<'_> {
        fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            boto3_structure(self.0, serializer)
        }
    }
    serializer.collect_seq(values.iter().map(Each))
}

type Error = serde_json::Error;

/// A sequence or tuple being built.
struct Seq<'s> {
    wire: Wire<'s>,
    items: Vec<Value>,
    /// The variant of a tuple variant: `{variant: [items]}`.
    variant: Option<&'static str>,
}

/// A map or structure being built.
struct Object<'s> {
    wire: Wire<'s>,
    map: Map<String, Value>,
    next_key: Option<String>,
    /// The variant of a struct variant: `{variant: {fields}}`.
    variant: Option<&'static str>,
}

fn in_variant(variant: Option<&'static str>, value: Value) -> Value {
    match variant {
        None => value,
        Some(name) => {
            let mut map = Map::new();
            map.insert(name.to_string(), value);
            Value::Object(map)
        }
    }
}

impl<'s> ser::Serializer for Wire<'s> {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = Seq<'s>;
    type SerializeTuple = Seq<'s>;
    type SerializeTupleStruct = Seq<'s>;
    type SerializeTupleVariant = Seq<'s>;
    type SerializeMap = Object<'s>;
    type SerializeStruct = Object<'s>;
    type SerializeStructVariant = Object<'s>;

    fn serialize_bool(self, v: bool) -> Result<Value, Error> {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, Error> {
        Ok(Value::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<Value, Error> {
        Ok(Value::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<Value, Error> {
        Ok(Value::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<Value, Error> {
        Ok(Value::from(v))
    }
    fn serialize_u8(self, v: u8) -> Result<Value, Error> {
        Ok(Value::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<Value, Error> {
        Ok(Value::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<Value, Error> {
        Ok(Value::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<Value, Error> {
        Ok(Value::from(v))
    }
    fn serialize_f32(self, v: f32) -> Result<Value, Error> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Value, Error> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| ser::Error::custom(format!("{v} is not a JSON number")))
    }
    fn serialize_char(self, v: char) -> Result<Value, Error> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value, Error> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, Error> {
        Ok(Value::Array(v.iter().map(|b| Value::from(*b)).collect()))
    }
    fn serialize_none(self) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Value, Error> {
        Ok(Value::String(variant.to_string()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        if name == TIMESTAMP {
            return Ok(match value.serialize(self)? {
                Value::String(text) => Value::String(cli_timestamp(&text)),
                other => other,
            });
        }
        if name == BOTO3_STRUCTURE {
            return value.serialize(Wire {
                structures: true,
                ..self
            });
        }
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        Ok(in_variant(Some(variant), value.serialize(self)?))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'s>, Error> {
        Ok(Seq {
            wire: self,
            items: Vec::with_capacity(len.unwrap_or(0)),
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'s>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'s>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Seq<'s>, Error> {
        let mut seq = self.serialize_seq(Some(len))?;
        seq.variant = Some(variant);
        Ok(seq)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Object<'s>, Error> {
        Ok(Object {
            wire: self,
            map: Map::new(),
            next_key: None,
            variant: None,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Object<'s>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Object<'s>, Error> {
        let mut object = self.serialize_map(Some(len))?;
        object.variant = Some(variant);
        Ok(object)
    }
}

impl ser::SerializeSeq for Seq<'_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.items.push(value.serialize(self.wire)?);
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        Ok(in_variant(self.variant, Value::Array(self.items)))
    }
}

impl ser::SerializeTuple for Seq<'_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Value, Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Seq<'_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Value, Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleVariant for Seq<'_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Value, Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeMap for Object<'_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        // A map's keys are the caller's: kept exactly, as serde_json would write them; but a
        // boto3-keyed structure kept as a `Value` is a map to serde.
        self.next_key = Some(match key.serialize(self.wire)? {
            Value::String(s) if self.wire.structures => {
                wire_name(self.wire.service, &s).into_owned()
            }
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => return Err(ser::Error::custom("a map key must be a string")),
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .next_key
            .take()
            .ok_or_else(|| <Error as ser::Error>::custom("a map value came before its key"))?;
        self.map.insert(key, value.serialize(self.wire)?);
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        Ok(in_variant(self.variant, Value::Object(self.map)))
    }
}

impl ser::SerializeStruct for Object<'_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let name = wire_name(self.wire.service, key).into_owned();
        self.map.insert(name, value.serialize(self.wire)?);
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        Ok(in_variant(self.variant, Value::Object(self.map)))
    }
}

impl ser::SerializeStructVariant for Object<'_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Result<Value, Error> {
        ser::SerializeStruct::end(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[derive(serde::Serialize)]
    struct Command {
        command_id: String,
        parameters: BTreeMap<String, Vec<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
        instance_ids: Vec<String>,
    }

    #[test]
    fn structures_are_renamed_and_map_keys_kept() {
        let command = Command {
            command_id: "c-1".into(),
            parameters: BTreeMap::from([("commands".to_string(), vec!["echo hi".to_string()])]),
            comment: None,
            instance_ids: vec!["i-1".into()],
        };
        assert_eq!(
            to_wire("ssm", &command).unwrap(),
            json!({"CommandId": "c-1", "Parameters": {"commands": ["echo hi"]}, "InstanceIds": ["i-1"]})
        );
        assert_eq!(
            to_wire("imagebuilder", &command).unwrap()["commandId"],
            json!("c-1")
        );
    }

    #[test]
    fn it_agrees_with_serde_json_apart_from_the_names() {
        // Same values, same shape: only structure fields are renamed.
        #[derive(serde::Serialize)]
        enum Kind {
            Plain,
            Wrapped(u8),
        }
        #[derive(serde::Serialize)]
        struct Probe {
            a_b: f64,
            kinds: (Kind, Kind),
            flag: bool,
            nothing: Option<u8>,
        }
        let probe = Probe {
            a_b: 1.5,
            kinds: (Kind::Plain, Kind::Wrapped(3)),
            flag: true,
            nothing: None,
        };
        let wire = to_wire("ec2", &probe).unwrap();
        let plain = serde_json::to_value(&probe).unwrap();
        assert_eq!(wire["AB"], plain["a_b"]);
        assert_eq!(wire["Kinds"], plain["kinds"]);
        assert_eq!(wire["Flag"], plain["flag"]);
        assert_eq!(wire["Nothing"], plain["nothing"]);
        assert!(to_wire("ec2", &f64::NAN).is_err());
    }

    #[test]
    fn timestamps_print_as_cli_v2_prints_them() {
        #[derive(serde::Serialize)]
        struct Times {
            #[serde(serialize_with = "timestamp")]
            launch_time: String,
            #[serde(serialize_with = "timestamp")]
            end_time: Option<String>,
            #[serde(serialize_with = "timestamp")]
            other: Option<String>,
        }
        let times = Times {
            launch_time: "2025-06-02T09:00:00.000Z".into(),
            end_time: Some("2025-06-02T09:00:00.250Z".into()),
            other: None,
        };
        assert_eq!(
            to_wire("ec2", &times).unwrap(),
            json!({"LaunchTime": "2025-06-02T09:00:00+00:00",
                "EndTime": "2025-06-02T09:00:00.250000+00:00", "Other": null})
        );
        assert_eq!(
            serde_json::to_value(&times).unwrap()["launch_time"],
            "2025-06-02T09:00:00.000Z"
        );
    }

    #[test]
    fn marked_values_are_structures() {
        #[derive(serde::Serialize)]
        struct Version {
            #[serde(serialize_with = "boto3_structure")]
            launch_template_data: Value,
            #[serde(serialize_with = "boto3_structures")]
            block_device_mappings: Vec<Value>,
            other: Value,
        }
        let version = Version {
            launch_template_data: json!({"image_id": "ami-1", "tag_specifications": [{"resource_type": "instance"}]}),
            block_device_mappings: vec![json!({"device_name": "/dev/xvda"})],
            other: json!({"commands": ["ls"]}),
        };
        assert_eq!(
            to_wire("ec2", &version).unwrap(),
            json!({
                "LaunchTemplateData": {"ImageId": "ami-1", "TagSpecifications": [{"ResourceType": "instance"}]},
                "BlockDeviceMappings": [{"DeviceName": "/dev/xvda"}],
                "Other": {"commands": ["ls"]}
            })
        );
        // For scripts, plain JSON.
        assert_eq!(
            serde_json::to_value(&version).unwrap()["launch_template_data"]["image_id"],
            "ami-1"
        );
    }
}
