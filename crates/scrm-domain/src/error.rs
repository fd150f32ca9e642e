//! Errors: `StoreError` is what a port reports about its backing store; `ServiceError` is what
//! a service reports to its caller, already sorted into the statuses of the wire contract.

use thiserror::Error;

/// A failure of a backing store, mapped once in its adapter.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// The store cannot be reached, timed out or refused the connection: the caller may retry.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// Anything else: a bug or a broken invariant. The text is for the log only.
    #[error("store error: {0}")]
    Unexpected(String),
}

/// What a service call can fail with.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ServiceError {
    /// Bad input: the message names the parameter or is the spec's own text.
    #[error("{0}")]
    Invalid(String),
    /// No valid session.
    #[error("unauthorized")]
    Unauthorized,
    /// Not found, or outside the caller's scope (indistinguishable on purpose).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The request conflicts with existing data.
    #[error("{0}")]
    Conflict(String),
    /// The request carries more than a limit allows (413).
    #[error("{0}")]
    TooLarge(String),
    /// Too many failed logins: the login is refused for `retry_after_secs` (429).
    #[error("rate limited: retry after {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// A backing store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ServiceError {
    /// A 400 naming the parameter.
    pub fn invalid(param: &str, why: &str) -> Self {
        Self::Invalid(format!("{param}: {why}"))
    }
}
