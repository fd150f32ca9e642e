//! The `CustomerRepository` and `ContactRepository` contract suites with the customer index in
//! front of SQL: every list a contract asks for (pages, exports, the recycle bin, with `q`,
//! tag modes and every other filter, after the suites' writes; findcontactbytagAll's
//! selections after new contacts, re-tags and accounts going offline) is answered by the
//! index and by SQL, and the two answers must be equal (then SQL's is returned). The index
//! must answer whatever it covers.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use scrm_domain::contact::{
    ContactIndex, ContactRecord, ContactRepository, ContactTagQuery, NickNameInput,
};
use scrm_domain::customer::{
    BinFilter, CustomerFilter, CustomerIndex, CustomerPatch, CustomerRecord, CustomerRepository,
    ExportCursor, IndexedPage, SaveOutcome, SaveTarget,
};
use scrm_domain::message::Conversation;
use scrm_domain::search::SearchTerm;
use scrm_domain::{
    AdminUserId, ContactId, CustomerId, Page, PageRequest, Scope, StoreError, WechatUserId,
};
use scrm_index::{IndexSettings, RoaringIndex};
use scrm_mysql::{MySql, PoolSettings, build_pool, migrate};
use scrm_test_support::{RelationalPorts, TestDatabase};

/// SQL, with every list also asked of the index and compared.
struct Compared {
    sql: Arc<MySql>,
    index: RoaringIndex,
}

/// Whether the index knows how the collation compares every character of a needle (ASCII,
/// CJK ideographs, characters outside the BMP); the suites' names are all such.
fn sure(text: &str) -> bool {
    text.chars().all(|c| {
        c.is_ascii() || matches!(u32::from(c), 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0x10000..)
    })
}

fn covered(terms: &[SearchTerm], texts: &[Option<&String>]) -> bool {
    terms.iter().all(|t| sure(&t.text)) && texts.iter().flatten().all(|t| sure(t))
}

fn ids(rows: &[CustomerRecord]) -> Vec<CustomerId> {
    rows.iter().map(|r| r.id).collect()
}

/// The index's answer to `$ask`, asked again a few times when it declines (a catch-up past
/// its bound); one it `$covered` must come.
macro_rules! ask {
    ($covered:expr, $what:expr, $ask:expr) => {{
        let mut answer = None;
        for _ in 0..20 {
            answer = $ask.await;
            if answer.is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(
            answer.is_some() || !$covered,
            "the index declined {}",
            $what
        );
        answer
    }};
}

impl Compared {
    /// Loads the index's tenant (a no-op once loaded). A load gives up when it cannot catch
    /// up with the log in time (a busy machine running every test at once): tried again.
    async fn load(&self, tenant: AdminUserId) {
        for _ in 0..10 {
            if self.index.load_tenant(tenant).await.unwrap() {
                return;
            }
        }
        panic!("tenant {tenant:?} never loaded");
    }

    /// An index's page as rows, compared with SQL's.
    async fn compare(
        &self,
        scope: &Scope,
        answer: Option<IndexedPage>,
        sql: &Page<CustomerRecord>,
        what: &str,
    ) {
        if let Some(answer) = answer {
            let rows = CustomerRepository::by_ids(self.sql.as_ref(), scope, &answer.ids)
                .await
                .unwrap();
            assert_eq!(
                (answer.total, ids(&rows)),
                (sql.total, ids(&sql.items)),
                "index and SQL differ on {what}"
            );
        }
    }
}

#[async_trait]
impl CustomerRepository for Compared {
    async fn page(
        &self,
        scope: &Scope,
        filter: &CustomerFilter,
        page: PageRequest,
    ) -> Result<Page<CustomerRecord>, StoreError> {
        let sql = self.sql.page(scope, filter, page).await?;
        let what = format!("{filter:?} in {scope:?}, {page:?}");
        let texts = [
            filter.name.as_ref(),
            filter.phone_digits.as_ref(),
            filter.remark_name.as_ref(),
        ];
        let covered =
            filter.remarks.as_ref().is_none_or(String::is_empty) && covered(&filter.terms, &texts);
        self.load(scope.tenant).await;
        let answer = ask!(covered, what, self.index.page(scope, filter, page));
        self.compare(scope, answer, &sql, &what).await;
        Ok(sql)
    }

    async fn export_batch(
        &self,
        scope: &Scope,
        filter: &CustomerFilter,
        after: Option<ExportCursor>,
        batch: u32,
    ) -> Result<Vec<CustomerRecord>, StoreError> {
        let sql = self.sql.export_batch(scope, filter, after, batch).await?;
        let what = format!("export of {filter:?} in {scope:?} after {after:?}");
        let covered = filter.remarks.as_ref().is_none_or(String::is_empty)
            && covered(
                &filter.terms,
                &[filter.name.as_ref(), filter.remark_name.as_ref()],
            );
        self.load(scope.tenant).await;
        let answer = ask!(
            covered,
            what,
            self.index.export_ids(scope, filter, after, batch)
        );
        if let Some(answer) = answer {
            assert_eq!(answer, ids(&sql), "index and SQL differ on {what}");
        }
        Ok(sql)
    }

    async fn recycle_bin(
        &self,
        scope: &Scope,
        filter: &BinFilter,
        page: PageRequest,
    ) -> Result<Page<CustomerRecord>, StoreError> {
        let sql = self.sql.recycle_bin(scope, filter, page).await?;
        let what = format!("bin {filter:?} in {scope:?}, {page:?}");
        self.load(scope.tenant).await;
        let covered = covered(&filter.terms, &[]);
        let answer = ask!(covered, what, self.index.recycle_bin(scope, filter, page));
        self.compare(scope, answer, &sql, &what).await;
        Ok(sql)
    }

    async fn by_ids(
        &self,
        scope: &Scope,
        ids: &[CustomerId],
    ) -> Result<Vec<CustomerRecord>, StoreError> {
        CustomerRepository::by_ids(self.sql.as_ref(), scope, ids).await
    }

    async fn find(
        &self,
        scope: &Scope,
        id: CustomerId,
    ) -> Result<Option<CustomerRecord>, StoreError> {
        CustomerRepository::find(self.sql.as_ref(), scope, id).await
    }

    async fn save(
        &self,
        scope: &Scope,
        target: SaveTarget,
        patch: &CustomerPatch,
        now: DateTime<Utc>,
    ) -> Result<SaveOutcome, StoreError> {
        self.sql.save(scope, target, patch, now).await
    }

    async fn soft_delete(
        &self,
        scope: &Scope,
        id: CustomerId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.sql.soft_delete(scope, id, now).await
    }

    async fn restore(
        &self,
        scope: &Scope,
        id: CustomerId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.sql.restore(scope, id, now).await
    }
}

#[async_trait]
impl ContactRepository for Compared {
    async fn find(
        &self,
        scope: &Scope,
        id: ContactId,
    ) -> Result<Option<ContactRecord>, StoreError> {
        ContactRepository::find(self.sql.as_ref(), scope, id).await
    }

    /// SQL's selection, and the index's (which it always covers) compared with it.
    async fn find_by_tags(
        &self,
        scope: &Scope,
        query: &ContactTagQuery,
    ) -> Result<Vec<ContactRecord>, StoreError> {
        let sql = ContactRepository::find_by_tags(self.sql.as_ref(), scope, query).await?;
        let what = format!("contacts {query:?} in {scope:?}");
        self.load(scope.tenant).await;
        let answer = ask!(true, what, self.index.select(scope, query));
        let sql_ids: Vec<ContactId> = sql.iter().map(|c| c.id).collect();
        assert_eq!(answer, Some(sql_ids), "index and SQL differ on {what}");
        Ok(sql)
    }

    async fn by_ids(
        &self,
        scope: &Scope,
        ids: &[ContactId],
    ) -> Result<Vec<ContactRecord>, StoreError> {
        ContactRepository::by_ids(self.sql.as_ref(), scope, ids).await
    }

    async fn save_nick_names(
        &self,
        scope: &Scope,
        items: &[NickNameInput],
    ) -> Result<Option<ContactId>, StoreError> {
        self.sql.save_nick_names(scope, items).await
    }

    async fn conversations(
        &self,
        scope: &Scope,
        wechat_user_ids: &[WechatUserId],
        contact_ids: &[ContactId],
    ) -> Result<Vec<Conversation>, StoreError> {
        self.sql
            .conversations(scope, wechat_user_ids, contact_ids)
            .await
    }
}

/// A migrated, empty database: MySQL for every port, the customers and contacts compared
/// through the index.
async fn compared() -> RelationalPorts {
    let db = TestDatabase::create().await;
    migrate(db.url()).await.unwrap();
    let sql = Arc::new(MySql::new(
        build_pool(db.url(), &PoolSettings::default()).unwrap(),
    ));
    let index = RoaringIndex::new(sql.clone(), IndexSettings::default());
    let both = Arc::new(Compared {
        sql: sql.clone(),
        index,
    });
    RelationalPorts {
        customers: both.clone(),
        contacts: both,
        ..RelationalPorts::of(sql, db)
    }
}

scrm_test_support::customer_contract!(compared());
