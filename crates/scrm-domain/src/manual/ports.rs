//! The manual-entry ports: the entry store and the friend-request queue.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::model::{
    AddOutcome, AssigneeAccount, AssigneeQuery, AssigneeSummary, DetailQuery, DialOutcome,
    DialRequest, FriendRequest, ManualEntry, NewManualEntry, RestoreOutcome,
};
use crate::{AdminUserId, ManualEntryId, Page, PageRequest, Scope, StoreError};

/// Reads and writes manual entries within a scope. Rows belong to their assignee.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ManualEntryRepository: Send + Sync + 'static {
    /// Assignees having live hand-entered entries, ordered by account id, with totals.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn assignees(
        &self,
        scope: &Scope,
        query: &AssigneeQuery,
        page: PageRequest,
    ) -> Result<Page<AssigneeSummary>, StoreError>;

    /// Live hand-entered entries of one assignee, ordered by orderNum then id.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn entries(
        &self,
        scope: &Scope,
        query: &DetailQuery,
        page: PageRequest,
    ) -> Result<Page<ManualEntry>, StoreError>;

    /// The accounts with these ids (real name, department), by id; an id without an account is
    /// left out. getManualTaskList's names and department filter when an index gave the
    /// totals.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn assignee_accounts(
        &self,
        ids: &[AdminUserId],
    ) -> Result<Vec<AssigneeAccount>, StoreError>;

    /// The page of [`ManualEntryRepository::entries`] without its count (an index gave it).
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn entry_rows(
        &self,
        scope: &Scope,
        query: &DetailQuery,
        page: PageRequest,
    ) -> Result<Vec<ManualEntry>, StoreError>;

    /// Moves every live hand-entered entry of an assignee to the recycle bin; how many moved.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn delete_assignee(
        &self,
        scope: &Scope,
        assignee: AdminUserId,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError>;

    /// Moves one live hand-entered entry to the recycle bin; false when not found.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn delete_entry(
        &self,
        scope: &Scope,
        id: ManualEntryId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Restores every deleted hand-entered entry of an assignee, all or none.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn restore_assignee(
        &self,
        scope: &Scope,
        assignee: AdminUserId,
        now: DateTime<Utc>,
    ) -> Result<RestoreOutcome, StoreError>;

    /// Restores one deleted hand-entered entry.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn restore_entry(
        &self,
        scope: &Scope,
        id: ManualEntryId,
        now: DateTime<Utc>,
    ) -> Result<RestoreOutcome, StoreError>;

    /// Adds a hand-entered entry assigned to `scope.account` with the next orderNum.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn add(
        &self,
        scope: &Scope,
        entry: &NewManualEntry,
        now: DateTime<Utc>,
    ) -> Result<AddOutcome, StoreError>;

    /// Creates or updates the caller's hand-entered entry for a dialled phone (dialStatus 1,
    /// userName, uin, v1), after checking that `uin` is a WeChat account of the scope.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn record_dial(
        &self,
        scope: &Scope,
        dial: &DialRequest,
        now: DateTime<Utc>,
    ) -> Result<DialOutcome, StoreError>;
}

/// The queue a WeChat connector consumes friend requests from.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait FriendRequestQueue: Send + Sync + 'static {
    /// Queues a request; returns its id in the queue.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn enqueue(&self, request: &FriendRequest) -> Result<String, StoreError>;
}
