//! Prometheus metrics of one app: the requests by route, method and status, their latency,
//! the connections of each store's pool and the customer index's state (both read when
//! `/metrics` is scraped; the index's only when there is one). Every app owns
//! its registry (never the process-global one), so parallel tests count apart.

use std::sync::Arc;
use std::time::Duration;

use prometheus::{
    CounterVec, Encoder, Gauge, GaugeVec, HistogramOpts, HistogramVec, Opts, Registry, TextEncoder,
};
use scrm_domain::customer::IndexStatus;

/// The `route` label of a request that matched no route (so that a scanner cannot grow the
/// label set).
pub const UNMATCHED: &str = "unmatched";

/// The connections of one pool at the moment of a scrape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PoolConnections {
    /// Checked out by a request.
    pub in_use: u64,
    /// Open and waiting in the pool.
    pub idle: u64,
}

/// A connection pool `/metrics` reports as `scrm_pool_connections{store, state}`; the app
/// crate implements it over its adapters' pools.
pub trait PoolGauge: Send + Sync {
    /// The `store` label (`mysql`, `redis`).
    fn store(&self) -> &str;
    /// The pool's connections now.
    fn connections(&self) -> PoolConnections;
}

/// The registry of one app and the metrics registered in it.
#[derive(Debug, Clone)]
pub struct Metrics {
    registry: Registry,
    requests: CounterVec,
    durations: HistogramVec,
    pools: GaugeVec,
    index: IndexGauges,
}

/// The customer index's gauges, in a registry of their own that is rendered only when the
/// app has an index.
#[derive(Debug, Clone)]
struct IndexGauges {
    registry: Registry,
    tenants: Gauge,
    customers: Gauge,
    contacts: Gauge,
    bytes: Gauge,
    catch_up_age: Gauge,
    behind: Gauge,
}

impl IndexGauges {
    #[expect(
        clippy::expect_used,
        reason = "the names are constants, valid and distinct"
    )]
    fn new() -> Self {
        let registry = Registry::new();
        let gauge = |name: &str, help: &str| {
            let g = Gauge::new(name, help).expect("valid gauge");
            registry
                .register(Box::new(g.clone()))
                .expect("registered once");
            g
        };
        Self {
            tenants: gauge(
                "scrm_index_tenants",
                "Tenants loaded in the customer index.",
            ),
            customers: gauge(
                "scrm_index_customers",
                "Customers (live and binned) of the loaded tenants.",
            ),
            contacts: gauge(
                "scrm_index_contacts",
                "Contacts (with a customer or not) of the loaded tenants.",
            ),
            bytes: gauge(
                "scrm_index_bytes",
                "Approximate memory of the loaded tenants, in bytes.",
            ),
            catch_up_age: gauge(
                "scrm_index_catch_up_age_seconds",
                "Seconds since the last finished catch-up with the change log (NaN before the first).",
            ),
            behind: gauge(
                "scrm_index_log_behind",
                "Change-log sequence numbers between the log's head and what is applied (NaN when unknown).",
            ),
            registry,
        }
    }

    #[expect(
        clippy::cast_precision_loss,
        reason = "counts, sizes and sequence gaps far below 2^52"
    )]
    fn set(&self, s: &IndexStatus) {
        self.tenants.set(s.tenants as f64);
        self.customers.set(s.customers as f64);
        self.contacts.set(s.contacts as f64);
        self.bytes.set(s.bytes as f64);
        self.catch_up_age.set(s.since_catch_up.unwrap_or(f64::NAN));
        self.behind.set(behind(s).map_or(f64::NAN, |b| b as f64));
    }
}

/// How many sequence numbers the index is behind the log's head, when both are known.
pub fn behind(s: &IndexStatus) -> Option<i64> {
    Some(s.head_seq?.saturating_sub(s.applied_seq?).max(0))
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A fresh registry holding the request counter, the latency histogram and the pool
    /// gauges.
    #[expect(
        clippy::expect_used,
        reason = "the names and labels are constants, valid and distinct"
    )]
    pub fn new() -> Self {
        let registry = Registry::new();
        let requests = CounterVec::new(
            Opts::new("scrm_http_requests_total", "HTTP requests answered."),
            &["route", "method", "status"],
        )
        .expect("valid counter");
        let durations = HistogramVec::new(
            HistogramOpts::new(
                "scrm_http_request_duration_seconds",
                "Time to answer an HTTP request (to its headers), in seconds.",
            ),
            &["route", "method"],
        )
        .expect("valid histogram");
        let pools = GaugeVec::new(
            Opts::new(
                "scrm_pool_connections",
                "Connections of a store's pool, by state.",
            ),
            &["store", "state"],
        )
        .expect("valid gauge");
        for collector in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(durations.clone()),
            Box::new(pools.clone()),
        ] {
            registry.register(collector).expect("registered once");
        }
        Self {
            registry,
            requests,
            durations,
            pools,
            index: IndexGauges::new(),
        }
    }

    /// Counts one answered request and its latency.
    pub fn observe(&self, route: &str, method: &str, status: u16, elapsed: Duration) {
        self.requests
            .with_label_values(&[route, method, &status.to_string()])
            .inc();
        self.durations
            .with_label_values(&[route, method])
            .observe(elapsed.as_secs_f64());
    }

    /// Reads the pools (and takes the index's status, when there is an index), then renders
    /// every metric in the Prometheus text format.
    ///
    /// # Errors
    /// When the encoder fails.
    pub fn render(
        &self,
        pools: &[Arc<dyn PoolGauge>],
        index: Option<&IndexStatus>,
    ) -> prometheus::Result<String> {
        for pool in pools {
            let now = pool.connections();
            let store = pool.store();
            #[expect(clippy::cast_precision_loss, reason = "pool sizes are far below 2^52")]
            for (state, value) in [("in_use", now.in_use as f64), ("idle", now.idle as f64)] {
                self.pools.with_label_values(&[store, state]).set(value);
            }
        }
        let mut families = self.registry.gather();
        if let Some(status) = index {
            self.index.set(status);
            families.extend(self.index.registry.gather());
        }
        let mut buf = Vec::new();
        TextEncoder::new().encode(&families, &mut buf)?;
        String::from_utf8(buf).map_err(|e| prometheus::Error::Msg(e.to_string()))
    }
}
