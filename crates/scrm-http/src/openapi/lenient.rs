//! The schemas of the lenient wire values that `Params` reads (see `crate::params`): ids and
//! numbers given as numbers or numeric strings, id lists as comma-separated strings or arrays,
//! times in three formats, 0/1 flags. They describe what the server really accepts; the empty
//! string always means "not given".

use serde::Serialize;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{
    ArrayBuilder, KnownFormat, ObjectBuilder, OneOfBuilder, Schema, SchemaFormat, Type,
};
use utoipa::{PartialSchema, ToSchema};

/// A numeric string as `Params` parses it: optional blanks, an optional minus, digits.
const INT_PATTERN: &str = r"^\s*-?[0-9]*\s*$";
/// `yyyy-MM-dd HH:mm:ss` or `yyyy-MM-dd` (blanks around allowed), or nothing.
const TIME_PATTERN: &str = r"^\s*([0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])( ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9])?)?\s*$";
/// A comma-separated list of integers (blanks and empty parts are ignored).
const ID_LIST_PATTERN: &str = r"^[0-9\s,-]*$";

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

/// `null`: the `data` of an answer that carries nothing.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Null;

impl PartialSchema for Null {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new().schema_type(Type::Null).into()
    }
}

impl ToSchema for Null {}

/// An integer given as a JSON number or a numeric string (`12206` or `"12206"`); `""` is
/// "not given".
#[derive(Debug, Clone, Copy, Serialize)]
pub struct LenientInt;

impl PartialSchema for LenientInt {
    fn schema() -> RefOr<Schema> {
        one_of(
            "An integer, as a number or a numeric string; an empty string means not given.",
            vec![
                integer("The integer.").into(),
                string("The integer as text, or empty.")
                    .pattern(Some(INT_PATTERN))
                    .examples(["12206"])
                    .into(),
            ],
        )
    }
}

impl ToSchema for LenientInt {}

/// `pageNo`: 1 or more, as a number or a numeric string; `""` is the default (1).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct PageNo;

impl PartialSchema for PageNo {
    fn schema() -> RefOr<Schema> {
        one_of(
            "The page, from 1, as a number or a numeric string; empty means 1.",
            vec![
                integer("The page.").minimum(Some(1)).into(),
                string("The page as text, or empty.")
                    .pattern(Some(r"^\s*(0*[1-9][0-9]{0,9})?\s*$"))
                    .examples(["1"])
                    .into(),
            ],
        )
    }
}

impl ToSchema for PageNo {}

/// `limit`: 1 to 100 rows, as a number or a numeric string; `""` is the endpoint's default.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Limit;

impl PartialSchema for Limit {
    fn schema() -> RefOr<Schema> {
        one_of(
            "Rows per page, 1 to 100, as a number or a numeric string; empty means the default.",
            vec![
                integer("Rows per page.")
                    .minimum(Some(1))
                    .maximum(Some(scrm_domain::paging::MAX_LIMIT))
                    .into(),
                string("Rows per page as text, or empty.")
                    .pattern(Some(r"^\s*(0*([1-9][0-9]?|100))?\s*$"))
                    .examples(["10"])
                    .into(),
            ],
        )
    }
}

impl ToSchema for Limit {}

/// A list of ids: a comma-separated string (`"81100608,81100609"`), an array of numbers or
/// numeric strings, or one number; at most 1,000 ids; `""` is an empty list.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct IdList;

impl PartialSchema for IdList {
    fn schema() -> RefOr<Schema> {
        one_of(
            "Ids: a comma-separated string, an array of integers or numeric strings, or one \
             integer; at most 1000 ids; an empty string means none.",
            vec![
                string("Comma-separated integers.")
                    .pattern(Some(ID_LIST_PATTERN))
                    .examples(["81100608,81100609"])
                    .into(),
                ArrayBuilder::new()
                    .items(LenientInt::schema())
                    .max_items(Some(crate::params::MAX_IDS))
                    .into(),
                integer("One id.").into(),
            ],
        )
    }
}

impl ToSchema for IdList {}

/// A time: `yyyy-MM-dd HH:mm:ss`, `yyyy-MM-dd` or epoch milliseconds, in the server's zone.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct WireTime;

impl PartialSchema for WireTime {
    fn schema() -> RefOr<Schema> {
        one_of(
            "A time in the server's zone (SCRM_TIMEZONE): `yyyy-MM-dd HH:mm:ss`, `yyyy-MM-dd` \
             (as an end bound: the end of that day) or epoch milliseconds; bounds are \
             inclusive; an empty string means not given.",
            vec![
                string("`yyyy-MM-dd HH:mm:ss` or `yyyy-MM-dd`, or empty.")
                    .pattern(Some(TIME_PATTERN))
                    .examples(["2019-08-07 15:55:17"])
                    .into(),
                integer("Epoch milliseconds.").into(),
            ],
        )
    }
}

impl ToSchema for WireTime {}

/// A 0/1 switch: `0`, `1`, `"0"`, `"1"`, `true`, `false`, `"true"`, `"false"`.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Flag;

impl PartialSchema for Flag {
    fn schema() -> RefOr<Schema> {
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
    }
}

impl ToSchema for Flag {}

/// Text: a string, or a number or boolean read as its text.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Text;

impl PartialSchema for Text {
    fn schema() -> RefOr<Schema> {
        one_of(
            "Text; a number or a boolean is read as its text.",
            vec![
                string("The text.").into(),
                ObjectBuilder::new().schema_type(Type::Number).into(),
                ObjectBuilder::new().schema_type(Type::Boolean).into(),
            ],
        )
    }
}

impl ToSchema for Text {}
