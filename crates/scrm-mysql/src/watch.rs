//! What the pool knows about each connection without asking the server, so that a checkout
//! asks it only when in doubt. Every connection carries a [`ConnWatch`] (a diesel
//! instrumentation: it sees each statement start and finish); the pool's check ([`check`], a
//! `pre_recycle` hook) reads it:
//!
//! - a statement started and never finished (its future was dropped: a request deadline, a
//!   watchdog): the reply may still be on its way and would be read as the next statement's;
//!   or a transaction was left open: it would hold its locks and give the next reads an old
//!   snapshot. The connection is dropped, never reused ([`unsettled`]; `attempt` drops such
//!   a connection as soon as its operation is dropped, so that the server rolls back and
//!   frees the locks at once rather than at the connection's next checkout);
//! - a statement failed on it, or it sat unused for [`IDLE_CHECK`], or some connection of the
//!   pool lost its server since it was last used ([`PoolWatch::connection_lost`]): one
//!   `SELECT 1` (one round trip, bounded by the recycle timeout), and dropped if that fails;
//! - otherwise it is handed out as it is, at no cost.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use deadpool::managed::{HookError, Metrics};
use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel_async::pooled_connection::PoolableConnection;
use diesel_async::pooled_connection::deadpool::Hook;
use diesel_async::{AsyncConnection, AsyncMysqlConnection};

use crate::error;

/// How long a connection may sit unused before a checkout checks it: two seconds. Busy
/// connections are reused within milliseconds and never pay for a check; one that waited
/// longer than a client's think time is checked, which catches most connections a server
/// restart, a proxy or a firewall closed while they sat idle (the others fail on their
/// first statement, which marks the whole pool suspect and retries a read).
pub const IDLE_CHECK: Duration = Duration::from_secs(2);

/// What the pool as a whole has seen: the last time one of its connections lost its server.
#[derive(Debug)]
pub(crate) struct PoolWatch {
    base: Instant,
    /// Nanoseconds after `base` plus one of the last loss; 0 for none.
    lost_at: AtomicU64,
    /// The longest a pool check may take.
    check_timeout: Duration,
    /// The server's `host:port` from the URL, for the hung-server probe (`attempt.rs`);
    /// `None` when the URL names none (a socket).
    server: Option<String>,
}

impl PoolWatch {
    pub(crate) fn new(check_timeout: Duration, server: Option<String>) -> Arc<Self> {
        Arc::new(Self {
            base: Instant::now(),
            lost_at: AtomicU64::new(0),
            check_timeout,
            server,
        })
    }

    /// The server's `host:port`, when the URL names one.
    pub(crate) fn server(&self) -> Option<&str> {
        self.server.as_deref()
    }

    /// A connection lost its server: every connection used before now is checked before it
    /// is handed out again (after a restart they are all dead).
    fn connection_lost(&self) {
        let at = u64::try_from(self.base.elapsed().as_nanos()).unwrap_or(u64::MAX - 1);
        self.lost_at.fetch_max(at + 1, Ordering::Relaxed);
    }

    /// Whether a connection last handed out at `last_used` must be checked.
    fn needs_check(&self, metrics: &Metrics) -> bool {
        let last_used = metrics.recycled.unwrap_or(metrics.created);
        if last_used.elapsed() >= IDLE_CHECK {
            return true;
        }
        match self.lost_at.load(Ordering::Relaxed) {
            0 => false,
            at => self.base + Duration::from_nanos(at - 1) >= last_used,
        }
    }
}

/// The instrumentation every connection of the pool carries.
pub(crate) struct ConnWatch {
    pool: Arc<PoolWatch>,
    /// A statement started and has not finished.
    in_flight: bool,
    /// A statement failed since the last check.
    failed: bool,
    /// A transaction is being opened: the next statement is its `BEGIN`.
    beginning: bool,
    /// Statements started since [`ConnWatch::start_operation`].
    started: u32,
    /// The operation's first statement was a `BEGIN`.
    first_was_begin: bool,
    /// The operation's first statement failed.
    first_failed: bool,
}

impl ConnWatch {
    pub(crate) fn new(pool: Arc<PoolWatch>) -> Self {
        Self {
            pool,
            in_flight: false,
            failed: false,
            beginning: false,
            started: 0,
            first_was_begin: false,
            first_failed: false,
        }
    }

    /// The server's `host:port` of the pool this connection belongs to.
    pub(crate) fn server(&self) -> Option<String> {
        self.pool.server().map(str::to_owned)
    }

    /// An operation starts on the connection.
    pub(crate) fn start_operation(&mut self) {
        self.started = 0;
        self.first_was_begin = false;
        self.first_failed = false;
    }

    /// The operation failed on its first statement, and that was the `BEGIN` of its
    /// transaction: nothing of it reached the server.
    pub(crate) fn nothing_written(&self) -> bool {
        self.first_failed && self.first_was_begin
    }
}

impl Instrumentation for ConnWatch {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        match event {
            InstrumentationEvent::BeginTransaction { depth, .. } => {
                self.beginning = depth.get() == 1
            }
            InstrumentationEvent::StartQuery { .. } => {
                self.in_flight = true;
                self.started = self.started.saturating_add(1);
                if self.started == 1 {
                    self.first_was_begin = self.beginning;
                }
                self.beginning = false;
            }
            InstrumentationEvent::FinishQuery { error, .. } => {
                self.in_flight = false;
                if let Some(e) = error {
                    self.failed = true;
                    self.first_failed |= self.started == 1;
                    if error::lost_connection(e) {
                        self.pool.connection_lost();
                    }
                }
            }
            _ => {}
        }
    }
}

/// The watch of a pooled connection (every connection the pool opens has one).
pub(crate) fn of(conn: &mut AsyncMysqlConnection) -> Option<&mut ConnWatch> {
    conn.instrumentation().downcast_mut::<ConnWatch>()
}

/// Whether an operation on `conn` was cut off: a statement started and never finished (its
/// reply may still be on its way), or a transaction is open (diesel's transaction manager
/// has not closed it, or is broken). Such a connection must never be reused: its
/// transaction would hold its rows' locks and give its next reads an old snapshot.
pub(crate) fn unsettled(conn: &mut AsyncMysqlConnection) -> bool {
    of(conn).is_some_and(|w| w.in_flight) || conn.is_broken()
}

/// The pool's `pre_recycle` hook (the manager's own check is then only `is_broken`,
/// `RecyclingMethod::Fast`).
pub(crate) fn check(pool: Arc<PoolWatch>) -> Hook<AsyncMysqlConnection> {
    Hook::async_fn(move |conn: &mut AsyncMysqlConnection, metrics: &Metrics| {
        let pool = pool.clone();
        Box::pin(async move {
            if unsettled(conn) {
                return Err(HookError::message(
                    "a statement or a transaction on it was cut off",
                ));
            }
            let doubtful = of(conn).is_none_or(|w| w.failed || pool.needs_check(metrics));
            if doubtful {
                ping(conn, pool.check_timeout).await?;
                if let Some(w) = of(conn) {
                    w.failed = false;
                }
            }
            Ok(())
        })
    })
}

/// `SELECT 1` within `limit`, as a plain text query: one round trip (a prepared one would
/// take a prepare, an execute and a close).
async fn ping(
    conn: &mut AsyncMysqlConnection,
    limit: Duration,
) -> Result<(), HookError<diesel_async::pooled_connection::PoolError>> {
    use diesel_async::SimpleAsyncConnection;
    match tokio::time::timeout(limit, conn.batch_execute("SELECT 1")).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(HookError::Backend(
            diesel_async::pooled_connection::PoolError::QueryError(e),
        )),
        Err(_) => Err(HookError::message("no answer to the check")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn used(ago: Duration) -> Metrics {
        let at = Instant::now().checked_sub(ago).unwrap_or_else(Instant::now);
        Metrics {
            created: at,
            recycled: Some(at),
            recycle_count: 1,
        }
    }

    #[test]
    fn only_idle_connections_and_those_used_before_a_loss_are_checked() {
        let pool = PoolWatch::new(Duration::from_secs(1), None);
        assert!(!pool.needs_check(&used(Duration::from_millis(10))));
        assert!(pool.needs_check(&used(IDLE_CHECK + Duration::from_millis(10))));
        let before = used(Duration::from_millis(5));
        pool.connection_lost();
        let after = used(Duration::ZERO);
        assert!(pool.needs_check(&before), "used before the loss");
        assert!(!pool.needs_check(&after), "used after it");
    }
}
