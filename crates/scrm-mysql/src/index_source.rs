//! `IndexSource` on MySQL: what the customer index (crates/scrm-index) loads a tenant from,
//! and the change log (`customer_change`, written by the triggers of migrations
//! `2026-12-06-000002_customer_change_log` and `2026-12-08-000001_manual_change_log`) it
//! follows to stay exact (by its lanes on a Galera node, migration
//! `2026-12-10-000001_change_log_lanes`). The manual entries it reads are `manual::indexed`'s, the contacts
//! and WeChat accounts `contact_index`'s.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Datetime, Nullable, Text, Unsigned};
use diesel_async::{
    AnsiTransactionManager, AsyncConnection, AsyncMysqlConnection, RunQueryDsl, TransactionManager,
};
use scrm_domain::contact::{AccountState, IndexedContact};
use scrm_domain::customer::{
    ChangeSubject, IndexChange, IndexSource, IndexedCustomer, LaneChange, LaneHead,
};
use scrm_domain::manual::IndexedManualEntry;
use scrm_domain::{
    AdminUserId, ContactId, CustomerId, ManualEntryId, StoreError, TagId, WechatUserId,
};

use crate::MySql;
use crate::contact_index;
use crate::db_time::from_db;
use crate::id_lists::{IN_CHUNK, Id, run_for_ids};
use crate::manual::indexed;
use crate::schema::customer_change;

/// One row of the change log.
#[derive(Queryable, Selectable)]
#[diesel(table_name = customer_change, check_for_backend(diesel::mysql::Mysql))]
struct ChangeRow {
    seq: i64,
    tenant_id: i64,
    customer_id: Option<i64>,
    contact_id: Option<i64>,
    manual_entry_id: Option<i64>,
    lane: Option<i32>,
}

impl ChangeRow {
    fn change(self) -> Result<IndexChange, StoreError> {
        let subject = match (self.customer_id, self.contact_id, self.manual_entry_id) {
            (Some(c), _, _) => ChangeSubject::Customer(CustomerId(c)),
            (None, Some(c), _) => ChangeSubject::Contact(ContactId(c)),
            (None, None, Some(m)) => ChangeSubject::ManualEntry(ManualEntryId(m)),
            (None, None, None) => {
                return Err(StoreError::Unexpected(format!(
                    "customer_change {} names nothing",
                    self.seq
                )));
            }
        };
        Ok(IndexChange {
            seq: self.seq,
            tenant: AdminUserId(self.tenant_id),
            subject,
        })
    }
}

/// The indexed fields of a customer, its contact's names included.
#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    tenant_id: i64,
    #[diesel(sql_type = BigInt)]
    admin_user_id: i64,
    #[diesel(sql_type = BigInt)]
    wechat_user_id: i64,
    #[diesel(sql_type = BigInt)]
    wechat_contact_id: i64,
    #[diesel(sql_type = Datetime)]
    create_time: NaiveDateTime,
    #[diesel(sql_type = Nullable<Datetime>)]
    deleted_at: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<Text>)]
    customer_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    contact_nick_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    remark_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    phone_digits: Option<String>,
}

/// One tag of a customer's contact.
#[derive(QueryableByName)]
struct TagRow {
    #[diesel(sql_type = BigInt)]
    customer_id: i64,
    #[diesel(sql_type = BigInt)]
    tag_id: i64,
}

#[derive(QueryableByName)]
struct Clock {
    #[diesel(sql_type = Datetime)]
    now: NaiveDateTime,
    #[diesel(sql_type = BigInt)]
    running: i64,
    #[diesel(sql_type = BigInt)]
    fresh: i64,
}

#[derive(QueryableByName)]
struct Now {
    #[diesel(sql_type = Datetime)]
    now: NaiveDateTime,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Customers (and contacts, `contact_index`) read per statement when a tenant loads.
pub(crate) const LOAD_CHUNK: usize = 50_000;

/// The clock's read of `innodb_trx` (see `trx_reads` for why it is not enough alone):
/// `running`, the transactions that started by `since` (bound twice) and may still write this
/// log; `fresh`, those that started after it, which prove the copy was filled after `since`.
///
/// `trx_started` has whole seconds, truncated: a transaction that started before `since`
/// always counts as running, and one that counts as fresh started after it. Only a
/// transaction that has modified a row may hold a number of the log: the log's rows are
/// written by `AFTER` triggers, so the row that fired one is modified first. So one that has
/// modified nothing is not counted: a long read-only transaction, such as `mysqldump
/// --single-transaction` or a report, does not hold the index back for as long as it runs.
/// Transactions of connections on another database of the server are not this log's (those
/// with no database are counted), unless the connection has written this log: the log's
/// `BEFORE INSERT` trigger puts its id in `customer_change_writer` (migration
/// `2026-12-11-000001`) before the row's number is taken, in the writer's transaction, and the
/// clock's transaction reads it uncommitted; so a writer on another database that writes this
/// one's tables by qualified names is counted too. Nor are those of a connection that is gone,
/// which roll back
/// (one of another database's connections, killed mid-migration, stayed listed for seconds
/// and held this index's load back). Those on no thread (0) are counted unless they roll
/// back: a transaction prepared with XA stays so when its client goes away, and commits when
/// any client says `XA COMMIT`, however much later (InnoDB's own short transactions are on
/// thread 0 too: counting them only waits a moment longer). Nor is the clock's own
/// transaction.
const CLOCK: &str = "SELECT UTC_TIMESTAMP(6) AS now, \
     COUNT(CASE WHEN t.trx_started <= CONVERT_TZ(?, '+00:00', @@session.time_zone) \
       AND t.trx_mysql_thread_id <> CONNECTION_ID() AND t.trx_rows_modified > 0 \
       AND ((p.id IS NOT NULL AND (p.db IS NULL OR p.db = DATABASE() \
           OR t.trx_mysql_thread_id IN (SELECT conn FROM customer_change_writer))) \
         OR (t.trx_mysql_thread_id = 0 AND t.trx_state <> 'ROLLING BACK')) THEN 1 END) AS running, \
     COUNT(CASE WHEN t.trx_started > CONVERT_TZ(?, '+00:00', @@session.time_zone) \
       THEN 1 END) AS fresh \
     FROM information_schema.innodb_trx t \
     LEFT JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id";

/// How often this process reads `innodb_trx`. InnoDB answers that table from a copy it fills
/// again only when nobody has read it for 100 ms (`CACHE_MIN_IDLE_TIME_NS` in `trx0i_s.cc`):
/// read more often than that, by anyone, the copy stays as it was, for as long as the reads
/// go on. So the clock (1) reads it at most every 150 ms after its last read ended, never
/// keeping the copy alive itself, and (2) trusts a copy only when it lists a transaction
/// that started after `since` (its own, begun for that purpose, once a second has passed):
/// any transaction that started by `since` and still runs was running when such a copy was
/// filled, so it is listed. A copy that cannot be shown newer answers "running", which only
/// waits longer.
mod trx_reads {
    use std::sync::{Mutex, PoisonError};
    use std::time::{Duration, Instant};

    /// The pause between the end of one read and the start of the next.
    const SPACING: Duration = Duration::from_millis(150);

    /// The reads of this process.
    enum Reads {
        /// None yet.
        Never,
        /// One runs now.
        Running,
        /// The last one ended then.
        Ended(Instant),
    }

    static READS: Mutex<Reads> = Mutex::new(Reads::Never);

    /// A read that [`begin`] allowed: it ends when this is dropped (also when the clock's
    /// future is, mid-read).
    pub(super) struct Reading(());

    /// A read, if the clock may read now.
    pub(super) fn begin() -> Option<Reading> {
        let mut reads = READS.lock().unwrap_or_else(PoisonError::into_inner);
        let free = match *reads {
            Reads::Never => true,
            Reads::Running => false,
            Reads::Ended(at) => at.elapsed() >= SPACING,
        };
        free.then(|| {
            *reads = Reads::Running;
            Reading(())
        })
    }

    impl Drop for Reading {
        fn drop(&mut self) {
            *READS.lock().unwrap_or_else(PoisonError::into_inner) = Reads::Ended(Instant::now());
        }
    }
}

const ROWS: &str = "SELECT c.id, c.tenant_id, c.admin_user_id, c.wechat_user_id, \
     c.wechat_contact_id, c.create_time, \
     c.deleted_at, c.customer_name, w.nick_name AS contact_nick_name, w.remark_name, \
     c.phone_digits FROM customer c LEFT JOIN wechat_contact w ON w.id = c.wechat_contact_id \
     WHERE ";

/// A customer's tags as the lists' tag filter reads them: its contact's links, in its tenant
/// and of its owner (both scopes' conditions).
const TAGS: &str = "SELECT c.id AS customer_id, t.tag_id FROM customer c \
     JOIN contact_tag t ON t.contact_id = c.wechat_contact_id AND t.tenant_id = c.tenant_id \
     AND t.admin_user_id = c.admin_user_id WHERE ";

fn assemble(rows: Vec<Row>, tags: Vec<TagRow>) -> Vec<IndexedCustomer> {
    let mut by_customer: HashMap<i64, Vec<TagId>> = HashMap::new();
    for t in tags {
        by_customer
            .entry(t.customer_id)
            .or_default()
            .push(TagId(t.tag_id));
    }
    rows.into_iter()
        .map(|r| IndexedCustomer {
            id: CustomerId(r.id),
            tenant: AdminUserId(r.tenant_id),
            owner: AdminUserId(r.admin_user_id),
            wechat_user: WechatUserId(r.wechat_user_id),
            contact: ContactId(r.wechat_contact_id),
            create_time: from_db(r.create_time),
            deleted_at: r.deleted_at.map(from_db),
            tags: by_customer.remove(&r.id).unwrap_or_default(),
            customer_name: r.customer_name,
            contact_nick_name: r.contact_nick_name,
            remark_name: r.remark_name,
            phone_digits: r.phone_digits,
        })
        .collect()
}

/// The customers `where_` selects (binding `bind`): their rows, then their tags, so the
/// caller reads them in a transaction (one snapshot for both).
async fn read(
    conn: &mut AsyncMysqlConnection,
    where_: &str,
    bind: &[i64],
) -> QueryResult<Vec<IndexedCustomer>> {
    let mut q = diesel::sql_query(format!("{ROWS}{where_}")).into_boxed();
    for id in bind {
        q = q.bind::<BigInt, _>(*id);
    }
    let rows: Vec<Row> = q.load(conn).await?;
    let mut q = diesel::sql_query(format!("{TAGS}{where_}")).into_boxed();
    for id in bind {
        q = q.bind::<BigInt, _>(*id);
    }
    let tags: Vec<TagRow> = q.load(conn).await?;
    Ok(assemble(rows, tags))
}

impl MySql {
    /// The store's clock now.
    async fn store_now(&self) -> Result<DateTime<Utc>, StoreError> {
        let row: Now = self
            .read("index clock", async |c| {
                diesel::sql_query("SELECT UTC_TIMESTAMP(6) AS now")
                    .get_result(c)
                    .await
            })
            .await?;
        Ok(from_db(row.now))
    }

    /// Deletes the rows of `customer_change_writer` whose connection is gone (see `trim`).
    async fn forget_gone_writers(&self) -> Result<(), StoreError> {
        const GONE: &str = "WHERE conn NOT IN (SELECT id FROM information_schema.processlist)";
        self.write("index trim writers", async |c| {
            let gone: Vec<Id> = diesel::sql_query(format!(
                "SELECT CAST(conn AS SIGNED) AS id FROM customer_change_writer {GONE}"
            ))
            .load(c)
            .await?;
            let gone: Vec<i64> = gone.into_iter().map(|r| r.id).collect();
            let delete = format!(
                "SET STATEMENT innodb_lock_wait_timeout = 1 FOR \
                 DELETE FROM customer_change_writer {GONE} AND conn IN ({{}})"
            );
            run_for_ids(c, &[&delete], &gone).await
        })
        .await
    }
}

#[async_trait]
impl IndexSource for MySql {
    async fn tenant(&self, tenant: AdminUserId) -> Result<Vec<IndexedCustomer>, StoreError> {
        self.read("index load", async |c| {
            // In chunks by id, each statement well inside the statement time limit (one
            // statement for a tenant of 300,000 ran past 5 s on a busy server), one snapshot
            // for all of them.
            c.transaction(async |c| {
                let mut out = Vec::new();
                let mut after = 0_i64;
                loop {
                    let rows: Vec<Row> = diesel::sql_query(format!(
                        "{ROWS}c.tenant_id = ? AND c.id > ? ORDER BY c.id LIMIT {LOAD_CHUNK}"
                    ))
                    .bind::<BigInt, _>(tenant.0)
                    .bind::<BigInt, _>(after)
                    .load(c)
                    .await?;
                    let Some(last) = rows.last().map(|r| r.id) else {
                        break;
                    };
                    let tags: Vec<TagRow> = diesel::sql_query(format!(
                        "{TAGS}c.tenant_id = ? AND c.id > ? AND c.id <= ?"
                    ))
                    .bind::<BigInt, _>(tenant.0)
                    .bind::<BigInt, _>(after)
                    .bind::<BigInt, _>(last)
                    .load(c)
                    .await?;
                    let full = rows.len() >= LOAD_CHUNK;
                    out.extend(assemble(rows, tags));
                    if !full {
                        break;
                    }
                    after = last;
                }
                Ok(out)
            })
            .await
        })
        .await
    }

    async fn customers(
        &self,
        ids: &[CustomerId],
        contacts: &[ContactId],
    ) -> Result<Vec<IndexedCustomer>, StoreError> {
        if ids.is_empty() && contacts.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = ids.iter().map(|i| i.0).collect();
        let contacts: Vec<i64> = contacts.iter().map(|i| i.0).collect();
        let mut out = self
            .read("index changes", async |c| {
                // One snapshot for all the chunks (and one BEGIN and COMMIT, not one per chunk).
                c.transaction(async |c| {
                    let mut out = Vec::with_capacity(ids.len() + contacts.len());
                    for (column, list) in [("c.id", &ids), ("c.wechat_contact_id", &contacts)] {
                        for chunk in list.chunks(IN_CHUNK) {
                            let marks = vec!["?"; chunk.len()].join(",");
                            out.extend(read(c, &format!("{column} IN ({marks})"), chunk).await?);
                        }
                    }
                    Ok(out)
                })
                .await
            })
            .await?;
        out.sort_unstable_by_key(|c| c.id);
        out.dedup_by_key(|c| c.id);
        Ok(out)
    }

    async fn changes(&self, after: i64, limit: u32) -> Result<Vec<IndexChange>, StoreError> {
        let rows: Vec<ChangeRow> = self
            .read("index log", async |c| {
                customer_change::table
                    .filter(customer_change::seq.gt(after))
                    .select(ChangeRow::as_select())
                    .order(customer_change::seq)
                    .limit(i64::from(limit))
                    .load(c)
                    .await
            })
            .await?;
        rows.into_iter().map(ChangeRow::change).collect()
    }

    async fn lanes(&self) -> Result<Option<Vec<LaneHead>>, StoreError> {
        #[derive(QueryableByName)]
        struct Head {
            #[diesel(sql_type = BigInt)]
            lane: i64,
            #[diesel(sql_type = BigInt)]
            seq: i64,
        }
        // Whether wsrep is on (lane -1, a row always there) and each lane's highest number:
        // one statement, a loose scan of idx_customer_change_lane.
        let rows: Vec<Head> = self
            .read("index lanes", async |c| {
                diesel::sql_query(
                    "SELECT -1 AS lane, CAST(@@global.wsrep_on AS SIGNED) AS seq \
                     UNION ALL SELECT CAST(lane AS SIGNED), MAX(seq) FROM customer_change \
                     WHERE lane IS NOT NULL GROUP BY lane",
                )
                .load(c)
                .await
            })
            .await?;
        if !rows.iter().any(|h| h.lane == -1 && h.seq != 0) {
            return Ok(None);
        }
        Ok(Some(
            rows.into_iter()
                .filter(|h| h.lane >= 0)
                .map(|h| LaneHead {
                    lane: h.lane,
                    seq: h.seq,
                })
                .collect(),
        ))
    }

    async fn lane_changes(
        &self,
        after: &[LaneHead],
        limit: u32,
    ) -> Result<Vec<LaneChange>, StoreError> {
        if after.is_empty() {
            return Ok(Vec::new());
        }
        let lanes: Vec<(i32, i64)> = after
            .iter()
            .filter_map(|h| Some((i32::try_from(h.lane).ok()?, h.seq)))
            .collect();
        let rows: Vec<ChangeRow> = self
            .read("index lane log", async |c| {
                // A range of idx_customer_change_lane per lane.
                let mut q = customer_change::table
                    .select(ChangeRow::as_select())
                    .into_boxed();
                for (i, (lane, seq)) in lanes.iter().enumerate() {
                    let range = customer_change::lane
                        .eq(*lane)
                        .and(customer_change::seq.gt(*seq));
                    q = if i == 0 {
                        q.filter(range)
                    } else {
                        q.or_filter(range)
                    };
                }
                q.order(customer_change::seq)
                    .limit(i64::from(limit))
                    .load(c)
                    .await
            })
            .await?;
        rows.into_iter()
            .map(|r| {
                let lane = r.lane.map_or(-1, i64::from);
                Ok(LaneChange {
                    lane,
                    change: r.change()?,
                })
            })
            .collect()
    }

    async fn clock(
        &self,
        since: Option<DateTime<Utc>>,
    ) -> Result<(DateTime<Utc>, bool), StoreError> {
        // No transaction started before the epoch: the time alone, without `innodb_trx`.
        let Some(since) = since else {
            return Ok((self.store_now().await?, false));
        };
        // Within `trx_reads::SPACING` of this process's last read, the copy it would read may
        // be the one that read kept: "running", without reading it again.
        let Some(reading) = trx_reads::begin() else {
            return Ok((self.store_now().await?, true));
        };
        let since = since.naive_utc();
        let read = self
            .read("index clock", async |c| {
                // This connection's own transaction is in every copy filled from now on: its
                // start is after `since` once a second has passed, which proves such a copy new
                // enough (`fresh`) even when no other transaction is running. `WITH CONSISTENT
                // SNAPSHOT` starts it at once (it takes no snapshot READ UNCOMMITTED, with a
                // warning). READ UNCOMMITTED, for this transaction only: a writer's row in
                // `customer_change_writer` is there before its transaction commits.
                AnsiTransactionManager::begin_transaction_sql(
                    c,
                    "SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED; \
                     START TRANSACTION WITH CONSISTENT SNAPSHOT",
                )
                .await?;
                let row = diesel::sql_query(CLOCK)
                    .bind::<Datetime, _>(since)
                    .bind::<Datetime, _>(since)
                    .get_result::<Clock>(c)
                    .await;
                match row {
                    Ok(row) => {
                        AnsiTransactionManager::commit_transaction(c).await?;
                        Ok(row)
                    }
                    Err(e) => {
                        // The failure is what the caller needs; a rollback that fails too
                        // leaves the connection broken, and the pool drops it.
                        let _ = AnsiTransactionManager::rollback_transaction(c).await;
                        Err(e)
                    }
                }
            })
            .await;
        drop(reading);
        let row = read?;
        Ok((from_db(row.now), row.running > 0 || row.fresh == 0))
    }

    async fn tenants(&self) -> Result<Vec<AdminUserId>, StoreError> {
        use crate::schema::admin_user::dsl as a;
        let ids: Vec<i64> = self
            .read("index tenants", async |c| {
                a::admin_user
                    .filter(a::parent_id.is_null())
                    .select(a::id)
                    .order(a::id)
                    .load(c)
                    .await
            })
            .await?;
        Ok(ids.into_iter().map(AdminUserId).collect())
    }

    async fn biggest_tenants(&self, limit: u32) -> Result<Vec<(AdminUserId, u64)>, StoreError> {
        #[derive(QueryableByName)]
        struct Size {
            #[diesel(sql_type = BigInt)]
            tenant_id: i64,
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        // The counters (customer_count), a row per account: no customer row is read.
        let sizes: Vec<Size> = self
            .read("index biggest tenants", async |c| {
                diesel::sql_query(
                    "SELECT tenant_id, CAST(SUM(live + binned) AS SIGNED) AS n FROM customer_count \
                     GROUP BY tenant_id HAVING n > 0 ORDER BY n DESC, tenant_id LIMIT ?",
                )
                .bind::<Unsigned<diesel::sql_types::Integer>, _>(limit)
                .load(c)
                .await
            })
            .await?;
        Ok(sizes
            .into_iter()
            .map(|s| (AdminUserId(s.tenant_id), u64::try_from(s.n).unwrap_or(0)))
            .collect())
    }

    async fn head(&self) -> Result<i64, StoreError> {
        let rows: Vec<Count> = self
            .read("index head", async |c| {
                diesel::sql_query("SELECT COALESCE(MAX(seq), 0) AS n FROM customer_change")
                    .load(c)
                    .await
            })
            .await?;
        Ok(rows.into_iter().next().map_or(0, |r| r.n))
    }

    async fn trim(&self, keep_secs: u64) -> Result<u64, StoreError> {
        let n = self
            .write("index trim", async |c| {
                diesel::sql_query(
                    "DELETE FROM customer_change \
             WHERE created_at < UTC_TIMESTAMP(3) - INTERVAL ? SECOND LIMIT 10000",
                )
                .bind::<Unsigned<BigInt>, _>(keep_secs)
                .execute(c)
                .await
            })
            .await?;
        // The writers of the log whose connection is gone (the clock counts a live one's
        // transactions on any database, `CLOCK`). Connection ids start again when the server
        // does: a new connection that finds its id listed counts as a writer, which only waits
        // longer, until it goes too. Read without locks, then deleted by key (and still gone):
        // a row is locked only by the transaction that inserted it, uncommitted and so not
        // read here (the trigger only reads a row that is there), and the delete gives up
        // after 1 s all the same. Whatever stops it, the log was trimmed: the next trim tries
        // again.
        if let Err(e) = self.forget_gone_writers().await {
            tracing::warn!(error = %e, "the change log's gone writers stay listed until the next trim");
        }
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn manual_tenant(
        &self,
        tenant: AdminUserId,
    ) -> Result<Option<Vec<IndexedManualEntry>>, StoreError> {
        let entries = self
            .read("index load manual", async |c| {
                indexed::of_tenant(c, tenant).await
            })
            .await?;
        Ok(Some(entries))
    }

    async fn manual_entries(
        &self,
        ids: &[ManualEntryId],
    ) -> Result<Vec<IndexedManualEntry>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.read("index manual changes", async |c| {
            c.transaction(async |c| indexed::of_ids(c, ids).await).await
        })
        .await
    }

    async fn contact_tenant(
        &self,
        tenant: AdminUserId,
    ) -> Result<Option<Vec<IndexedContact>>, StoreError> {
        let contacts = self
            .read("index load contacts", async |c| {
                c.transaction(async |c| contact_index::of_tenant(c, tenant).await)
                    .await
            })
            .await?;
        Ok(Some(contacts))
    }

    async fn contacts(&self, ids: &[ContactId]) -> Result<Vec<IndexedContact>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.read("index contact changes", async |c| {
            c.transaction(async |c| contact_index::of_ids(c, ids).await)
                .await
        })
        .await
    }

    async fn wechat_accounts(&self, ids: &[WechatUserId]) -> Result<Vec<AccountState>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.read("index wechat accounts", async |c| {
            contact_index::accounts(c, ids).await
        })
        .await
    }
}
