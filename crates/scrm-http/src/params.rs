//! `Params`, the lenient parameter extractor of the legacy wire format: a GET reads its query
//! string; a POST reads a JSON object or a form alike (merged over its query string, the body
//! winning). Scalars may be numbers or strings, an empty string means "not given", lists may be
//! comma-separated strings or JSON arrays. Every accessor names the parameter in its 400.

mod extract;

use chrono::{DateTime, FixedOffset, Utc};
use scrm_domain::PageRequest;
use scrm_domain::time::{self, DateBound};
use serde_json::{Map, Value};

use crate::error::ApiError;

/// Most ids one list parameter may hold.
pub const MAX_IDS: usize = 1000;

/// The parameters of a request, by name. Unknown parameters are ignored by the handlers.
#[derive(Debug, Clone)]
pub struct Params {
    values: Map<String, Value>,
    /// A JSON body that is not an object (an array), for the endpoints that take one.
    root: Option<Value>,
    zone: FixedOffset,
}

impl Params {
    /// Parameters from already-split parts (used by the extractor and by tests).
    pub fn new(values: Map<String, Value>, root: Option<Value>, zone: FixedOffset) -> Self {
        Self { values, root, zone }
    }

    /// The raw value of a parameter.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.get(name)
    }

    /// Whether the parameter is present with a value other than `""` or `null`.
    pub fn has(&self, name: &str) -> bool {
        match self.values.get(name) {
            None | Some(Value::Null) => false,
            Some(Value::String(s)) => !s.trim().is_empty(),
            Some(_) => true,
        }
    }

    /// Whether the parameter is present at all (even empty).
    pub fn contains(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    /// All parameters as a JSON object.
    pub fn as_object(&self) -> &Map<String, Value> {
        &self.values
    }

    /// A JSON body that was not an object.
    pub fn body_root(&self) -> Option<&Value> {
        self.root.as_ref()
    }

    /// A trimmed text parameter; empty or absent is `None`; numbers and booleans as text.
    ///
    /// # Errors
    /// 400 naming the parameter for an array or object.
    pub fn opt_str(&self, name: &str) -> Result<Option<String>, ApiError> {
        Ok(self
            .raw_str(name)?
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty()))
    }

    /// A text parameter as given: `None` when absent, `Some("")` when empty or `null`.
    ///
    /// # Errors
    /// 400 naming the parameter for an array or object.
    pub fn raw_str(&self, name: &str) -> Result<Option<String>, ApiError> {
        match self.values.get(name) {
            None => Ok(None),
            Some(v) => scalar_text(v)
                .map(Some)
                .ok_or_else(|| ApiError::invalid(name, "must be a string")),
        }
    }

    /// An integer given as a number or a numeric string; empty or absent is `None`.
    ///
    /// # Errors
    /// 400 `<name>: must be an integer` for anything else.
    pub fn opt_i64(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.values.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => int_value(v).map_err(|()| ApiError::invalid(name, "must be an integer")),
        }
    }

    /// A required integer: `missing` (the spec's own text) when absent or empty.
    ///
    /// # Errors
    /// 400 `missing` when absent or empty, 400 `<name>: must be an integer` when unreadable.
    pub fn required_i64(&self, name: &str, missing: &str) -> Result<i64, ApiError> {
        self.opt_i64(name)?
            .ok_or_else(|| ApiError::BadRequest(missing.to_owned()))
    }

    /// An integer that fits 32 bits (signed); empty or absent is `None`.
    ///
    /// # Errors
    /// 400 naming the parameter when it is not an integer or out of range.
    pub fn opt_i32(&self, name: &str) -> Result<Option<i32>, ApiError> {
        match self.opt_i64(name)? {
            None => Ok(None),
            Some(n) => i32::try_from(n)
                .map(Some)
                .map_err(|_| ApiError::invalid(name, "is out of range")),
        }
    }

    /// A non-negative integer that fits 32 bits; empty or absent is `None`.
    ///
    /// # Errors
    /// 400 naming the parameter when it is not an integer or out of range.
    pub fn opt_u32(&self, name: &str) -> Result<Option<u32>, ApiError> {
        match self.opt_i64(name)? {
            None => Ok(None),
            Some(n) => u32::try_from(n)
                .map(Some)
                .map_err(|_| ApiError::invalid(name, "must be between 0 and 4294967295")),
        }
    }

    /// A list of ids: a comma-separated string, a JSON array of numbers or numeric strings,
    /// or one number. Empty or absent is an empty list.
    ///
    /// # Errors
    /// 400 naming the parameter for a bad element or more than 1,000 ids.
    pub fn id_list(&self, name: &str) -> Result<Vec<i64>, ApiError> {
        let bad = || ApiError::invalid(name, "must be a comma-separated list of integers");
        let mut ids = Vec::new();
        let mut push = |text: &str| -> Result<(), ApiError> {
            for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                ids.push(part.parse::<i64>().map_err(|_| bad())?);
            }
            Ok(())
        };
        match self.values.get(name) {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for item in items {
                    match item {
                        Value::String(s) => push(s)?,
                        Value::Number(_) => push(&item.to_string())?,
                        Value::Null => {}
                        _ => return Err(bad()),
                    }
                }
            }
            Some(Value::String(s)) => push(s)?,
            Some(v @ Value::Number(_)) => push(&v.to_string())?,
            Some(_) => return Err(bad()),
        }
        if ids.len() > MAX_IDS {
            return Err(ApiError::invalid(name, "at most 1000 ids"));
        }
        Ok(ids)
    }

    /// A time: `yyyy-MM-dd HH:mm:ss`, `yyyy-MM-dd` (the start or end of that day, per `bound`)
    /// or epoch milliseconds, in the configured zone. Empty or absent is `None`.
    ///
    /// # Errors
    /// 400 naming the parameter when it is none of those.
    pub fn opt_time(
        &self,
        name: &str,
        bound: DateBound,
    ) -> Result<Option<DateTime<Utc>>, ApiError> {
        let bad = || {
            ApiError::invalid(
                name,
                "must be yyyy-MM-dd HH:mm:ss, yyyy-MM-dd or epoch milliseconds",
            )
        };
        match self.values.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .and_then(DateTime::from_timestamp_millis)
                .map(Some)
                .ok_or_else(bad),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => time::parse(s, self.zone, bound).map(Some).ok_or_else(bad),
            Some(_) => Err(bad()),
        }
    }

    /// `pageNo` (default 1) and `limit` (default `default_limit`) as a page request.
    ///
    /// # Errors
    /// 400 naming `pageNo` or `limit` when not an integer or out of range.
    pub fn page(&self, default_limit: u32) -> Result<PageRequest, ApiError> {
        let clamp = |n: i64| u32::try_from(n.max(0)).unwrap_or(u32::MAX);
        let page_no = self.opt_i64("pageNo")?.map_or(1, clamp);
        let limit = self.opt_i64("limit")?.map_or(default_limit, clamp);
        Ok(PageRequest::new(page_no, limit)?)
    }

    /// A JSON value: as given in a JSON body, or parsed from a (form) string holding JSON.
    /// Empty or absent is `None`.
    ///
    /// # Errors
    /// 400 naming the parameter when a string does not hold JSON.
    pub fn json_value(&self, name: &str) -> Result<Option<Value>, ApiError> {
        match self.values.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => serde_json::from_str(s)
                .map(Some)
                .map_err(|_| ApiError::invalid(name, "must be JSON")),
            Some(v) => Ok(Some(v.clone())),
        }
    }
}

/// The text of a scalar: strings as they are, numbers and booleans printed, `null` as `""`.
pub(crate) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// An integer from a number or a numeric string; `Ok(None)` for an empty string.
pub(crate) fn int_value(value: &Value) -> Result<Option<i64>, ()> {
    match value {
        Value::Null => Ok(None),
        Value::Number(n) => n.as_i64().map(Some).ok_or(()),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => s.trim().parse().map(Some).map_err(|_| ()),
        _ => Err(()),
    }
}
