//! One store operation on one pooled connection, bounded and retried once when that is safe:
//!
//! - the checkout is bounded by the store timeout `T` (`MySql::conn`);
//! - a connection handed out without a check (used moments ago) may meet a server that hung
//!   since: if the operation has not finished after `T/2`, a probe goes to the server beside
//!   it, and if that gets no answer by `T` either, the operation is abandoned as
//!   `Unavailable` (its connection is dropped, never reused). A slow statement on a live
//!   server goes on: the probe succeeds, and the server's statement time limit bounds it.
//!   The probe opens a TCP connection and waits for the server's greeting (its first packet,
//!   sent before any login or query): a stopped or hung server never sends it, while a busy
//!   one does at once. A new *login* would not do: its first reads (the driver's `SELECT
//!   @@max_allowed_packet`, the pool's `SELECT VERSION()`) wait, on a Galera node with
//!   `wsrep_sync_wait`, for the node to apply what the cluster committed before, which took
//!   over a second behind a large import, and a busy node was taken for a hung one. Without a
//!   `host:port` in the URL (a socket), the probe is a new pooled connection, as before;
//! - a statement that fails because its connection lost the server (a restart) is retried
//!   once on a checked connection (the loss makes the pool check every connection used before
//!   it): always for a read, for a write only when nothing of it reached the server (it failed
//!   at the `BEGIN` of its transaction);
//! - a write that lost a deadlock or a Galera certification (rolled back) runs again on the
//!   same connection, up to `galera::DEADLOCK_RETRIES` times after a short backoff; after a
//!   trigger that failed to load, the server's instances of the tables with triggers are
//!   closed first (`galera::reopen_trigger_tables`), until closing them fails once.
//!
//! `MySql::read` and `MySql::write` (`conn`) run every repository's statements through
//! [`MySql::attempt`]; `MySql::conn` alone gives the bounded checkout only.

use std::time::Duration;

use deadpool::managed::{Manager, Object};
use diesel::QueryResult;
use diesel_async::AsyncMysqlConnection;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use scrm_domain::StoreError;

use crate::conn::Statements;
use crate::{MySql, error, galera, watch};

/// Whether an operation may run again after its connection lost the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// A read: run again.
    Read,
    /// A write: run again only when nothing of it reached the server.
    Write,
}

/// How one run of an operation ended.
enum Run<T> {
    Done(QueryResult<T>),
    /// Neither the operation nor a probe beside it got an answer in time.
    Hung,
}

type Conn = Object<AsyncDieselConnectionManager<AsyncMysqlConnection>>;

/// A checked-out connection that goes back to the pool only when settled: one whose
/// operation was cut off (its future dropped by a request deadline or the watchdog, in the
/// middle of a statement or of a transaction) is closed instead, so that the server rolls
/// its transaction back and frees its locks now, not when the pool next hands it out.
pub(crate) struct Checkout(Option<Conn>);

impl Checkout {
    pub(crate) fn new(conn: Conn) -> Self {
        Self(Some(conn))
    }

    /// Closes the connection, whatever its state.
    fn discard(mut self) {
        if let Some(conn) = self.0.take() {
            drop(Object::take(conn));
        }
    }
}

impl std::ops::Deref for Checkout {
    type Target = AsyncMysqlConnection;

    fn deref(&self) -> &AsyncMysqlConnection {
        self.0
            .as_deref()
            .unwrap_or_else(|| unreachable!("taken only on drop"))
    }
}

impl std::ops::DerefMut for Checkout {
    fn deref_mut(&mut self) -> &mut AsyncMysqlConnection {
        self.0
            .as_deref_mut()
            .unwrap_or_else(|| unreachable!("taken only on drop"))
    }
}

impl Drop for Checkout {
    fn drop(&mut self) {
        if let Some(mut conn) = self.0.take()
            && watch::unsettled(&mut conn)
        {
            drop(Object::take(conn));
        }
    }
}

impl MySql {
    /// Runs `op` on a pooled connection (see the module doc); `what` names it for the log.
    pub(crate) async fn attempt<T>(
        &self,
        what: &str,
        retry: Retry,
        mut op: impl Statements<T>,
    ) -> Result<T, StoreError> {
        let mut conn = self.conn(what).await?;
        let mut first = self.watched(&mut conn, &mut op).await;
        // A write that lost a deadlock or a Galera certification was rolled back: again, on
        // the same connection, after a short backoff.
        let mut deadlocks = 0;
        // A failed flush (no `RELOAD` privilege, or statements holding the tables for its 2 s)
        // is not tried again within this operation: it would fail the same way, each time.
        let mut flush_failed = false;
        while retry == Retry::Write
            && deadlocks < galera::DEADLOCK_RETRIES
            && matches!(&first, Run::Done(Err(e)) if galera::is_deadlock(e))
        {
            deadlocks += 1;
            tracing::info!(
                attempt = deadlocks,
                "{what}: deadlock or certification conflict; running it again"
            );
            if !flush_failed
                && matches!(&first, Run::Done(Err(e)) if galera::is_broken_trigger_read(e))
            {
                // Watched like the operation: a server that hangs meanwhile is `Unavailable`
                // within the store timeout, and a flush cut off drops the connection.
                let mut reopen =
                    async |c: &mut AsyncMysqlConnection| galera::reopen_trigger_tables(c).await;
                match self.watched(&mut conn, &mut reopen).await {
                    Run::Done(Ok(())) => {}
                    Run::Done(Err(e)) => {
                        flush_failed = true;
                        tracing::warn!(
                            error = %e,
                            "{what}: cannot close the tables whose triggers failed to load"
                        );
                    }
                    Run::Hung => return self.outcome(what, Run::Hung, conn),
                }
            }
            tokio::time::sleep(galera::backoff(deadlocks)).await;
            first = self.watched(&mut conn, &mut op).await;
        }
        let again = match &first {
            Run::Done(Err(e)) if error::lost_connection(e) => match retry {
                Retry::Read => true,
                Retry::Write => watch::of(&mut conn).is_some_and(|w| w.nothing_written()),
            },
            _ => false,
        };
        if !again {
            return self.outcome(what, first, conn);
        }
        tracing::info!("mysql connection lost during {what}; once more on a checked connection");
        drop(conn);
        let mut conn = self.conn(what).await?;
        let second = self.watched(&mut conn, &mut op).await;
        self.outcome(what, second, conn)
    }

    /// One run of `op` on `conn`, watched for a hung server.
    async fn watched<T>(&self, conn: &mut Checkout, op: &mut impl Statements<T>) -> Run<T> {
        if let Some(w) = watch::of(conn) {
            w.start_operation();
        }
        let half = self.timeout() / 2;
        let server = watch::of(conn).and_then(|w| w.server());
        let run = op(conn);
        tokio::pin!(run);
        tokio::select! {
            done = &mut run => return Run::Done(done),
            () = tokio::time::sleep(half) => {}
        }
        tokio::select! {
            done = &mut run => Run::Done(done),
            alive = self.probe(server.as_deref(), half) => {
                if alive { Run::Done(run.await) } else { Run::Hung }
            }
        }
    }

    /// Whether the server answers within `limit`: its greeting on a new TCP connection to
    /// `server` (`host:port`), or without one, a new pooled connection.
    async fn probe(&self, server: Option<&str>, limit: Duration) -> bool {
        match server {
            Some(addr) => matches!(
                tokio::time::timeout(limit, greeting(addr)).await,
                Ok(Ok(n)) if n > 0
            ),
            None => matches!(
                tokio::time::timeout(limit, self.pool.here().manager().create()).await,
                Ok(Ok(_))
            ),
        }
    }

    /// The result of a run; a connection that hung is dropped, never reused.
    fn outcome<T>(&self, what: &str, run: Run<T>, conn: Checkout) -> Result<T, StoreError> {
        match run {
            Run::Done(done) => done.map_err(|e| error::query(e, what)),
            Run::Hung => {
                conn.discard();
                Err(error::unavailable(
                    what,
                    format!("no answer within {:?}", self.timeout()),
                ))
            }
        }
    }
}

/// Connects to `addr` and reads the first bytes the server sends (its greeting, or an error
/// packet such as "too many connections": either way the server is alive); the connection is
/// then closed. How many bytes came.
async fn greeting(addr: &str) -> std::io::Result<usize> {
    use tokio::io::AsyncReadExt;
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let mut first = [0_u8; 64];
    stream.read(&mut first).await
}
