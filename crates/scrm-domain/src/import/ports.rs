//! The import port: writes a checked plan.

use async_trait::async_trait;

use super::{ImportPlan, KnownRefs, RefQuery};
use crate::StoreError;

/// Writes an import plan.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ImportRepository: Send + Sync + 'static {
    /// What the store already holds of the records a document refers to.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn known(&self, refs: &RefQuery) -> Result<KnownRefs, StoreError>;

    /// Upserts every row of the plan by id in one transaction.
    ///
    /// # Errors
    /// `StoreError` when the store fails; nothing is written then.
    async fn apply(&self, plan: &ImportPlan) -> Result<(), StoreError>;
}
