//! The Redis pool and the readiness probe. Every operation runs through [`RedisPool::once`]
//! or [`RedisPool::idempotent`]:
//!
//! - one deadline, the store timeout `T` (`SCRM_STORE_TIMEOUT_MS`), covers all of it: waiting
//!   for a free connection, checking idle ones, opening one, the commands and a retry, so a
//!   down or hung server is `Unavailable` within `T` whatever the pool holds (each command
//!   also has a response timeout of `T`);
//! - a checkout checks a connection (`PING`) only when it sat unused for [`IDLE_CHECK`] or some
//!   connection lost the server since it was last used, so a busy pool costs no round trip
//!   per checkout (deadpool-redis's own manager sends `UNWATCH` + `PING` every time; scrm
//!   never uses `WATCH`);
//! - a connection that lost its server (a restart) is dropped and marks every connection used
//!   before for a check; an idempotent operation then runs once more on a checked one.
//!
//! A pool talks either to one server (`build_pool`, multiplexed connections) or to a Redis
//! Cluster (`build_cluster_pool`, `SCRM_REDIS_CLUSTER_NODES`): each pooled [`RedisConn`] is
//! then a cluster connection that routes every command by its key's slot and follows
//! failovers. Operations see the same [`RedisConn`] either way; a pipeline or transaction
//! whose keys span slots fails there with `CROSSSLOT`, so callers keep each one in one slot
//! and send commands on different slots as separate, concurrent requests.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use deadpool::managed::{self, Metrics, Object, RecycleResult};
use deadpool_redis::redis::aio::{ConnectionLike, MultiplexedConnection};
use deadpool_redis::redis::cluster::{ClusterClient, ClusterClientBuilder};
use deadpool_redis::redis::cluster_async::ClusterConnection;
use deadpool_redis::redis::cluster_routing::{
    MultipleNodeRoutingInfo, ResponsePolicy, Route, RoutingInfo, SingleNodeRoutingInfo, Slot,
    SlotAddr,
};
use deadpool_redis::redis::{
    AsyncConnectionConfig, Client, Cmd, ErrorKind, Pipeline, RedisError, RedisFuture, RedisResult,
    ServerErrorKind, Value,
};
use scrm_domain::StoreError;
use scrm_domain::health::HealthProbe;
use scrm_domain::per_thread::PerThread;

use crate::error::map_redis_error;

/// How long a connection may sit unused before a checkout checks it: two seconds (as the
/// MariaDB pool: busy connections never pay for a check; one left idle across a restart
/// usually does).
pub const IDLE_CHECK: Duration = Duration::from_secs(2);

/// Pool settings.
#[derive(Debug, Clone)]
pub struct RedisSettings {
    pub max_size: usize,
    /// The store timeout: the longest any operation may take.
    pub timeout: Duration,
}

impl Default for RedisSettings {
    fn default() -> Self {
        Self {
            max_size: 16,
            timeout: Duration::from_secs(2),
        }
    }
}

/// A connection of the pool: to one server, or to a Redis Cluster.
#[derive(Clone)]
pub enum RedisConn {
    Single(MultiplexedConnection),
    Cluster(ClusterConnection),
}

impl RedisConn {
    /// `PING` the server, or every master of the cluster.
    ///
    /// # Errors
    /// The command's error.
    pub async fn ping(&mut self) -> RedisResult<()> {
        let ping = deadpool_redis::redis::cmd("PING");
        match self {
            Self::Single(c) => ping.query_async::<()>(c).await,
            Self::Cluster(c) => {
                let routing = RoutingInfo::MultiNode((
                    MultipleNodeRoutingInfo::AllMasters,
                    Some(ResponsePolicy::AllSucceeded),
                ));
                c.route_command(ping, routing).await.map(drop)
            }
        }
    }
}

impl RedisConn {
    /// Whether the store can serve every key. One server: `PING`. A cluster: `CLUSTER INFO` of
    /// every master says `cluster_state:ok`. (A `PING` of every master answers while a master
    /// is dead: the client leaves out a master it has lost, and the masters left answer `PING`
    /// even once the cluster refuses every key with `CLUSTERDOWN`, until a replica takes the
    /// dead master's slots.)
    ///
    /// # Errors
    /// The command's error, or a `CLUSTERDOWN` error naming the node that is not ok.
    pub async fn ready(&mut self) -> RedisResult<()> {
        match self {
            Self::Single(_) => self.ping().await,
            Self::Cluster(c) => {
                let info = deadpool_redis::redis::cmd("CLUSTER").arg("INFO").to_owned();
                let routing = RoutingInfo::MultiNode((MultipleNodeRoutingInfo::AllMasters, None));
                cluster_ok(&c.route_command(info, routing).await?)
            }
        }
    }
}

impl RedisConn {
    /// `WAIT replicas timeout_ms` where the writes to `keys` went: on one server, that
    /// server; on a cluster, the master of each slot of `keys` (on the node connection that
    /// made the writes), the smallest count. A cluster's other masters are not asked: a shard
    /// without a replica for now (its master died, its replica took over) holds back only
    /// the writes to its own slots.
    ///
    /// # Errors
    /// The command's error (on a cluster, the first).
    pub async fn wait_replicas(
        &mut self,
        keys: &[&str],
        replicas: u32,
        timeout_ms: u64,
    ) -> RedisResult<u64> {
        let mut wait = deadpool_redis::redis::cmd("WAIT");
        wait.arg(replicas).arg(timeout_ms);
        match self {
            Self::Single(c) => wait.query_async(c).await,
            Self::Cluster(c) => {
                let mut slots: Vec<Slot> = Vec::with_capacity(keys.len());
                for slot in keys.iter().map(Slot::for_key) {
                    if !slots.contains(&slot) {
                        slots.push(slot);
                    }
                }
                let waits = slots.into_iter().map(|slot| {
                    let (mut c, wait) = (c.clone(), wait.clone());
                    let route = Route::with_slot(slot, SlotAddr::Master);
                    async move {
                        let routing =
                            RoutingInfo::SingleNode(SingleNodeRoutingInfo::SpecificNode(route));
                        let answer = c.route_command(wait, routing).await?;
                        deadpool_redis::redis::from_redis_value::<u64>(answer)
                            .map_err(RedisError::from)
                    }
                });
                let counts = futures_util::future::try_join_all(waits).await?;
                Ok(counts.into_iter().min().unwrap_or(u64::MAX))
            }
        }
    }
}

/// Whether every answer of a `CLUSTER INFO` sent to several nodes (a map of node address to
/// answer) says `cluster_state:ok`.
fn cluster_ok(answers: &Value) -> RedisResult<()> {
    let down = |detail: String| {
        RedisError::from((
            ErrorKind::Server(ServerErrorKind::ClusterDown),
            "cluster state",
            detail,
        ))
    };
    let Value::Map(answers) = answers else {
        return Err(down(format!("unexpected answer {answers:?}")));
    };
    if answers.is_empty() {
        return Err(down("no master answered".to_owned()));
    }
    for (node, answer) in answers {
        let text = match answer {
            Value::BulkString(bytes) => String::from_utf8_lossy(bytes).into_owned(),
            Value::VerbatimString { text, .. } => text.clone(),
            Value::ServerError(e) => return Err(e.clone().into()),
            other => format!("{other:?}"),
        };
        if !text.lines().any(|l| l.trim() == "cluster_state:ok") {
            let node = match node {
                Value::BulkString(b) => String::from_utf8_lossy(b).into_owned(),
                other => format!("{other:?}"),
            };
            return Err(down(format!("{node}: not cluster_state:ok")));
        }
    }
    Ok(())
}

impl ConnectionLike for RedisConn {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            Self::Single(c) => c.req_packed_command(cmd),
            Self::Cluster(c) => c.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Self::Single(c) => c.req_packed_commands(pipeline, offset, count),
            Self::Cluster(c) => c.req_packed_commands(pipeline, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Self::Single(c) => c.get_db(),
            Self::Cluster(c) => c.get_db(),
        }
    }
}

/// The connections to one Redis server or one Redis Cluster: one deadpool per thread that
/// uses it ([`PerThread`]: a multiplexed connection's reader is a task on the thread that
/// opened it, so each worker opens its own and a reply wakes only that worker), with the same
/// settings and one record of lost connections. `max_size` holds per thread.
#[derive(Clone)]
pub struct RedisPool {
    threads: Arc<PerThread<managed::Pool<Manager>>>,
    timeout: Duration,
}

impl std::fmt::Debug for RedisPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisPool")
            .field("status", &self.status())
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// A pooled connection.
pub type RedisConnection = Object<Manager>;

/// Builds a pool; opens no connection.
///
/// # Errors
/// `StoreError::Unexpected` for a malformed URL.
pub fn build_pool(url: &str, settings: &RedisSettings) -> Result<RedisPool, StoreError> {
    let client =
        Client::open(url).map_err(|e| StoreError::Unexpected(format!("redis url: {e}")))?;
    let config = AsyncConnectionConfig::new()
        .set_connection_timeout(Some(settings.timeout))
        .set_response_timeout(Some(settings.timeout));
    pool_of(Source::Single { client, config }, settings)
}

/// Builds a pool on a Redis Cluster from its seed nodes (`host:port`); opens no connection.
///
/// # Errors
/// `StoreError::Unexpected` for no node or a malformed one.
pub fn build_cluster_pool(
    nodes: &[String],
    settings: &RedisSettings,
) -> Result<RedisPool, StoreError> {
    if nodes.is_empty() {
        return Err(StoreError::Unexpected(
            "redis cluster: no seed node".to_owned(),
        ));
    }
    let urls = nodes.iter().map(|n| format!("redis://{n}"));
    let client = ClusterClientBuilder::new(urls)
        .connection_timeout(settings.timeout)
        .response_timeout(settings.timeout)
        .build()
        .map_err(|e| StoreError::Unexpected(format!("redis cluster nodes: {e}")))?;
    pool_of(Source::Cluster(client), settings)
}

fn pool_of(source: Source, settings: &RedisSettings) -> Result<RedisPool, StoreError> {
    let (base, lost_at) = (Instant::now(), Arc::new(AtomicU64::new(0)));
    let settings = settings.clone();
    let make = move || {
        let manager = Manager {
            source: source.clone(),
            base,
            lost_at: Arc::clone(&lost_at),
        };
        managed::Pool::builder(manager)
            .max_size(settings.max_size)
            .wait_timeout(Some(settings.timeout))
            .create_timeout(Some(settings.timeout))
            .recycle_timeout(Some(settings.timeout))
            .queue_mode(managed::QueueMode::Lifo)
            .runtime(deadpool::Runtime::Tokio1)
            .build()
            .map_err(|e| StoreError::Unexpected(format!("redis pool config: {e}")))
    };
    let timeout = settings.timeout;
    // Settings that build once build again: a later thread's pool cannot fail, and would
    // share this one if it did.
    let first = make()?;
    Ok(RedisPool {
        threads: Arc::new(PerThread::new(move || {
            make().unwrap_or_else(|_| first.clone())
        })),
        timeout,
    })
}

impl RedisPool {
    /// The store timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Open and idle connections, the totals over every thread's pool (deadpool's status).
    pub fn status(&self) -> deadpool::Status {
        let zero = deadpool::Status {
            max_size: 0,
            size: 0,
            available: 0,
            waiting: 0,
        };
        self.threads
            .all()
            .iter()
            .map(managed::Pool::status)
            .fold(zero, |sum, s| deadpool::Status {
                max_size: sum.max_size + s.max_size,
                size: sum.size + s.size,
                available: sum.available + s.available,
                waiting: sum.waiting + s.waiting,
            })
    }

    /// A working connection within the store timeout.
    ///
    /// # Errors
    /// `StoreError::Unavailable` when none is had in time.
    pub async fn get(&self) -> Result<RedisConnection, StoreError> {
        match tokio::time::timeout(self.timeout, self.threads.get().get()).await {
            Ok(got) => got.map_err(|e| StoreError::Unavailable(format!("redis pool: {e}"))),
            Err(_) => Err(self.no_answer()),
        }
    }

    fn no_answer(&self) -> StoreError {
        StoreError::Unavailable(format!("redis: no answer within {:?}", self.timeout))
    }

    /// Runs `op` once on a connection, all of it within the store timeout: for operations
    /// that must not run twice (a count, a queue entry).
    ///
    /// # Errors
    /// `Unavailable` when Redis cannot be reached or does not answer in time, `Unexpected`
    /// for other command errors.
    pub async fn once<T, F>(&self, op: impl FnMut(RedisConn) -> F) -> Result<T, StoreError>
    where
        F: Future<Output = RedisResult<T>> + Send,
    {
        self.run(false, op).await
    }

    /// Runs `op` on a connection and, when that connection turns out to have lost the server,
    /// once more on a checked one, all of it within the store timeout: for reads and for
    /// writes that may run twice (setting a key to a value).
    ///
    /// # Errors
    /// As [`RedisPool::once`].
    pub async fn idempotent<T, F>(&self, op: impl FnMut(RedisConn) -> F) -> Result<T, StoreError>
    where
        F: Future<Output = RedisResult<T>> + Send,
    {
        self.run(true, op).await
    }

    async fn run<T, F>(
        &self,
        retry: bool,
        mut op: impl FnMut(RedisConn) -> F,
    ) -> Result<T, StoreError>
    where
        F: Future<Output = RedisResult<T>> + Send,
    {
        let deadline = tokio::time::Instant::now() + self.timeout;
        let mut tries = if retry { 2 } else { 1 };
        let pool = self.threads.get();
        loop {
            tries -= 1;
            let got = tokio::time::timeout_at(deadline, pool.get()).await;
            let conn = match got {
                Ok(Ok(conn)) => conn,
                Ok(Err(e)) => return Err(StoreError::Unavailable(format!("redis pool: {e}"))),
                Err(_) => return Err(self.no_answer()),
            };
            match tokio::time::timeout_at(deadline, op((*conn).clone())).await {
                Ok(Ok(v)) => return Ok(v),
                Ok(Err(e)) if lost(&e) => {
                    pool.manager().connection_lost();
                    drop(Object::take(conn));
                    if tries == 0 {
                        return Err(map_redis_error(e));
                    }
                    tracing::info!(error = %e, "redis connection lost; once more on a checked one");
                }
                Ok(Err(e)) => return Err(map_redis_error(e)),
                Err(_) => {
                    // The server hung under it: never hand this connection out again.
                    drop(Object::take(conn));
                    return Err(self.no_answer());
                }
            }
        }
    }
}

/// Whether `e` says the connection lost its server (not merely a slow answer).
fn lost(e: &RedisError) -> bool {
    !e.is_timeout() && (e.is_connection_dropped() || e.is_unrecoverable_error())
}

/// Where connections go.
#[derive(Clone)]
enum Source {
    Single {
        client: Client,
        config: AsyncConnectionConfig,
    },
    Cluster(ClusterClient),
}

/// Opens connections and checks them only when in doubt.
pub struct Manager {
    source: Source,
    base: Instant,
    /// Nanoseconds after `base` plus one of the last lost connection; 0 for none.
    lost_at: Arc<AtomicU64>,
}

impl std::fmt::Debug for Manager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Manager").finish_non_exhaustive()
    }
}

impl Manager {
    fn connection_lost(&self) {
        let at = u64::try_from(self.base.elapsed().as_nanos()).unwrap_or(u64::MAX - 1);
        self.lost_at.fetch_max(at + 1, Ordering::Relaxed);
    }

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

impl managed::Manager for Manager {
    type Type = RedisConn;
    type Error = RedisError;

    async fn create(&self) -> Result<RedisConn, RedisError> {
        match &self.source {
            Source::Single { client, config } => client
                .get_multiplexed_async_connection_with_config(config)
                .await
                .map(RedisConn::Single),
            Source::Cluster(client) => client.get_async_connection().await.map(RedisConn::Cluster),
        }
    }

    async fn recycle(&self, conn: &mut RedisConn, metrics: &Metrics) -> RecycleResult<RedisError> {
        if !self.needs_check(metrics) {
            return Ok(());
        }
        conn.ping().await?;
        Ok(())
    }
}

/// The readiness probe of Redis (`RedisConn::ready`: `PING`, or the state of a cluster).
pub struct RedisHealth {
    pool: RedisPool,
}

impl RedisHealth {
    pub fn new(pool: RedisPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl HealthProbe for RedisHealth {
    fn name(&self) -> &'static str {
        "redis"
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.pool.idempotent(async |mut c| c.ready().await).await
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

    fn info(state: &str) -> Value {
        Value::BulkString(format!("cluster_enabled:1\r\ncluster_state:{state}\r\n").into_bytes())
    }

    fn node(port: u16) -> Value {
        Value::BulkString(format!("127.0.0.1:{port}").into_bytes())
    }

    #[test]
    fn a_cluster_is_ready_only_when_every_master_says_ok() {
        let all_ok = Value::Map(vec![(node(1), info("ok")), (node(2), info("ok"))]);
        assert!(cluster_ok(&all_ok).is_ok());
        let one_fails = Value::Map(vec![(node(1), info("ok")), (node(2), info("fail"))]);
        let e = cluster_ok(&one_fails).expect_err("a master says fail");
        assert!(e.to_string().contains("127.0.0.1:2"), "{e}");
        assert!(
            cluster_ok(&Value::Map(vec![])).is_err(),
            "no master answered"
        );
        assert!(cluster_ok(&info("ok")).is_err(), "not one answer per node");
    }

    #[test]
    fn only_idle_connections_and_those_used_before_a_loss_are_checked() {
        let manager = Manager {
            source: Source::Single {
                client: Client::open("redis://127.0.0.1:1").unwrap_or_else(|e| panic!("{e}")),
                config: AsyncConnectionConfig::new(),
            },
            base: Instant::now(),
            lost_at: Arc::new(AtomicU64::new(0)),
        };
        assert!(!manager.needs_check(&used(Duration::from_millis(10))));
        assert!(manager.needs_check(&used(IDLE_CHECK + Duration::from_millis(10))));
        let before = used(Duration::from_millis(5));
        manager.connection_lost();
        let after = used(Duration::ZERO);
        assert!(manager.needs_check(&before), "used before the loss");
        assert!(!manager.needs_check(&after), "used after it");
    }
}
