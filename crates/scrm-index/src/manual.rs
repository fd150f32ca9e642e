//! A tenant's live hand-entered manual entries in the index: getManualTaskList's totals
//! and getManualTaskDetail's count ([`ManualIndex`]).
//!
//! Bitmaps of entry ids (not slots: neither answer has an order) per assignee, per dial
//! status and per add status; the totals are cardinalities of ANDs. The detail's text
//! filters (company, customer name, user name: `LIKE '%needle%'`) are checked on the
//! candidates (one assignee's entries, after the status bitmaps), folded as the customer
//! names are (`fold.rs`); a candidate whose text the index is unsure of and that the other
//! filters do not already exclude makes it decline. Entries come and go through the same
//! change log as customers (`ChangeSubject::ManualEntry`, written by the triggers of
//! migration `2026-12-08-000001_manual_change_log`), re-read through
//! `IndexSource::manual_entries`.

use std::collections::HashMap;

use async_trait::async_trait;
use roaring::RoaringBitmap;
use scrm_domain::customer::{ChangeSubject, IndexSource};
use scrm_domain::manual::{AssigneeTotals, DetailQuery, IndexedManualEntry, ManualIndex};
use scrm_domain::{AdminUserId, ManualEntryId, OwnerFilter, Scope, StoreError};

use crate::RoaringIndex;
use crate::fold::fold_str;
use crate::part::{self, Part};
use crate::tenant::{Unindexable, add, take};

/// One searched text of an entry.
#[derive(Debug, Clone)]
enum Text {
    /// NULL: no needle is found in it.
    Absent,
    Folded(Box<str>),
    /// A character whose collation weight is not known here.
    Unsure,
}

impl Text {
    fn of(v: Option<&String>) -> Self {
        match v {
            None => Self::Absent,
            Some(v) => fold_str(v).map_or(Self::Unsure, |f| Self::Folded(f.into_boxed_str())),
        }
    }

    fn bytes(&self) -> usize {
        match self {
            Self::Folded(t) => t.len(),
            _ => 0,
        }
    }
}

/// What the index keeps of one entry.
#[derive(Debug, Clone)]
struct Entry {
    assignee: i64,
    dial: i32,
    add: i32,
    /// Company, customer name, user name.
    texts: [Text; 3],
}

/// One tenant's live hand-entered entries.
#[derive(Debug, Default)]
pub(crate) struct ManualEntries {
    entries: HashMap<u32, Entry>,
    assignees: HashMap<i64, RoaringBitmap>,
    dial: HashMap<i32, RoaringBitmap>,
    add: HashMap<i32, RoaringBitmap>,
}

impl ManualEntries {
    /// Approximate bytes held.
    pub fn bytes(&self) -> usize {
        let entries: usize = self
            .entries
            .values()
            .map(|e| {
                std::mem::size_of::<Entry>() + 16 + e.texts.iter().map(Text::bytes).sum::<usize>()
            })
            .sum();
        let bitmaps: usize = self
            .assignees
            .values()
            .chain(self.dial.values())
            .chain(self.add.values())
            .map(|b| b.serialized_size() + 48)
            .sum();
        entries + bitmaps
    }

    /// The totals of the scope's assignees (only `assignee` when given), by account id.
    pub fn totals(&self, scope: &Scope, assignee: Option<AdminUserId>) -> Vec<AssigneeTotals> {
        let only = match (scope.owner_filter(), assignee) {
            (OwnerFilter::Account(a), Some(b)) if a != b => return Vec::new(),
            (OwnerFilter::Account(a), _) | (OwnerFilter::Tenant(_), Some(a)) => Some(a.0),
            (OwnerFilter::Tenant(_), None) => None,
        };
        let none = RoaringBitmap::new();
        let dialled = self.dial.get(&1).unwrap_or(&none);
        let added = self.add.get(&2).unwrap_or(&none);
        let sent = self
            .add
            .iter()
            .filter(|(status, _)| **status >= 1)
            .fold(RoaringBitmap::new(), |all, (_, b)| all | b);
        let mut chosen: Vec<(&i64, &RoaringBitmap)> = match only {
            Some(a) => self.assignees.get_key_value(&a).into_iter().collect(),
            None => self.assignees.iter().collect(),
        };
        chosen.sort_unstable_by_key(|(a, _)| **a);
        chosen
            .into_iter()
            .map(|(a, b)| AssigneeTotals {
                admin_user_id: AdminUserId(*a),
                entries: b.len(),
                dialled: b.intersection_len(dialled),
                friend_requests_sent: b.intersection_len(&sent),
                added: b.intersection_len(added),
            })
            .collect()
    }

    /// How many entries match a detail query in the scope; `None` when a needle, or the text
    /// of a candidate that the other filters keep, is unsure.
    pub fn count(&self, scope: &Scope, q: &DetailQuery) -> Option<u64> {
        if let OwnerFilter::Account(a) = scope.owner_filter()
            && a != q.admin_user_id
        {
            return Some(0);
        }
        let Some(mut set) = self.assignees.get(&q.admin_user_id.0).cloned() else {
            return Some(0);
        };
        for (wanted, map) in [(q.dial_status, &self.dial), (q.add_status, &self.add)] {
            if let Some(s) = wanted {
                match map.get(&s) {
                    Some(b) => set &= b,
                    None => return Some(0),
                }
            }
        }
        if set.is_empty() {
            return Some(0);
        }
        let mut needles: Vec<(usize, String)> = Vec::new();
        for (field, v) in [&q.company, &q.customer_name, &q.user_name]
            .into_iter()
            .enumerate()
        {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                needles.push((field, fold_str(v)?));
            }
        }
        if needles.is_empty() {
            return Some(set.len());
        }
        let mut n = 0;
        for id in &set {
            let e = self.entries.get(&id)?;
            let mut unsure = false;
            let mut holds = true;
            for (field, needle) in &needles {
                match &e.texts[*field] {
                    Text::Absent => holds = false,
                    Text::Folded(t) => holds &= t.contains(needle.as_str()),
                    Text::Unsure => unsure = true,
                }
                if !holds {
                    break;
                }
            }
            if holds && unsure {
                return None;
            }
            n += u64::from(holds);
        }
        Some(n)
    }
}

impl Part for ManualEntries {
    type Row = IndexedManualEntry;

    fn key(e: &IndexedManualEntry) -> (i64, AdminUserId) {
        (e.id.0, e.tenant)
    }

    fn upsert(&mut self, e: &IndexedManualEntry) -> Result<(), Unindexable> {
        let id = u32::try_from(e.id.0).map_err(|_| Unindexable)?;
        self.remove(id);
        let entry = Entry {
            assignee: e.assignee.0,
            dial: e.dial_status,
            add: e.add_status,
            texts: [
                Text::of(e.company.as_ref()),
                Text::of(e.customer_name.as_ref()),
                Text::of(e.user_name.as_ref()),
            ],
        };
        add(&mut self.assignees, entry.assignee, id);
        add(&mut self.dial, entry.dial, id);
        add(&mut self.add, entry.add, id);
        self.entries.insert(id, entry);
        Ok(())
    }

    fn remove(&mut self, id: u32) {
        let Some(e) = self.entries.remove(&id) else {
            return;
        };
        take(&mut self.assignees, e.assignee, id);
        take(&mut self.dial, e.dial, id);
        take(&mut self.add, e.add, id);
    }

    fn optimize(&mut self) {
        for b in self
            .assignees
            .values_mut()
            .chain(self.dial.values_mut())
            .chain(self.add.values_mut())
        {
            b.optimize();
        }
    }
}

/// The manual entries among change subjects.
pub(crate) fn ids_of(subjects: &[ChangeSubject]) -> Vec<ManualEntryId> {
    subjects
        .iter()
        .filter_map(|s| match s {
            ChangeSubject::ManualEntry(id) => Some(*id),
            _ => None,
        })
        .collect()
}

/// A tenant's entries from the source; `None` when it does not keep them or one does not
/// fit (then the manual lists decline for the tenant).
pub(crate) async fn load(
    source: &dyn IndexSource,
    tenant: AdminUserId,
) -> Result<Option<Box<ManualEntries>>, StoreError> {
    Ok(part::built(source.manual_tenant(tenant).await?))
}

/// The current state of the manual entries among the subjects (none read when there are
/// none).
pub(crate) async fn fetch(
    source: &dyn IndexSource,
    subjects: &[ChangeSubject],
) -> Result<Vec<IndexedManualEntry>, StoreError> {
    let ids = ids_of(subjects);
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    source.manual_entries(&ids).await
}

/// Applies the current state (`now`: the live hand-entered entries among the subjects) to a
/// tenant's entries: one that is not there (gone, deleted, not hand-entered, in another
/// tenant) leaves. An entry that does not fit drops the tenant's manual part.
pub(crate) fn apply(
    manual: &mut Option<Box<ManualEntries>>,
    tenant: AdminUserId,
    subjects: &[ChangeSubject],
    now: &[IndexedManualEntry],
) {
    part::apply(manual, tenant, ids_of(subjects).iter().map(|i| i.0), now);
}

#[async_trait]
impl ManualIndex for RoaringIndex {
    async fn assignee_totals(
        &self,
        scope: &Scope,
        assignee: Option<AdminUserId>,
    ) -> Option<Vec<AssigneeTotals>> {
        self.answer_ready(scope.tenant, |_, manual| {
            Some(manual?.totals(scope, assignee))
        })
        .await
    }

    async fn entry_count(&self, scope: &Scope, query: &DetailQuery) -> Option<u64> {
        self.answer_ready(scope.tenant, |_, manual| manual?.count(scope, query))
            .await
    }
}

#[cfg(test)]
mod tests;
