//! Moving a customer into the recycle bin and back, with its account's counts, in one
//! transaction.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use scrm_domain::{CustomerId, Scope};

use super::counts;
use crate::db_time::to_db;
use crate::schema::customer;
use crate::scope::customer_scope;

/// Which way a customer moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Move {
    ToBin,
    Restore,
}

/// Moves the customer `id` of the scope if it is on the other side, in a transaction of its
/// own; whether it moved.
pub(super) async fn move_customer(
    c: &mut AsyncMysqlConnection,
    scope: &Scope,
    id: CustomerId,
    now: DateTime<Utc>,
    way: Move,
) -> QueryResult<bool> {
    c.transaction(async |c| {
        let q = customer::table
            .filter(customer::id.eq(id.0))
            .filter(customer_scope(scope))
            .select((customer::tenant_id, customer::admin_user_id))
            .for_update();
        let owner: Option<(i64, i64)> = match way {
            Move::ToBin => q.filter(customer::deleted_at.is_null()).first(c).await,
            Move::Restore => q.filter(customer::deleted_at.is_not_null()).first(c).await,
        }
        .optional()?;
        let Some((tenant, admin)) = owner else {
            return Ok(false);
        };
        let now = to_db(now);
        let deleted_at: Option<NaiveDateTime> = (way == Move::ToBin).then_some(now);
        diesel::update(customer::table.find(id.0))
            .set((
                customer::deleted_at.eq(deleted_at),
                customer::last_update_time.eq(now),
            ))
            .execute(c)
            .await?;
        let (live, binned) = match way {
            Move::ToBin => (-1, 1),
            Move::Restore => (1, -1),
        };
        counts::adjust(c, tenant, admin, live, binned).await?;
        Ok(true)
    })
    .await
}
