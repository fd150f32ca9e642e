//! The call port: who is calling, read in one go.

use async_trait::async_trait;

use super::model::CallerInfo;
use crate::{Scope, StoreError};

/// Finds who is calling. An adapter reads the sources on one connection of its store (the
/// pop-up that misses reads all three), with [`CallerStep`](super::CallerStep) deciding which source answers.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait CallerLookup: Send + Sync + 'static {
    /// Every match of `digits` (a phone's digits) in the first source that has one, within
    /// the scope: its live customers, then the pool entries assigned to the scope's account,
    /// then that account's hand-entered entries: live rows whose phone digits equal `digits`
    /// (customers newest first, entries by id).
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn caller_by_phone(&self, scope: &Scope, digits: &str) -> Result<CallerInfo, StoreError>;
}
