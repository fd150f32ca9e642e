//! `customer_spelling` and `customer_spelling_gram`: the pinyin spellings of a customer's three
//! searchable names (`scrm_domain::search::spellings`) and their grams, which `q` matches
//! (migration `2026-12-07-000001_customer_spelling`). Pinyin is computed in Rust, so
//! [`refresh`] reads the names, writes the spellings, then derives the grams in SQL; it runs
//! in the transactions that write the names (through `grams::refresh`), and [`backfill`]
//! fills the tables once after the migration.

use std::collections::BTreeSet;

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use scrm_domain::search::spellings_of;

use crate::id_lists::{IN_CHUNK, ids_for_ids, run_for_ids, unique};
use crate::schema::{customer, customer_spelling, wechat_contact};

/// Deletes the spellings and their grams of the customers `{}` (a list of `?`).
const DELETE: [&str; 2] = [
    "DELETE FROM customer_spelling WHERE customer_id IN ({})",
    "DELETE FROM customer_spelling_gram WHERE customer_id IN ({})",
];

/// The grams of the customers `{}` (a list of `?`) as their stored spellings give them,
/// `(id, gram, tenant_id)`, not distinct: every 2-character substring and the last character
/// of each spelling. With [`SPELLING_POS`].
const SPELLING_GRAMS: &str = "SELECT s.customer_id AS id, SUBSTRING(s.spelling, pos.n, 2) AS gram, \
     s.tenant_id FROM customer_spelling s JOIN pos ON pos.n <= CHAR_LENGTH(s.spelling) \
     WHERE s.customer_id IN ({})";

/// The positions [`SPELLING_GRAMS`] reads: up to the longest spelling of the customers `{}`
/// (a list of `?`). A spelling may have 800 characters, most have a dozen: joined to 800
/// positions, the grams of 1,000 customers took 4 s to list, against 0.2 s.
const SPELLING_POS: &str = "WITH RECURSIVE pos (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM pos \
     WHERE n < (SELECT MAX(CHAR_LENGTH(spelling)) FROM customer_spelling WHERE customer_id IN ({})))";

/// Where [`SPELLING_GRAMS`] are kept.
const GRAMS_TABLE: &str = "customer_spelling_gram";

/// Moves the spellings and grams of the customers of WeChat accounts `{}` to the tenant their
/// customers now belong to (after an import re-owned them).
pub(crate) const RETENANT: [&str; 2] = [
    "UPDATE customer_spelling s JOIN customer c ON c.id = s.customer_id \
     SET s.tenant_id = c.tenant_id WHERE c.wechat_user_id IN ({}) AND s.tenant_id <> c.tenant_id",
    "UPDATE customer_spelling_gram g JOIN customer c ON c.id = g.customer_id \
     SET g.tenant_id = c.tenant_id WHERE c.wechat_user_id IN ({}) AND g.tenant_id <> c.tenant_id",
];

/// One row of `customer_spelling`.
#[derive(Debug, Insertable)]
#[diesel(table_name = customer_spelling)]
pub(crate) struct SpellingRow {
    pub customer_id: i64,
    pub seq: i16,
    pub spelling: String,
    pub tenant_id: i64,
}

/// The spelling rows of one customer from its three names.
pub(crate) fn rows_of<'a>(
    customer_id: i64,
    tenant_id: i64,
    names: impl IntoIterator<Item = &'a str>,
) -> Vec<SpellingRow> {
    spellings_of(names)
        .into_iter()
        .zip(0_i16..)
        .map(|(spelling, seq)| SpellingRow {
            customer_id,
            seq,
            spelling,
            tenant_id,
        })
        .collect()
}

type Names = (i64, i64, Option<String>, Option<String>, Option<String>);

/// The spelling rows the current names of the customers `chunk` give (none for a customer
/// without a contact).
async fn expected(c: &mut AsyncMysqlConnection, chunk: &[i64]) -> QueryResult<Vec<SpellingRow>> {
    let names: Vec<Names> = customer::table
        .inner_join(wechat_contact::table)
        .filter(customer::id.eq_any(chunk))
        .select((
            customer::id,
            customer::tenant_id,
            customer::customer_name,
            wechat_contact::nick_name,
            wechat_contact::remark_name,
        ))
        .load(c)
        .await?;
    Ok(names
        .iter()
        .flat_map(|(id, tenant, a, b, r)| {
            rows_of(
                *id,
                *tenant,
                [a, b, r].into_iter().flatten().map(String::as_str),
            )
        })
        .collect())
}

/// Recomputes the spellings and spelling grams of these customers from their names.
pub(crate) async fn refresh(c: &mut AsyncMysqlConnection, ids: &[i64]) -> QueryResult<()> {
    run_for_ids(c, &DELETE, ids).await?;
    for chunk in ids.chunks(IN_CHUNK) {
        let rows = expected(c, chunk).await?;
        for part in rows.chunks(IN_CHUNK) {
            diesel::insert_into(customer_spelling::table)
                .values(part)
                .execute(c)
                .await?;
        }
    }
    let grams = super::grams::insert(GRAMS_TABLE, SPELLING_POS, SPELLING_GRAMS);
    run_for_ids(c, &[&grams], ids).await
}

/// Those of these customers whose stored spellings are not what their names give, or whose
/// spelling grams are not what their stored spellings give (`grams::stale_of`).
pub(crate) async fn stale_of(c: &mut AsyncMysqlConnection, ids: &[i64]) -> QueryResult<Vec<i64>> {
    let mut found = Vec::new();
    for chunk in ids.chunks(IN_CHUNK) {
        let want = expected(c, chunk).await?;
        let stored: Vec<(i64, i16, String, i64)> = customer_spelling::table
            .filter(customer_spelling::customer_id.eq_any(chunk))
            .select((
                customer_spelling::customer_id,
                customer_spelling::seq,
                customer_spelling::spelling,
                customer_spelling::tenant_id,
            ))
            .load(c)
            .await?;
        let want: BTreeSet<(i64, i16, &str, i64)> = want
            .iter()
            .map(|r| (r.customer_id, r.seq, r.spelling.as_str(), r.tenant_id))
            .collect();
        let stored: BTreeSet<(i64, i16, &str, i64)> = stored
            .iter()
            .map(|(id, seq, spelling, tenant)| (*id, *seq, spelling.as_str(), *tenant))
            .collect();
        found.extend(want.symmetric_difference(&stored).map(|r| r.0));
    }
    let grams = super::grams::stale(GRAMS_TABLE, SPELLING_POS, SPELLING_GRAMS);
    found.extend(ids_for_ids(c, &grams, ids).await?);
    Ok(unique(found))
}

/// Customers spelled per transaction by [`backfill`].
const BACKFILL_BATCH: i64 = 5_000;

#[derive(QueryableByName)]
struct Step {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Fills the spellings of every customer when the migration left its `scrm_backfill` row,
/// in batches by id (each its own transaction, so a run that stops is resumed by the next,
/// which starts over and rewrites the same rows), then deletes the row. `before_batch` runs
/// before each batch (the migration renews its lock's lease) and stops the backfill when it
/// fails.
pub(crate) async fn backfill(
    c: &mut AsyncMysqlConnection,
    mut before_batch: impl AsyncFnMut(&mut AsyncMysqlConnection) -> QueryResult<()>,
) -> QueryResult<()> {
    let pending: Vec<Step> = diesel::sql_query(
        "SELECT COUNT(*) AS n FROM scrm_backfill WHERE step = 'customer_spelling'",
    )
    .load(c)
    .await?;
    if pending.iter().all(|s| s.n == 0) {
        return Ok(());
    }
    let mut after = 0_i64;
    loop {
        let ids: Vec<i64> = customer::table
            .filter(customer::id.gt(after))
            .order(customer::id)
            .select(customer::id)
            .limit(BACKFILL_BATCH)
            .load(c)
            .await?;
        let Some(&last) = ids.last() else { break };
        before_batch(c).await?;
        c.transaction(async |t| refresh(t, &ids).await).await?;
        after = last;
    }
    diesel::sql_query("DELETE FROM scrm_backfill WHERE step = 'customer_spelling'")
        .execute(c)
        .await?;
    Ok(())
}
