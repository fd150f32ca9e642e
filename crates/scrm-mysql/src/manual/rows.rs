//! The row of `manual_entry` as read and as inserted (entered by hand or imported);
//! xfield1..xfield10 travel as one JSON array in `xfields`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use scrm_domain::customer::XFIELDS;
use scrm_domain::manual::{HAND_ENTERED, ManualEntry};
use scrm_domain::{AdminUserId, ManualEntryId, Scope};

use crate::db_time::{from_db, to_db};
use crate::schema::manual_entry;

/// A stored entry (every column but `deleted_at`).
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = manual_entry, check_for_backend(diesel::mysql::Mysql))]
pub(super) struct ManualRow {
    id: i64,
    tenant_id: i64,
    admin_user_id: i64,
    task_id: i64,
    order_num: i64,
    customer_name: Option<String>,
    customer_phone: Option<String>,
    phone_digits: Option<String>,
    address: Option<String>,
    company: Option<String>,
    nick_name: Option<String>,
    user_name: Option<String>,
    uin: Option<String>,
    phone_geo: Option<String>,
    tags: Option<String>,
    remarks: Option<String>,
    v1: Option<String>,
    xfields: Option<String>,
    dial_status: i32,
    add_status: i32,
    syn: i32,
    assign_time: Option<NaiveDateTime>,
    create_time: NaiveDateTime,
    last_update_time: NaiveDateTime,
}

/// The xfields of a stored JSON array; a value that is not one reads as empty (and is logged).
fn xfields_of(id: i64, text: Option<&str>) -> [Option<String>; XFIELDS] {
    let mut out: [Option<String>; XFIELDS] = Default::default();
    let Some(text) = text.filter(|t| !t.is_empty()) else {
        return out;
    };
    match serde_json::from_str::<Vec<Option<String>>>(text) {
        Ok(values) => {
            for (slot, value) in out.iter_mut().zip(values) {
                *slot = value;
            }
        }
        Err(e) => {
            tracing::warn!(entry = id, error = %e, "manual_entry.xfields is not a JSON array")
        }
    }
    out
}

/// The stored form of xfields.
pub(crate) fn xfields_json(xfields: &[Option<String>; XFIELDS]) -> Option<String> {
    serde_json::to_string(xfields).ok()
}

impl From<ManualRow> for ManualEntry {
    fn from(r: ManualRow) -> Self {
        Self {
            id: ManualEntryId(r.id),
            tenant_id: AdminUserId(r.tenant_id),
            admin_user_id: AdminUserId(r.admin_user_id),
            task_id: r.task_id,
            order_num: r.order_num,
            xfields: xfields_of(r.id, r.xfields.as_deref()),
            customer_name: r.customer_name,
            customer_phone: r.customer_phone,
            phone_digits: r.phone_digits,
            address: r.address,
            company: r.company,
            nick_name: r.nick_name,
            user_name: r.user_name,
            uin: r.uin,
            phone_geo: r.phone_geo,
            tags: r.tags,
            remarks: r.remarks,
            v1: r.v1,
            dial_status: r.dial_status,
            add_status: r.add_status,
            syn: r.syn,
            assign_time: r.assign_time.map(from_db),
            create_time: from_db(r.create_time),
            last_update_time: from_db(r.last_update_time),
        }
    }
}

/// A row of `manual_entry` as inserted: a new hand-entered entry (no id: the next
/// `AUTO_INCREMENT`; `assign_time` and `deleted_at` NULL), or an imported entry (its id).
#[derive(Debug, Default, Insertable)]
#[diesel(table_name = manual_entry, treat_none_as_default_value = false)]
pub(crate) struct ManualInsert<'a> {
    #[diesel(treat_none_as_default_value = true)]
    pub id: Option<i64>,
    pub tenant_id: i64,
    pub admin_user_id: i64,
    pub task_id: i64,
    pub order_num: i64,
    pub customer_name: Option<&'a str>,
    pub customer_phone: Option<&'a str>,
    pub phone_digits: Option<&'a str>,
    pub address: Option<&'a str>,
    pub company: Option<&'a str>,
    pub nick_name: Option<&'a str>,
    pub user_name: Option<&'a str>,
    pub uin: Option<&'a str>,
    pub phone_geo: Option<&'a str>,
    pub tags: Option<&'a str>,
    pub remarks: Option<&'a str>,
    pub v1: Option<&'a str>,
    pub xfields: Option<String>,
    pub dial_status: i32,
    pub add_status: i32,
    pub syn: i32,
    pub assign_time: Option<NaiveDateTime>,
    pub create_time: NaiveDateTime,
    pub last_update_time: NaiveDateTime,
}

impl ManualInsert<'_> {
    /// A hand-entered entry of the scope's own account, not dialled, every text empty.
    pub(super) fn hand_entered(scope: &Scope, order_num: i64, now: NaiveDateTime) -> Self {
        Self {
            tenant_id: scope.tenant.0,
            admin_user_id: scope.account.0,
            task_id: HAND_ENTERED,
            order_num,
            create_time: now,
            last_update_time: now,
            ..Self::default()
        }
    }
}

impl<'a> From<&'a ManualEntry> for ManualInsert<'a> {
    fn from(m: &'a ManualEntry) -> Self {
        Self {
            id: Some(m.id.0),
            tenant_id: m.tenant_id.0,
            admin_user_id: m.admin_user_id.0,
            task_id: m.task_id,
            order_num: m.order_num,
            customer_name: m.customer_name.as_deref(),
            customer_phone: m.customer_phone.as_deref(),
            phone_digits: m.phone_digits.as_deref(),
            address: m.address.as_deref(),
            company: m.company.as_deref(),
            nick_name: m.nick_name.as_deref(),
            user_name: m.user_name.as_deref(),
            uin: m.uin.as_deref(),
            phone_geo: m.phone_geo.as_deref(),
            tags: m.tags.as_deref(),
            remarks: m.remarks.as_deref(),
            v1: m.v1.as_deref(),
            xfields: xfields_json(&m.xfields),
            dial_status: m.dial_status,
            add_status: m.add_status,
            syn: m.syn,
            assign_time: m.assign_time.map(to_db),
            create_time: to_db(m.create_time),
            last_update_time: to_db(m.last_update_time),
        }
    }
}

/// What recording a dial changes on an existing entry (`v1` only when given).
#[derive(Debug, AsChangeset)]
#[diesel(table_name = manual_entry)]
pub(super) struct DialChanges<'a> {
    pub dial_status: i32,
    pub user_name: &'a str,
    pub uin: &'a str,
    pub v1: Option<&'a str>,
    pub last_update_time: NaiveDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xfields_round_trip_and_tolerate_bad_json() {
        let mut x: [Option<String>; XFIELDS] = Default::default();
        x[1] = Some("二".into());
        x[9] = Some("十".into());
        let json = xfields_json(&x);
        assert_eq!(xfields_of(1, json.as_deref()), x);
        assert_eq!(
            xfields_of(1, Some("not json")),
            <[Option<String>; XFIELDS]>::default()
        );
        assert_eq!(xfields_of(1, None), <[Option<String>; XFIELDS]>::default());
        let short = xfields_of(1, Some(r#"["a"]"#));
        assert_eq!(short[0].as_deref(), Some("a"));
        assert_eq!(short[1], None);
    }
}
