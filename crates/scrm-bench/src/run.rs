//! `scrm-floor run`: the index's load timed, each case checked once on both servers, then
//! loaded at each connection count with wrk against scrm, against scrm with
//! `SCRM_INDEX=off` (the customer lists) and with native clients against its floor; the
//! results and the report.

use std::process::Command;
use std::time::Duration;

use anyhow::{Context, bail};

use crate::cases::{self, Case, Floor, Login};
use crate::curl::curl_timed;
use crate::index_load::{self, Timed};
use crate::load::proc_kib;
use crate::machine::machine;
use crate::params::Params;
use crate::report::{self, Measured, ResultRow};
use crate::stats::Summary;
use crate::targets::ExportRss;
use crate::{Cli, bare, floors, load, native, resolve, servers};

/// A running `scrm serve`.
#[derive(Debug, Clone)]
pub struct Server {
    pub base_url: String,
    /// Its pid (its RSS is sampled during the export, its peak read at the end).
    pub pid: u32,
}

/// The options of `scrm-floor run`.
pub struct RunArgs {
    /// The server under test (the index on).
    pub scrm: Server,
    /// The same data served with `SCRM_INDEX=off`: the customer lists are also sent there.
    pub sql: Option<Server>,
    pub main_token: String,
    pub sub_token: String,
    pub conns: Vec<usize>,
    pub duration: Duration,
    pub export_limit: Duration,
    /// Longest wait for the index to load the big tenant.
    pub index_wait: Duration,
    /// What `scrm-floor index-load` wrote, when it ran.
    pub index_load: Option<std::path::PathBuf>,
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

    /// The server with the index off, for a case that is sent there.
    fn sql_for(&self, case: &Case) -> Option<&Server> {
        self.sql.as_ref().filter(|_| case.index)
    }
}

/// What the first answer to a case said.
struct Seen {
    /// `count` of the envelope, when it has one.
    count: Option<u64>,
    /// Count, items and source, for the log.
    text: String,
    /// How long the answer took, in milliseconds.
    ms: f64,
}

/// Checks once that a server answers the case with 200 (and code 200 in the envelope), and
/// that a case that must find something counts at least one customer.
fn check(case: &Case, url: &str, token: &str) -> anyhow::Result<Seen> {
    if case.is_export() {
        return Ok(Seen {
            count: None,
            text: String::new(),
            ms: 0.0,
        });
    }
    let (status, body, secs) = curl_timed(url, token, None)?;
    let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    if status != 200 || v["code"] != 200 {
        bail!("{} answered {status}: {body}", case.name);
    }
    // The legacy shapes: `{data: [..], count}`, `{data: {data: [..], count}}` (call lists),
    // `{data: {source, customerList}}` (the call pop-up).
    let count = v["count"].as_u64().or_else(|| v["data"]["count"].as_u64());
    if case.must_find && count.unwrap_or(0) == 0 {
        bail!("{} found nothing ({url}): {body}", case.name);
    }
    let items = [&v["data"], &v["data"]["data"], &v["data"]["customerList"]]
        .into_iter()
        .find_map(serde_json::Value::as_array)
        .map_or(0, Vec::len);
    let source = v["data"]["source"]
        .as_i64()
        .map(|s| format!(", source {s}"))
        .unwrap_or_default();
    let counted = count.map(|c| format!("count {c}, ")).unwrap_or_default();
    Ok(Seen {
        count,
        text: format!("{counted}{items} items{source}"),
        ms: secs * 1000.0,
    })
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

/// `curl` of a whole download.
fn download(url: &str, token: &str) -> Command {
    let mut c = Command::new("curl");
    c.args(["-fsS", "-N", "-H"])
        .arg(format!("Authorization: Bearer {token}"))
        .arg(url);
    c
}

async fn measure(
    cli: &Cli,
    a: &RunArgs,
    p: &Params,
    case: &Case,
    conns: usize,
    script: &std::path::Path,
    bare: Option<&str>,
) -> anyhow::Result<Measured> {
    let token = a.token(case.login);
    let url = |s: &Server| format!("{}{}", s.base_url, case.path);
    let sql_server = a.sql_for(case);
    // wrk and curl block: `block_in_place` lets this runtime's other thread go on serving the
    // bare service meanwhile.
    let wrk = |url: String| {
        tokio::task::block_in_place(|| load::wrk(&url, token, conns, a.duration, script))
    };
    let (scrm, sql, floor, rss, bare) = if case.is_export() {
        let get = |s: &Server, watch| {
            let url = url(s);
            load::downloads(conns, || download(&url, token), 1, a.export_limit, watch)
        };
        let scrm = get(&a.scrm, Some(a.scrm.pid))?;
        let sql = sql_server.map(|s| get(s, Some(s.pid))).transpose()?;
        let sql_text = floors::export_sql(p);
        let mariadb = || mariadb_command(&cli.mysql_url, &sql_text);
        mariadb()?;
        let floor = load::downloads(
            conns,
            || mariadb().unwrap_or_else(|_| Command::new("false")),
            0,
            a.export_limit,
            None,
        )?;
        let rss = ExportRss {
            before_kib: scrm.rss_before_kib,
            peak_kib: scrm.peak_rss_kib,
            sql_peak_kib: sql.and_then(|d| d.peak_rss_kib),
        };
        (
            scrm.summary,
            sql.map(|d| d.summary),
            Some(floor.summary),
            Some(rss),
            None,
        )
    } else {
        let scrm = wrk(url(&a.scrm))?;
        let sql = sql_server.map(|s| wrk(url(s))).transpose()?;
        let floor = match &case.floor {
            Some(_) => Some(native::run(&servers(cli), case, p, conns, a.duration).await?),
            None => None,
        };
        let bare = bare_url(case, bare).map(wrk).transpose()?;
        (scrm, sql, floor, None, bare)
    };
    let errors = |s: Option<&Summary>| s.map_or(0, |s| s.errors);
    let failed = [
        ("scrm", scrm.errors),
        ("scrm with SCRM_INDEX=off", errors(sql.as_ref())),
        ("the floor", errors(floor.as_ref())),
        ("the bare service", errors(bare.as_ref())),
    ];
    for (side, n) in failed.into_iter().filter(|f| f.1 > 0) {
        eprintln!("  warning: {n} failed requests to {side}");
    }
    Ok(Measured {
        row: ResultRow::new(&case.name, conns, &scrm, floor.as_ref(), sql.as_ref())
            .with_bare(bare.as_ref()),
        group: case.group,
        rss,
        targets: case.targets.clone(),
    })
}

/// Whether the bare service (`bare.rs`) answers the case: the call pop-up only.
fn on_bare(case: &Case) -> bool {
    matches!(case.floor, Some(Floor::CallByPhone { .. }))
}

/// The case's URL on the bare service, when it is running and answers the case.
fn bare_url(case: &Case, bare: Option<&str>) -> Option<String> {
    bare.filter(|_| on_bare(case))
        .map(|base| format!("{base}{}", case.path))
}

/// The index's load as `scrm-floor index-load` timed it (or, without its file, as seen now),
/// and a warning when the index does not hold the big tenant now (after waiting for it).
fn index_state(a: &RunArgs, p: &Params) -> anyhow::Result<(Timed, Option<String>)> {
    let first = format!(
        "{}/wechat_api/customer/customerPage?pageNo=1&limit={}",
        a.scrm.base_url,
        cases::PAGE_LIMIT
    );
    let now = index_load::wait_for_load(
        &a.scrm.base_url,
        (&first, &a.main_token),
        a.scrm.pid,
        p.tenant_all_rows,
        a.index_wait,
    )?;
    let warning = now.as_ref().filter(|l| !l.loaded).map(|_| {
        "**The index did not hold the big tenant when the loads began: the figures with the \
         index are partly SQL's.**"
            .to_owned()
    });
    let timed = match &a.index_load {
        Some(path) => index_load::read_timed(path)?,
        None => Timed {
            tenant_customers: p.tenant_all_rows,
            load: now,
        },
    };
    Ok((timed, warning))
}

/// Checks every case once on both servers before any load; the cases whose counts differ
/// between the index and SQL, as warnings for the report, and how long the first answer to
/// each `q` case took (its needle checked over the tenant before the index keeps it).
fn check_all(a: &RunArgs, cases: &[Case], bare: Option<&str>) -> anyhow::Result<Vec<String>> {
    let mut warnings = Vec::new();
    let mut first = Vec::new();
    for case in cases {
        let token = a.token(case.login);
        let seen = check(case, &format!("{}{}", a.scrm.base_url, case.path), token)?;
        eprintln!(
            "case {} {}: {} in {:.1} ms",
            case.group, case.name, seen.text, seen.ms
        );
        if case.group == cases::Q_GROUP {
            first.push(format!("{} {:.1} ms", case.name, seen.ms));
        }
        if let Some(url) = bare_url(case, bare) {
            let bare = check(case, &url, token)?;
            if bare.text != seen.text {
                bail!(
                    "{}: the bare service found {}, scrm {}",
                    case.name,
                    bare.text,
                    seen.text
                );
            }
        }
        if let Some(s) = a.sql_for(case) {
            let sql = check(case, &format!("{}{}", s.base_url, case.path), token)?;
            if sql.count != seen.count {
                let w = format!(
                    "**{}: the index counted {:?}, SQL (`SCRM_INDEX=off`) {:?}.**",
                    case.name, seen.count, sql.count
                );
                eprintln!("  warning: {w}");
                warnings.push(w);
            }
        }
    }
    if !first.is_empty() {
        warnings.push(format!(
            "First answer of each `q` case, one request on the idle server before the loads \
             (a needle its grams do not decide is checked over the tenant then, and kept): {}.",
            first.join(", ")
        ));
    }
    Ok(warnings)
}

pub async fn run(
    cli: &Cli,
    a: RunArgs,
    only: Option<&str>,
    docs: Option<&std::path::Path>,
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
    let (timed, not_loaded) = index_state(&a, &p)?;
    eprintln!("{}", index_load::describe(Some(&timed)));
    let cases = cases::select(cases::cases(&p), only);
    let bare = if cases.iter().any(on_bare) {
        Some(bare::start(servers(cli), &cli.redis_prefix, cli.session_ttl_secs, &p).await?)
    } else {
        None
    };
    // curl blocks: the bare service answers from this runtime meanwhile.
    let warnings = tokio::task::block_in_place(|| check_all(&a, &cases, bare.as_deref()))?;
    let mut measured = Vec::new();
    for case in &cases {
        eprintln!("case {} {}", case.group, case.name);
        for &conns in &a.conns {
            let m = measure(cli, &a, &p, case, conns, &script, bare.as_deref()).await?;
            let r = &m.row;
            let vs = |label: &str, rps: Option<f64>, ratio: Option<f64>| match (rps, ratio) {
                (Some(rps), Some(ratio)) => format!(", {label} {rps:.1}/s ({ratio:.3})"),
                _ => String::new(),
            };
            eprintln!(
                "  {conns:>2} conns: scrm {:.1}/s (p50 {:.2} ms, p99 {:.2} ms){}{}",
                r.scrm_rps,
                r.scrm_p50_ms,
                r.scrm_p99_ms,
                vs("SQL", r.sql_rps, r.index_ratio),
                vs("floor", r.floor_rps, r.ratio),
            );
            if let Some(note) = r.bare_note() {
                eprintln!("  {note}");
            }
            measured.push(m);
        }
    }
    let hwm_on = proc_kib(a.scrm.pid, "VmHWM");
    let hwm_off = a.sql.as_ref().and_then(|s| proc_kib(s.pid, "VmHWM"));
    std::fs::write(cli.out.join("results.json"), report::json(&measured)?)?;
    std::fs::write(
        cli.out.join("index.json"),
        serde_json::to_string_pretty(&serde_json::json!({
            "index_load": timed,
            "peak_rss_kib": {"index_on": hwm_on, "index_off": hwm_off},
        }))?,
    )?;
    let header = machine(cli, &p, &a).await?;
    let mut notes = vec![format!(
        "{} {}",
        index_load::describe(Some(&timed)),
        index_load::peaks(hwm_on, hwm_off)
    )];
    notes.extend(not_loaded);
    notes.extend(warnings);
    notes.extend(measured.iter().filter_map(|m| m.row.bare_note()));
    let section = report::markdown(&measured, &header, &notes);
    println!("{section}");
    let copy = cli.out.join("results.md");
    std::fs::write(&copy, &section)?;
    eprintln!(
        "wrote {}, {} and {}",
        cli.out.join("results.json").display(),
        cli.out.join("index.json").display(),
        copy.display()
    );
    if let Some(docs) = docs {
        let doc = std::fs::read_to_string(docs).unwrap_or_else(|_| "# Benchmarks\n".to_owned());
        std::fs::write(docs, report::splice(&doc, &section))
            .with_context(|| format!("writing {}", docs.display()))?;
        eprintln!("wrote {}", docs.display());
    }
    Ok(())
}
