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

use diesel::result::Error as DieselError;

/// How many times a transaction that lost a certification conflict (or an InnoDB deadlock)
/// runs again before the caller gets the error (a 503: the store is too busy to answer).
pub const DEADLOCK_RETRIES: u32 = 4;

/// Whether `e` is a deadlock or a Galera certification conflict: the transaction was rolled
/// back as a whole and may run again.
pub fn is_deadlock(e: &DieselError) -> bool {
    match e {
        DieselError::DatabaseError(_, info) => is_deadlock_text(info.message()),
        _ => false,
    }
}

/// The same test on an error's text.
pub fn is_deadlock_text(text: &str) -> bool {
    text.contains("Deadlock found")
        || text.contains("WSREP detected deadlock")
        || (text.contains("has an error in its body")
            && (text.contains("Query was empty") || text.contains("error in your SQL syntax")))
}

/// The pause before the `attempt`-th run again (1-based): short, growing, jittered by the
/// clock's nanoseconds so two losers do not collide again in step.
pub fn backoff(attempt: u32) -> std::time::Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let base = 5u64 << attempt.min(6);
    std::time::Duration::from_millis(base + u64::from(nanos % 10))
}

#[cfg(test)]
mod tests {
    use super::*;
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
        assert!(backoff(1) < backoff(4));
    }
}
