//! `scrm-floor`, the measuring half of `make bench` (scripts/bench.sh brings up the data and
//! the server): `params` reads the cases' parameters from the bench data, `chat` makes sure
//! the big tenant has a conversation of 100,000 messages and nine more, `run` loads scrm with
//! wrk and each case's floor with native clients, then writes the results and the report.

mod floors;
mod load;
mod native;
mod params;
mod report;
mod stats;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

use crate::floors::{Case, Floor, Login};
use crate::native::Servers;
use crate::params::Params;
use crate::report::{Measured, ResultRow};

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
        /// The doc whose generated section is replaced.
        #[arg(long, default_value = "docs/benchmarks.md")]
        docs: PathBuf,
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

/// `curl` of a request to scrm: the HTTP status and the body.
fn curl(url: &str, token: &str, body: Option<&str>) -> anyhow::Result<(u16, String)> {
    let mut c = Command::new("curl");
    c.args(["-sS", "-w", "\n%{http_code}", "-H"])
        .arg(format!("Authorization: Bearer {token}"));
    if body.is_some() {
        c.args([
            "-H",
            "Content-Type: application/json",
            "--data-binary",
            "@-",
        ]);
    }
    let mut child = c
        .arg(url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .context("running curl")?;
    if let (Some(b), Some(mut stdin)) = (body, child.stdin.take()) {
        stdin.write_all(b.as_bytes()).context("writing to curl")?;
    }
    let out = child.wait_with_output().context("running curl")?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (body, status) = text.rsplit_once('\n').unwrap_or(("", &text));
    Ok((status.trim().parse().unwrap_or(0), body.to_owned()))
}

async fn chat(cli: &Cli, base_url: &str, token: &str, wanted: usize) -> anyhow::Result<()> {
    let s = servers(cli);
    let mut conn = s.mysql().await?;
    let mut redis = s.redis().await?;
    let p = params::resolve(&mut conn, &mut redis, &cli.redis_prefix).await?;
    let have = chat_sizes(&mut redis, &cli.redis_prefix, &p).await?;
    let targets = chat_targets(&mut conn, p.tenant).await?;
    let mut plan = Vec::new();
    if have.first().copied().unwrap_or(0) < wanted as u64 {
        plan.push((
            targets
                .first()
                .copied()
                .context("the tenant has no contacts")?,
            wanted,
        ));
    }
    if p.conversations.len() + plan.len() < 10 {
        plan.extend(targets.iter().skip(1).take(9).map(|c| (*c, 200)));
    }
    for (conv, n) in plan {
        eprintln!(
            "chat: ingesting {n} messages into {}:{}",
            conv.wechat_user_id, conv.wechat_contact_id
        );
        for start in (0..n).step_by(1000) {
            let batch: Vec<serde_json::Value> = (start..n.min(start + 1000))
                .map(|i| {
                    serde_json::json!({
                        "msgId": format!("bench-{}-{i}", conv.wechat_contact_id),
                        "wechatUserId": conv.wechat_user_id,
                        "wechatContactId": conv.wechat_contact_id,
                        "isSend": i % 2,
                        "msgType": 1,
                        "content": format!("第{i}條消息:您好,請問報價單什麼時候發過來?"),
                        "createTime": 1_735_689_600_000i64 + i as i64 * 1000,
                    })
                })
                .collect();
            let body = serde_json::to_string(&batch)?;
            let (status, text) = curl(
                &format!("{base_url}/wechat_api/message/record"),
                token,
                Some(&body),
            )?;
            if status != 200 {
                bail!("ingest answered {status}: {text}");
            }
        }
    }
    Ok(())
}

async fn chat_sizes(
    redis: &mut deadpool_redis::redis::aio::MultiplexedConnection,
    prefix: &str,
    p: &Params,
) -> anyhow::Result<Vec<u64>> {
    let mut out = Vec::new();
    for c in &p.conversations {
        let n: u64 = deadpool_redis::redis::cmd("ZCARD")
            .arg(format!(
                "{prefix}:chat:{{{}:{}}}:idx",
                c.wechat_user_id, c.wechat_contact_id
            ))
            .query_async(redis)
            .await?;
        out.push(n);
    }
    Ok(out)
}

async fn chat_targets(
    conn: &mut mysql_async::Conn,
    tenant: i64,
) -> anyhow::Result<Vec<params::Conversation>> {
    use mysql_async::prelude::Queryable;
    let rows: Vec<(i64, i64)> = conn
        .query(format!(
            "SELECT wechat_user_id, id FROM wechat_contact WHERE tenant_id = {tenant} \
             ORDER BY id LIMIT 10"
        ))
        .await?;
    Ok(rows
        .into_iter()
        .map(|(u, c)| params::Conversation {
            wechat_user_id: u,
            wechat_contact_id: c,
        })
        .collect())
}

/// Checks once that scrm answers the case with 200 (and code 200 in the envelope).
fn check(case: &Case, url: &str, token: &str) -> anyhow::Result<String> {
    if case.floor == Floor::Export {
        return Ok(String::new());
    }
    let (status, body) = curl(url, token, None)?;
    let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    if status != 200 || v["code"] != 200 {
        bail!("{} answered {status}: {body}", case.name);
    }
    // The legacy shapes: `{data: [..], count}`, `{data: {data: [..], count}}` (call lists),
    // `{data: {source, customerList}}` (the call pop-up).
    let count = v["count"]
        .as_u64()
        .or_else(|| v["data"]["count"].as_u64())
        .map(|c| format!("count {c}, "))
        .unwrap_or_default();
    let items = [&v["data"], &v["data"]["data"], &v["data"]["customerList"]]
        .into_iter()
        .find_map(serde_json::Value::as_array)
        .map_or(0, Vec::len);
    let source = v["data"]["source"]
        .as_i64()
        .map(|s| format!(", source {s}"))
        .unwrap_or_default();
    Ok(format!("{count}{items} items{source}"))
}

struct RunArgs {
    base_url: String,
    main_token: String,
    sub_token: String,
    server_pid: u32,
    conns: Vec<usize>,
    duration: Duration,
    export_limit: Duration,
    /// The load average when the run began (other work on the machine skews the results).
    load_start: String,
}

fn mariadb_command(mysql_url: &str, sql: &str) -> anyhow::Result<Command> {
    let opts = mysql_async::Opts::from_url(mysql_url).context("SCRM_DATABASE_URL")?;
    let mut c = Command::new("mariadb");
    let host = opts.ip_or_hostname();
    if matches!(host, "127.0.0.1" | "localhost" | "::1") {
        // scrm's connections (mysql_async, `prefer_socket`) move onto the local socket too.
        c.arg("--protocol=SOCKET");
    } else {
        c.arg(format!("-h{host}"))
            .arg(format!("-P{}", opts.tcp_port()));
    }
    c.arg(format!("-u{}", opts.user().unwrap_or("root"))).args([
        "--batch",
        "--quick",
        "--skip-column-names",
        "-e",
        sql,
    ]);
    if let Some(pass) = opts.pass() {
        c.arg(format!("-p{pass}"));
    }
    c.arg(opts.db_name().unwrap_or("scrm_bench"));
    Ok(c)
}

async fn measure(
    cli: &Cli,
    a: &RunArgs,
    p: &Params,
    case: &Case,
    conns: usize,
    script: &std::path::Path,
) -> anyhow::Result<Measured> {
    let token = match case.login {
        Login::Main => &a.main_token,
        Login::Sub => &a.sub_token,
    };
    let url = format!("{}{}", a.base_url, case.path);
    let (scrm, floor, rss) = if case.floor == Floor::Export {
        let curl_cmd = || {
            let mut c = Command::new("curl");
            c.args(["-fsS", "-N", "-H"])
                .arg(format!("Authorization: Bearer {token}"))
                .arg(&url);
            c
        };
        let scrm = load::downloads(conns, curl_cmd, 1, a.export_limit, Some(a.server_pid))?;
        let sql = floors::export_sql(p);
        let mariadb = || mariadb_command(&cli.mysql_url, &sql);
        mariadb()?;
        let floor = load::downloads(
            conns,
            || mariadb().unwrap_or_else(|_| Command::new("false")),
            0,
            a.export_limit,
            None,
        )?;
        (scrm.summary, floor.summary, scrm.peak_rss_kib)
    } else {
        let scrm = load::wrk(&url, token, conns, a.duration, script)?;
        let floor = native::run(&servers(cli), case, p, conns, a.duration).await?;
        (scrm, floor, None)
    };
    if scrm.errors > 0 || floor.errors > 0 {
        eprintln!(
            "  warning: {} failed requests to scrm, {} failed floor operations",
            scrm.errors, floor.errors
        );
    }
    Ok(Measured {
        row: ResultRow::new(&case.name, conns, &scrm, &floor),
        group: case.group,
        peak_rss_kib: rss,
    })
}

fn first_line(mut c: Command) -> String {
    c.output()
        .ok()
        .map(|o| {
            let text = String::from_utf8_lossy(&o.stdout).into_owned()
                + &String::from_utf8_lossy(&o.stderr);
            text.lines().next().unwrap_or_default().trim().to_owned()
        })
        .unwrap_or_default()
}

/// The first three fields of `/proc/loadavg`.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn proc_value(file: &str, key: &str) -> String {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default()
}

async fn machine(cli: &Cli, p: &Params, a: &RunArgs) -> anyhow::Result<String> {
    use mysql_async::prelude::Queryable;
    let s = servers(cli);
    let version: Option<String> = s.mysql().await?.query_first("SELECT VERSION()").await?;
    let info: String = deadpool_redis::redis::cmd("INFO")
        .arg("server")
        .query_async(&mut s.redis().await?)
        .await?;
    let redis_version = info
        .lines()
        .find_map(|l| l.strip_prefix("redis_version:"))
        .unwrap_or_default()
        .trim()
        .to_owned();
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    Ok(format!(
        "Run of {date} UTC. Machine: {cores} cores ({cpu}), {mem} RAM, load average {load_start} \
         at the start and {load_end} at the end (1, 5, 15 min); MariaDB {version}, \
         Redis {redis_version}, {wrk}, {rustc}. Data: the big tenant {tenant} has {rows} live \
         customers; {secs} s per case and connection count, the export cut at {export} s.\n",
        load_start = a.load_start,
        load_end = load_average(),
        date = chrono::Utc::now().format("%Y-%m-%d %H:%M"),
        cpu = proc_value("/proc/cpuinfo", "model name"),
        mem = proc_value("/proc/meminfo", "MemTotal"),
        version = version.unwrap_or_default(),
        wrk = first_line({
            let mut c = Command::new("wrk");
            c.arg("-v");
            c
        }),
        rustc = first_line({
            let mut c = Command::new("rustc");
            c.arg("--version");
            c
        }),
        tenant = p.tenant,
        rows = p.tenant_rows,
        secs = a.duration.as_secs(),
        export = a.export_limit.as_secs(),
    ))
}

async fn run(
    cli: &Cli,
    a: RunArgs,
    only: Option<&str>,
    docs: &std::path::Path,
) -> anyhow::Result<()> {
    let p = resolve(cli).await?;
    if p.conversations.is_empty() {
        bail!(
            "the tenant {} has no chat messages under the Redis prefix {:?} (run `scrm-floor chat`)",
            p.tenant,
            cli.redis_prefix
        );
    }
    let script = cli.out.join("wrk-report.lua");
    std::fs::write(&script, load::WRK_SCRIPT)?;
    let cases: Vec<Case> = floors::cases(&p)
        .into_iter()
        .filter(|c| only.is_none_or(|o| o.split(',').any(|o| c.name.contains(o))))
        .collect();
    let mut measured = Vec::new();
    for case in &cases {
        let token = if case.login == Login::Sub {
            &a.sub_token
        } else {
            &a.main_token
        };
        let seen = check(case, &format!("{}{}", a.base_url, case.path), token)?;
        eprintln!("case {} {}: {}", case.group, case.name, seen);
        for &conns in &a.conns {
            let m = measure(cli, &a, &p, case, conns, &script).await?;
            eprintln!(
                "  {conns:>2} conns: scrm {:.1}/s (p50 {:.2} ms, p99 {:.2} ms), floor {:.1}/s, ratio {:.3}",
                m.row.scrm_rps, m.row.scrm_p50_ms, m.row.scrm_p99_ms, m.row.floor_rps, m.row.ratio
            );
            measured.push(m);
        }
    }
    std::fs::write(cli.out.join("results.json"), report::json(&measured)?)?;
    let header = machine(cli, &p, &a).await?;
    let section = report::markdown(&measured, &header);
    println!("{section}");
    let doc = std::fs::read_to_string(docs).unwrap_or_else(|_| "# Benchmarks\n".to_owned());
    std::fs::write(docs, report::splice(&doc, &section))
        .with_context(|| format!("writing {}", docs.display()))?;
    eprintln!(
        "wrote {} and {}",
        cli.out.join("results.json").display(),
        docs.display()
    );
    Ok(())
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
        Cmd::Chat {
            base_url,
            token,
            messages,
        } => chat(&cli, base_url, token, *messages).await?,
        Cmd::Run {
            base_url,
            main_token,
            sub_token,
            server_pid,
            conns,
            seconds,
            export_seconds,
            only,
            docs,
        } => {
            let args = RunArgs {
                base_url: base_url.clone(),
                main_token: main_token.clone(),
                sub_token: sub_token.clone(),
                server_pid: *server_pid,
                conns: conns.clone(),
                duration: Duration::from_secs(*seconds),
                export_limit: Duration::from_secs(*export_seconds),
                load_start: load_average(),
            };
            run(&cli, args, only.as_deref(), docs).await?;
        }
    }
    Ok(())
}
