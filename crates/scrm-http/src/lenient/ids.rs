//! `IdList`: the ids of a list parameter (`tagIds`, `tags`, `wechatUserIds`,
//! `wechatContactIds`), in every form the wire allows.

use serde::{Deserialize, Deserializer};
use serde_json::Value;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ArrayBuilder, Schema};
use utoipa::{PartialSchema, ToSchema};

use super::{LenientInt, integer, one_of, parse_value, string};

/// Most ids one list parameter may hold.
pub const MAX_IDS: usize = 1000;

/// The error of anything that is not a list of ids.
const NOT_A_LIST: &str = "must be a comma-separated list of integers";

/// `[`, digits, blanks, commas, minus signs, quotes and `]`, or nothing: the text forms.
const ID_LIST_PATTERN: &str = r#"^\s*\[?[0-9\s,"-]*\]?\s*$"#;

/// A list of ids: as text `1,2`, ` 1 , 2 `, `[1,2]`, `["1","2"]` or `[ 1, 2 ]` (a query
/// parameter, a form field or a JSON string), as a JSON array of numbers or numeric strings,
/// or one number. `null` and blank text are an empty list; at most 1,000 ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdList(pub Vec<i64>);

impl IdList {
    /// The ids as domain ids (`list.into_ids(TagId)`).
    pub fn into_ids<T>(self, id: fn(i64) -> T) -> Vec<T> {
        self.0.into_iter().map(id).collect()
    }
}

/// Adds the ids of a comma-separated text (empty parts are skipped).
fn push_text(ids: &mut Vec<i64>, text: &str) -> Result<(), &'static str> {
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        ids.push(part.parse().map_err(|_| NOT_A_LIST)?);
    }
    Ok(())
}

/// Adds the ids of a JSON array: numbers, numeric (or comma-separated) strings, `null`s.
fn push_items(ids: &mut Vec<i64>, items: &[Value]) -> Result<(), &'static str> {
    for item in items {
        match item {
            Value::Number(n) => ids.push(n.as_i64().ok_or(NOT_A_LIST)?),
            Value::String(s) => push_text(ids, s)?,
            Value::Null => {}
            _ => return Err(NOT_A_LIST),
        }
    }
    Ok(())
}

fn ids(value: &Value) -> Result<Vec<i64>, &'static str> {
    let mut ids = Vec::new();
    match value {
        Value::Null => {}
        Value::Number(n) => ids.push(n.as_i64().ok_or(NOT_A_LIST)?),
        Value::Array(items) => push_items(&mut ids, items)?,
        Value::String(s) if s.trim_start().starts_with('[') => {
            match serde_json::from_str::<Value>(s).map_err(|_| NOT_A_LIST)? {
                Value::Array(items) => push_items(&mut ids, &items)?,
                _ => return Err(NOT_A_LIST),
            }
        }
        Value::String(s) => push_text(&mut ids, s)?,
        Value::Bool(_) | Value::Object(_) => return Err(NOT_A_LIST),
    }
    if ids.len() > MAX_IDS {
        return Err("at most 1000 ids");
    }
    Ok(ids)
}

lenient_type!(
    IdList,
    |v| ids(v).map(IdList),
    one_of(
        "Ids: comma-separated text (`1,2`) or a JSON array as text (`[1,2]`, \
         `[\"1\",\"2\"]`), an array of integers or numeric strings, or one integer; at \
         most 1000 ids; an empty string means none.",
        vec![
            string("Comma-separated integers, or a JSON array of them as text.")
                .pattern(Some(ID_LIST_PATTERN))
                .examples(["81100608,81100609", "[81100608,81100609]"])
                .into(),
            ArrayBuilder::new()
                .items(LenientInt::schema())
                .max_items(Some(MAX_IDS))
                .into(),
            integer("One id.").into(),
        ],
    )
);

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::ids;

    #[test]
    fn every_text_form_reads_the_same_ids() {
        for text in [
            "1,2",
            " 1 , 2 ",
            "[1,2]",
            "[\"1\",\"2\"]",
            "[ 1, 2 ]",
            "1,,2,",
        ] {
            assert_eq!(ids(&json!(text)), Ok(vec![1, 2]), "{text:?}");
        }
        assert_eq!(ids(&json!([1, "2"])), Ok(vec![1, 2]));
        assert_eq!(ids(&json!(7)), Ok(vec![7]));
        for empty in [json!(""), json!("  "), json!(null), json!("[]"), json!([])] {
            assert_eq!(ids(&empty), Ok(vec![]), "{empty}");
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            json!("[1,"),
            json!("[1,\"a\"]"),
            json!("{}"),
            json!("1;2"),
            json!("[[1],[2]]"),
            json!("1.5"),
            json!("[1.5]"),
            json!("{\"a\":1}"),
            json!([[1], [2]]),
            json!([1, "a"]),
            json!({}),
            json!(true),
            json!(1.5),
        ] {
            assert!(ids(&bad).is_err(), "{bad}");
        }
        let many = vec!["1"; 1001].join(",");
        assert_eq!(ids(&json!(many)), Err("at most 1000 ids"));
    }
}
