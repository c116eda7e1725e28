//! The parameters an operation accepts, read from its input type itself: serde's derive hands
//! every struct's field names to `deserialize_struct`, so a deserializer that only records them
//! lists an input's keys without a request, without parsing an error message, and in the order
//! the struct declares them.

use std::fmt;

use serde::de::{self, DeserializeOwned, Visitor};

/// What the probe ends with: the field names, or a type that is not a struct.
#[derive(Debug)]
enum Probe {
    Fields(&'static [&'static str]),
    NotAStruct,
}

impl fmt::Display for Probe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("parameter probe")
    }
}

impl std::error::Error for Probe {}

impl de::Error for Probe {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Probe::NotAStruct
    }
}

struct FieldNames;

impl<'de> de::Deserializer<'de> for FieldNames {
    type Error = Probe;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Probe> {
        Err(Probe::NotAStruct)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Probe> {
        Err(Probe::Fields(fields))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// The keys `I` accepts, in declaration order; empty for a type that is not a struct.
pub(crate) fn of<I: DeserializeOwned>() -> &'static [&'static str] {
    match I::deserialize(FieldNames) {
        Err(Probe::Fields(fields)) => fields,
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ec2::images::CreateImageInput;

    #[test]
    fn an_inputs_keys_in_declaration_order() {
        let keys = of::<CreateImageInput>();
        assert_eq!(&keys[..2], ["instance_id", "name"]);
        assert!(keys.contains(&"dry_run"));
        assert!(of::<String>().is_empty());
    }
}
