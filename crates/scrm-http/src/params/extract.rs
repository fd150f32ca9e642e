//! Reading a request into `Params`: the query string, then a JSON or form body (at most
//! 64 KiB, or the route's `BodyLimit`) merged over it.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::{Method, header};
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use serde_json::{Map, Value};

use super::Params;
use crate::error::ApiError;
use crate::{AppState, BODY_LIMIT, BodyLimit};

/// Adds a `name=value` pair; a repeated name (or `name[]`) collects its values in an array.
fn insert_pair(map: &mut Map<String, Value>, name: String, value: String) {
    let name = match name.strip_suffix("[]") {
        Some(stripped) => stripped.to_owned(),
        None => name,
    };
    let value = Value::String(value);
    match map.get_mut(&name) {
        Some(Value::Array(items)) => items.push(value),
        Some(existing) => {
            let first = existing.take();
            *existing = Value::Array(vec![first, value]);
        }
        None => {
            map.insert(name, value);
        }
    }
}

/// The pairs of an `application/x-www-form-urlencoded` text (the query string or a form body),
/// decoded as the URL standard says (`+` a space, `%XX` a byte) except that the bytes must be
/// UTF-8: a value that is not (a form sent in GBK by an old page, `%FF`) is a 400 naming its
/// parameter. The standard's parser (serde_urlencoded's, until 2026-12-08) puts U+FFFD in place
/// of such bytes, which stored the replacement characters and searched with them.
fn parse_urlencoded(text: &[u8], what: &str) -> Result<Map<String, Value>, ApiError> {
    let mut map = Map::new();
    for pair in text.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
        let (name, value) = match pair.iter().position(|&b| b == b'=') {
            Some(at) => (&pair[..at], &pair[at + 1..]),
            None => (pair, &[][..]),
        };
        let name = decode_component(name)
            .ok_or_else(|| ApiError::invalid(what, "a parameter name is not UTF-8 text"))?;
        let value = decode_component(value).ok_or_else(|| ApiError::invalid(&name, NOT_UTF8))?;
        insert_pair(&mut map, name, value);
    }
    Ok(map)
}

const NOT_UTF8: &str = "must be UTF-8 text";

/// One name or value: `+` a space, then percent-decoded; `None` when the bytes are not UTF-8.
fn decode_component(raw: &[u8]) -> Option<String> {
    let spaced: Cow<'_, [u8]> = if raw.contains(&b'+') {
        Cow::Owned(
            raw.iter()
                .map(|&b| if b == b'+' { b' ' } else { b })
                .collect(),
        )
    } else {
        Cow::Borrowed(raw)
    };
    percent_encoding::percent_decode(&spaced)
        .decode_utf8()
        .ok()
        .map(Cow::into_owned)
}

/// The media type of the request, lower-cased, without parameters; `None` when absent.
fn media_type(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(header::CONTENT_TYPE) else {
        return Ok(None);
    };
    let text = value.to_str().map_err(|_| ApiError::UnsupportedMediaType)?;
    let essence = text.split(';').next().unwrap_or_default().trim();
    Ok(Some(essence.to_ascii_lowercase()))
}

async fn read_body(req: &HttpRequest, mut payload: Payload) -> Result<web::BytesMut, ApiError> {
    let limit = req.app_data::<BodyLimit>().map_or(BODY_LIMIT, |l| l.0);
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > limit) {
        return Err(ApiError::PayloadTooLarge);
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| match e {
            actix_web::error::PayloadError::Overflow => ApiError::PayloadTooLarge,
            other => ApiError::invalid("request body", &other.to_string()),
        })?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

async fn extract(req: HttpRequest, payload: Payload) -> Result<Params, ApiError> {
    let zone = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.zone)
        .ok_or_else(|| ApiError::Internal("AppState is not registered".to_owned()))?;
    let mut values = parse_urlencoded(req.query_string().as_bytes(), "query string")?;
    let mut root = None;
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let body = read_body(&req, payload).await?;
        if !body.iter().all(u8::is_ascii_whitespace) {
            let from_body = match media_type(&req)?.as_deref() {
                Some("application/json") => parse_json(&body, &mut root)?,
                Some(t) if t.starts_with("application/") && t.ends_with("+json") => {
                    parse_json(&body, &mut root)?
                }
                Some("application/x-www-form-urlencoded") => {
                    parse_urlencoded(&body, "request body")?
                }
                _ => return Err(ApiError::UnsupportedMediaType),
            };
            values.extend(from_body);
        }
    }
    Ok(Params::new(values, root, zone))
}

fn parse_json(body: &[u8], root: &mut Option<Value>) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => {
            *root = Some(other);
            Ok(Map::new())
        }
        Err(_) => Err(ApiError::invalid("request body", "must be valid JSON")),
    }
}

impl FromRequest for Params {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        Box::pin(extract(req.clone(), payload.take()))
    }
}
