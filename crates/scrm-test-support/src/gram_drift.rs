//! A check of `customer_name_gram` and `customer_phone_gram` against the names and phones they
//! are made from: the grams every customer should have (recomputed here in SQL) and the rows
//! the table holds must be the same, under the table's collation.

#![expect(
    clippy::expect_used,
    reason = "test support: a database that cannot be compared should fail the test loudly"
)]

use diesel::QueryableByName;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

/// The grams the names give, as the migration's backfill computes them (its own copy: a
/// reference, not the adapter's statement).
const EXPECTED: &str = "WITH RECURSIVE pos (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM pos WHERE n < 128) \
     SELECT x.id, SUBSTRING(x.name, pos.n, 2) AS gram, x.tenant_id FROM ( \
       SELECT c.id, c.tenant_id, c.customer_name AS name FROM customer c \
       UNION ALL SELECT c.id, c.tenant_id, w.nick_name FROM customer c \
         JOIN wechat_contact w ON w.id = c.wechat_contact_id \
       UNION ALL SELECT c.id, c.tenant_id, w.remark_name FROM customer c \
         JOIN wechat_contact w ON w.id = c.wechat_contact_id \
     ) x JOIN pos ON pos.n <= CHAR_LENGTH(x.name)";

#[derive(QueryableByName)]
struct Drift {
    #[diesel(sql_type = BigInt)]
    missing: i64,
    #[diesel(sql_type = BigInt)]
    stale: i64,
    #[diesel(sql_type = BigInt)]
    rows: i64,
}

/// The phone grams the phone digits give (every 3-digit substring).
const EXPECTED_PHONE: &str = "WITH RECURSIVE pos (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM pos WHERE n < 30) \
     SELECT c.id, SUBSTRING(c.phone_digits, pos.n, 3) AS gram, c.tenant_id FROM customer c \
     JOIN pos ON pos.n <= CHAR_LENGTH(c.phone_digits) - 2";

/// Of the database at `url`: how many grams the names give that `customer_name_gram` lacks
/// (with the customer's tenant), how many rows of the table no name gives, and how many rows
/// it holds.
///
/// # Panics
/// When the database cannot be reached or has no such table.
pub async fn name_gram_drift(url: &str) -> (i64, i64, i64) {
    drift(url, EXPECTED, "customer_name_gram").await
}

/// The same for the phone digits and `customer_phone_gram`.
///
/// # Panics
/// When the database cannot be reached or has no such table.
pub async fn phone_gram_drift(url: &str) -> (i64, i64, i64) {
    drift(url, EXPECTED_PHONE, "customer_phone_gram").await
}

async fn drift(url: &str, expected: &str, table: &str) -> (i64, i64, i64) {
    let mut conn = AsyncMysqlConnection::establish(url)
        .await
        .expect("connect to the test database");
    let sql = format!(
        "SELECT \
         (SELECT COUNT(*) FROM ({expected}) e WHERE NOT EXISTS (SELECT 1 FROM {table} g \
           WHERE g.customer_id = e.id AND g.gram = e.gram AND g.tenant_id = e.tenant_id)) AS missing, \
         (SELECT COUNT(*) FROM {table} g WHERE NOT EXISTS (SELECT 1 FROM ({expected}) e \
           WHERE g.customer_id = e.id AND g.gram = e.gram AND g.tenant_id = e.tenant_id)) AS stale, \
         (SELECT COUNT(*) FROM {table}) AS `rows`"
    );
    let d: Drift = diesel::sql_query(sql)
        .get_result(&mut conn)
        .await
        .expect("compare the name grams");
    (d.missing, d.stale, d.rows)
}
