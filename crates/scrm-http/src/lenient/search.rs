//! The search parameters beside the filters: `tagMode` (`any`, `all`, `none`) and the check
//! of `q` into its terms.

use scrm_domain::search::{Q_MAX_CHARS, SearchTerm, TagMode, parse_terms};
use scrm_domain::text::check_len;
use serde::Deserialize;
use serde::de::Deserializer;
use serde_json::Value;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;
use utoipa::{PartialSchema, ToSchema};

use super::{parse_value, string};
use crate::error::ApiError;

/// `tagMode`: how `tagIds` combine, `any` (default), `all` or `none`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WireTagMode(pub TagMode);

impl<'de> Deserialize<'de> for WireTagMode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_value(d, |v| match v {
            Value::String(s) => TagMode::parse(s).ok_or("must be any, all or none"),
            _ => Err("must be any, all or none"),
        })
        .map(Self)
    }
}

impl PartialSchema for WireTagMode {
    fn schema() -> RefOr<Schema> {
        string(
            "How `tagIds` combine: `any` (has one of them, the default), `all` (has every one), \
             `none` (has none of them).",
        )
        .enum_values(Some(TagMode::NAMES))
        .into()
    }
}

impl ToSchema for WireTagMode {
    fn name() -> std::borrow::Cow<'static, str> {
        "TagMode".into()
    }
}

/// The mode, `any` when not given.
pub fn tag_mode(mode: Option<WireTagMode>) -> TagMode {
    mode.map(|m| m.0).unwrap_or_default()
}

/// The terms of `q` (none when absent or blank).
///
/// # Errors
/// 400 naming `q` when it is longer than [`Q_MAX_CHARS`] characters.
pub fn terms(q: Option<&str>) -> Result<Vec<SearchTerm>, ApiError> {
    let Some(q) = q else {
        return Ok(Vec::new());
    };
    check_len("q", q, Q_MAX_CHARS)?;
    Ok(parse_terms(q))
}
