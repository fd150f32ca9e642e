//! What the customer index takes in memory, measured: the tenant of a seed at scale
//! (`scrm_app::seed`, the rows `make bench` loads, at a size a test can afford) loaded into
//! three indexes, the process's resident memory read before and after. The figures are
//! printed (bytes per customer, resident and as the index estimates them), and the estimate,
//! which the memory budget (`SCRM_INDEX_MAX_MB`) is enforced on, must be near the resident.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use scrm_app::Config;
use scrm_app::seed::scale::ScaleSize;
use scrm_domain::customer::{IndexChange, IndexSource, IndexedCustomer};
use scrm_domain::{AdminUserId, ContactId, CustomerId, StoreError};
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
    let source = Arc::new(Prefetched {
        rows,
        db: mysql.clone(),
    });
    // A first load (kept, so its memory is not reused) opens the pool's connections and
    // leaves the allocator a freed copy of the rows to reuse; then each index kept adds what
    // it holds.
    let first = RoaringIndex::new(source.clone(), IndexSettings::default());
    assert!(first.load_tenant(tenant).await.unwrap());
    const KEPT: usize = 3;
    let before = resident();
    let mut kept = Vec::new();
    for _ in 0..KEPT {
        let index = RoaringIndex::new(source.clone(), IndexSettings::default());
        assert!(index.load_tenant(tenant).await.unwrap());
        kept.push(index);
    }
    let held = resident().saturating_sub(before) / KEPT;
    let estimate = kept[0].stats().bytes;
    let per = |b: usize| b as f64 / customers as f64;
    eprintln!(
        "customer index, {customers} seeded customers in one tenant: {:.0} bytes a customer \
         resident, {:.0} estimated",
        per(held),
        per(estimate),
    );
    // The budget is enforced on the estimate: it must be near what is really held.
    assert!(
        held <= estimate * 5 / 4 && estimate <= held * 3 / 2,
        "held {held}, estimated {estimate}"
    );
}
