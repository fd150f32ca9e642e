//! What a Galera cluster adds to MariaDB's errors: two nodes writing the same rows at once are
//! serialised by certification at commit, and the loser's whole transaction is rolled back
//! with a deadlock error (1213, "Deadlock found ..." or "WSREP detected deadlock/conflict").
//! Such a transaction is safe to run again from its start; [`DEADLOCK_RETRIES`] bounds how
//! often.
//!
//! One more error is taken for a conflict: "Unknown trigger has an error in its body: 'Query
//! was empty'" (1711 wrapping 1065). Seen in the cluster test, about once in a few runs, on an
//! update of `customer` (which has the change-log triggers) while two nodes' writers update
//! the same customers, never otherwise. A local transaction that conflicts with a write set
//! being applied is aborted at once (a "brute-force" abort kills its current statement); a
//! statement killed while it opens the table and reads its trigger definitions most likely
//! reports the broken read instead of the deadlock (a definition that parsed at `CREATE
//! TRIGGER` does not stop parsing otherwise). The same killed read also came out as "Trigger
//! 'customer_change_on_tag_update' has an error in its body: 'You have an error in your SQL
//! syntax; ...'" (2026-12-07, a 500 until then): a body that parsed at `CREATE TRIGGER` has
//! no syntax error later, so that text is taken for a conflict too. Either way the statement
//! failed before touching a row and the transaction is rolled back, so running it again is
//! safe; a trigger really broken (an unknown column or table under it) fails with another
//! text, and is not retried.

use diesel::QueryResult;
use diesel::result::Error as DieselError;
use diesel_async::AsyncMysqlConnection;

/// How many times a transaction that lost a certification conflict (or an InnoDB deadlock)
/// runs again before the caller gets the error (a 503: the store is too busy to answer).
/// With [`backoff`], the pauses add up to 0.4–0.8 s at most.
pub const DEADLOCK_RETRIES: u32 = 8;

/// Whether `e` is a deadlock or a Galera certification conflict: the transaction was rolled
/// back as a whole and may run again.
pub fn is_deadlock(e: &DieselError) -> bool {
    message(e).is_some_and(is_deadlock_text)
}

/// The server's text of a failed statement.
fn message(e: &DieselError) -> Option<&str> {
    match e {
        DieselError::DatabaseError(_, info) => Some(info.message()),
        _ => None,
    }
}

/// The same test on an error's text.
pub fn is_deadlock_text(text: &str) -> bool {
    text.contains("Deadlock found")
        || text.contains("WSREP detected deadlock")
        || is_broken_trigger_read_text(text)
}

/// Whether `e` says a trigger's body failed to parse (a read of its definition killed, as a
/// conflict kills it: see the module doc).
pub fn is_broken_trigger_read(e: &DieselError) -> bool {
    message(e).is_some_and(is_broken_trigger_read_text)
}

fn is_broken_trigger_read_text(text: &str) -> bool {
    text.contains("has an error in its body")
        && (text.contains("Query was empty") || text.contains("error in your SQL syntax"))
}

/// After [`is_broken_trigger_read`]: closes this server's open instances of the tables that
/// have triggers, so that the next statement reads their triggers again.
///
/// MariaDB keeps a table's parsed triggers with each open instance of the table, and keeps
/// the instance in its table cache after the statement: one whose triggers failed to load
/// fails every statement that is handed it, with the same text, until it is closed. In a
/// run of the cluster test beside the rest of the suite, every update through one node
/// failed so for the last 6 s of the step (62 of 180 refused, each after all its runs
/// again). `FLUSH LOCAL TABLES` of those tables closes the instances on this server only
/// (`LOCAL`: not replicated to the other nodes); it needs the `RELOAD` privilege and waits
/// at most 2 s for statements using them. `attempt` runs it watched like any operation; when
/// it fails, the runs again go on as before, and the failure is logged. A single server is
/// left so too by a statement that its time limit (or a `KILL QUERY`) cut off while it opened
/// a table with triggers (shown by hand with a limit of 10 µs); the same text, the same
/// mending.
pub async fn reopen_trigger_tables(conn: &mut AsyncMysqlConnection) -> QueryResult<()> {
    use diesel_async::{RunQueryDsl, SimpleAsyncConnection};

    #[derive(diesel::QueryableByName)]
    struct Table {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let tables: Vec<Table> = diesel::sql_query(
        "SELECT DISTINCT event_object_table AS name FROM information_schema.triggers \
         WHERE trigger_schema = DATABASE()",
    )
    .load(conn)
    .await?;
    if tables.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = tables
        .iter()
        .map(|t| format!("`{}`", t.name.replace('`', "``")))
        .collect();
    conn.batch_execute(&format!(
        "SET STATEMENT lock_wait_timeout = 2 FOR FLUSH LOCAL TABLES {}",
        list.join(", ")
    ))
    .await?;
    tracing::info!(tables = %list.join(", "), "closed the tables whose triggers failed to load");
    Ok(())
}

/// The pause before the `attempt`-th run again (1-based): a step that doubles from 10 ms to
/// 160 ms at most, half of it fixed and a random share of the other half ("equal jitter"),
/// so that writers that lost to each other spread out instead of meeting again in step.
/// (With 0-9 ms of jitter and 4 runs again, 62 of the cluster test's 180 updates through two
/// nodes ended refused in one run beside the rest of the suite.)
pub fn backoff(attempt: u32) -> std::time::Duration {
    let step = 10_u64 << attempt.saturating_sub(1).min(4);
    std::time::Duration::from_millis(step / 2 + rand::random_range(0..=step / 2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    use diesel::result::DatabaseErrorKind;

    #[test]
    fn deadlocks_and_certification_conflicts_are_retryable_others_not() {
        for text in [
            "Deadlock found when trying to get lock; try restarting transaction",
            "WSREP detected deadlock/conflict and aborted the transaction. Try restarting the transaction",
            "Unknown trigger has an error in its body: 'Query was empty'",
            // Seen in the cluster test (2026-12-07): a conflict that hit the change-log
            // trigger; the trigger parsed when it was created, so it is no real syntax error.
            "Trigger 'customer_change_on_tag_update' has an error in its body: 'You have an \
             error in your SQL syntax; check the manual that corresponds to your MariaDB \
             server version for the right syntax to use near 'INSERT INTO customer_change \
             (tenant_id, contact_id)'",
        ] {
            let e =
                DieselError::DatabaseError(DatabaseErrorKind::Unknown, Box::new(text.to_owned()));
            assert!(is_deadlock(&e), "{text}");
        }
        let dup = DieselError::DatabaseError(
            DatabaseErrorKind::UniqueViolation,
            Box::new("Duplicate entry '1' for key 'PRIMARY'".to_owned()),
        );
        assert!(!is_deadlock(&dup));
        let broken_trigger = DieselError::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new("Trigger 'x' has an error in its body: 'Unknown column'".to_owned()),
        );
        assert!(
            !is_deadlock(&broken_trigger),
            "a trigger that is really broken"
        );
        assert!(!is_deadlock(&DieselError::NotFound));
        // Of the conflicts, the trigger texts alone reopen the tables first.
        let text = |t: &str| {
            DieselError::DatabaseError(DatabaseErrorKind::Unknown, Box::new(t.to_owned()))
        };
        assert!(is_broken_trigger_read(&text(
            "Unknown trigger has an error in its body: 'Query was empty'"
        )));
        assert!(!is_broken_trigger_read(&text(
            "WSREP detected deadlock/conflict and aborted the transaction."
        )));
        assert!(!is_broken_trigger_read(&broken_trigger));
        for _ in 0..100 {
            assert!(backoff(1) <= Duration::from_millis(10));
            assert!(backoff(4) >= Duration::from_millis(40));
            assert!(backoff(DEADLOCK_RETRIES) <= Duration::from_millis(160));
        }
        let total: Duration = (1..=DEADLOCK_RETRIES).map(backoff).sum();
        assert!(total <= Duration::from_millis(790), "{total:?}");
    }
}
