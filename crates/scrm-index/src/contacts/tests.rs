//! The contacts of the index: findcontactbytagAll's selection equals a naive reading of the
//! contacts and accounts (random contacts, tags, scopes, modes, accounts online, offline or
//! gone), and follows the change log (new, re-tagged, moved, deleted contacts) and the
//! accounts' flags at once; it declines without contacts or when the accounts cannot be read.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use scrm_domain::contact::{AccountState, ContactIndex, ContactTagQuery, IndexedContact};
use scrm_domain::customer::ChangeSubject;
use scrm_domain::search::TagMode;
use scrm_domain::{AdminUserId, ContactId, Scope, StoreError, TagId, WechatUserId};

use crate::testing::{MemLog, Rng, no_customers};
use crate::{IndexSettings, RoaringIndex};

const TENANT: AdminUserId = AdminUserId(100);
const OTHER: AdminUserId = AdminUserId(200);
/// Accounts of the tenant (101, 102 its sub-accounts) and their WeChat accounts (10 * id).
const OWNERS: [i64; 3] = [100, 101, 102];

#[derive(Default)]
struct Db {
    contacts: BTreeMap<i64, IndexedContact>,
    /// WeChat account -> online (a missing one is gone).
    accounts: BTreeMap<i64, bool>,
    accounts_down: bool,
}

struct Source {
    db: Mutex<Db>,
    log: MemLog,
    keeps_contacts: bool,
}

impl Source {
    fn new(keeps_contacts: bool) -> Arc<Self> {
        let mut db = Db::default();
        for o in OWNERS {
            db.accounts.insert(o * 10, true);
        }
        db.accounts.insert(2000, true);
        Arc::new(Self {
            db: Mutex::new(db),
            log: MemLog::default(),
            keeps_contacts,
        })
    }

    /// Commits a write of contact `id` (its state afterwards, `None`: gone), logged under
    /// `tenants` (a move logs both).
    fn write(&self, id: i64, tenants: &[AdminUserId], state: Option<IndexedContact>) {
        let mut db = self.db.lock().unwrap();
        self.log
            .push(tenants, ChangeSubject::Contact(ContactId(id)));
        match state {
            Some(c) => db.contacts.insert(id, c),
            None => db.contacts.remove(&id),
        };
    }

    /// Sets an account's flag (`None`: deletes it); not logged, as in MariaDB.
    fn account(&self, id: i64, online: Option<bool>) {
        let mut db = self.db.lock().unwrap();
        match online {
            Some(o) => db.accounts.insert(id, o),
            None => db.accounts.remove(&id),
        };
    }

    /// The naive selection.
    fn expected(&self, scope: &Scope, q: &ContactTagQuery) -> Vec<ContactId> {
        let db = self.db.lock().unwrap();
        let tags: Vec<i64> = q.tag_ids.iter().map(|t| t.0).collect();
        db.contacts
            .values()
            .filter(|c| scope.sees(c.tenant, c.owner))
            .filter(|c| q.tag_mode.holds(&tags, |t| c.tags.contains(&TagId(t))))
            .filter(|c| q.wechat_user_id.is_none_or(|w| w == c.wechat_user))
            .filter(|c| {
                db.accounts
                    .get(&c.wechat_user.0)
                    .is_some_and(|online| *online || q.include_offline)
            })
            .map(|c| c.id)
            .collect()
    }
}

no_customers!(Source, log, {
    async fn contact_tenant(
        &self,
        tenant: AdminUserId,
    ) -> Result<Option<Vec<IndexedContact>>, StoreError> {
        let db = self.db.lock().unwrap();
        Ok(self.keeps_contacts.then(|| {
            db.contacts
                .values()
                .filter(|c| c.tenant == tenant)
                .cloned()
                .collect()
        }))
    }

    async fn contacts(&self, ids: &[ContactId]) -> Result<Vec<IndexedContact>, StoreError> {
        let db = self.db.lock().unwrap();
        Ok(ids
            .iter()
            .filter_map(|id| db.contacts.get(&id.0))
            .cloned()
            .collect())
    }

    async fn wechat_accounts(&self, ids: &[WechatUserId]) -> Result<Vec<AccountState>, StoreError> {
        let db = self.db.lock().unwrap();
        if db.accounts_down {
            return Err(StoreError::Unavailable("down".into()));
        }
        Ok(ids
            .iter()
            .filter_map(|id| {
                db.accounts.get(&id.0).map(|online| AccountState {
                    id: *id,
                    online: *online,
                })
            })
            .collect())
    }
});

/// A contact of the tenant owned by `owner` (on its WeChat account), or of the other tenant.
fn contact(id: i64, tenant: AdminUserId, owner: i64, tags: &[i64]) -> IndexedContact {
    IndexedContact {
        id: ContactId(id),
        tenant,
        owner: AdminUserId(owner),
        wechat_user: WechatUserId(if tenant == OTHER { 2000 } else { owner * 10 }),
        tags: tags.iter().map(|t| TagId(*t)).collect(),
    }
}

fn random_contact(rng: &mut Rng, id: i64) -> IndexedContact {
    let tags: Vec<i64> = (0..rng.below(4))
        .map(|_| 1 + rng.pick(&[0, 1, 2, 3, 4]))
        .collect();
    if rng.below(8) == 0 {
        contact(id, OTHER, 200, &[9])
    } else {
        contact(id, TENANT, rng.pick(&OWNERS), &tags)
    }
}

fn random_query(rng: &mut Rng) -> ContactTagQuery {
    ContactTagQuery {
        tag_ids: (0..rng.below(3))
            .map(|_| TagId(rng.pick(&[1, 2, 3, 4, 5, 9])))
            .collect(),
        tag_mode: rng.pick(&[TagMode::Any, TagMode::All, TagMode::None]),
        wechat_user_id: (rng.below(4) == 0).then(|| WechatUserId(rng.pick(&[1000, 1010, 2000]))),
        include_offline: rng.below(2) == 0,
    }
}

fn scopes() -> [Scope; 4] {
    [
        Scope::for_account(TENANT, None),
        Scope::for_account(AdminUserId(101), Some(TENANT)),
        Scope::for_account(AdminUserId(102), Some(TENANT)),
        Scope::for_account(OTHER, None),
    ]
}

async fn loaded(source: &Arc<Source>) -> RoaringIndex {
    let index = RoaringIndex::new(source.clone(), IndexSettings::default());
    for t in [TENANT, OTHER] {
        assert!(index.load_tenant(t).await.unwrap());
    }
    index
}

#[tokio::test]
async fn selections_equal_a_naive_reading_through_writes_and_account_flags() {
    let source = Source::new(true);
    let mut rng = Rng(0x5eed_c0de);
    for id in 1..=120 {
        let c = random_contact(&mut rng, id);
        source.write(id, &[c.tenant], Some(c));
    }
    let index = loaded(&source).await;
    assert_eq!(index.stats().contacts, 120);
    for round in 0..40 {
        // A few writes: new contacts, re-tags, moves between owners and tenants, deletions,
        // and accounts going offline, online or away.
        for _ in 0..5 {
            let id = i64::try_from(1 + rng.below(140)).unwrap();
            let before = source
                .db
                .lock()
                .unwrap()
                .contacts
                .get(&id)
                .map(|c| c.tenant);
            let after = (rng.below(6) != 0).then(|| random_contact(&mut rng, id));
            let mut tenants: Vec<AdminUserId> = before
                .into_iter()
                .chain(after.as_ref().map(|c| c.tenant))
                .collect();
            tenants.dedup();
            source.write(id, &tenants, after);
        }
        let account = rng.pick(&[1000, 1010, 1020, 2000]);
        source.account(account, [Some(true), Some(false), None][rng.below(3)]);
        for _ in 0..10 {
            let q = random_query(&mut rng);
            for scope in scopes() {
                let got = index.select(&scope, &q).await;
                assert_eq!(
                    got,
                    Some(source.expected(&scope, &q)),
                    "round {round}: {q:?} in {scope:?}"
                );
            }
        }
    }
    let stats = index.stats();
    assert_eq!(stats.declined, 0, "{stats:?}");
    let kept = source.db.lock().unwrap().contacts.len();
    assert_eq!(stats.contacts, kept);
}

#[tokio::test]
async fn contacts_without_tags_or_customer_and_duplicate_tags() {
    let source = Source::new(true);
    source.write(1, &[TENANT], Some(contact(1, TENANT, 101, &[1, 1, 2])));
    source.write(2, &[TENANT], Some(contact(2, TENANT, 101, &[])));
    source.write(3, &[TENANT], Some(contact(3, TENANT, 102, &[2])));
    let index = loaded(&source).await;
    let main = Scope::for_account(TENANT, None);
    let q = |tags: &[i64], mode| ContactTagQuery {
        tag_ids: tags.iter().map(|t| TagId(*t)).collect(),
        tag_mode: mode,
        include_offline: true,
        ..ContactTagQuery::default()
    };
    let ids = |v: &[i64]| Some(v.iter().map(|i| ContactId(*i)).collect::<Vec<_>>());
    assert_eq!(
        index.select(&main, &q(&[], TagMode::None)).await,
        ids(&[1, 2, 3])
    );
    assert_eq!(
        index.select(&main, &q(&[1], TagMode::None)).await,
        ids(&[2, 3])
    );
    assert_eq!(
        index.select(&main, &q(&[2, 2], TagMode::All)).await,
        ids(&[1, 3])
    );
    assert_eq!(
        index.select(&main, &q(&[1, 2], TagMode::All)).await,
        ids(&[1])
    );
    assert_eq!(index.select(&main, &q(&[7], TagMode::All)).await, ids(&[]));
    // A new contact without tags is in `none` at once; a deleted one leaves.
    source.write(4, &[TENANT], Some(contact(4, TENANT, 100, &[])));
    source.write(1, &[TENANT], None);
    assert_eq!(
        index.select(&main, &q(&[2], TagMode::None)).await,
        ids(&[2, 4])
    );
    // Its bytes: a map slot, the tags and the bitmaps, tens of bytes a contact.
    let loaded = match index.inner.lock().tenants.get(&TENANT) {
        Some(crate::Slot::Ready {
            loaded, contacts, ..
        }) => {
            assert_eq!(*contacts, 3, "the count follows the log");
            Arc::clone(loaded)
        }
        _ => panic!("tenant not loaded"),
    };
    let loaded = loaded.read().await;
    let c = loaded.contacts.as_ref().unwrap();
    assert!(c.bytes() > 100 && c.bytes() < 10_000, "{}", c.bytes());
}

#[tokio::test]
async fn it_declines_without_contacts_or_accounts() {
    let source = Source::new(false);
    source.write(1, &[TENANT], Some(contact(1, TENANT, 101, &[1])));
    let index = loaded(&source).await;
    let main = Scope::for_account(TENANT, None);
    let q = ContactTagQuery::default();
    assert_eq!(index.select(&main, &q).await, None);

    let source = Source::new(true);
    source.write(1, &[TENANT], Some(contact(1, TENANT, 101, &[1])));
    let index = loaded(&source).await;
    assert_eq!(index.select(&main, &q).await, Some(vec![ContactId(1)]));
    source.db.lock().unwrap().accounts_down = true;
    assert_eq!(index.select(&main, &q).await, None);
    let stats = index.stats();
    assert_eq!((stats.answered, stats.declined), (1, 1));
    // No candidates: nothing to read of the accounts.
    let none = ContactTagQuery {
        tag_ids: vec![TagId(5)],
        ..ContactTagQuery::default()
    };
    assert_eq!(index.select(&main, &none).await, Some(Vec::new()));
}
