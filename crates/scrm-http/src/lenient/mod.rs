//! The lenient value types of the wire format: each reads what the legacy frontend sends
//! (serde `Deserialize`) and describes exactly that to the OpenAPI document (utoipa
//! `PartialSchema`/`ToSchema`), so a request struct declares a parameter once, by its type.
//!
//! - `LenientInt` (`PageNo`, `Limit`): an integer as a number or a numeric string;
//! - `IdList`: ids as `1,2`, `[1,2]`, `["1","2"]` (text) or a JSON array;
//! - `WireTime`: `yyyy-MM-dd HH:mm:ss`, `yyyy-MM-dd` or epoch milliseconds;
//! - `Flag`: 0/1 as a number, a string or a boolean;
//! - `Text`: a string, or a number or boolean read as its text;
//! - `WireTagMode` (`search`): `any`, `all` or `none`; `terms` checks `q`;
//! - `JsonText`, `OneOrMany`, `ArrayOr` (`json`): a value given as JSON text, one object or
//!   an array, a body that is an array or parameters.
//!
//! "An empty string means not given" is `Option<T>`: the parameters' deserializer
//! (`crate::params::wire`) reads `null` and blank strings as `None` for every `Option` field.
//! Outside an `Option`, a blank `LenientInt`, `Flag` or `WireTime` is `is required`; a blank
//! `IdList` is empty, a blank `Text` is `""`.

/// Implements a lenient type's `Deserialize` (the JSON value read by `parse`, whose error is
/// the deserializer's) and `PartialSchema`/`ToSchema` (`schema`, what `parse` accepts).
// Defined before the submodules, which use it too.
macro_rules! lenient_type {
    ($name:ident, $parse:expr, $schema:expr) => {
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                parse_value(d, $parse)
            }
        }

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                $schema
            }
        }

        impl ToSchema for $name {}
    };
}

mod ids;
mod json;
mod search;
mod time;

use scrm_domain::PageRequest;
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer};
use serde_json::{Map, Value};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{
    KnownFormat, ObjectBuilder, OneOfBuilder, Schema, SchemaFormat, Type,
};
use utoipa::{PartialSchema, ToSchema};

pub use ids::IdList;
pub use json::{ArrayOr, JsonText, OneOrMany, array_of, register};
pub use search::{WireTagMode, tag_mode, terms};
pub use time::WireTime;

use crate::error::ApiError;

/// The error of a blank value where one is needed.
const REQUIRED: &str = "is required";
/// The error of a `LenientInt` that is no integer.
const NOT_INT: &str = "must be an integer";
/// A single value given as a list: a form or query field sent twice (`customerId=1&customerId=2`
/// arrives as `["1","2"]`), or a JSON array.
pub(crate) const ONCE: &str = "must be one value, not a list";
/// A numeric string as `LenientInt` reads it: optional blanks, an optional minus, digits.
const INT_PATTERN: &str = r"^\s*-?[0-9]*\s*$";

/// Reads a JSON value and parses it; a parse failure is the deserializer's error.
fn parse_value<'de, D, T>(
    d: D,
    parse: impl FnOnce(&Value) -> Result<T, &'static str>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let value = Value::deserialize(d)?;
    parse(&value).map_err(de::Error::custom)
}

fn int(value: &Value) -> Result<i64, &'static str> {
    match value {
        Value::Number(n) => n.as_i64().ok_or(NOT_INT),
        Value::Null => Err(REQUIRED),
        Value::String(s) if s.trim().is_empty() => Err(REQUIRED),
        Value::String(s) => s.trim().parse().map_err(|_| NOT_INT),
        Value::Array(_) => Err(ONCE),
        _ => Err(NOT_INT),
    }
}

fn integer(description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
        .description(Some(description))
}

fn string(description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
}

fn one_of(description: &str, variants: Vec<RefOr<Schema>>) -> RefOr<Schema> {
    variants
        .into_iter()
        .fold(OneOfBuilder::new(), OneOfBuilder::item)
        .description(Some(description))
        .into()
}

/// An integer read by `int`, with its schema: a number or a numeric string.
macro_rules! lenient_int {
    ($(#[$doc:meta])* $name:ident, $description:expr, $number:expr, $text:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $name(pub i64);

        lenient_type!(
            $name,
            |v| int(v).map($name),
            one_of($description, vec![$number.into(), $text.into()])
        );
    };
}

lenient_int!(
    /// An integer given as a JSON number or a numeric string (`12206` or `"12206"`).
    LenientInt,
    "An integer, as a number or a numeric string; an empty string means not given.",
    integer("The integer."),
    string("The integer as text, or empty.")
        .pattern(Some(INT_PATTERN))
        .examples(["12206"])
);

lenient_int!(
    /// `pageNo`: 1 or more, as a number or a numeric string (the range is checked by
    /// `page`).
    PageNo,
    "The page, from 1 to 4294967295, as a number or a numeric string; empty means 1.",
    integer("The page.")
        .minimum(Some(1))
        .maximum(Some(u32::MAX)),
    string("The page as text, or empty.")
        .pattern(Some(r"^\s*(0*[1-9][0-9]{0,9})?\s*$"))
        .examples(["1"])
);

lenient_int!(
    /// `limit`: 1 to 100 rows, as a number or a numeric string (checked by `page`).
    Limit,
    "Rows per page, 1 to 100, as a number or a numeric string; empty means the default.",
    integer("Rows per page.")
        .minimum(Some(1))
        .maximum(Some(scrm_domain::paging::MAX_LIMIT)),
    string("Rows per page as text, or empty.")
        .pattern(Some(r"^\s*(0*([1-9][0-9]?|100))?\s*$"))
        .examples(["10"])
);

/// `pageNo` (default 1) and `limit` (default `default_limit`) as a page request.
///
/// # Errors
/// 400 naming `pageNo` or `limit` when out of range.
pub fn page(
    page_no: Option<PageNo>,
    limit: Option<Limit>,
    default_limit: u32,
) -> Result<PageRequest, ApiError> {
    let clamp = |n: i64| u32::try_from(n.max(0)).unwrap_or(u32::MAX);
    // A page beyond u32 is refused, not clamped: the answer echoes `pageNo`, and it must be
    // the one asked for.
    if page_no.is_some_and(|p| p.0 > i64::from(u32::MAX)) {
        return Err(ApiError::invalid("pageNo", "must be at most 4294967295"));
    }
    let page_no = page_no.map_or(1, |p| clamp(p.0));
    let limit = limit.map_or(default_limit, |l| clamp(l.0));
    Ok(PageRequest::new(page_no, limit)?)
}

/// A 0/1 switch: `0`, `1`, `"0"`, `"1"`, `true`, `false`, `"true"`, `"false"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag(pub bool);

fn flag(value: &Value) -> Result<bool, &'static str> {
    const NOT_FLAG: &str = "must be 0 or 1";
    let text = match value {
        Value::Bool(b) => return Ok(*b),
        Value::Null => return Err(REQUIRED),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_owned(),
        Value::Array(_) => return Err(ONCE),
        Value::Object(_) => return Err(NOT_FLAG),
    };
    match text.as_str() {
        "" => Err(REQUIRED),
        "1" | "true" => Ok(true),
        "0" | "false" => Ok(false),
        _ => Err(NOT_FLAG),
    }
}

lenient_type!(
    Flag,
    |v| flag(v).map(Flag),
    one_of(
        "0 or 1, as a number, a string or a boolean.",
        vec![
            integer("0 or 1.").enum_values(Some([0, 1])).into(),
            string("`0`, `1`, `true` or `false`.")
                .enum_values(Some(["0", "1", "true", "false"]))
                .into(),
            ObjectBuilder::new().schema_type(Type::Boolean).into(),
        ],
    )
);

/// Text as given: a string, or a number or boolean read as its text; `null` is `""`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text(pub String);

impl Text {
    /// The text trimmed; `None` when nothing is left.
    pub fn trimmed(&self) -> Option<String> {
        Some(self.0.trim())
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    }
}

/// The text of a scalar: strings as they are, numbers and booleans printed, `null` as `""`.
fn text(value: &Value) -> Result<String, &'static str> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Null => Ok(String::new()),
        Value::Array(_) => Err(ONCE),
        Value::Object(_) => Err("must be a string"),
    }
}

lenient_type!(
    Text,
    |v| text(v).map(Text),
    one_of(
        "Text; a number or a boolean is read as its text.",
        vec![
            string("The text.").into(),
            ObjectBuilder::new().schema_type(Type::Number).into(),
            ObjectBuilder::new().schema_type(Type::Boolean).into(),
        ],
    )
);

/// Trims an optional query text (a blank one is `None` already).
pub fn trimmed(text: Option<String>) -> Option<String> {
    text.map(|s| s.trim().to_owned())
}

/// `#[serde(default, deserialize_with = "present")]`: a field that is there is `Some` even
/// when empty or `null` (an `Option` field would read those as not given). For the fields
/// where `""` means "clear it" (updateCustomer) or must be kept as typed.
///
/// # Errors
/// The value's own error.
pub fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// `#[serde(flatten, deserialize_with = "flat")]`: reads a flattened group of parameters
/// (the xfields) with the parameters' own deserializer, so its errors still name the
/// parameter and its `Option` fields keep the blank rule (serde's own flattening would lose
/// both).
///
/// # Errors
/// The group's first bad parameter, named in the message.
pub fn flat<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<T, D::Error> {
    let map = Map::<String, Value>::deserialize(d)?;
    crate::params::wire::from_map(&map).map_err(de::Error::custom)
}
