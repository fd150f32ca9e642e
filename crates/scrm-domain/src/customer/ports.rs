//! The customer port: what the domain asks of a customer store.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::model::{
    BinFilter, CustomerFilter, CustomerPatch, CustomerRecord, ExportCursor, SaveOutcome, SaveTarget,
};
use crate::{CustomerId, Page, PageRequest, Scope, StoreError};

/// Reads and writes customers, always within a scope.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait CustomerRepository: Send + Sync + 'static {
    /// A page of live customers matching the filter, newest first, with the exact count.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn page(
        &self,
        scope: &Scope,
        filter: &CustomerFilter,
        page: PageRequest,
    ) -> Result<Page<CustomerRecord>, StoreError>;

    /// Up to `batch` live customers after `after` in list order (for streaming exports).
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn export_batch(
        &self,
        scope: &Scope,
        filter: &CustomerFilter,
        after: Option<ExportCursor>,
        batch: u32,
    ) -> Result<Vec<CustomerRecord>, StoreError>;

    /// A page of the recycle bin matching the filter, most recently deleted first, with the
    /// exact count.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn recycle_bin(
        &self,
        scope: &Scope,
        filter: &BinFilter,
        page: PageRequest,
    ) -> Result<Page<CustomerRecord>, StoreError>;

    /// The customers `ids` (live or binned) within the scope, in the order of `ids`; ids that
    /// are not customers of the scope are left out. How a list answered by an index gets its
    /// rows.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn by_ids(
        &self,
        scope: &Scope,
        ids: &[CustomerId],
    ) -> Result<Vec<CustomerRecord>, StoreError>;

    /// One live customer.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn find(
        &self,
        scope: &Scope,
        id: CustomerId,
    ) -> Result<Option<CustomerRecord>, StoreError>;

    /// Applies a patch in one transaction, and reads the saved profile and its contact (as the
    /// scope sees them, as `find` and `ContactRepository::find` would) in the same
    /// transaction: nothing is left to fail once the commit is sent.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn save(
        &self,
        scope: &Scope,
        target: SaveTarget,
        patch: &CustomerPatch,
        now: DateTime<Utc>,
    ) -> Result<SaveOutcome, StoreError>;

    /// Moves a live customer to the recycle bin; false when not found.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn soft_delete(
        &self,
        scope: &Scope,
        id: CustomerId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Brings a customer back from the recycle bin; false when not there.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn restore(
        &self,
        scope: &Scope,
        id: CustomerId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
}
