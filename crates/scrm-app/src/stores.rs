//! The one place that chooses adapters: `SCRM_STORE=mysql` (default: MariaDB + Redis) or
//! `memory` (everything in this process, for a frontend developer's laptop and demos). The
//! rest of the app only sees the domain's ports.

use std::sync::Arc;

use anyhow::Context;
use scrm_domain::account::AccountRepository;
use scrm_domain::call::{CallService, CallerLookup};
use scrm_domain::contact::{ContactIndex, ContactRepository, ContactService};
use scrm_domain::customer::{CustomerIndex, CustomerRepository, CustomerService, NoIndex};
use scrm_domain::directory::{DirectoryRepository, DirectoryService};
use scrm_domain::health::HealthProbe;
use scrm_domain::import::{ImportRepository, ImportService};
use scrm_domain::manual::{
    FriendRequestQueue, ManualEntryRepository, ManualEntryService, ManualIndex,
};
use scrm_domain::message::{ChatService, MessageStore};
use scrm_domain::session::{AuthService, SessionStore};
use scrm_domain::throttle::{LoginThrottle, ThrottleLimits};
use scrm_http::{AppState, Metrics, PoolConnections, PoolGauge};
use scrm_index::{IndexSettings, RoaringIndex};
use scrm_memory::{Memory, MemoryLoginThrottle, MemorySessions};
use scrm_mysql::{DbPool, MySql, PoolSettings};
use scrm_redis::{
    RedisFriendRequests, RedisHealth, RedisLoginThrottle, RedisMessages, RedisPool, RedisSessions,
    RedisSettings,
};

use crate::config::{Config, StoreKind};
use crate::hasher::Argon2Hasher;

/// The share of the customer index's budget (`SCRM_INDEX_MAX_MB`), in percent, that the
/// biggest tenants are loaded into at start; the rest is for the tenants loaded on first use.
pub const INDEX_WARM_SHARE: usize = 50;

/// The adapters behind every port, built once and shared by every worker.
#[derive(Clone)]
pub struct Stores {
    pub accounts: Arc<dyn AccountRepository>,
    pub customers: Arc<dyn CustomerRepository>,
    /// The customer index (`SCRM_INDEX`); `NoIndex` for `memory` or when off.
    pub index: Arc<dyn CustomerIndex>,
    /// The same index for the manual lists' totals and counts.
    pub manual_index: Arc<dyn ManualIndex>,
    /// The same index for findcontactbytagAll's selection.
    pub contact_index: Arc<dyn ContactIndex>,
    pub contacts: Arc<dyn ContactRepository>,
    pub manual: Arc<dyn ManualEntryRepository>,
    /// The call pop-up's lookups, in one go.
    pub callers: Arc<dyn CallerLookup>,
    pub import: Arc<dyn ImportRepository>,
    pub directory: Arc<dyn DirectoryRepository>,
    pub messages: Arc<dyn MessageStore>,
    pub friend_requests: Arc<dyn FriendRequestQueue>,
    pub sessions: Arc<dyn SessionStore>,
    /// The counts of failed logins, with the default limits (`ThrottleLimits::default()`).
    pub throttle: Arc<dyn LoginThrottle>,
    pub probes: Vec<Arc<dyn HealthProbe>>,
    /// The in-memory adapter when `memory` serves (to inspect it in demos and tests).
    pub memory: Option<Arc<Memory>>,
    /// The customer index when it is on, for `warm_index`.
    roaring: Option<Arc<RoaringIndex>>,
    /// The MariaDB and Redis pools (none for `memory`), for `warm_up` and `pools`.
    db_pool: Option<DbPool>,
    redis_pool: Option<RedisPool>,
}

impl Stores {
    /// The stores `config.store` names. Opens no connection (a server can start while a
    /// store is down).
    ///
    /// # Errors
    /// When a URL cannot be read.
    pub fn new(config: &Config) -> anyhow::Result<Self> {
        match config.store {
            StoreKind::MySql => Self::mysql_redis(config),
            StoreKind::Memory => Ok(Self::memory(config)),
        }
    }

    /// MariaDB for the relational ports, Redis for sessions, messages, the queue and the
    /// login throttle (so every instance shares the counts).
    ///
    /// # Errors
    /// When a URL cannot be read.
    pub fn mysql_redis(config: &Config) -> anyhow::Result<Self> {
        let settings = PoolSettings {
            wait_timeout: config.store_timeout,
            create_timeout: config.store_timeout,
            recycle_timeout: config.store_timeout,
            ..PoolSettings::default()
        };
        let pool =
            scrm_mysql::build_pool(&config.database_url, &settings).context("SCRM_DATABASE_URL")?;
        let redis_settings = RedisSettings {
            timeout: config.store_timeout,
            ..RedisSettings::default()
        };
        let redis = if config.redis_cluster_nodes.is_empty() {
            scrm_redis::build_pool(&config.redis_url, &redis_settings).context("SCRM_REDIS_URL")?
        } else {
            scrm_redis::build_cluster_pool(&config.redis_cluster_nodes, &redis_settings)
                .context("SCRM_REDIS_CLUSTER_NODES")?
        };
        let mysql = Arc::new(MySql::new(pool.clone()));
        let prefix = &config.redis_prefix;
        let roaring = config.index.then(|| {
            Arc::new(RoaringIndex::new(
                mysql.clone(),
                IndexSettings {
                    max_bytes: config.index_max_mb.saturating_mul(1 << 20),
                    ..IndexSettings::default()
                },
            ))
        });
        let (index, manual_index, contact_index): (
            Arc<dyn CustomerIndex>,
            Arc<dyn ManualIndex>,
            Arc<dyn ContactIndex>,
        ) = match &roaring {
            Some(r) => (r.clone(), r.clone(), r.clone()),
            None => (Arc::new(NoIndex), Arc::new(NoIndex), Arc::new(NoIndex)),
        };
        Ok(Self {
            accounts: mysql.clone(),
            customers: mysql.clone(),
            index,
            manual_index,
            contact_index,
            contacts: mysql.clone(),
            manual: mysql.clone(),
            callers: mysql.clone(),
            import: mysql.clone(),
            directory: mysql.clone(),
            messages: Arc::new(
                RedisMessages::with_cap(redis.clone(), prefix, config.chat_max_per_conversation)
                    .with_wait_replicas(config.redis_wait_replicas),
            ),
            friend_requests: Arc::new(RedisFriendRequests::new(redis.clone(), prefix)),
            sessions: Arc::new(RedisSessions::new(
                redis.clone(),
                prefix,
                config.session_ttl.as_secs(),
            )),
            throttle: Arc::new(RedisLoginThrottle::new(
                redis.clone(),
                prefix,
                ThrottleLimits::default(),
            )),
            probes: vec![mysql, Arc::new(RedisHealth::new(redis.clone()))],
            memory: None,
            roaring,
            db_pool: Some(pool),
            redis_pool: Some(redis),
        })
    }

    /// Everything in this process; empty until something is imported.
    pub fn memory(config: &Config) -> Self {
        let memory = Arc::new(Memory::with_message_cap(config.chat_max_per_conversation));
        Self {
            accounts: memory.clone(),
            customers: memory.clone(),
            index: Arc::new(NoIndex),
            manual_index: Arc::new(NoIndex),
            contact_index: Arc::new(NoIndex),
            contacts: memory.clone(),
            manual: memory.clone(),
            callers: memory.clone(),
            import: memory.clone(),
            directory: memory.clone(),
            messages: memory.clone(),
            friend_requests: memory.clone(),
            sessions: Arc::new(MemorySessions::new(config.session_ttl.as_secs())),
            throttle: Arc::new(MemoryLoginThrottle::new(ThrottleLimits::default())),
            probes: vec![memory.clone()],
            memory: Some(memory),
            roaring: None,
            db_pool: None,
            redis_pool: None,
        }
    }

    /// The import use case over these stores.
    pub fn import_service(&self, config: &Config) -> ImportService {
        ImportService::new(
            self.import.clone(),
            self.messages.clone(),
            Arc::new(Argon2Hasher),
            self.sessions.clone(),
            config.zone,
        )
    }

    /// The connection pools `/metrics` reports (none for `memory`).
    pub fn pools(&self) -> Vec<Arc<dyn PoolGauge>> {
        let db = self.db_pool.clone().map(|p| {
            gauge("mysql", move || {
                let s = p.status();
                (s.size, s.available)
            })
        });
        let redis = self.redis_pool.clone().map(|p| {
            gauge("redis", move || {
                let s = p.status();
                (s.size, s.available)
            })
        });
        db.into_iter().chain(redis).collect()
    }

    /// Opens up to `connections` connections of each pool at once, so that the first burst of
    /// requests after a start finds them made instead of every request waiting for its own
    /// (under load, those waits ran past the pool timeout: 503s in the first second of
    /// `make load`). Best effort: a store that is down is simply not warmed. Returns how many
    /// connections each pool holds afterwards (MariaDB, Redis).
    pub async fn warm_up(&self, connections: usize) -> (usize, usize) {
        async fn hold<T, E>(
            gets: impl Iterator<Item = impl Future<Output = Result<T, E>>>,
        ) -> usize {
            let held: Vec<Result<T, E>> = futures_util::future::join_all(gets).await;
            held.iter().filter(|c| c.is_ok()).count()
        }
        let db = match &self.db_pool {
            Some(pool) => hold((0..connections).map(|_| pool.get())).await,
            None => 0,
        };
        let redis = match &self.redis_pool {
            Some(pool) => hold((0..connections).map(|_| pool.get())).await,
            None => 0,
        };
        (db, redis)
    }

    /// What the customer index holds and how often it answered and declined (`None` when it
    /// is off).
    pub fn index_stats(&self) -> Option<scrm_index::IndexStats> {
        self.roaring.as_ref().map(|r| r.stats())
    }

    /// Loads the biggest tenants into the customer index (when it is on) until they take
    /// [`INDEX_WARM_SHARE`] of its budget (`RoaringIndex::warm_up`), so that their first
    /// requests after a start are the index's. Best effort: a failure is logged, and the
    /// tenants load on first use as always. Returns the tenants loaded.
    pub async fn warm_index(&self, config: &Config) -> Vec<scrm_domain::AdminUserId> {
        let Some(index) = &self.roaring else {
            return Vec::new();
        };
        let target = config.index_max_mb.saturating_mul(1 << 20) / 100 * INDEX_WARM_SHARE;
        match index.warm_up(target).await {
            Ok(loaded) => {
                let stats = index.stats();
                tracing::info!(
                    tenants = loaded.len(),
                    customers = stats.customers,
                    bytes = stats.bytes,
                    "customer index: the biggest tenants loaded"
                );
                loaded
            }
            Err(e) => {
                tracing::warn!(error = %e, "customer index: loading the biggest tenants failed");
                Vec::new()
            }
        }
    }

    /// Login, logout, authentication and password changes over these stores.
    pub fn auth_service(&self) -> AuthService {
        AuthService::new(
            self.accounts.clone(),
            self.sessions.clone(),
            Arc::new(Argon2Hasher),
            self.throttle.clone(),
        )
    }

    /// The state the HTTP adapter serves.
    pub fn app_state(&self, config: &Config) -> AppState {
        AppState {
            auth: Arc::new(self.auth_service()),
            customers: Arc::new(CustomerService::with_index(
                self.customers.clone(),
                self.index.clone(),
            )),
            contacts: Arc::new(ContactService::with_index(
                self.contacts.clone(),
                self.contact_index.clone(),
            )),
            calls: Arc::new(CallService::new(
                self.accounts.clone(),
                self.callers.clone(),
            )),
            manual: Arc::new(ManualEntryService::with_index(
                self.manual.clone(),
                self.friend_requests.clone(),
                self.manual_index.clone(),
            )),
            chat: Arc::new(ChatService::new(
                self.accounts.clone(),
                self.contacts.clone(),
                self.messages.clone(),
            )),
            directory: Arc::new(DirectoryService::new(self.directory.clone())),
            probes: self.probes.clone(),
            metrics: Metrics::new(),
            pools: self.pools(),
            trusted_proxies: config.trusted_proxies.clone(),
            zone: config.zone,
        }
    }
}

/// A pool as `/metrics` reports it: its `store` label and a reading of deadpool's
/// `status` as (open, available).
struct Gauge<F> {
    store: &'static str,
    status: F,
}

fn gauge(
    store: &'static str,
    status: impl Fn() -> (usize, usize) + Send + Sync + 'static,
) -> Arc<dyn PoolGauge> {
    Arc::new(Gauge { store, status })
}

impl<F: Fn() -> (usize, usize) + Send + Sync> PoolGauge for Gauge<F> {
    fn store(&self) -> &str {
        self.store
    }

    /// In use = open minus available.
    fn connections(&self) -> PoolConnections {
        let (size, available) = (self.status)();
        let as_u64 = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
        PoolConnections {
            in_use: as_u64(size.saturating_sub(available)),
            idle: as_u64(available),
        }
    }
}
