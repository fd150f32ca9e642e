//! Helpers every repository shares: scope predicates per table, UTC time conversion, LIKE
//! patterns and chunking of long id lists.

use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};
use diesel::dsl;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
use scrm_domain::{OwnerFilter, Scope};

pub(crate) use crate::expr::Either;

/// Longest `IN (...)` list sent in one statement.
pub(crate) const IN_CHUNK: usize = 1000;

/// Defines `fn $name(scope)`: the predicate restricting `$table` to the scope. A main account
/// sees its tenant (`tenant_id = ?`), a sub-account its own rows (`admin_user_id = ?`).
macro_rules! owner_scope {
    ($name:ident, $table:ident) => {
        pub(crate) fn $name(
            scope: &Scope,
        ) -> Either<
            dsl::Eq<crate::schema::$table::tenant_id, i64>,
            dsl::Eq<crate::schema::$table::admin_user_id, i64>,
        > {
            use crate::schema::$table;
            match scope.owner_filter() {
                OwnerFilter::Tenant(t) => Either::Left($table::tenant_id.eq(t.0)),
                OwnerFilter::Account(a) => Either::Right($table::admin_user_id.eq(a.0)),
            }
        }
    };
}

owner_scope!(customer_scope, customer);
owner_scope!(customer_count_scope, customer_count);
owner_scope!(contact_scope, wechat_contact);
owner_scope!(contact_tag_scope, contact_tag);
owner_scope!(wechat_user_scope, wechat_user);
owner_scope!(manual_scope, manual_entry);

/// A UTC time as stored (`DATETIME(3)`: truncated to milliseconds, as MariaDB would).
pub(crate) fn to_db(t: DateTime<Utc>) -> NaiveDateTime {
    t.trunc_subsecs(3).naive_utc()
}

/// A stored time as UTC.
pub(crate) fn from_db(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// The escape character of LIKE patterns (not `\`, whose meaning depends on the SQL mode).
pub(crate) const LIKE_ESCAPE: char = '!';

/// A `LIKE` pattern matching values that contain `needle` literally.
pub fn contains(needle: &str) -> String {
    let mut p = String::with_capacity(needle.len() + 2);
    p.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | LIKE_ESCAPE) {
            p.push(LIKE_ESCAPE);
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// Sorted, deduplicated ids.
pub(crate) fn unique(ids: impl IntoIterator<Item = i64>) -> Vec<i64> {
    let mut v: Vec<i64> = ids.into_iter().collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Runs each statement for the ids, in chunks of [`IN_CHUNK`]: every `{}` of a statement is
/// a list of `?`, each bound to the chunk's ids.
pub(crate) async fn run_for_ids(
    c: &mut AsyncMysqlConnection,
    statements: &[&str],
    ids: &[i64],
) -> QueryResult<()> {
    for chunk in ids.chunks(IN_CHUNK) {
        let marks = vec!["?"; chunk.len()].join(",");
        for statement in statements {
            let lists = statement.matches("{}").count();
            let mut q = diesel::sql_query(statement.replace("{}", &marks)).into_boxed();
            for _ in 0..lists {
                for id in chunk {
                    q = q.bind::<BigInt, _>(*id);
                }
            }
            q.execute(c).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(contains("a%b_c!d"), "%a!%b!_c!!d%");
        assert_eq!(contains("王"), "%王%");
    }
}
