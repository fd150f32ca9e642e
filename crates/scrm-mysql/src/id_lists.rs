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
