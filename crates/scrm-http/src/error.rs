//! `ApiError`, the one error type of the HTTP layer: every status mapping of the wire contract
//! lives here, and every error (service, extractor, routing, payload) leaves as the envelope
//! `{"code", "msg", "data": null}`. 5xx bodies are generic; their cause chain is logged.

use std::error::Error as StdError;
use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderValue, RETRY_AFTER};
use actix_web::{HttpResponse, ResponseError};
use scrm_domain::{ServiceError, StoreError};

use crate::envelope;

/// 401 message for a missing, unknown or expired session.
pub const MSG_UNAUTHORIZED: &str = "未登錄或登錄已過期";
/// 401 message of the login for a wrong name or password.
pub const MSG_BAD_CREDENTIALS: &str = "賬號或密碼錯誤";
/// 404 message for an unknown path.
pub const MSG_NO_ROUTE: &str = "接口不存在";
/// 405 message for a known path with another method.
pub const MSG_METHOD: &str = "請求方法不支持";
/// 413 message.
pub const MSG_TOO_LARGE: &str = "請求體過大";
/// 429 message of the login after too many failed attempts.
pub const MSG_TOO_MANY_LOGINS: &str = "登錄嘗試過多,請稍後再試";
/// 415 message.
pub const MSG_MEDIA_TYPE: &str =
    "Content-Type: must be application/json or application/x-www-form-urlencoded";
/// 503 message.
pub const MSG_UNAVAILABLE: &str = "服務暫時不可用,請稍後重試";
/// 500 message.
pub const MSG_INTERNAL: &str = "服務器內部錯誤";

/// Every way a request can fail, sorted by status.
#[derive(Debug)]
pub enum ApiError {
    /// 400: the message names the parameter or is the spec's own text.
    BadRequest(String),
    /// 401: no or bad session.
    Unauthorized,
    /// 401: wrong login name or password.
    BadCredentials,
    /// 404: `<what> not found`.
    NotFound(String),
    /// 404: no route for the path.
    NoRoute,
    /// 405: known path, other method.
    MethodNotAllowed,
    /// 409: the conflict's text.
    Conflict(String),
    /// 413: body over the limit.
    PayloadTooLarge,
    /// 413: the request carries more items than a limit allows; the text says which.
    TooLarge(String),
    /// 415: a body of another content type.
    UnsupportedMediaType,
    /// 429: too many failed logins; `Retry-After` says when to try again.
    TooManyLogins { retry_after_secs: u64 },
    /// 503: a backing store is down; the cause is for the log.
    Unavailable(String),
    /// 500: a bug; the cause is for the log.
    Internal(String),
}

impl ApiError {
    /// A 400 naming the parameter: `<param>: <why>`.
    pub fn invalid(param: &str, why: &str) -> Self {
        Self::BadRequest(format!("{param}: {why}"))
    }

    /// A 500 whose cause chain is logged.
    pub fn internal(err: &(dyn StdError + 'static)) -> Self {
        Self::Internal(cause_chain(err))
    }

    fn msg(&self) -> &str {
        match self {
            Self::BadRequest(m) | Self::NotFound(m) | Self::Conflict(m) | Self::TooLarge(m) => m,
            Self::Unauthorized => MSG_UNAUTHORIZED,
            Self::BadCredentials => MSG_BAD_CREDENTIALS,
            Self::NoRoute => MSG_NO_ROUTE,
            Self::MethodNotAllowed => MSG_METHOD,
            Self::PayloadTooLarge => MSG_TOO_LARGE,
            Self::UnsupportedMediaType => MSG_MEDIA_TYPE,
            Self::TooManyLogins { .. } => MSG_TOO_MANY_LOGINS,
            Self::Unavailable(_) => MSG_UNAVAILABLE,
            Self::Internal(_) => MSG_INTERNAL,
        }
    }
}

/// The error and its sources, outermost first, joined by `: `.
pub fn cause_chain(err: &(dyn StdError + 'static)) -> String {
    let mut out = err.to_string();
    let mut next = err.source();
    while let Some(cause) = next {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        next = cause.source();
    }
    out
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unavailable(cause) | Self::Internal(cause) => {
                write!(f, "{} ({cause})", self.msg())
            }
            other => f.write_str(other.msg()),
        }
    }
}

impl StdError for ApiError {}

impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::Invalid(msg) => Self::BadRequest(msg),
            ServiceError::Unauthorized => Self::Unauthorized,
            ServiceError::NotFound(_) => Self::NotFound(err.to_string()),
            ServiceError::Conflict(msg) => Self::Conflict(msg),
            ServiceError::TooLarge(msg) => Self::TooLarge(msg),
            ServiceError::RateLimited { retry_after_secs } => {
                Self::TooManyLogins { retry_after_secs }
            }
            ServiceError::Store(StoreError::Unavailable(_)) => Self::Unavailable(cause_chain(&err)),
            ServiceError::Store(StoreError::Unexpected(_)) => Self::Internal(cause_chain(&err)),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized | Self::BadCredentials => StatusCode::UNAUTHORIZED,
            Self::NotFound(_) | Self::NoRoute => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PayloadTooLarge | Self::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooManyLogins { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Internal(cause) => tracing::error!(cause = %cause, "request failed"),
            Self::Unavailable(cause) => {
                tracing::error!(cause = %cause, "backing store unavailable")
            }
            _ => {}
        }
        let mut response = envelope::respond(self.status_code(), self.msg(), ());
        if let Self::TooManyLogins { retry_after_secs } = self {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(*retry_after_secs));
        }
        response
    }
}
