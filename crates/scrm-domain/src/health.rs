//! Readiness: each backing store can be probed.

use async_trait::async_trait;

use crate::StoreError;

/// A backing store that can say whether it is reachable.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait HealthProbe: Send + Sync + 'static {
    /// The store's name in `/readyz` (`mysql`, `redis`).
    fn name(&self) -> &'static str;

    /// Checks that the store answers.
    ///
    /// # Errors
    /// `StoreError::Unavailable` when it does not.
    async fn ping(&self) -> Result<(), StoreError>;
}
