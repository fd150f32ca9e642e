//! What the customer index (crates/scrm-index) reads of manual entries: the live
//! hand-entered entries of a tenant, or of some ids (`IndexSource::manual_tenant` and
//! `manual_entries`), with the fields getManualTaskList's totals and getManualTaskDetail's
//! filters read.

use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
use scrm_domain::manual::{HAND_ENTERED, IndexedManualEntry};
use scrm_domain::{AdminUserId, ManualEntryId};

use crate::expr::ids_in;
use crate::id_lists::{IN_CHUNK, unique};
use crate::schema::manual_entry;

#[derive(Queryable, Selectable)]
#[diesel(table_name = manual_entry, check_for_backend(diesel::mysql::Mysql))]
struct Row {
    id: i64,
    tenant_id: i64,
    admin_user_id: i64,
    dial_status: i32,
    add_status: i32,
    company: Option<String>,
    customer_name: Option<String>,
    user_name: Option<String>,
}

impl From<Row> for IndexedManualEntry {
    fn from(r: Row) -> Self {
        Self {
            id: ManualEntryId(r.id),
            tenant: AdminUserId(r.tenant_id),
            assignee: AdminUserId(r.admin_user_id),
            dial_status: r.dial_status,
            add_status: r.add_status,
            company: r.company,
            customer_name: r.customer_name,
            user_name: r.user_name,
        }
    }
}

/// Every live hand-entered entry of a tenant.
pub(crate) async fn of_tenant(
    c: &mut AsyncMysqlConnection,
    tenant: AdminUserId,
) -> QueryResult<Vec<IndexedManualEntry>> {
    let rows: Vec<Row> = manual_entry::table
        .filter(manual_entry::tenant_id.eq(tenant.0))
        .filter(manual_entry::task_id.eq(HAND_ENTERED))
        .filter(manual_entry::deleted_at.is_null())
        .select(Row::as_select())
        .load(c)
        .await?;
    Ok(rows.into_iter().map(IndexedManualEntry::from).collect())
}

/// The live hand-entered entries among `ids` (the caller reads them in one transaction).
pub(crate) async fn of_ids(
    c: &mut AsyncMysqlConnection,
    ids: &[ManualEntryId],
) -> QueryResult<Vec<IndexedManualEntry>> {
    let ids = unique(ids.iter().map(|i| i.0));
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IN_CHUNK) {
        let rows: Vec<Row> = manual_entry::table
            .filter(ids_in(manual_entry::id, chunk))
            .filter(manual_entry::task_id.eq(HAND_ENTERED))
            .filter(manual_entry::deleted_at.is_null())
            .select(Row::as_select())
            .load(c)
            .await?;
        out.extend(rows.into_iter().map(IndexedManualEntry::from));
    }
    Ok(out)
}
