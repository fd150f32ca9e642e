//! Lists of ids: deduplicated, and sent in chunks of at most [`IN_CHUNK`] so that no
//! statement grows without bound.

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

/// Longest `IN (...)` list sent in one statement.
pub(crate) const IN_CHUNK: usize = 1000;

/// Sorted, deduplicated ids.
pub(crate) fn unique(ids: impl IntoIterator<Item = i64>) -> Vec<i64> {
    let mut v: Vec<i64> = ids.into_iter().collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// A row of one id (`id`), as a query of ids answers it.
#[derive(QueryableByName)]
pub(crate) struct Id {
    #[diesel(sql_type = BigInt)]
    pub(crate) id: i64,
}

/// Runs each statement for the ids, in chunks of [`IN_CHUNK`]: every `{}` of a statement is
/// a list of `?`, each bound to the chunk's ids.
pub(crate) async fn run_for_ids(
    c: &mut AsyncMysqlConnection,
    statements: &[&str],
    ids: &[i64],
) -> QueryResult<()> {
    for chunk in ids.chunks(IN_CHUNK) {
        for statement in statements {
            bound(statement, chunk).execute(c).await?;
        }
    }
    Ok(())
}

/// The ids (`id`) a query answers for the ids, run in chunks of [`IN_CHUNK`] as
/// [`run_for_ids`] runs a statement; sorted and deduplicated.
pub(crate) async fn ids_for_ids(
    c: &mut AsyncMysqlConnection,
    query: &str,
    ids: &[i64],
) -> QueryResult<Vec<i64>> {
    let mut found = Vec::new();
    for chunk in ids.chunks(IN_CHUNK) {
        let rows: Vec<Id> = bound(query, chunk).load(c).await?;
        found.extend(rows.into_iter().map(|r| r.id));
    }
    Ok(unique(found))
}

/// `statement` with each `{}` a list of `?`, every list bound to `chunk`.
fn bound<'a>(
    statement: &str,
    chunk: &'a [i64],
) -> diesel::query_builder::BoxedSqlQuery<'a, diesel::mysql::Mysql, diesel::query_builder::SqlQuery>
{
    let marks = vec!["?"; chunk.len()].join(",");
    let lists = statement.matches("{}").count();
    let mut q = diesel::sql_query(statement.replace("{}", &marks)).into_boxed();
    for _ in 0..lists {
        for id in chunk {
            q = q.bind::<BigInt, _>(*id);
        }
    }
    q
}
