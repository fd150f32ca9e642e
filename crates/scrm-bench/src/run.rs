//! `scrm-floor run`: each case checked once, then loaded with wrk against scrm and with
//! native clients against its floor at each connection count; the results and the report.

use std::process::Command;
use std::time::Duration;

use anyhow::{Context, bail};

use crate::cases::{self, Case, Floor, Login};
use crate::curl::curl;
use crate::machine::machine;
use crate::params::Params;
use crate::report::{self, Measured, ResultRow};
use crate::{Cli, floors, load, native, resolve, servers};

/// The options of `scrm-floor run`.
pub struct RunArgs {
    pub base_url: String,
    pub main_token: String,
    pub sub_token: String,
    pub server_pid: u32,
    pub conns: Vec<usize>,
    pub duration: Duration,
    pub export_limit: Duration,
    /// The load average when the run began (other work on the machine skews the results).
    pub load_start: String,
}

impl RunArgs {
    /// The token of the account that sends a case.
    fn token(&self, login: Login) -> &str {
        match login {
            Login::Main => &self.main_token,
            Login::Sub => &self.sub_token,
        }
    }
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
    let token = a.token(case.login);
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

pub async fn run(
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
    let cases: Vec<Case> = cases::cases(&p)
        .into_iter()
        .filter(|c| only.is_none_or(|o| o.split(',').any(|o| c.name.contains(o))))
        .collect();
    let mut measured = Vec::new();
    for case in &cases {
        let seen = check(
            case,
            &format!("{}{}", a.base_url, case.path),
            a.token(case.login),
        )?;
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
