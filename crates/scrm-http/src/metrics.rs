//! Prometheus metrics of one app: the requests by route, method and status, their latency,
//! and the connections of each store's pool (read when `/metrics` is scraped). Every app owns
//! its registry (never the process-global one), so parallel tests count apart.

use std::sync::Arc;
use std::time::Duration;

use prometheus::{
    CounterVec, Encoder, GaugeVec, HistogramOpts, HistogramVec, Opts, Registry, TextEncoder,
};

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

    /// Reads the pools, then renders every metric in the Prometheus text format.
    ///
    /// # Errors
    /// When the encoder fails.
    pub fn render(&self, pools: &[Arc<dyn PoolGauge>]) -> prometheus::Result<String> {
        for pool in pools {
            let now = pool.connections();
            let store = pool.store();
            #[expect(clippy::cast_precision_loss, reason = "pool sizes are far below 2^52")]
            for (state, value) in [("in_use", now.in_use as f64), ("idle", now.idle as f64)] {
                self.pools.with_label_values(&[store, state]).set(value);
            }
        }
        let mut buf = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut buf)?;
        String::from_utf8(buf).map_err(|e| prometheus::Error::Msg(e.to_string()))
    }
}
