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
//! wrong. [`refresh`] recomputes them for every customer, or a tenant's: the customers in
//! batches by id, each in a transaction of its own that holds its customers' rows
//! (`FOR UPDATE`) while it rewrites what they give; the derived rows of customers that no
//! longer exist are deleted; then each tenant's counts, in a transaction that holds the
//! tenant's count rows first (scrm's writes wait for it) and counts in a snapshot taken after.
//! So it may run beside a serving scrm.

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::{counts, grams};
use crate::MySqlError;
use crate::schema::{customer, customer_count};

/// The tables of rows derived from one customer (`customer_id`, `tenant_id`).
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
    /// Derived rows deleted because their customer no longer exists.
    pub orphans_deleted: u64,
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
    let mut done = Refreshed::default();
    let mut after = 0_i64;
    loop {
        let batch = c
            .transaction(async |t| refresh_batch(t, tenant, after).await)
            .await?;
        let Some((last, refreshed)) = batch else {
            break;
        };
        done.customers += refreshed.customers;
        done.phone_digits_fixed += refreshed.phone_digits_fixed;
        after = last;
    }
    for table in DERIVED {
        let orphans = format!(
            "DELETE d FROM {table} d LEFT JOIN customer c ON c.id = d.customer_id \
             WHERE c.id IS NULL AND d.tenant_id BETWEEN ? AND ?"
        );
        let (first, last) = tenant.map_or((i64::MIN, i64::MAX), |t| (t, t));
        let deleted = diesel::sql_query(orphans)
            .bind::<BigInt, _>(first)
            .bind::<BigInt, _>(last)
            .execute(&mut c)
            .await?;
        done.orphans_deleted += deleted as u64;
    }
    let tenants = match tenant {
        Some(t) => vec![t],
        None => {
            let mut all: Vec<i64> = customer::table
                .select(customer::tenant_id)
                .distinct()
                .load(&mut c)
                .await?;
            all.extend(
                customer_count::table
                    .select(customer_count::tenant_id)
                    .distinct()
                    .load::<i64>(&mut c)
                    .await?,
            );
            all.sort_unstable();
            all.dedup();
            all
        }
    };
    for tenant in tenants {
        let (accounts, fixed) = c
            .transaction(async |t| counts::recount(t, tenant).await)
            .await?;
        done.accounts += accounts;
        done.counts_fixed += fixed;
    }
    Ok(done)
}

/// The next batch after id `after`, locked, refreshed: its last id and what was done, or
/// `None` when no customer is left.
async fn refresh_batch(
    t: &mut AsyncMysqlConnection,
    tenant: Option<i64>,
    after: i64,
) -> QueryResult<Option<(i64, Refreshed)>> {
    // One tenant, or all: a range either way, as a locking query cannot be boxed.
    let (first, last_tenant) = tenant.map_or((i64::MIN, i64::MAX), |t| (t, t));
    let rows: Vec<(i64, Option<String>, Option<String>)> = customer::table
        .filter(customer::id.gt(after))
        .filter(customer::tenant_id.between(first, last_tenant))
        .order(customer::id)
        .select((
            customer::id,
            customer::customer_phone,
            customer::phone_digits,
        ))
        .limit(BATCH)
        .for_update()
        .load(t)
        .await?;
    let Some(&(last, _, _)) = rows.last() else {
        return Ok(None);
    };
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
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    grams::refresh(t, &ids).await?;
    Ok(Some((
        last,
        Refreshed {
            customers: ids.len() as u64,
            phone_digits_fixed: fixed,
            ..Refreshed::default()
        },
    )))
}
