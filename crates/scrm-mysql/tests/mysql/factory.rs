//! Fresh stores for the contract suites and for the MySQL-specific tests: each a database of
//! its own, migrated.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use scrm_domain::customer::{CustomerPatch, CustomerRepository, SaveOutcome, SaveTarget};
use scrm_domain::health::HealthProbe;
use scrm_domain::import::{ImportDocument, ImportRepository, RefQuery, build_plan};
use scrm_domain::{ContactId, CustomerId, Scope};
use scrm_mysql::{MySql, PoolSettings, build_pool, migrate};
use scrm_test_support::contracts::fixture;
use scrm_test_support::{Guarded, RelationalPorts, TestDatabase};

/// A migrated, empty database and the adapter on it.
pub struct Ctx {
    pub db: TestDatabase,
    pub repo: MySql,
}

impl Ctx {
    pub async fn empty() -> Self {
        let db = TestDatabase::create().await;
        migrate(db.url()).await.unwrap();
        let pool = build_pool(db.url(), &PoolSettings::default()).unwrap();
        Self {
            db,
            repo: MySql::new(pool),
        }
    }

    /// With the contract suites' base fixture loaded.
    pub async fn loaded() -> Self {
        let ctx = Self::empty().await;
        ctx.import(&fixture::document()).await;
        ctx
    }

    /// A new customer of `scope` for the contact `contact` (which must have none).
    pub async fn new_customer(
        &self,
        scope: &Scope,
        contact: i64,
        now: DateTime<Utc>,
    ) -> CustomerId {
        let target = SaveTarget::NewFor(ContactId(contact));
        let created = self
            .repo
            .save(scope, target, &CustomerPatch::default(), now)
            .await
            .unwrap();
        let SaveOutcome::Saved(saved) = created else {
            panic!("{created:?}")
        };
        saved.customer.id
    }

    /// Imports a document, as `scrm import` does (without hashing passwords).
    pub async fn import(&self, doc: &ImportDocument) {
        let known = self.repo.known(&RefQuery::of(doc)).await.unwrap();
        let plan = build_plan(doc, &known, fixture::zone()).unwrap();
        self.repo.apply(&plan).await.unwrap();
    }
}

/// The relational ports of a fresh database.
pub async fn relational() -> RelationalPorts {
    let Ctx { db, repo } = Ctx::empty().await;
    RelationalPorts::of(Arc::new(repo), db)
}

/// The health probe of a fresh database.
pub async fn health() -> Guarded<dyn HealthProbe> {
    let Ctx { db, repo } = Ctx::empty().await;
    Guarded::new(Arc::new(repo), db)
}
