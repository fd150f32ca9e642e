//! Reads of manual entries: the assignees of a scope with their totals, one assignee's entries
//! (filtered, paged), the assignees' accounts and the call pop-up's lookup by phone.

use std::collections::{BTreeMap, BTreeSet};

use scrm_domain::manual::{
    AssigneeAccount, AssigneeQuery, AssigneeSummary, DetailQuery, EntryKind, HAND_ENTERED,
    ManualEntry,
};
use scrm_domain::{AdminUserId, DepartmentId, Page, PageRequest, Scope};

use super::in_scope;
use crate::state::{Needle, Tables, page_of};

/// Totals of one assignee.
#[derive(Default)]
struct Totals {
    entries: u64,
    dialled: u64,
    sent: u64,
    added: u64,
}

pub(super) fn assignees(
    t: &Tables,
    scope: &Scope,
    q: &AssigneeQuery,
    page: PageRequest,
) -> Page<AssigneeSummary> {
    let mut by_assignee: BTreeMap<i64, Totals> = BTreeMap::new();
    let rows = t
        .manual
        .values()
        .filter(|e| e.live() && in_scope(scope, &e.entry) && e.entry.task_id == HAND_ENTERED)
        .map(|e| &e.entry)
        .filter(|e| q.admin_user_id.is_none_or(|a| e.admin_user_id == a))
        .filter(|e| {
            // The account's department; no account (or none set) fails the filter.
            q.depart_id.is_none_or(|d| {
                t.accounts
                    .get(&e.admin_user_id.0)
                    .is_some_and(|a| a.depart_id == Some(d.0))
            })
        });
    for e in rows {
        let totals = by_assignee.entry(e.admin_user_id.0).or_default();
        totals.entries += 1;
        totals.dialled += u64::from(e.dial_status == 1);
        totals.sent += u64::from(e.add_status >= 1);
        totals.added += u64::from(e.add_status == 2);
    }
    page_of(by_assignee.into_iter().collect(), page, |(id, n)| {
        AssigneeSummary {
            admin_user_id: AdminUserId(id),
            real_name: t.accounts.get(&id).and_then(|a| a.real_name.clone()),
            entries: n.entries,
            dialled: n.dialled,
            friend_requests_sent: n.sent,
            added: n.added,
        }
    })
}

pub(super) fn entries(
    t: &Tables,
    scope: &Scope,
    q: &DetailQuery,
    page: PageRequest,
) -> Page<ManualEntry> {
    let company = Needle::of(q.company.as_ref());
    let name = Needle::of(q.customer_name.as_ref());
    let user = Needle::of(q.user_name.as_ref());
    let mut rows: Vec<&ManualEntry> = t
        .manual
        .values()
        .filter(|e| e.live() && in_scope(scope, &e.entry))
        .map(|e| &e.entry)
        .filter(|e| e.admin_user_id == q.admin_user_id && e.task_id == HAND_ENTERED)
        .filter(|e| {
            company
                .as_ref()
                .is_none_or(|n| n.found_in(e.company.as_deref()))
        })
        .filter(|e| {
            name.as_ref()
                .is_none_or(|n| n.found_in(e.customer_name.as_deref()))
        })
        .filter(|e| {
            user.as_ref()
                .is_none_or(|n| n.found_in(e.user_name.as_deref()))
        })
        .filter(|e| q.dial_status.is_none_or(|s| e.dial_status == s))
        .filter(|e| q.add_status.is_none_or(|s| e.add_status == s))
        .collect();
    rows.sort_by_key(|e| (e.order_num, e.id));
    page_of(rows, page, Clone::clone)
}

/// The accounts with these ids, by id.
pub(super) fn accounts(t: &Tables, ids: &[AdminUserId]) -> Vec<AssigneeAccount> {
    let ids: BTreeSet<i64> = ids.iter().map(|a| a.0).collect();
    ids.into_iter()
        .filter_map(|id| {
            let a = t.accounts.get(&id)?;
            Some(AssigneeAccount {
                admin_user_id: AdminUserId(id),
                real_name: a.real_name.clone(),
                depart_id: a.depart_id.map(DepartmentId),
            })
        })
        .collect()
}

/// Live entries of one kind assigned to the caller themselves (not the scope's sub-accounts),
/// within its tenant, whose phone digits equal `digits`; by id.
pub(crate) fn by_phone(
    t: &Tables,
    scope: &Scope,
    digits: &str,
    kind: EntryKind,
) -> Vec<ManualEntry> {
    t.manual
        .values()
        .filter(|e| e.live())
        .map(|e| &e.entry)
        .filter(|e| e.admin_user_id == scope.account && e.tenant_id == scope.tenant)
        .filter(|e| e.phone_digits.as_deref() == Some(digits))
        .filter(|e| EntryKind::of(e.task_id) == Some(kind))
        .cloned()
        .collect()
}
