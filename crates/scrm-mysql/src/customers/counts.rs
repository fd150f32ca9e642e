//! Exact counts of live and binned customers per account (`customer_count`), read instead of
//! `COUNT(*)` when a list has no filter: a main account sums its tenant's few rows, a
//! sub-account reads its own. Every write that adds, bins, restores or moves customers
//! adjusts them inside its own transaction: `adjust` after a single-row change, `Snapshot`
//! around an import (the owners and states of the customers it may touch, before and after).
//! `recount` rewrites a tenant's from its customers (`scrm refresh`, after writes outside scrm).

use std::collections::{BTreeMap, HashMap};

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
use scrm_domain::Scope;

use crate::expr::Either;
use crate::id_lists::IN_CHUNK;
use crate::schema::{customer, customer_count};
use crate::scope::customer_count_scope;

/// Which count of the scope.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Counted {
    Live,
    Binned,
}

/// The live or binned customers of the scope.
pub(crate) async fn read(
    c: &mut AsyncMysqlConnection,
    scope: &Scope,
    which: Counted,
) -> QueryResult<u64> {
    let sum = match which {
        Counted::Live => "CAST(COALESCE(SUM(live), 0) AS SIGNED)",
        Counted::Binned => "CAST(COALESCE(SUM(binned), 0) AS SIGNED)",
    };
    let n: i64 = customer_count::table
        .filter(customer_count_scope(scope))
        .select(sql::<BigInt>(sum))
        .get_result(c)
        .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Adds `live` and `binned` (either may be negative) to an account's counts.
pub(crate) async fn adjust(
    c: &mut AsyncMysqlConnection,
    tenant_id: i64,
    admin_user_id: i64,
    live: i64,
    binned: i64,
) -> QueryResult<()> {
    if live == 0 && binned == 0 {
        return Ok(());
    }
    diesel::insert_into(customer_count::table)
        .values((
            customer_count::tenant_id.eq(tenant_id),
            customer_count::admin_user_id.eq(admin_user_id),
            customer_count::live.eq(live),
            customer_count::binned.eq(binned),
        ))
        .on_conflict(diesel::dsl::DuplicatedKeys)
        .do_update()
        .set((
            customer_count::live.eq(customer_count::live + live),
            customer_count::binned.eq(customer_count::binned + binned),
        ))
        .execute(c)
        .await?;
    Ok(())
}

/// A customer's owner and whether it is in the recycle bin.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = customer, check_for_backend(diesel::mysql::Mysql))]
struct CustomerState {
    id: i64,
    tenant_id: i64,
    admin_user_id: i64,
    deleted_at: Option<chrono::NaiveDateTime>,
}

/// The owner and state of a set of customers: `(tenant, account) -> (live, binned)`.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Snapshot(HashMap<(i64, i64), (i64, i64)>);

impl Snapshot {
    /// The customers with one of `ids` or of one of `wechat_users`, each counted once;
    /// `lock` takes their row locks (before a change, so nothing moves them meanwhile).
    pub(crate) async fn take(
        c: &mut AsyncMysqlConnection,
        ids: &[i64],
        wechat_users: &[i64],
        lock: bool,
    ) -> QueryResult<Self> {
        let mut seen: HashMap<i64, (i64, i64, bool)> = HashMap::new();
        let mut keep = |rows: Vec<CustomerState>| {
            for r in rows {
                seen.insert(r.id, (r.tenant_id, r.admin_user_id, r.deleted_at.is_none()));
            }
        };
        for (list, by_wechat_user) in [(ids, false), (wechat_users, true)] {
            for chunk in list.chunks(IN_CHUNK) {
                let which = if by_wechat_user {
                    Either::Right(customer::wechat_user_id.eq_any(chunk))
                } else {
                    Either::Left(customer::id.eq_any(chunk))
                };
                let q = customer::table
                    .filter(which)
                    .select(CustomerState::as_select());
                keep(if lock {
                    q.for_update().load(c).await?
                } else {
                    q.load(c).await?
                });
            }
        }
        let mut counts: HashMap<(i64, i64), (i64, i64)> = HashMap::new();
        for (tenant, admin, live) in seen.into_values() {
            let e = counts.entry((tenant, admin)).or_default();
            if live {
                e.0 += 1;
            } else {
                e.1 += 1;
            }
        }
        Ok(Self(counts))
    }

    /// Moves the counts from `before` to `self` (the same customers after a change).
    pub(crate) async fn apply_since(
        &self,
        c: &mut AsyncMysqlConnection,
        before: &Self,
    ) -> QueryResult<()> {
        let mut delta: HashMap<(i64, i64), (i64, i64)> = HashMap::new();
        for (k, (l, b)) in &self.0 {
            let e = delta.entry(*k).or_default();
            e.0 += l;
            e.1 += b;
        }
        for (k, (l, b)) in &before.0 {
            let e = delta.entry(*k).or_default();
            e.0 -= l;
            e.1 -= b;
        }
        let mut keys: Vec<_> = delta.keys().copied().collect();
        keys.sort_unstable();
        for (tenant, admin) in keys {
            let (live, binned) = delta[&(tenant, admin)];
            adjust(c, tenant, admin, live, binned).await?;
        }
        Ok(())
    }
}

#[derive(QueryableByName)]
struct Counts {
    #[diesel(sql_type = BigInt)]
    account: i64,
    #[diesel(sql_type = BigInt)]
    live: i64,
    #[diesel(sql_type = BigInt)]
    binned: i64,
}

/// Recounts the accounts of `tenant` (`scrm refresh`, after writes outside scrm): its count
/// rows locked, its customers counted after, the rows that differ rewritten. The accounts seen
/// and those corrected.
pub(crate) async fn recount(t: &mut AsyncMysqlConnection, tenant: i64) -> QueryResult<(u64, u64)> {
    // A locking read: it takes no snapshot, so the count below sees every write that
    // adjusted these rows before it, and later writes wait for this transaction.
    let stored: Vec<(i64, i64, i64)> = customer_count::table
        .filter(customer_count::tenant_id.eq(tenant))
        .select((
            customer_count::admin_user_id,
            customer_count::live,
            customer_count::binned,
        ))
        .for_update()
        .load(t)
        .await?;
    let counted: Vec<Counts> = diesel::sql_query(
        "SELECT admin_user_id AS account, CAST(SUM(deleted_at IS NULL) AS SIGNED) AS live, \
         CAST(SUM(deleted_at IS NOT NULL) AS SIGNED) AS binned FROM customer \
         WHERE tenant_id = ? GROUP BY admin_user_id",
    )
    .bind::<BigInt, _>(tenant)
    .load(t)
    .await?;
    let mut want: BTreeMap<i64, (i64, i64)> = stored
        .iter()
        .map(|&(account, _, _)| (account, (0, 0)))
        .collect();
    want.extend(counted.iter().map(|c| (c.account, (c.live, c.binned))));
    let had: BTreeMap<i64, (i64, i64)> = stored
        .into_iter()
        .map(|(account, live, binned)| (account, (live, binned)))
        .collect();
    let mut fixed = 0;
    for (&account, &(live, binned)) in &want {
        if had.get(&account) == Some(&(live, binned)) {
            continue;
        }
        diesel::insert_into(customer_count::table)
            .values((
                customer_count::tenant_id.eq(tenant),
                customer_count::admin_user_id.eq(account),
                customer_count::live.eq(live),
                customer_count::binned.eq(binned),
            ))
            .on_conflict(diesel::dsl::DuplicatedKeys)
            .do_update()
            .set((
                customer_count::live.eq(live),
                customer_count::binned.eq(binned),
            ))
            .execute(t)
            .await?;
        fixed += 1;
    }
    Ok((want.len() as u64, fixed))
}
