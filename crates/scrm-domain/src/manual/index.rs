//! The manual-entry index port: getManualTaskList's totals and getManualTaskDetail's count
//! from an index (the customer index of `crates/scrm-index` keeps the live hand-entered
//! entries too), or "cannot answer" (`None`), in which case the service uses the
//! repository's SQL plans. As for customers, an index never answers from stale data.

use async_trait::async_trait;

use super::model::DetailQuery;
use crate::customer::NoIndex;
use crate::{AdminUserId, ManualEntryId, Scope};

/// The totals of one assignee's live hand-entered entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssigneeTotals {
    pub admin_user_id: AdminUserId,
    pub entries: u64,
    /// `dialStatus = 1`.
    pub dialled: u64,
    /// `addStatus >= 1`.
    pub friend_requests_sent: u64,
    /// `addStatus = 2`.
    pub added: u64,
}

/// Answers the manual lists' totals and counts from an index, or declines.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ManualIndex: Send + Sync + 'static {
    /// Every assignee of the scope having live hand-entered entries (only `assignee` when
    /// given), by account id, with their totals; `None` when it cannot answer exactly now.
    async fn assignee_totals(
        &self,
        scope: &Scope,
        assignee: Option<AdminUserId>,
    ) -> Option<Vec<AssigneeTotals>>;

    /// How many live hand-entered entries of the scope match getManualTaskDetail's query, or
    /// `None` as for [`ManualIndex::assignee_totals`].
    async fn entry_count(&self, scope: &Scope, query: &DetailQuery) -> Option<u64>;
}

#[async_trait]
impl ManualIndex for NoIndex {
    async fn assignee_totals(
        &self,
        _: &Scope,
        _: Option<AdminUserId>,
    ) -> Option<Vec<AssigneeTotals>> {
        None
    }

    async fn entry_count(&self, _: &Scope, _: &DetailQuery) -> Option<u64> {
        None
    }
}

/// What an index keeps of a live hand-entered manual entry: everything the totals and the
/// detail's filters read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedManualEntry {
    pub id: ManualEntryId,
    pub tenant: AdminUserId,
    /// The assignee (`manual_entry.admin_user_id`).
    pub assignee: AdminUserId,
    pub dial_status: i32,
    pub add_status: i32,
    pub company: Option<String>,
    pub customer_name: Option<String>,
    pub user_name: Option<String>,
}
