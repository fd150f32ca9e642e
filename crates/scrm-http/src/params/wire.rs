//! The serde `Deserializer` of the parameters: a request struct (or a list of items) is read
//! from the JSON values `Params` gathered, and every error names the parameter it is about
//! (`tagIds`, `nickNames[1].wechatContactId`, `[0].msgId`).
//!
//! Beside the naming it applies the two rules of the wire format that belong to no single type:
//! - an `Option<T>` field given as `null` or a blank string is `None` ("an empty string means
//!   not given"); `lenient::present` opts a field out (updateCustomer's clearing fields);
//! - a `String` field takes a number or a boolean as its text.
//!
//! Unknown parameters are ignored (no request struct denies unknown fields), and a missing
//! field that is not an `Option` is `<name>: is required`.
//!
//! Two shapes of the wire are asked for by name, as serde_json's `RawValue` is: a newtype
//! struct named `JSON_TEXT` (`lenient::JsonText`) reads a string as the JSON it holds (a form
//! field carrying an array), one named `ONE_OR_MANY` (`lenient::OneOrMany`) reads an object as
//! a list of that one object (its errors named `[0]`). A request whose body may be a JSON
//! array asks for `deserialize_any` (`params::ArrayOr`): it gets the array, else the
//! parameters; a struct always gets the parameters.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::de::value::StrDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::{Map, Value};

use crate::error::ApiError;

/// The newtype name of a value that may also be given as text holding its JSON.
pub const JSON_TEXT: &str = "$scrm::wire::JsonText";
/// The newtype name of a list that may also be given as its one object.
pub const ONE_OR_MANY: &str = "$scrm::wire::OneOrMany";
/// The error of a `ONE_OR_MANY` that is neither an object nor an array.
const NOT_ONE_OR_MANY: &str = "must be an object or an array of objects";

/// A deserialization error and the parameter it is about (`None` at the top).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError {
    param: Option<String>,
    why: String,
}

impl WireError {
    /// The error as seen from one level up: `segment` is a key or an `[index]`.
    fn within(self, segment: &str) -> Self {
        let param = match self.param {
            None => segment.to_owned(),
            Some(inner) if inner.starts_with('[') => format!("{segment}{inner}"),
            Some(inner) => format!("{segment}.{inner}"),
        };
        Self {
            param: Some(param),
            why: self.why,
        }
    }

    /// The 400 of the error, its parameter after `prefix` (`nickNames` for its items).
    pub fn into_api(self, prefix: &str) -> ApiError {
        let named = if prefix.is_empty() {
            self
        } else {
            self.within(prefix)
        };
        match named.param {
            Some(param) => ApiError::invalid(&param, &named.why),
            None => ApiError::BadRequest(named.why),
        }
    }
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.param {
            Some(param) => write!(f, "{param}: {}", self.why),
            None => f.write_str(&self.why),
        }
    }
}

impl std::error::Error for WireError {}

impl de::Error for WireError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self {
            param: None,
            why: msg.to_string(),
        }
    }

    fn missing_field(field: &'static str) -> Self {
        Self {
            param: Some(field.to_owned()),
            why: "is required".to_owned(),
        }
    }
}

/// Reads `T` from an object of parameters.
///
/// # Errors
/// The first field that cannot be read, named.
pub fn from_map<T: DeserializeOwned>(map: &Map<String, Value>) -> Result<T, WireError> {
    T::deserialize(Object(map))
}

/// Reads `T` from the parameters of a request and the JSON array its body may be instead:
/// `deserialize_any` sees the array when there is one, every other request the parameters.
///
/// # Errors
/// The first part that cannot be read, named (relative to the array: `[2].msgId`).
pub fn from_request<T: DeserializeOwned>(
    params: &Map<String, Value>,
    array: Option<&Value>,
) -> Result<T, WireError> {
    T::deserialize(Request { params, array })
}

/// The top of a request: its parameters, and the JSON array its body may be instead.
struct Request<'a> {
    params: &'a Map<String, Value>,
    array: Option<&'a Value>,
}

impl<'de> Deserializer<'de> for Request<'_> {
    type Error = WireError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        match self.array {
            Some(array) => Field(array).deserialize_any(visitor),
            None => Object(self.params).deserialize_any(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, WireError> {
        Object(self.params).deserialize_any(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        Object(self.params).deserialize_any(visitor)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct enum
        identifier ignored_any
    }
}

/// An object: a map whose values are `Field`s.
struct Object<'a>(&'a Map<String, Value>);

impl<'de> Deserializer<'de> for Object<'_> {
    type Error = WireError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        visitor.visit_map(Entries {
            iter: self.0.iter(),
            value: None,
        })
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

/// The entries of an object; a value's errors are named by its key.
struct Entries<'a> {
    iter: serde_json::map::Iter<'a>,
    value: Option<(&'a str, &'a Value)>,
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = WireError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, WireError> {
        let Some((key, value)) = self.iter.next() else {
            return Ok(None);
        };
        self.value = Some((key, value));
        seed.deserialize(StrDeserializer::new(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, WireError> {
        let (key, value) = self
            .value
            .take()
            .ok_or_else(|| de::Error::custom("a value without its key"))?;
        seed.deserialize(Field(value)).map_err(|e| e.within(key))
    }
}

/// The elements of an array; an element's errors are named by its index.
struct Elements<'a> {
    iter: std::slice::Iter<'a, Value>,
    index: usize,
}

impl<'a> Elements<'a> {
    fn new(items: &'a [Value]) -> Self {
        Self {
            iter: items.iter(),
            index: 0,
        }
    }
}

impl<'de> SeqAccess<'de> for Elements<'_> {
    type Error = WireError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, WireError> {
        let Some(value) = self.iter.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(Field(value))
            .map(Some)
            .map_err(|e| e.within(&format!("[{index}]")))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// One value of the parameters. Nothing is borrowed from it (strings are visited as
/// `visit_str`), so a value parsed from JSON text is read by the same rules.
struct Field<'a>(&'a Value);

impl Field<'_> {
    fn is_blank(&self) -> bool {
        match self.0 {
            Value::Null => true,
            Value::String(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

fn json(err: serde_json::Error) -> WireError {
    de::Error::custom(err)
}

impl<'de> Deserializer<'de> for Field<'_> {
    type Error = WireError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        match self.0 {
            Value::Object(map) => Object(map).deserialize_any(visitor),
            Value::Array(items) => visitor.visit_seq(Elements::new(items)),
            Value::String(s) => visitor.visit_str(s),
            scalar => scalar.clone().deserialize_any(visitor).map_err(json),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        if self.is_blank() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        match self.0 {
            Value::String(s) => visitor.visit_str(s),
            Value::Null => visitor.visit_str(""),
            Value::Number(n) => visitor.visit_string(n.to_string()),
            Value::Bool(b) => visitor.visit_string(b.to_string()),
            Value::Array(_) => Err(de::Error::custom(crate::lenient::ONCE)),
            Value::Object(_) => Err(de::Error::custom("must be a string")),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        match self.0 {
            Value::Array(_) => self.deserialize_any(visitor),
            _ => Err(de::Error::custom("must be an array")),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        match self.0 {
            Value::Object(_) => self.deserialize_any(visitor),
            _ => Err(de::Error::custom("must be an object")),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, WireError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, WireError> {
        match (name, self.0) {
            (JSON_TEXT, Value::String(text)) => {
                let parsed: Value =
                    serde_json::from_str(text).map_err(|_| de::Error::custom("must be JSON"))?;
                visitor.visit_newtype_struct(Field(&parsed))
            }
            (ONE_OR_MANY, Value::Object(_)) => {
                visitor.visit_seq(Elements::new(std::slice::from_ref(self.0)))
            }
            (ONE_OR_MANY, Value::Array(items)) => visitor.visit_seq(Elements::new(items)),
            (ONE_OR_MANY, _) => Err(de::Error::custom(NOT_ONE_OR_MANY)),
            _ => visitor.visit_newtype_struct(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, WireError> {
        self.0
            .clone()
            .deserialize_enum(name, variants, visitor)
            .map_err(json)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf
        unit unit_struct tuple tuple_struct identifier ignored_any
    }
}
