//! Writes of hand-entered entries. Each runs under the write lock of the tables, so the "no
//! two live entries with one phone" check and the next orderNum cannot race (the MySQL
//! adapter locks the assignee's account row for the same reason).

use std::collections::{BTreeSet, HashSet};

use chrono::{DateTime, Utc};
use scrm_domain::manual::{
    AddOutcome, DialOutcome, DialRequest, HAND_ENTERED, ManualEntry, NewManualEntry,
    RestoreOutcome, superseded,
};
use scrm_domain::{AdminUserId, ManualEntryId, OwnerFilter, Scope};

use super::in_scope;
use crate::state::{Entry, Tables, eq_ci, take_id, to_db};

/// The first live hand-entered entry of `assignee` with these phone digits.
fn live_with_phone(t: &Tables, assignee: AdminUserId, digits: &str) -> Option<i64> {
    t.manual
        .values()
        .filter(|e| e.live())
        .map(|e| &e.entry)
        .find(|e| {
            e.admin_user_id == assignee
                && e.task_id == HAND_ENTERED
                && e.phone_digits.as_deref() == Some(digits)
        })
        .map(|e| e.id.0)
}

/// One past the largest orderNum of the assignee's hand-entered entries, live or not.
fn next_order_num(t: &Tables, assignee: AdminUserId) -> i64 {
    t.manual
        .values()
        .map(|e| &e.entry)
        .filter(|e| e.admin_user_id == assignee && e.task_id == HAND_ENTERED)
        .map(|e| e.order_num)
        .max()
        .unwrap_or(0)
        .saturating_add(1)
}

/// A new hand-entered entry of the caller, with the next id and orderNum.
fn new_entry(t: &mut Tables, scope: &Scope, now: DateTime<Utc>) -> ManualEntry {
    ManualEntry {
        id: ManualEntryId(take_id(&mut t.next_manual_id)),
        tenant_id: scope.tenant,
        admin_user_id: scope.account,
        task_id: HAND_ENTERED,
        order_num: next_order_num(t, scope.account),
        customer_name: None,
        customer_phone: None,
        phone_digits: None,
        address: None,
        company: None,
        nick_name: None,
        user_name: None,
        uin: None,
        phone_geo: None,
        tags: None,
        remarks: None,
        v1: None,
        xfields: Default::default(),
        dial_status: 0,
        add_status: 0,
        syn: 0,
        assign_time: None,
        create_time: now,
        last_update_time: now,
    }
}

fn insert(t: &mut Tables, entry: ManualEntry) -> ManualEntry {
    t.manual.insert(
        entry.id.0,
        Entry {
            entry: entry.clone(),
            deleted_at: None,
        },
    );
    entry
}

pub(super) fn add(
    t: &mut Tables,
    scope: &Scope,
    e: &NewManualEntry,
    now: DateTime<Utc>,
) -> AddOutcome {
    if let Some(id) = live_with_phone(t, scope.account, &e.phone_digits) {
        return AddOutcome::DuplicatePhone(ManualEntryId(id));
    }
    let entry = ManualEntry {
        customer_name: Some(e.customer_name.clone()),
        customer_phone: Some(e.customer_phone.clone()),
        phone_digits: Some(e.phone_digits.clone()),
        address: e.address.clone(),
        company: e.company.clone(),
        nick_name: e.nick_name.clone(),
        user_name: e.user_name.clone(),
        phone_geo: Some(e.phone_geo.clone()),
        tags: e.tags.clone(),
        remarks: e.remarks.clone(),
        v1: e.v1.clone(),
        xfields: e.xfields.clone(),
        ..new_entry(t, scope, to_db(now))
    };
    AddOutcome::Added(Box::new(insert(t, entry)))
}

pub(super) fn record_dial(
    t: &mut Tables,
    scope: &Scope,
    dial: &DialRequest,
    now: DateTime<Utc>,
) -> DialOutcome {
    let now = to_db(now);
    let known = t.wechat_users.values().any(|w| {
        scope.sees(
            AdminUserId(w.owner.tenant_id),
            AdminUserId(w.owner.admin_user_id),
        ) && w.uin.as_deref().is_some_and(|uin| eq_ci(uin, &dial.uin))
    });
    if !known {
        return DialOutcome::UnknownWechatAccount;
    }
    if let Some(id) = live_with_phone(t, scope.account, &dial.phone_digits)
        && let Some(stored) = t.manual.get_mut(&id)
    {
        let e = &mut stored.entry;
        e.dial_status = 1;
        e.user_name = Some(dial.user_name.clone());
        e.uin = Some(dial.uin.clone());
        if let Some(v1) = &dial.v1 {
            e.v1 = Some(v1.clone());
        }
        e.last_update_time = now;
        return DialOutcome::Saved(Box::new(e.clone()));
    }
    let entry = ManualEntry {
        customer_name: Some(String::new()),
        customer_phone: Some(dial.customer_phone.clone()),
        phone_digits: Some(dial.phone_digits.clone()),
        user_name: Some(dial.user_name.clone()),
        uin: Some(dial.uin.clone()),
        phone_geo: Some(String::new()),
        v1: dial.v1.clone(),
        dial_status: 1,
        ..new_entry(t, scope, now)
    };
    DialOutcome::Saved(Box::new(insert(t, entry)))
}

/// Moves live hand-entered entries of the scope to the recycle bin: every one of `assignee`,
/// or only `id`. How many moved.
pub(super) fn soft_delete(
    t: &mut Tables,
    scope: &Scope,
    assignee: Option<AdminUserId>,
    id: Option<ManualEntryId>,
    now: DateTime<Utc>,
) -> u64 {
    let now = to_db(now);
    let mut moved = 0;
    for stored in t.manual.values_mut() {
        let e = &stored.entry;
        let hit = stored.deleted_at.is_none()
            && in_scope(scope, e)
            && e.task_id == HAND_ENTERED
            && assignee.is_none_or(|a| e.admin_user_id == a)
            && id.is_none_or(|id| e.id == id);
        if hit {
            stored.deleted_at = Some(now);
            stored.entry.last_update_time = now;
            moved += 1;
        }
    }
    moved
}

/// Whether the scope can hold entries of `assignee` at all.
pub(super) fn may_see(scope: &Scope, assignee: AdminUserId) -> bool {
    match scope.owner_filter() {
        OwnerFilter::Tenant(_) => true,
        OwnerFilter::Account(a) => a == assignee,
    }
}

/// Restores the assignee's deleted hand-entered entries of the scope (all of them, or only
/// `only`), unless a restored phone is on the live list or shared by two restored entries.
pub(super) fn restore(
    t: &mut Tables,
    scope: &Scope,
    assignee: AdminUserId,
    only: Option<ManualEntryId>,
    now: DateTime<Utc>,
) -> RestoreOutcome {
    let binned = |s: &Entry| {
        let e = &s.entry;
        !s.live()
            && in_scope(scope, e)
            && e.admin_user_id == assignee
            && e.task_id == HAND_ENTERED
            && only.is_none_or(|id| e.id == id)
    };
    // Of binned entries sharing a phone, only the one deleted last comes back (restoring one
    // entry, `only`, has nothing to share with).
    let stay: BTreeSet<i64> = superseded(
        t.manual
            .values()
            .filter(|s| binned(s))
            .filter_map(|s| {
                let digits = s.entry.phone_digits.clone()?;
                Some((s.entry.id, digits, s.deleted_at))
            })
            .collect(),
    )
    .into_iter()
    .map(|id| id.0)
    .collect();
    let restored: Vec<i64> = t
        .manual
        .values()
        .filter(|s| binned(s) && !stay.contains(&s.entry.id.0))
        .map(|s| s.entry.id.0)
        .collect();
    // The restored entries' phone digits.
    let phones: HashSet<&str> = restored
        .iter()
        .filter_map(|id| t.manual.get(id)?.entry.phone_digits.as_deref())
        .filter(|digits| !digits.is_empty())
        .collect();
    let live = t
        .manual
        .values()
        .filter(|s| s.live())
        .map(|s| &s.entry)
        .find(|e| {
            e.admin_user_id == assignee
                && e.task_id == HAND_ENTERED
                && e.phone_digits
                    .as_deref()
                    .is_some_and(|d| phones.contains(d))
        });
    if let Some(e) = live {
        return RestoreOutcome::DuplicatePhone(e.id);
    }
    let now = to_db(now);
    for id in &restored {
        if let Some(s) = t.manual.get_mut(id) {
            s.deleted_at = None;
            s.entry.last_update_time = now;
        }
    }
    match restored.len() {
        0 => RestoreOutcome::NotFound,
        n => RestoreOutcome::Restored(n as u64),
    }
}
