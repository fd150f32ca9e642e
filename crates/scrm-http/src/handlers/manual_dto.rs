//! The manual-entry objects of the wire: `ManualEntryItem` (a row of getManualTaskDetail, of
//! the call pop-up's sources 2 and 3, and addManualTaskBeforeAddFriend's `data`), and
//! `ManualPage`, the page wrapper the manual-task endpoints put inside `data`.

use chrono::FixedOffset;
use scrm_domain::manual::ManualEntry;
use scrm_domain::time;
use serde::Serialize;
use utoipa::ToSchema;

use super::customer_dto::XFields;

/// One manual entry with the spec's keys; times are `yyyy-MM-dd HH:mm:ss` in the wire zone.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ManualEntryItem {
    /// The entry id (the spec calls it `customerId`).
    pub customer_id: i64,
    pub customer_name: Option<String>,
    pub customer_phone: Option<String>,
    pub address: Option<String>,
    pub company: Option<String>,
    pub create_time: String,
    pub last_update_time: String,
    pub nick_name: Option<String>,
    pub uin: Option<String>,
    pub admin_user_id: i64,
    pub syn: i32,
    pub user_name: Option<String>,
    #[serde(flatten)]
    #[schema(schema_with = XFields::<String>::schema)]
    pub xfields: XFields<String>,
    pub dial_status: i32,
    pub add_status: i32,
    pub task_id: i64,
    pub order_num: i64,
    pub tags: Option<String>,
    pub remarks: Option<String>,
    pub phone_geo: Option<String>,
    pub v1: Option<String>,
    pub assign_time: Option<String>,
}

impl ManualEntryItem {
    /// The wire row of an entry, its times written in `zone`.
    pub fn new(e: ManualEntry, zone: FixedOffset) -> Self {
        Self {
            customer_id: e.id.0,
            customer_name: e.customer_name,
            customer_phone: e.customer_phone,
            address: e.address,
            company: e.company,
            create_time: time::format(e.create_time, zone),
            last_update_time: time::format(e.last_update_time, zone),
            nick_name: e.nick_name,
            uin: e.uin,
            admin_user_id: e.admin_user_id.0,
            syn: e.syn,
            user_name: e.user_name,
            xfields: XFields(e.xfields),
            dial_status: e.dial_status,
            add_status: e.add_status,
            task_id: e.task_id,
            order_num: e.order_num,
            tags: e.tags,
            remarks: e.remarks,
            phone_geo: e.phone_geo,
            v1: e.v1,
            assign_time: e.assign_time.map(|t| time::format(t, zone)),
        }
    }

    /// The wire rows of several entries.
    pub fn list(entries: Vec<ManualEntry>, zone: FixedOffset) -> Vec<Self> {
        entries.into_iter().map(|e| Self::new(e, zone)).collect()
    }
}

/// `{"count", "data": [..], "pageNo", "limit"}`, the `data` of the manual-task lists.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ManualPage<T: Serialize> {
    pub count: u64,
    pub data: Vec<T>,
    pub page_no: u32,
    pub limit: u32,
}
