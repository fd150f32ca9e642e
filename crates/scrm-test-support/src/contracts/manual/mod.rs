//! The `ManualEntryRepository` contract: assignees with exact totals (filters, department,
//! paging, scope), one assignee's entries (filters alone and combined, LIKE wildcards,
//! order, paging edges; pool entries never listed), the recycle bin (delete and restore of a
//! list and of one entry, phone conflicts, scope), additions (next orderNum, duplicate and
//! concurrent phones), dials (create, update, WeChat account scope, concurrency) and the
//! call pop-up's lookup by phone digits and kind.

pub mod add;
pub mod bin;
pub mod dial;
pub mod list;

use chrono::{DateTime, Utc};
use scrm_domain::manual::{DetailQuery, DialOutcome, DialRequest, ManualEntry, RestoreOutcome};
use scrm_domain::{AdminUserId, ManualEntryId, Page, PageRequest, Scope};

use crate::contracts::RelationalPorts;

/// `ManualEntryRepository::delete_assignee`: how many live entries went to the bin.
pub async fn delete_assignee(
    ctx: &RelationalPorts,
    scope: &Scope,
    assignee: AdminUserId,
    now: DateTime<Utc>,
) -> u64 {
    ctx.manual
        .delete_assignee(scope, assignee, now)
        .await
        .unwrap()
}

/// `ManualEntryRepository::restore_assignee`, its error unwrapped.
pub async fn restore_assignee(
    ctx: &RelationalPorts,
    scope: &Scope,
    assignee: AdminUserId,
    now: DateTime<Utc>,
) -> RestoreOutcome {
    ctx.manual
        .restore_assignee(scope, assignee, now)
        .await
        .unwrap()
}

/// `ManualEntryRepository::delete_entry`: whether a live entry of the scope went to the bin.
pub async fn delete_entry(
    ctx: &RelationalPorts,
    scope: &Scope,
    id: ManualEntryId,
    now: DateTime<Utc>,
) -> bool {
    ctx.manual.delete_entry(scope, id, now).await.unwrap()
}

/// `ManualEntryRepository::restore_entry`, its error unwrapped.
pub async fn restore_entry(
    ctx: &RelationalPorts,
    scope: &Scope,
    id: ManualEntryId,
    now: DateTime<Utc>,
) -> RestoreOutcome {
    ctx.manual.restore_entry(scope, id, now).await.unwrap()
}

/// `ManualEntryRepository::record_dial`, its error unwrapped.
pub async fn record_dial(
    ctx: &RelationalPorts,
    scope: &Scope,
    dial: &DialRequest,
    now: DateTime<Utc>,
) -> DialOutcome {
    ctx.manual.record_dial(scope, dial, now).await.unwrap()
}

/// A page of one assignee's entries.
pub async fn entries(
    ctx: &RelationalPorts,
    scope: &Scope,
    query: &DetailQuery,
    page: PageRequest,
) -> Page<ManualEntry> {
    ctx.manual.entries(scope, query, page).await.unwrap()
}
