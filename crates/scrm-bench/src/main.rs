//! `scrm-floor`, the measuring half of `make bench` (scripts/bench.sh brings up the data and
//! the servers): `index-load` times the index's load of the big tenant right after the
//! server starts, `params` reads the cases' parameters from the bench data, `chat` makes sure
//! the big tenant has a conversation of 100,000 messages and nine more, `run` loads scrm with
//! wrk (the customer lists also against a second server with `SCRM_INDEX=off`) and each
//! case's floor with native clients, then writes the results and the report.
//!
//! `cases` lists the cases and `targets` judges them, `floors` their native operations
//! (`native` runs them under load, `load` runs wrk and the downloads), `index_load` times the
//! index's load of the big tenant, `stats` and `report` sum up, `machine` says what the run
//! ran on, `curl` sends single requests to scrm.

mod bare;
mod cases;
mod chat;
mod curl;
mod floors;
mod index_load;
mod load;
mod machine;
mod native;
mod params;
mod report;
mod run;
mod stats;
mod targets;

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::native::Servers;
use crate::params::Params;
use crate::run::{RunArgs, Server};

#[derive(Parser)]
#[command(
    name = "scrm-floor",
    about = "Benchmark cases of scrm against their native floors"
)]
struct Cli {
    /// The bench database (the server's SCRM_DATABASE_URL).
    #[arg(long, env = "SCRM_DATABASE_URL")]
    mysql_url: String,
    /// The server's SCRM_REDIS_URL.
    #[arg(long, env = "SCRM_REDIS_URL", default_value = "redis://127.0.0.1:6379")]
    redis_url: String,
    /// The server's SCRM_REDIS_PREFIX.
    #[arg(long, env = "SCRM_REDIS_PREFIX")]
    redis_prefix: String,
    /// The server's SCRM_SESSION_TTL_SECS (the bare service renews sessions with it).
    #[arg(long, env = "SCRM_SESSION_TTL_SECS", default_value_t = 28_800)]
    session_ttl_secs: u64,
    /// Where params.json, results.json and the wrk script go.
    #[arg(long, default_value = "target/bench")]
    out: PathBuf,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Read the parameters from the data; print the logins as shell assignments.
    Params,
    /// Ingest synthetic chat messages through scrm when the big tenant lacks them.
    Chat {
        #[arg(long)]
        base_url: String,
        /// A token of the big tenant's main account.
        #[arg(long)]
        token: String,
        /// Messages wanted in the biggest conversation.
        #[arg(long, default_value_t = 100_000)]
        messages: usize,
    },
    /// Time the index's load of the big tenant (right after the server started); writes
    /// index-load.json.
    IndexLoad {
        #[arg(long)]
        base_url: String,
        #[arg(long)]
        server_pid: u32,
        /// The password of the big tenant's main account.
        #[arg(long, env = "BENCH_PASSWORD", default_value = "demo-pass-123")]
        password: String,
        /// Longest wait (seconds).
        #[arg(long, default_value_t = 900)]
        wait_seconds: u64,
    },
    /// Serve the bare HTTP service of the call pop-up (`bare.rs`) until interrupted, to
    /// profile it beside scrm; prints its base URL.
    Bare,
    /// Load every case at each connection count, write results.json and the docs.
    Run {
        #[arg(long)]
        base_url: String,
        #[arg(long)]
        main_token: String,
        #[arg(long)]
        sub_token: String,
        /// The server's pid (its RSS is sampled during the export).
        #[arg(long)]
        server_pid: u32,
        /// The same data served with `SCRM_INDEX=off`: the customer lists are also sent there.
        #[arg(long, requires = "sql_server_pid")]
        sql_base_url: Option<String>,
        /// That server's pid (its peak RSS is reported).
        #[arg(long, requires = "sql_base_url")]
        sql_server_pid: Option<u32>,
        /// Longest wait for the index to load the big tenant (seconds).
        #[arg(long, default_value_t = 900)]
        index_wait_seconds: u64,
        /// The index-load.json of `scrm-floor index-load` (else the load is reported as seen).
        #[arg(long)]
        index_load: Option<PathBuf>,
        /// Comma-separated connection counts.
        #[arg(long, default_value = "1,16", value_delimiter = ',')]
        conns: Vec<usize>,
        /// Seconds per case and connection count.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Longest an export run may take (seconds); it is cut there.
        #[arg(long, default_value_t = 120)]
        export_seconds: u64,
        /// Only the cases whose name contains this (or one of these, comma-separated).
        #[arg(long)]
        only: Option<String>,
        /// The doc whose generated section is replaced (none: only `<out>/results.md`).
        #[arg(long)]
        docs: Option<PathBuf>,
    },
}

fn servers(cli: &Cli) -> Servers {
    Servers {
        mysql_url: cli.mysql_url.clone(),
        redis_url: cli.redis_url.clone(),
    }
}

async fn resolve(cli: &Cli) -> anyhow::Result<Params> {
    let s = servers(cli);
    let mut conn = s.mysql().await?;
    let mut redis = s.redis().await?;
    let p = params::resolve(&mut conn, &mut redis, &cli.redis_prefix).await?;
    std::fs::create_dir_all(&cli.out)?;
    std::fs::write(
        cli.out.join("params.json"),
        serde_json::to_string_pretty(&p)?,
    )?;
    Ok(p)
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match &cli.command {
        Cmd::Params => {
            let p = resolve(&cli).await?;
            println!("BENCH_TENANT={}", p.tenant);
            println!("BENCH_MAIN_LOGIN={}", shell_quote(&p.main_login));
            println!("BENCH_SUB_LOGIN={}", shell_quote(&p.sub_login));
        }
        Cmd::Bare => {
            let p = resolve(&cli).await?;
            let url =
                bare::start(servers(&cli), &cli.redis_prefix, cli.session_ttl_secs, &p).await?;
            println!("{url}");
            tokio::signal::ctrl_c().await?;
        }
        Cmd::Chat {
            base_url,
            token,
            messages,
        } => chat::chat(&cli, base_url, token, *messages).await?,
        Cmd::IndexLoad {
            base_url,
            server_pid,
            password,
            wait_seconds,
        } => {
            let wait = Duration::from_secs(*wait_seconds);
            index_load::time_load(&cli, base_url, *server_pid, password, wait).await?;
        }
        Cmd::Run {
            base_url,
            main_token,
            sub_token,
            server_pid,
            sql_base_url,
            sql_server_pid,
            index_wait_seconds,
            index_load,
            conns,
            seconds,
            export_seconds,
            only,
            docs,
        } => {
            let args = RunArgs {
                scrm: Server {
                    base_url: base_url.clone(),
                    pid: *server_pid,
                },
                sql: sql_base_url
                    .clone()
                    .zip(*sql_server_pid)
                    .map(|(base_url, pid)| Server { base_url, pid }),
                main_token: main_token.clone(),
                sub_token: sub_token.clone(),
                conns: conns.clone(),
                duration: Duration::from_secs(*seconds),
                export_limit: Duration::from_secs(*export_seconds),
                index_wait: Duration::from_secs(*index_wait_seconds),
                index_load: index_load.clone(),
                load_start: machine::load_average(),
            };
            run::run(&cli, args, only.as_deref(), docs.as_deref()).await?;
        }
    }
    Ok(())
}
