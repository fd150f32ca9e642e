//! Manual entries: the rows of a call list (客戶池 rows), each a phone to dial and then add as a
//! WeChat friend. `task_id == -1` marks a hand-entered entry; `> 0` one assigned from a pool task.

use chrono::{DateTime, Utc};

use crate::customer::XFIELDS;
use crate::{AdminUserId, ManualEntryId};

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
