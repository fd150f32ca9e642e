//! The manual entries of the index: totals and counts equal a naive reading of the entries
//! (random entries and changes), unsure texts decline only when they matter, and the
//! entries follow the change log through a loaded index.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use scrm_domain::customer::ChangeSubject;
use scrm_domain::manual::{AssigneeTotals, DetailQuery, IndexedManualEntry, ManualIndex};
use scrm_domain::{AdminUserId, ManualEntryId, Scope, StoreError};

use super::ManualEntries;
use crate::part::Part;
use crate::testing::{MemLog, Rng, no_customers};
use crate::{IndexSettings, RoaringIndex};

const TENANT: AdminUserId = AdminUserId(100);
const PIECES: [&str; 8] = ["王", "公司", "Amy", "amy", "x_d", "%", "é", "😀"];

/// Random texts and statuses of entries.
impl Rng {
    fn text(&mut self) -> Option<String> {
        match self.below(6) {
            0 => None,
            1 => Some(String::new()),
            _ => Some(
                (0..=self.below(2))
                    .map(|_| PIECES[self.below(PIECES.len())])
                    .collect(),
            ),
        }
    }

    fn status(&mut self, max: usize) -> Option<i32> {
        (self.below(3) == 0).then(|| i32::try_from(self.below(max + 1)).unwrap())
    }
}

fn entry(rng: &mut Rng, id: i64) -> IndexedManualEntry {
    IndexedManualEntry {
        id: ManualEntryId(id),
        tenant: TENANT,
        assignee: AdminUserId(100 + i64::try_from(rng.below(4)).unwrap()),
        dial_status: i32::try_from(rng.below(2)).unwrap(),
        add_status: i32::try_from(rng.below(3)).unwrap(),
        company: rng.text(),
        customer_name: rng.text(),
        user_name: rng.text(),
    }
}

fn main_scope() -> Scope {
    Scope::for_account(TENANT, None)
}

fn sub(account: i64) -> Scope {
    Scope::for_account(AdminUserId(account), Some(TENANT))
}

/// `LIKE '%needle%'` as `utf8mb4_general_ci` compares ASCII (by case), CJK and characters
/// outside the BMP (all one weight); `None` for a text or needle with another character
/// (the index may decline it).
fn like(text: Option<&str>, needle: &str) -> Option<bool> {
    let weights = |s: &str| -> Option<String> {
        s.chars()
            .map(|c| match u32::from(c) {
                0..=0x7f => Some(c.to_ascii_uppercase()),
                0x4e00..=0x9fff => Some(c),
                0x10000.. => Some('\u{fffd}'),
                _ => None,
            })
            .collect()
    };
    let needle = weights(needle)?;
    match text {
        None => Some(false),
        Some(t) => Some(weights(t)?.contains(&needle)),
    }
}

/// The naive totals of the scope's assignees.
fn naive_totals(
    all: &BTreeMap<i64, IndexedManualEntry>,
    scope: &Scope,
    assignee: Option<AdminUserId>,
) -> Vec<AssigneeTotals> {
    let mut by: BTreeMap<i64, AssigneeTotals> = BTreeMap::new();
    for e in all.values() {
        if !scope.sees(e.tenant, e.assignee) || assignee.is_some_and(|a| a != e.assignee) {
            continue;
        }
        let t = by.entry(e.assignee.0).or_insert(AssigneeTotals {
            admin_user_id: e.assignee,
            entries: 0,
            dialled: 0,
            friend_requests_sent: 0,
            added: 0,
        });
        t.entries += 1;
        t.dialled += u64::from(e.dial_status == 1);
        t.friend_requests_sent += u64::from(e.add_status >= 1);
        t.added += u64::from(e.add_status == 2);
    }
    by.into_values().collect()
}

/// The naive count, `None` when a candidate that the rest keeps has an unknown text.
fn naive_count(
    all: &BTreeMap<i64, IndexedManualEntry>,
    scope: &Scope,
    q: &DetailQuery,
) -> Option<u64> {
    let mut n = 0;
    let mut unsure = false;
    let mut candidates = 0;
    for e in all.values() {
        if !scope.sees(e.tenant, e.assignee)
            || e.assignee != q.admin_user_id
            || q.dial_status.is_some_and(|s| s != e.dial_status)
            || q.add_status.is_some_and(|s| s != e.add_status)
        {
            continue;
        }
        candidates += 1;
        let mut holds = Some(true);
        for (v, needle) in [
            (&e.company, &q.company),
            (&e.customer_name, &q.customer_name),
            (&e.user_name, &q.user_name),
        ] {
            if let Some(needle) = needle.as_deref().filter(|n| !n.is_empty()) {
                holds = match (holds, like(v.as_deref(), needle)) {
                    (Some(false), _) | (_, Some(false)) => Some(false),
                    (Some(true), Some(true)) => Some(true),
                    _ => None,
                };
            }
        }
        match holds {
            Some(h) => n += u64::from(h),
            None => unsure = true,
        }
    }
    let needles = [&q.company, &q.customer_name, &q.user_name];
    let unsure_needle = needles
        .iter()
        .filter_map(|n| n.as_deref())
        .any(|n| like(Some(""), n).is_none());
    if candidates == 0 {
        Some(0)
    } else {
        (!unsure && !unsure_needle).then_some(n)
    }
}

fn query(rng: &mut Rng) -> DetailQuery {
    DetailQuery {
        admin_user_id: AdminUserId(100 + i64::try_from(rng.below(5)).unwrap()),
        company: rng.text(),
        customer_name: if rng.below(2) == 0 { rng.text() } else { None },
        user_name: if rng.below(3) == 0 { rng.text() } else { None },
        dial_status: rng.status(1),
        add_status: rng.status(2),
    }
}

#[test]
fn totals_and_counts_equal_a_naive_reading_through_changes() {
    let mut rng = Rng(0x5eed_1234_abcd);
    let mut all: BTreeMap<i64, IndexedManualEntry> =
        (1..=120).map(|id| (id, entry(&mut rng, id))).collect();
    let list: Vec<IndexedManualEntry> = all.values().cloned().collect();
    let mut m = ManualEntries::build(&list).unwrap();
    let scopes = [main_scope(), sub(101), sub(102), sub(104)];
    let (mut decided, mut declined) = (0, 0);
    for round in 0..40 {
        for scope in &scopes {
            for assignee in [None, Some(AdminUserId(101)), Some(AdminUserId(103))] {
                assert_eq!(
                    m.totals(scope, assignee),
                    naive_totals(&all, scope, assignee),
                    "round {round}: {scope:?} {assignee:?}"
                );
            }
            for _ in 0..10 {
                let q = query(&mut rng);
                let got = m.count(scope, &q);
                let want = naive_count(&all, scope, &q);
                match got {
                    Some(n) => {
                        decided += 1;
                        assert_eq!(Some(n), want, "round {round}: {q:?} in {scope:?}");
                    }
                    None => {
                        declined += 1;
                        assert_eq!(want, None, "round {round}: declined {q:?} in {scope:?}");
                    }
                }
            }
        }
        // Changes: a few entries change, leave (deleted, moved away) or arrive.
        for _ in 0..8 {
            let id = i64::try_from(rng.below(140)).unwrap() + 1;
            if rng.below(3) == 0 {
                all.remove(&id);
                m.remove(u32::try_from(id).unwrap());
            } else {
                let e = entry(&mut rng, id);
                m.upsert(&e).unwrap();
                all.insert(id, e);
            }
        }
    }
    assert!(
        decided > declined * 3,
        "{decided} decided, {declined} declined"
    );
}

#[test]
fn an_unsure_text_declines_only_when_the_rest_keeps_its_entry() {
    let e = |id: i64, company: &str, dial: i32| IndexedManualEntry {
        id: ManualEntryId(id),
        tenant: TENANT,
        assignee: AdminUserId(101),
        dial_status: dial,
        add_status: 0,
        company: Some(company.into()),
        customer_name: None,
        user_name: Some("Amy".into()),
    };
    let m = ManualEntries::build(&[e(1, "Café", 1), e(2, "甲公司", 0)]).unwrap();
    let q = |company: &str, dial: Option<i32>, user: Option<&str>| DetailQuery {
        admin_user_id: AdminUserId(101),
        company: Some(company.into()),
        customer_name: None,
        user_name: user.map(Into::into),
        dial_status: dial,
        add_status: None,
    };
    assert_eq!(m.count(&main_scope(), &q("公司", None, None)), None);
    assert_eq!(m.count(&main_scope(), &q("公司", Some(0), None)), Some(1));
    // The user name already excludes entry 1.
    assert_eq!(
        m.count(&main_scope(), &q("公司", None, Some("bob"))),
        Some(0)
    );
    assert_eq!(m.count(&main_scope(), &q("AMY", None, None)), None);
    assert_eq!(
        m.count(&main_scope(), &q("é", Some(0), None)),
        None,
        "the needle"
    );
    assert_eq!(m.count(&sub(102), &q("公司", Some(0), None)), Some(0));
}

/// A store of manual entries with a change log, and no customers.
#[derive(Default)]
struct Source {
    entries: Mutex<BTreeMap<i64, IndexedManualEntry>>,
    log: MemLog,
    keeps_manual: bool,
}

impl Source {
    /// Commits a write of entry `id` (its state afterwards, `None`: gone) and its log rows.
    fn write(&self, id: i64, tenants: &[AdminUserId], state: Option<IndexedManualEntry>) {
        let mut entries = self.entries.lock().unwrap();
        self.log
            .push(tenants, ChangeSubject::ManualEntry(ManualEntryId(id)));
        match state {
            Some(e) => entries.insert(id, e),
            None => entries.remove(&id),
        };
    }
}

no_customers!(Source, log, {
    async fn manual_tenant(
        &self,
        tenant: AdminUserId,
    ) -> Result<Option<Vec<IndexedManualEntry>>, StoreError> {
        let db = self.entries.lock().unwrap();
        Ok(self.keeps_manual.then(|| {
            db.values()
                .filter(|e| e.tenant == tenant)
                .cloned()
                .collect()
        }))
    }

    async fn manual_entries(
        &self,
        ids: &[ManualEntryId],
    ) -> Result<Vec<IndexedManualEntry>, StoreError> {
        let db = self.entries.lock().unwrap();
        Ok(ids.iter().filter_map(|id| db.get(&id.0)).cloned().collect())
    }
});

fn plain(id: i64, assignee: i64, dial: i32, add: i32) -> IndexedManualEntry {
    IndexedManualEntry {
        id: ManualEntryId(id),
        tenant: TENANT,
        assignee: AdminUserId(assignee),
        dial_status: dial,
        add_status: add,
        company: None,
        customer_name: Some("王".into()),
        user_name: None,
    }
}

fn counts(t: &[AssigneeTotals]) -> Vec<(i64, u64, u64, u64, u64)> {
    t.iter()
        .map(|t| {
            (
                t.admin_user_id.0,
                t.entries,
                t.dialled,
                t.friend_requests_sent,
                t.added,
            )
        })
        .collect()
}

#[tokio::test]
async fn entries_follow_the_change_log_in_a_loaded_index() {
    let source = Arc::new(Source {
        keeps_manual: true,
        ..Source::default()
    });
    source.write(1, &[TENANT], Some(plain(1, 101, 1, 2)));
    source.write(2, &[TENANT], Some(plain(2, 102, 0, 1)));
    let index = RoaringIndex::new(source.clone(), IndexSettings::default());
    assert!(index.load_tenant(TENANT).await.unwrap());
    let totals = index.assignee_totals(&main_scope(), None).await.unwrap();
    assert_eq!(counts(&totals), [(101, 1, 1, 1, 1), (102, 1, 0, 1, 0)]);
    // Added, dialled, deleted (gone from the live set), moved to another tenant.
    source.write(3, &[TENANT], Some(plain(3, 101, 0, 0)));
    source.write(1, &[TENANT], Some(plain(1, 101, 0, 2)));
    source.write(2, &[TENANT], None);
    source.write(4, &[TENANT], Some(plain(4, 103, 1, 0)));
    let moved = IndexedManualEntry {
        tenant: AdminUserId(200),
        ..plain(4, 103, 1, 0)
    };
    source.write(4, &[TENANT, AdminUserId(200)], Some(moved));
    let totals = index.assignee_totals(&main_scope(), None).await.unwrap();
    assert_eq!(counts(&totals), [(101, 2, 0, 1, 1)]);
    let sub_totals = index
        .assignee_totals(&sub(101), Some(AdminUserId(102)))
        .await
        .unwrap();
    assert!(sub_totals.is_empty());
    let q = DetailQuery {
        admin_user_id: AdminUserId(101),
        company: None,
        customer_name: Some("王".into()),
        user_name: None,
        dial_status: None,
        add_status: Some(0),
    };
    assert_eq!(index.entry_count(&sub(101), &q).await, Some(1));
    assert_eq!(index.entry_count(&sub(102), &q).await, Some(0));
}

#[tokio::test]
async fn a_source_without_manual_entries_declines() {
    let source = Arc::new(Source::default());
    source.write(1, &[TENANT], Some(plain(1, 101, 1, 2)));
    let index = RoaringIndex::new(source, IndexSettings::default());
    assert!(index.load_tenant(TENANT).await.unwrap());
    assert_eq!(index.assignee_totals(&main_scope(), None).await, None);
    let q = DetailQuery {
        admin_user_id: AdminUserId(101),
        company: None,
        customer_name: None,
        user_name: None,
        dial_status: None,
        add_status: None,
    };
    assert_eq!(index.entry_count(&main_scope(), &q).await, None);
}
