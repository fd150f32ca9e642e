//! The manual-entry model: the entry as stored, the queries of the lists, what to add or dial,
//! the commands as the wire gives them, what a write did, and the friend request.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::customer::XFIELDS;
use crate::{AdminUserId, DepartmentId, ManualEntryId};

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

/// An assignee's account as getManualTaskList shows and filters it (when an index gave the
/// totals).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssigneeAccount {
    pub admin_user_id: AdminUserId,
    pub real_name: Option<String>,
    pub depart_id: Option<DepartmentId>,
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

/// Of the binned entries that restoreManualTask brings back together (the assignee's, as
/// `(id, phone digits, deleted at)`), those that stay in the bin: where entries share phone
/// digits, all but the one deleted last (of equal times, the highest id). A live list never
/// holds a phone twice, so the older ones were superseded: deleted on their own, then the
/// phone added again and deleted with the list. Restoring the list brings it back as it was
/// when it was deleted; a superseded entry can still be restored alone once the phone is off
/// the list. Entries without digits never stay.
pub fn superseded<T: Ord>(binned: Vec<(ManualEntryId, String, T)>) -> Vec<ManualEntryId> {
    let mut latest: HashMap<String, (T, ManualEntryId)> = HashMap::new();
    let mut older = Vec::new();
    for (id, digits, deleted_at) in binned {
        if digits.is_empty() {
            continue;
        }
        match latest.entry(digits) {
            Entry::Vacant(slot) => {
                slot.insert((deleted_at, id));
            }
            Entry::Occupied(mut slot) => {
                let candidate = (deleted_at, id);
                if candidate > *slot.get() {
                    older.push(slot.insert(candidate).1);
                } else {
                    older.push(candidate.1);
                }
            }
        }
    }
    older.sort_unstable();
    older
}

/// Which entries the call pop-up looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// Assigned from a pool task (`task_id > 0`).
    Pool,
    /// Entered by hand (`task_id = -1`).
    HandEntered,
}

impl EntryKind {
    /// The kind of an entry with this task id; `None` for neither (`task_id` 0 or below -1).
    pub fn of(task_id: i64) -> Option<Self> {
        match task_id {
            t if t > 0 => Some(Self::Pool),
            HAND_ENTERED => Some(Self::HandEntered),
            _ => None,
        }
    }
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
