//! What the customer index takes in memory, measured: the tenant of a seed at scale
//! (`scrm_app::seed`, the rows `make bench` loads, at a size a test can afford) loaded into
//! three indexes, the process's resident memory read before and after, first without the
//! tenant's contacts, then with them (findcontactbytagAll's part). The figures are printed
//! (bytes per customer and per contact, resident and as the index estimates them), and the
//! estimate, which the memory budget (`SCRM_INDEX_MAX_MB`) is enforced on, must be near the
//! resident.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use scrm_app::Config;
use scrm_app::seed::scale::ScaleSize;
use scrm_domain::contact::{AccountState, IndexedContact};
use scrm_domain::customer::{IndexChange, IndexSource, IndexedCustomer};
use scrm_domain::{AdminUserId, ContactId, CustomerId, StoreError, WechatUserId};
use scrm_index::{IndexSettings, RoaringIndex};
use scrm_mysql::{MySql, PoolSettings, build_pool};
use scrm_test_support::{TestDatabase, TestRedis};

/// The process's resident memory in bytes (`VmRSS`, Linux).
fn resident() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb: usize = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kb * 1024
}

/// A source that answers a tenant from rows read once beforehand (so the load allocates
/// only the index and a copy of the rows it drops), the rest from MariaDB.
struct Prefetched {
    rows: Vec<IndexedCustomer>,
    /// The tenant's contacts, when it keeps them.
    contacts: Option<Vec<IndexedContact>>,
    db: Arc<MySql>,
}

#[async_trait]
impl IndexSource for Prefetched {
    async fn tenant(&self, _: AdminUserId) -> Result<Vec<IndexedCustomer>, StoreError> {
        Ok(self.rows.clone())
    }

    async fn customers(
        &self,
        ids: &[CustomerId],
        contacts: &[ContactId],
    ) -> Result<Vec<IndexedCustomer>, StoreError> {
        self.db.customers(ids, contacts).await
    }

    async fn changes(&self, after: i64, limit: u32) -> Result<Vec<IndexChange>, StoreError> {
        self.db.changes(after, limit).await
    }

    async fn clock(
        &self,
        since: Option<DateTime<Utc>>,
    ) -> Result<(DateTime<Utc>, bool), StoreError> {
        self.db.clock(since).await
    }

    async fn tenants(&self) -> Result<Vec<AdminUserId>, StoreError> {
        self.db.tenants().await
    }

    async fn biggest_tenants(&self, limit: u32) -> Result<Vec<(AdminUserId, u64)>, StoreError> {
        self.db.biggest_tenants(limit).await
    }

    async fn head(&self) -> Result<i64, StoreError> {
        self.db.head().await
    }

    async fn trim(&self, keep_secs: u64) -> Result<u64, StoreError> {
        self.db.trim(keep_secs).await
    }

    async fn contact_tenant(
        &self,
        _: AdminUserId,
    ) -> Result<Option<Vec<IndexedContact>>, StoreError> {
        Ok(self.contacts.clone())
    }

    async fn contacts(&self, ids: &[ContactId]) -> Result<Vec<IndexedContact>, StoreError> {
        self.db.contacts(ids).await
    }

    async fn wechat_accounts(&self, ids: &[WechatUserId]) -> Result<Vec<AccountState>, StoreError> {
        self.db.wechat_accounts(ids).await
    }
}

/// What each of `KEPT` indexes of the tenant holds: (resident, estimated) bytes. A first load
/// (kept, so its memory is not reused) opens the pool's connections and leaves the
/// allocator a freed copy of the rows to reuse; then each index kept adds what it holds.
async fn hold(source: &Arc<Prefetched>, tenant: AdminUserId) -> (usize, usize, Vec<RoaringIndex>) {
    const KEPT: usize = 3;
    let first = RoaringIndex::new(source.clone(), IndexSettings::default());
    assert!(first.load_tenant(tenant).await.unwrap());
    let before = resident();
    let mut kept = vec![first];
    for _ in 0..KEPT {
        let index = RoaringIndex::new(source.clone(), IndexSettings::default());
        assert!(index.load_tenant(tenant).await.unwrap());
        kept.push(index);
    }
    let held = resident().saturating_sub(before) / KEPT;
    (held, kept[1].stats().bytes, kept)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_index_of_a_seeded_tenant_takes_about_what_it_estimates() {
    let db = TestDatabase::unborn();
    let redis = TestRedis::new();
    let config = Config {
        database_url: db.url().to_owned(),
        redis_url: redis.url(),
        redis_prefix: redis.prefix().to_owned(),
        ..Config::default()
    };
    let customers = 20_000;
    scrm_app::seed::load::seed(
        &config,
        ScaleSize {
            customers,
            tenants: 1,
        },
    )
    .await
    .unwrap();
    let mysql = Arc::new(MySql::new(
        build_pool(db.url(), &PoolSettings::default()).unwrap(),
    ));
    let tenant = mysql.tenants().await.unwrap()[0];
    let rows = mysql.tenant(tenant).await.unwrap();
    assert_eq!(rows.len() as u64, customers);
    let contacts = mysql.contact_tenant(tenant).await.unwrap().unwrap();
    let n_contacts = contacts.len();
    assert!(n_contacts as u64 > customers, "{n_contacts}");
    let without = Arc::new(Prefetched {
        rows: rows.clone(),
        contacts: None,
        db: mysql.clone(),
    });
    let (held, estimate, kept) = hold(&without, tenant).await;
    let per = |b: usize, n: usize| b as f64 / n as f64;
    eprintln!(
        "customer index, {customers} seeded customers in one tenant: {:.0} bytes a customer \
         resident, {:.0} estimated",
        per(held, customers as usize),
        per(estimate, customers as usize),
    );
    // The budget is enforced on the estimate: it must be near what is really held.
    assert!(
        held <= estimate * 5 / 4 && estimate <= held * 3 / 2,
        "held {held}, estimated {estimate}"
    );
    let with = Arc::new(Prefetched {
        rows,
        contacts: Some(contacts),
        db: mysql.clone(),
    });
    let (held_all, estimate_all, kept_all) = hold(&with, tenant).await;
    assert_eq!(kept_all[1].stats().contacts, n_contacts);
    let (contacts_held, contacts_estimate) = (
        held_all.saturating_sub(held),
        estimate_all.saturating_sub(estimate),
    );
    eprintln!(
        "and its {n_contacts} contacts: {:.0} bytes a contact resident, {:.0} estimated",
        per(contacts_held, n_contacts),
        per(contacts_estimate, n_contacts),
    );
    assert!(
        held_all <= estimate_all * 5 / 4 && estimate_all <= held_all * 3 / 2,
        "held {held_all}, estimated {estimate_all} with the contacts"
    );
    drop((kept, kept_all));
}
