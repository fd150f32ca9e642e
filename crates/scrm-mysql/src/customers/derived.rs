//! `scrm refresh`: what scrm derives from its customers, recomputed from them.
//!
//! scrm's own writes and imports keep these exact in the transactions that write the customers:
//! `customer.phone_digits` (the call pop-up, the phone filters), the name and phone grams
//! (`grams.rs`) and the pinyin spellings (`spellings.rs`), which the SQL plans of name, phone
//! and `q` searches start from, and the per-account counts (`counts.rs`) that a list without a
//! filter reads as its total. A customer written by anyone else (hand-typed SQL, another
//! program) leaves them as they were: the customer index sees such a change through the change
//! log and reads the customers themselves, but a request the index declines, or a server with
//! the index off, would not find the customer by its new phone or name, and would count it
//! wrong. [`refresh`] recomputes them for every customer, or a tenant's, beside a serving scrm:
//! - the customers in batches by id: the batch's ids read without locks, then a transaction
//!   that locks exactly those rows (`FOR UPDATE` by primary key, so no other customer waits),
//!   compares what they give with what is stored (`grams::stale_of`) and rewrites it for the
//!   customers where it differs; its first consistent read comes after the locks, so it sees
//!   every write that finished before them, and later writes of the batch wait for it;
//! - what was derived from customers that are gone: their ids read without locks, then per
//!   chunk a transaction that locks those ids in `customer` (an import bringing one back
//!   waits) and deletes the rows of those still missing;
//! - each tenant's counts, in a transaction that locks the tenant's count rows first (scrm's
//!   writes that adjust them wait) and counts its customers in a snapshot taken after.
//!
//! A transaction that loses a deadlock to a serving scrm's write runs again, as scrm's do.

use std::future::Future;
use std::pin::Pin;

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::{counts, grams};
use crate::MySqlError;
use crate::expr::ids_in;
use crate::id_lists::{IN_CHUNK, Id, unique};
use crate::schema::{customer, customer_count};

/// The tables of rows derived from one customer (`customer_id`, `tenant_id`), searched for
/// customers that are gone (`grams::refresh` deletes them).
const DERIVED: [&str; 4] = [
    "customer_name_gram",
    "customer_phone_gram",
    "customer_spelling",
    "customer_spelling_gram",
];

/// Customers per transaction.
const BATCH: i64 = 1_000;

/// What [`refresh`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Refreshed {
    /// Customers whose derived rows were recomputed.
    pub customers: u64,
    /// Of them, those whose stored phone digits were not their phone's.
    pub phone_digits_fixed: u64,
    /// Of them, those whose grams or spellings were not what their names and phone give
    /// (rewritten; the others' are left as they are).
    pub derived_fixed: u64,
    /// Customers that no longer exist whose derived rows were deleted.
    pub gone: u64,
    /// Accounts whose counts were recounted.
    pub accounts: u64,
    /// Of them, those whose stored counts were not their customers'.
    pub counts_fixed: u64,
}

/// Recomputes the phone digits, the name and phone grams and the spellings of every customer
/// (live or binned) of the database at `url`, or of one tenant's (its main account's id),
/// deletes those of customers that no longer exist, and recounts each account.
///
/// # Errors
/// When MariaDB cannot be reached or a statement fails; the batches done so far stay done,
/// and running it again finishes the rest.
pub async fn refresh(url: &str, tenant: Option<i64>) -> Result<Refreshed, MySqlError> {
    let mut c = AsyncMysqlConnection::establish(url).await?;
    let mut done = refresh_customers(&mut c, tenant).await?;
    done.gone = delete_gone(&mut c, tenant).await?;
    for tenant in tenants(&mut c, tenant).await? {
        let (accounts, fixed) =
            in_transaction(&mut c, |t| Box::pin(counts::recount(t, tenant))).await?;
        done.accounts += accounts;
        done.counts_fixed += fixed;
    }
    Ok(done)
}

/// Refreshes the customers of `tenant` (or all) in batches by id.
async fn refresh_customers(
    c: &mut AsyncMysqlConnection,
    tenant: Option<i64>,
) -> QueryResult<Refreshed> {
    let mut done = Refreshed::default();
    let mut after = 0_i64;
    loop {
        // Outside the transaction: a snapshot taken by this read would be older than the
        // locks the transaction takes.
        let ids = next_batch(c, tenant, after).await?;
        let Some(&last) = ids.last() else {
            return Ok(done);
        };
        let batch = in_transaction(c, |t| Box::pin(refresh_batch(t, ids.clone()))).await?;
        done.customers += batch.customers;
        done.phone_digits_fixed += batch.phone_digits_fixed;
        done.derived_fixed += batch.derived_fixed;
        after = last;
    }
}

/// Deletes what was derived from the customers of `tenant` (or all) that no longer exist;
/// how many there were.
async fn delete_gone(c: &mut AsyncMysqlConnection, tenant: Option<i64>) -> QueryResult<u64> {
    let (first, last) = tenant.map_or((i64::MIN, i64::MAX), |t| (t, t));
    let mut found = Vec::new();
    for table in DERIVED {
        let orphans = format!(
            "SELECT DISTINCT d.customer_id AS id FROM {table} d \
             LEFT JOIN customer c ON c.id = d.customer_id \
             WHERE c.id IS NULL AND d.tenant_id BETWEEN ? AND ?"
        );
        let rows: Vec<Id> = diesel::sql_query(orphans)
            .bind::<BigInt, _>(first)
            .bind::<BigInt, _>(last)
            .load(c)
            .await?;
        found.extend(rows.into_iter().map(|r| r.id));
    }
    let mut gone = 0;
    for chunk in unique(found).chunks(IN_CHUNK) {
        gone += in_transaction(c, |t| Box::pin(delete_gone_batch(t, chunk.to_vec()))).await?;
    }
    Ok(gone)
}

/// The tenants whose counts to recount: `tenant`, or every tenant with customers or counts.
async fn tenants(c: &mut AsyncMysqlConnection, tenant: Option<i64>) -> QueryResult<Vec<i64>> {
    if let Some(t) = tenant {
        return Ok(vec![t]);
    }
    let mut all: Vec<i64> = customer::table
        .select(customer::tenant_id)
        .distinct()
        .load(c)
        .await?;
    all.extend(
        customer_count::table
            .select(customer_count::tenant_id)
            .distinct()
            .load::<i64>(c)
            .await?,
    );
    Ok(unique(all))
}

/// A step of a refresh on a connection, as a future that may move between threads.
type Step<'r, T> = Pin<Box<dyn Future<Output = QueryResult<T>> + Send + 'r>>;

/// Runs `op` in a transaction, again (after a short pause) when it lost a deadlock to a
/// serving scrm's write, as scrm's own writes do (`galera::DEADLOCK_RETRIES` times at most).
async fn in_transaction<T: Send>(
    c: &mut AsyncMysqlConnection,
    op: impl for<'r> Fn(&'r mut AsyncMysqlConnection) -> Step<'r, T> + Send + Sync,
) -> QueryResult<T> {
    let mut lost = 0;
    loop {
        match c.transaction(async |t| op(t).await).await {
            Err(e) if crate::galera::is_deadlock(&e) && lost < crate::galera::DEADLOCK_RETRIES => {
                lost += 1;
                tokio::time::sleep(crate::galera::backoff(lost)).await;
            }
            done => return done,
        }
    }
}

/// The ids of the next batch of customers after id `after`, of `tenant` or of all.
async fn next_batch(
    c: &mut AsyncMysqlConnection,
    tenant: Option<i64>,
    after: i64,
) -> QueryResult<Vec<i64>> {
    let mut q = customer::table
        .filter(customer::id.gt(after))
        .select(customer::id)
        .order(customer::id)
        .limit(BATCH)
        .into_boxed();
    if let Some(tenant) = tenant {
        q = q.filter(customer::tenant_id.eq(tenant));
    }
    q.load(c).await
}

/// The customers `ids` that still exist, locked and refreshed.
async fn refresh_batch(t: &mut AsyncMysqlConnection, ids: Vec<i64>) -> QueryResult<Refreshed> {
    let rows: Vec<(i64, Option<String>, Option<String>)> = customer::table
        .filter(ids_in(customer::id, &ids))
        .select((
            customer::id,
            customer::customer_phone,
            customer::phone_digits,
        ))
        .for_update()
        .load(t)
        .await?;
    let mut fixed = 0;
    for (id, phone, stored) in &rows {
        let digits = phone.as_deref().map(scrm_domain::phone::digits);
        if digits != *stored {
            diesel::update(customer::table.find(id))
                .set(customer::phone_digits.eq(digits))
                .execute(t)
                .await?;
            fixed += 1;
        }
    }
    let locked: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let stale = grams::stale_of(t, &locked).await?;
    grams::refresh(t, &stale).await?;
    Ok(Refreshed {
        customers: locked.len() as u64,
        phone_digits_fixed: fixed,
        derived_fixed: stale.len() as u64,
        ..Refreshed::default()
    })
}

/// Deletes what was derived from the customers `ids` that are still gone once their ids are
/// locked in `customer` (an import bringing one back waits); how many were. The refresh of a
/// customer that does not exist deletes its rows and writes none.
async fn delete_gone_batch(t: &mut AsyncMysqlConnection, ids: Vec<i64>) -> QueryResult<u64> {
    let back: Vec<i64> = customer::table
        .filter(ids_in(customer::id, &ids))
        .select(customer::id)
        .for_update()
        .load(t)
        .await?;
    let gone: Vec<i64> = ids.into_iter().filter(|id| !back.contains(id)).collect();
    grams::refresh(t, &gone).await?;
    Ok(gone.len() as u64)
}
