//! Manual entries: the rows of a call list (客戶池 rows), each a phone to dial and then add as a
//! WeChat friend. `task_id == -1` marks a hand-entered entry; `> 0` one assigned from a pool
//! task. The manual-task endpoints work on hand-entered entries only; pool entries matter here
//! only to the call pop-up (source 2).

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::customer::XFIELDS;
use crate::phone::Phone;
use crate::text::{check_len, limits};
use crate::{
    AdminUserId, DepartmentId, ManualEntryId, Page, PageRequest, Scope, ServiceError, StoreError,
};

/// The task id of hand-entered entries.
pub const HAND_ENTERED: i64 = -1;

/// A manual entry as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ManualEntry {
    pub id: ManualEntryId,
    pub tenant_id: AdminUserId,
    pub admin_user_id: AdminUserId,
    pub task_id: i64,
    pub order_num: i64,
    pub customer_name: Option<String>,
    pub customer_phone: Option<String>,
    /// Digits of the phone, for lookups.
    pub phone_digits: Option<String>,
    pub address: Option<String>,
    pub company: Option<String>,
    pub nick_name: Option<String>,
    pub user_name: Option<String>,
    pub uin: Option<String>,
    pub phone_geo: Option<String>,
    pub tags: Option<String>,
    pub remarks: Option<String>,
    pub v1: Option<String>,
    pub xfields: [Option<String>; XFIELDS],
    pub dial_status: i32,
    pub add_status: i32,
    pub syn: i32,
    pub assign_time: Option<DateTime<Utc>>,
    pub create_time: DateTime<Utc>,
    pub last_update_time: DateTime<Utc>,
}

/// Filters of getManualTaskList.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssigneeQuery {
    /// Only this assignee (within the scope).
    pub admin_user_id: Option<AdminUserId>,
    /// Only assignees of this department.
    pub depart_id: Option<DepartmentId>,
}

/// One assignee of getManualTaskList with the totals of their live hand-entered entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssigneeSummary {
    pub admin_user_id: AdminUserId,
    pub real_name: Option<String>,
    pub entries: u64,
    /// `dialStatus = 1`.
    pub dialled: u64,
    /// `addStatus >= 1`: a friend request went out (whether or not it was accepted yet).
    pub friend_requests_sent: u64,
    /// `addStatus = 2`.
    pub added: u64,
}

/// Filters of getManualTaskDetail: contains for text, exact for statuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailQuery {
    pub admin_user_id: AdminUserId,
    pub company: Option<String>,
    pub customer_name: Option<String>,
    pub user_name: Option<String>,
    pub dial_status: Option<i32>,
    pub add_status: Option<i32>,
}

/// A hand-entered entry to add (assigned to the caller).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewManualEntry {
    pub customer_name: String,
    pub customer_phone: String,
    pub phone_digits: String,
    pub phone_geo: String,
    pub address: Option<String>,
    pub nick_name: Option<String>,
    pub user_name: Option<String>,
    pub company: Option<String>,
    pub tags: Option<String>,
    pub remarks: Option<String>,
    pub v1: Option<String>,
    pub xfields: [Option<String>; XFIELDS],
}

/// A dialled number the caller wants a WeChat account to add as a friend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialRequest {
    pub customer_phone: String,
    pub phone_digits: String,
    /// The uin of a WeChat account of the caller's scope.
    pub uin: String,
    /// Whom to add: a WeChat id, alias or the phone.
    pub user_name: String,
    pub v1: Option<String>,
}

/// What adding an entry did.
#[derive(Debug, Clone, PartialEq)]
pub enum AddOutcome {
    Added(Box<ManualEntry>),
    /// The assignee already has a live hand-entered entry with this phone.
    DuplicatePhone(ManualEntryId),
}

/// What recording a dial did.
#[derive(Debug, Clone, PartialEq)]
pub enum DialOutcome {
    /// The entry (created, or the existing one with this phone, updated with dialStatus 1).
    Saved(Box<ManualEntry>),
    /// No WeChat account with that uin in the scope.
    UnknownWechatAccount,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestoreOutcome {
    Restored(u64),
    NotFound,
    /// A restored entry's phone is already on the assignee's live list.
    DuplicatePhone(ManualEntryId),
}

/// Which entries the call pop-up looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// Assigned from a pool task (`task_id > 0`).
    Pool,
    /// Entered by hand (`task_id = -1`).
    HandEntered,
}

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

    /// Live entries of one kind assigned to the caller (`scope.account`, in `scope.tenant`)
    /// whose phone digits equal `digits`.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn by_phone(
        &self,
        scope: &Scope,
        digits: &str,
        kind: EntryKind,
    ) -> Result<Vec<ManualEntry>, StoreError>;
}

/// A friend request for the WeChat connector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FriendRequest {
    /// The manual entry (`customerId` on the wire).
    pub entry_id: ManualEntryId,
    pub uin: String,
    pub user_name: String,
    pub v1: Option<String>,
    /// The account that asked.
    pub account: AdminUserId,
    /// Epoch milliseconds.
    pub time: i64,
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

/// The raw fields of addManualTask after the wire's lenient parsing (absent or empty = None).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddManualTask {
    pub customer_name: Option<String>,
    pub customer_phone: Option<String>,
    pub phone_geo: Option<String>,
    pub address: Option<String>,
    pub nick_name: Option<String>,
    pub user_name: Option<String>,
    pub company: Option<String>,
    pub tags: Option<String>,
    pub remarks: Option<String>,
    pub v1: Option<String>,
    pub xfields: [Option<String>; XFIELDS],
}

/// The raw fields of addManualTaskBeforeAddFriend (absent or empty = None).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddBeforeFriend {
    pub customer_phone: Option<String>,
    pub uin: Option<String>,
    pub user_name: Option<String>,
    pub v1: Option<String>,
}

/// The manual-task use cases.
pub struct ManualEntryService {
    repo: Arc<dyn ManualEntryRepository>,
    queue: Arc<dyn FriendRequestQueue>,
}

/// The spec's 400 when getManualTaskDetail has no adminUserId.
pub const MSG_DETAIL_NEEDS_ASSIGNEE: &str = "指定查詢的任務詳情不能為空";
/// The spec's 400 when delManualTask has no adminUserId.
pub const MSG_ADMIN_USER_ID_EMPTY: &str = "adminUserId為空";
/// The spec's 400 when delManualTaskDetail has no customerId.
pub const MSG_CUSTOMER_ID_EMPTY: &str = "customerId為空";

impl ManualEntryService {
    pub fn new(repo: Arc<dyn ManualEntryRepository>, queue: Arc<dyn FriendRequestQueue>) -> Self {
        Self { repo, queue }
    }

    /// getManualTaskList.
    ///
    /// # Errors
    /// `Store` when the store fails.
    pub async fn assignees(
        &self,
        scope: &Scope,
        query: &AssigneeQuery,
        page: PageRequest,
    ) -> Result<Page<AssigneeSummary>, ServiceError> {
        Ok(self.repo.assignees(scope, query, page).await?)
    }

    /// getManualTaskDetail. An assignee outside the scope gives an empty page.
    ///
    /// # Errors
    /// `Invalid` for a status out of range or too long text, `Store` when the store fails.
    pub async fn entries(
        &self,
        scope: &Scope,
        query: &DetailQuery,
        page: PageRequest,
    ) -> Result<Page<ManualEntry>, ServiceError> {
        for (param, value) in [
            ("company", &query.company),
            ("customerName", &query.customer_name),
            ("userName", &query.user_name),
        ] {
            if let Some(v) = value {
                check_len(param, v, limits::NAME)?;
            }
        }
        check_status("dialStatus", query.dial_status, 1)?;
        check_status("addStatus", query.add_status, 2)?;
        Ok(self.repo.entries(scope, query, page).await?)
    }

    /// delManualTask.
    ///
    /// # Errors
    /// `NotFound` when the assignee has no live entries in the scope.
    pub async fn delete_assignee(
        &self,
        scope: &Scope,
        assignee: AdminUserId,
        now: DateTime<Utc>,
    ) -> Result<u64, ServiceError> {
        match self.repo.delete_assignee(scope, assignee, now).await? {
            0 => Err(ServiceError::NotFound("manual entries")),
            n => Ok(n),
        }
    }

    /// delManualTaskDetail.
    ///
    /// # Errors
    /// `NotFound` when it is not a live entry of the scope.
    pub async fn delete_entry(
        &self,
        scope: &Scope,
        id: ManualEntryId,
        now: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        if self.repo.delete_entry(scope, id, now).await? {
            Ok(())
        } else {
            Err(ServiceError::NotFound("manual entry"))
        }
    }

    /// restoreManualTask.
    ///
    /// # Errors
    /// `NotFound` when nothing of the assignee is in the scope's recycle bin, `Conflict` when a
    /// restored phone is on the live list again.
    pub async fn restore_assignee(
        &self,
        scope: &Scope,
        assignee: AdminUserId,
        now: DateTime<Utc>,
    ) -> Result<u64, ServiceError> {
        restored(
            self.repo.restore_assignee(scope, assignee, now).await?,
            "manual entries",
        )
    }

    /// restoreManualTaskDetail.
    ///
    /// # Errors
    /// As `restore_assignee`.
    pub async fn restore_entry(
        &self,
        scope: &Scope,
        id: ManualEntryId,
        now: DateTime<Utc>,
    ) -> Result<u64, ServiceError> {
        restored(
            self.repo.restore_entry(scope, id, now).await?,
            "manual entry",
        )
    }

    /// addManualTask: the spec's message for exactly the missing required fields.
    ///
    /// # Errors
    /// `Invalid` (missing fields, bad phone, too long values), `Conflict` for a phone already on
    /// the caller's list.
    pub async fn add(
        &self,
        scope: &Scope,
        cmd: &AddManualTask,
        now: DateTime<Utc>,
    ) -> Result<ManualEntry, ServiceError> {
        let missing: String = [
            (cmd.customer_phone.is_none(), "聯系方式不能為空"),
            (cmd.customer_name.is_none(), "客戶姓名不能為空"),
            (cmd.phone_geo.is_none(), "所在地區不能為空"),
        ]
        .iter()
        .filter(|(absent, _)| *absent)
        .map(|(_, msg)| *msg)
        .collect();
        let (Some(raw_phone), Some(name), Some(geo)) =
            (&cmd.customer_phone, &cmd.customer_name, &cmd.phone_geo)
        else {
            return Err(ServiceError::Invalid(missing));
        };
        let phone = Phone::parse("customerPhone", raw_phone)?;
        for (param, value, max) in [
            ("customerName", Some(name), limits::NAME),
            ("phoneGeo", Some(geo), limits::NAME),
            ("address", cmd.address.as_ref(), limits::REMARKS),
            ("nickName", cmd.nick_name.as_ref(), limits::NAME),
            ("userName", cmd.user_name.as_ref(), limits::NAME),
            ("company", cmd.company.as_ref(), limits::NAME),
            ("tags", cmd.tags.as_ref(), limits::REMARKS),
            ("remarks", cmd.remarks.as_ref(), limits::REMARKS),
            ("v1", cmd.v1.as_ref(), limits::REMARKS),
        ] {
            if let Some(v) = value {
                check_len(param, v, max)?;
            }
        }
        for (i, x) in cmd.xfields.iter().enumerate() {
            if let Some(v) = x {
                check_len(&format!("xfield{}", i + 1), v, limits::XFIELD)?;
            }
        }
        let entry = NewManualEntry {
            customer_name: name.clone(),
            customer_phone: phone.as_str().to_owned(),
            phone_digits: phone.digits().to_owned(),
            phone_geo: geo.clone(),
            address: cmd.address.clone(),
            nick_name: cmd.nick_name.clone(),
            user_name: cmd.user_name.clone(),
            company: cmd.company.clone(),
            tags: cmd.tags.clone(),
            remarks: cmd.remarks.clone(),
            v1: cmd.v1.clone(),
            xfields: cmd.xfields.clone(),
        };
        match self.repo.add(scope, &entry, now).await? {
            AddOutcome::Added(entry) => Ok(*entry),
            AddOutcome::DuplicatePhone(existing) => Err(duplicate_phone(existing)),
        }
    }

    /// addManualTaskBeforeAddFriend: records the dial and queues the friend request.
    ///
    /// # Errors
    /// `Invalid` (the spec's message for missing fields, bad phone), `NotFound` when `uin` is
    /// not a WeChat account of the scope, `Store` when a store fails.
    pub async fn add_before_friend(
        &self,
        scope: &Scope,
        cmd: &AddBeforeFriend,
        now: DateTime<Utc>,
    ) -> Result<ManualEntry, ServiceError> {
        let missing: String = [
            (cmd.customer_phone.is_none(), "聯系方式"),
            (cmd.uin.is_none(), "目標微信號"),
        ]
        .iter()
        .filter(|(absent, _)| *absent)
        .map(|(_, what)| *what)
        .collect();
        let (Some(raw_phone), Some(uin)) = (&cmd.customer_phone, &cmd.uin) else {
            return Err(ServiceError::Invalid(format!("{missing}不能為空")));
        };
        let phone = Phone::parse("customerPhone", raw_phone)?;
        check_len("uin", uin, 64)?;
        let user_name = cmd
            .user_name
            .clone()
            .unwrap_or_else(|| phone.as_str().to_owned());
        check_len("userName", &user_name, limits::NAME)?;
        if let Some(v1) = &cmd.v1 {
            check_len("v1", v1, limits::REMARKS)?;
        }
        let dial = DialRequest {
            customer_phone: phone.as_str().to_owned(),
            phone_digits: phone.digits().to_owned(),
            uin: uin.clone(),
            user_name: user_name.clone(),
            v1: cmd.v1.clone(),
        };
        let entry = match self.repo.record_dial(scope, &dial, now).await? {
            DialOutcome::Saved(entry) => *entry,
            DialOutcome::UnknownWechatAccount => return Err(ServiceError::NotFound("wechatUser")),
        };
        self.queue
            .enqueue(&FriendRequest {
                entry_id: entry.id,
                uin: uin.clone(),
                user_name,
                v1: cmd.v1.clone(),
                account: scope.account,
                time: now.timestamp_millis(),
            })
            .await?;
        Ok(entry)
    }
}

fn check_status(param: &str, value: Option<i32>, max: i32) -> Result<(), ServiceError> {
    match value {
        Some(v) if !(0..=max).contains(&v) => Err(ServiceError::invalid(
            param,
            &format!("must be between 0 and {max}"),
        )),
        _ => Ok(()),
    }
}

/// The 409 for a phone already on the assignee's live list, naming the entry.
fn duplicate_phone(existing: ManualEntryId) -> ServiceError {
    ServiceError::Conflict(format!(
        "customerPhone: already on this call list as entry {existing}"
    ))
}

fn restored(outcome: RestoreOutcome, what: &'static str) -> Result<u64, ServiceError> {
    match outcome {
        RestoreOutcome::Restored(n) => Ok(n),
        RestoreOutcome::NotFound => Err(ServiceError::NotFound(what)),
        RestoreOutcome::DuplicatePhone(existing) => Err(duplicate_phone(existing)),
    }
}

#[cfg(test)]
#[path = "manual_tests.rs"]
pub(crate) mod tests;
