//! The session port: a store of sessions with an expiry.

use async_trait::async_trait;

use super::model::SessionData;
use crate::{AdminUserId, StoreError};

/// Stores sessions with an expiry. The adapter makes the token.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait SessionStore: Send + Sync + 'static {
    /// Creates a session and returns its bearer token.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn create(&self, data: SessionData) -> Result<String, StoreError>;

    /// The session of a token, renewing its expiry; `None` when unknown or expired.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn get(&self, token: &str) -> Result<Option<SessionData>, StoreError>;

    /// Ends a session; unknown tokens are ignored.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn delete(&self, token: &str) -> Result<(), StoreError>;

    /// Ends every session of an account (logout ends them all).
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn delete_account(&self, account: AdminUserId) -> Result<(), StoreError>;

    /// Seconds a session lives without use.
    fn ttl_secs(&self) -> u64;
}
