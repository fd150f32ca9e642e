//! The customer index ports: an index that answers a customer list with its exact count and
//! the page's ids (`CustomerIndex`), and the source it is built and kept from
//! (`IndexSource`, implemented by a relational store).
//!
//! An index either answers exactly or says it cannot (a filter it does not cover, a tenant
//! not loaded yet, changes it could not apply in time): then the service uses the
//! repository's own plans. It never answers from stale data.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::model::{BinFilter, CustomerFilter, ExportCursor};
use crate::contact::{AccountState, IndexedContact};
use crate::manual::IndexedManualEntry;
use crate::{
    AdminUserId, ContactId, CustomerId, ManualEntryId, PageRequest, Scope, StoreError, TagId,
    WechatUserId,
};

/// An index's answer: the exact number of matches and the page's ids in list order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedPage {
    pub total: u64,
    pub ids: Vec<CustomerId>,
}

/// What an index holds now, for `/readyz` and `/metrics`.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexStatus {
    /// Tenants loaded (answered by the index).
    pub tenants: u64,
    /// Their customers, live and binned.
    pub customers: u64,
    /// Their contacts (findcontactbytagAll's selection), with a customer or not.
    pub contacts: u64,
    /// Their approximate size in memory.
    pub bytes: u64,
    /// Seconds since the last catch-up with the change log that finished; `None` before the
    /// first.
    pub since_catch_up: Option<f64>,
    /// Every change up to this sequence number is applied; `None` before the first read.
    pub applied_seq: Option<i64>,
    /// The log's highest sequence number now; `None` when the store does not answer.
    pub head_seq: Option<i64>,
}

/// Answers customer lists from an index, or declines.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait CustomerIndex: Send + Sync + 'static {
    /// The live customers of the scope matching the filter, newest first (`create_time`
    /// desc, `id` desc): the exact count and the page's ids. `None` when it cannot answer
    /// exactly now; a failing store is also a `None` (the caller then asks the store).
    async fn page(
        &self,
        scope: &Scope,
        filter: &CustomerFilter,
        page: PageRequest,
    ) -> Option<IndexedPage>;

    /// Up to `batch` ids of an export: the live customers of the scope matching the filter,
    /// in list order, after `after` (a row's `create_time` and id; from the top when `None`),
    /// or `None` as for [`CustomerIndex::page`].
    async fn export_ids(
        &self,
        scope: &Scope,
        filter: &CustomerFilter,
        after: Option<ExportCursor>,
        batch: u32,
    ) -> Option<Vec<CustomerId>>;

    /// The scope's recycle bin matching the filter, most recently deleted first
    /// (`deleted_at` desc, `id` desc): the exact count and the page's ids, or `None` as for
    /// [`CustomerIndex::page`].
    async fn recycle_bin(
        &self,
        scope: &Scope,
        filter: &BinFilter,
        page: PageRequest,
    ) -> Option<IndexedPage>;

    /// What is loaded and how far behind the change log it is; `None` when there is no
    /// index (it is off). Reads the log's head within a short bound (`head_seq` is `None`
    /// past it); never loads or catches up.
    async fn status(&self) -> Option<IndexStatus>;
}

/// An index that never answers (`SCRM_INDEX=off`, or a store without one).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoIndex;

#[async_trait]
impl CustomerIndex for NoIndex {
    async fn page(&self, _: &Scope, _: &CustomerFilter, _: PageRequest) -> Option<IndexedPage> {
        None
    }

    async fn export_ids(
        &self,
        _: &Scope,
        _: &CustomerFilter,
        _: Option<ExportCursor>,
        _: u32,
    ) -> Option<Vec<CustomerId>> {
        None
    }

    async fn recycle_bin(&self, _: &Scope, _: &BinFilter, _: PageRequest) -> Option<IndexedPage> {
        None
    }

    async fn status(&self) -> Option<IndexStatus> {
        None
    }
}

/// What an index keeps of one customer: everything a covered filter reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedCustomer {
    pub id: CustomerId,
    pub tenant: AdminUserId,
    /// The owning account (`customer.admin_user_id`).
    pub owner: AdminUserId,
    pub wechat_user: WechatUserId,
    /// Its contact (whose names and tags are searched as the customer's).
    pub contact: ContactId,
    /// As stored (milliseconds).
    pub create_time: DateTime<Utc>,
    /// Set when the customer is in the recycle bin.
    pub deleted_at: Option<DateTime<Utc>>,
    /// The contact's tags.
    pub tags: Vec<TagId>,
    pub customer_name: Option<String>,
    /// The contact's WeChat nick name.
    pub contact_nick_name: Option<String>,
    /// The contact's remark name.
    pub remark_name: Option<String>,
    pub phone_digits: Option<String>,
}

/// What a change row names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeSubject {
    /// A customer (added, changed, moved, gone).
    Customer(CustomerId),
    /// A contact (added, its names or tags changed, moved, gone): itself and its customer.
    Contact(ContactId),
    /// A hand-entered manual entry (added, deleted, restored, dialled, moved, gone).
    ManualEntry(ManualEntryId),
}

/// One row of the change log: something about this customer (or contact, or manual entry)
/// of this tenant changed (it may also have left the tenant, or be gone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexChange {
    /// The log's sequence number; unique, increasing in allocation (not commit) order.
    pub seq: i64,
    pub tenant: AdminUserId,
    pub subject: ChangeSubject,
}

/// A lane of the change log and the highest sequence number in it: where a store with
/// several primaries (Galera) keeps the log in order. Each lane is one primary's (its
/// `auto_increment_offset`) and one of its 16 shards (the connection id's rest): a
/// transaction writing to a lane holds the lane's row until it commits, so within a lane the
/// numbers commit in the order they were taken, on every node, and a reader that has read a
/// lane up to `seq` has every change of it that ever commits at or below `seq`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LaneHead {
    pub lane: i64,
    pub seq: i64,
}

/// A change row read by lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LaneChange {
    pub lane: i64,
    pub change: IndexChange,
}

/// Where an index loads tenants from and learns of changes: the relational store.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait IndexSource: Send + Sync + 'static {
    /// Every customer (live and binned) of a tenant.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn tenant(&self, tenant: AdminUserId) -> Result<Vec<IndexedCustomer>, StoreError>;

    /// The current state of these customers and of the customers of these contacts; one
    /// that no longer exists is left out.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn customers(
        &self,
        ids: &[CustomerId],
        contacts: &[ContactId],
    ) -> Result<Vec<IndexedCustomer>, StoreError>;

    /// Committed changes with `seq > after`, ascending, at most `limit`.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn changes(&self, after: i64, limit: u32) -> Result<Vec<IndexChange>, StoreError>;

    /// The store's clock now, and whether a transaction that started at or before `since`
    /// (a time this method returned earlier) is still running. While none is, a sequence
    /// number allocated before `since` that is not in the log never will be.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn clock(
        &self,
        since: Option<DateTime<Utc>>,
    ) -> Result<(DateTime<Utc>, bool), StoreError>;

    /// The heads of the log's lanes (every lane with a row, its highest number), `None`
    /// where the log is one sequence whose gaps [`IndexSource::clock`] closes (a single
    /// server, the default). A store with several primaries answers `Some` (docs/
    /// architecture.md, "On a multi-primary cluster").
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn lanes(&self) -> Result<Option<Vec<LaneHead>>, StoreError> {
        Ok(None)
    }

    /// Committed changes of these lanes above their numbers (`after`: a lane and the number
    /// it was read up to), ascending by number, at most `limit`.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn lane_changes(
        &self,
        _after: &[LaneHead],
        _limit: u32,
    ) -> Result<Vec<LaneChange>, StoreError> {
        Ok(Vec::new())
    }

    /// Every tenant (main account), by id.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn tenants(&self) -> Result<Vec<AdminUserId>, StoreError>;

    /// Up to `limit` tenants holding customers, with how many (live and binned), the most
    /// first: the tenants an index loads at start (none by default: a source that cannot
    /// tell has its tenants loaded on first use only).
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn biggest_tenants(&self, _limit: u32) -> Result<Vec<(AdminUserId, u64)>, StoreError> {
        Ok(Vec::new())
    }

    /// The highest sequence number in the log (0 when empty).
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn head(&self) -> Result<i64, StoreError>;

    /// Deletes log rows older than `keep_secs` seconds, and what the store keeps about the
    /// log's writers that is no longer needed; how many log rows went.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn trim(&self, keep_secs: u64) -> Result<u64, StoreError>;

    /// Every live hand-entered manual entry of a tenant; `None` when this source does not
    /// log manual entries (then an index declines the manual lists).
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn manual_tenant(
        &self,
        _tenant: AdminUserId,
    ) -> Result<Option<Vec<IndexedManualEntry>>, StoreError> {
        Ok(None)
    }

    /// The current state of these manual entries; one that is gone, deleted or not
    /// hand-entered is left out.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn manual_entries(
        &self,
        _ids: &[ManualEntryId],
    ) -> Result<Vec<IndexedManualEntry>, StoreError> {
        Ok(Vec::new())
    }

    /// Every contact of a tenant (with a customer or not); `None` when this source does not
    /// log contact inserts (then an index declines findcontactbytagAll).
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn contact_tenant(
        &self,
        _tenant: AdminUserId,
    ) -> Result<Option<Vec<IndexedContact>>, StoreError> {
        Ok(None)
    }

    /// The current state of these contacts; one that is gone is left out.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn contacts(&self, _ids: &[ContactId]) -> Result<Vec<IndexedContact>, StoreError> {
        Ok(Vec::new())
    }

    /// The WeChat accounts among `ids` that exist, with their online flag, read now (the
    /// log does not follow them: a flag that flips often would log every flip).
    ///
    /// # Errors
    /// `StoreError` when the store fails, or when this source keeps no contacts.
    async fn wechat_accounts(
        &self,
        _ids: &[WechatUserId],
    ) -> Result<Vec<AccountState>, StoreError> {
        Err(StoreError::Unexpected(
            "this index source keeps no WeChat accounts".into(),
        ))
    }
}
