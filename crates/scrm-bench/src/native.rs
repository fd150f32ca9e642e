//! The floor runner: `conns` workers, each with its own MariaDB connection (mysql_async) and
//! Redis connection, run a case's floor back to back for a fixed time.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use deadpool_redis::redis;
use mysql_async::{Conn, Opts};

use crate::cases::Case;
use crate::floors::run_once;
use crate::params::Params;
use crate::stats::{Summary, summarize};

/// Where the floor connects.
#[derive(Debug, Clone)]
pub struct Servers {
    /// `mysql://root@127.0.0.1:3306/scrm_bench`
    pub mysql_url: String,
    /// `redis://127.0.0.1:6379`
    pub redis_url: String,
}

impl Servers {
    /// A MariaDB connection made as scrm's pool makes them: from the same URL, so with
    /// mysql_async's `prefer_socket` a TCP URL on this machine moves onto the Unix socket.
    ///
    /// # Errors
    /// When the URL is wrong or the server does not answer.
    pub async fn mysql(&self) -> anyhow::Result<Conn> {
        let opts = Opts::from_url(&self.mysql_url).context("SCRM_DATABASE_URL")?;
        Conn::new(opts).await.context("connecting to MariaDB")
    }

    /// A Redis connection of its own.
    ///
    /// # Errors
    /// When the URL is wrong or the server does not answer.
    pub async fn redis(&self) -> anyhow::Result<redis::aio::MultiplexedConnection> {
        redis::Client::open(self.redis_url.as_str())?
            .get_multiplexed_async_connection()
            .await
            .context("connecting to Redis")
    }
}

/// Runs the floor of `case` on `conns` connections for `duration`.
///
/// # Errors
/// When the case has no floor, a connection cannot be opened or the first operation fails
/// (a wrong statement).
pub async fn run(
    servers: &Servers,
    case: &Case,
    params: &Params,
    conns: usize,
    duration: Duration,
) -> anyhow::Result<Summary> {
    let floor = case
        .floor
        .clone()
        .with_context(|| format!("{:?} has no floor", case.name))?;
    let mut workers = Vec::with_capacity(conns);
    for _ in 0..conns {
        let mut mysql = servers.mysql().await?;
        let mut redis = servers.redis().await?;
        // A warm-up operation per connection: statements prepared, and a wrong one fails here.
        run_once(&floor, case.login, params, &mut mysql, &mut redis)
            .await
            .with_context(|| format!("floor of {:?}", case.name))?;
        workers.push((mysql, redis));
    }
    let floor = Arc::new(floor);
    let login = case.login;
    let params = Arc::new(params.clone());
    let start = Instant::now();
    let deadline = start + duration;
    let mut tasks = Vec::with_capacity(conns);
    for (mut mysql, mut redis) in workers {
        let floor = Arc::clone(&floor);
        let params = Arc::clone(&params);
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            while Instant::now() < deadline {
                let t = Instant::now();
                match run_once(&floor, login, &params, &mut mysql, &mut redis).await {
                    Ok(_) => latencies.push(t.elapsed()),
                    Err(_) => errors += 1,
                }
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let (l, e) = task.await.context("a floor worker panicked")?;
        latencies.extend(l);
        errors += e;
    }
    Ok(summarize(latencies, errors, start.elapsed()))
}
