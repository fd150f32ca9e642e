//! The customer index of the server under test (issue 16): how long the big tenant took to
//! load, what `/readyz`'s `data.index` says is loaded, and the servers' peak RSS (`VmHWM`).
//!
//! `scrm-floor index-load` runs right after the server started, and times the load from
//! outside so that it reads the same whether the server loads a tenant on its first request
//! or warms up in the background at start: it logs the big tenant's main account in, sends
//! one customerPage request (it starts a load when none runs), then polls `/readyz` until the
//! index holds as many customers as the tenant has (live and binned). The time is given from
//! the server's start (`/proc/<pid>/stat`) and from that request; `scrm-floor run` reads the
//! result back for the report.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use crate::curl::curl;
use crate::load::proc_kib;
use crate::params::big_tenant;
use crate::{Cli, servers};

/// `data.index` of `/readyz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Readiness {
    pub state: String,
    pub tenants: u64,
    pub customers: u64,
    pub bytes: u64,
}

/// Reads `data.index` from a `/readyz` body; `None` when the server has no index.
pub fn parse_readiness(body: &str) -> Option<Readiness> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    serde_json::from_value(v["data"]["index"].clone()).ok()
}

fn readiness(base_url: &str) -> anyhow::Result<Option<Readiness>> {
    let (_, body) = curl(&format!("{base_url}/readyz"), "", None)?;
    Ok(parse_readiness(&body))
}

/// What the load of the big tenant measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexLoad {
    /// `/readyz` once the tenant was in (or when the wait gave up).
    pub readiness: Option<Readiness>,
    /// Whether the index held the tenant before the wait gave up.
    pub loaded: bool,
    /// Whether it was there already when the first request was sent (a warm-up at start).
    pub before_first_request: bool,
    /// Seconds from the server's start until the tenant was seen loaded.
    pub after_start_s: Option<f64>,
    /// Seconds from the first request until then (`None` when loaded before it).
    pub after_request_s: Option<f64>,
    /// The server's RSS before the first request and once loaded, and its peak then, KiB.
    pub rss_before_kib: Option<u64>,
    pub rss_after_kib: Option<u64>,
    pub hwm_after_kib: Option<u64>,
}

/// Seconds since boot at which a process started, from its `/proc/<pid>/stat` text (field
/// 22, in clock ticks of 1/100 s: Linux's `USER_HZ`).
pub fn started_at(stat: &str) -> Option<f64> {
    // The command name (field 2) may hold spaces; fields are counted after its ')'.
    let rest = stat.get(stat.rfind(')')? + 1..)?;
    let ticks: f64 = rest.split_whitespace().nth(19)?.parse().ok()?;
    Some(ticks / 100.0)
}

/// Seconds since the process `pid` started.
fn age(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    Some(uptime - started_at(&stat)?)
}

/// Sends `first_request` (a customer list of the big tenant) and waits until the index of
/// the server at `base_url` holds `customers` customers, or its figures stop changing for
/// `settle` while warm (a tenant whose entries differ from the row count), or `limit`
/// passes. `None` when the server has no index.
///
/// # Errors
/// When curl cannot be run.
pub fn wait_for_load(
    base_url: &str,
    first_request: (&str, &str),
    pid: u32,
    customers: u64,
    limit: Duration,
) -> anyhow::Result<Option<IndexLoad>> {
    let settle = Duration::from_secs(5);
    const RESEND: Duration = Duration::from_secs(10);
    let Some(mut seen) = readiness(base_url)? else {
        return Ok(None);
    };
    let holds = |r: &Readiness| r.customers >= customers;
    let before = holds(&seen);
    let rss_before_kib = proc_kib(pid, "VmRSS");
    let sent = Instant::now();
    if !before {
        let (url, token) = first_request;
        let (status, _) = curl(url, token, None).context("the first request")?;
        eprintln!("index: first request answered {status}; waiting for the big tenant to load");
    }
    let mut changed = Instant::now();
    let mut resent = Instant::now();
    let loaded = loop {
        if holds(&seen) {
            break true;
        }
        if seen.state == "warm" && changed.elapsed() >= settle {
            eprintln!(
                "index: holds {} customers (not the {customers} of the big tenant) and has not changed for {} s; taken as loaded",
                seen.customers,
                settle.as_secs()
            );
            break true;
        }
        if sent.elapsed() >= limit {
            break false;
        }
        std::thread::sleep(Duration::from_millis(50));
        // A load that failed (a statement cut by the server's limit on a busy machine) is
        // started again by the next request of the tenant, as a user's would.
        if !before && seen.tenants == 0 && resent.elapsed() >= RESEND {
            let (url, token) = first_request;
            curl(url, token, None).context("the first request, again")?;
            resent = Instant::now();
        }
        if let Some(now) = readiness(base_url)? {
            if now != seen {
                changed = Instant::now();
            }
            seen = now;
        }
    };
    let settled = if holds(&seen) || !loaded {
        Duration::ZERO
    } else {
        settle
    };
    Ok(Some(IndexLoad {
        readiness: Some(seen),
        loaded,
        before_first_request: before,
        after_start_s: age(pid).map(|a| a - settled.as_secs_f64()),
        after_request_s: (!before && loaded)
            .then(|| (sent.elapsed().saturating_sub(settled)).as_secs_f64()),
        rss_before_kib,
        rss_after_kib: proc_kib(pid, "VmRSS"),
        hwm_after_kib: proc_kib(pid, "VmHWM"),
    }))
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or_else(|| "?".to_owned(), |k| format!("{:.1}", k as f64 / 1024.0))
}

/// `index-load.json`: what `scrm-floor index-load` measured, for `scrm-floor run`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timed {
    /// The big tenant's customers, live and binned.
    pub tenant_customers: u64,
    /// `None` when the server has no index.
    pub load: Option<IndexLoad>,
}

/// The session token of a login.
fn login(base_url: &str, login: &str, password: &str) -> anyhow::Result<String> {
    let body = serde_json::json!({"loginName": login, "password": password}).to_string();
    let (status, answer) = curl(&format!("{base_url}/wechat_api/login"), "", Some(&body))?;
    let v: serde_json::Value = serde_json::from_str(&answer).unwrap_or_default();
    match v["data"]["token"].as_str() {
        Some(token) if status == 200 => Ok(token.to_owned()),
        _ => bail!("login of {login} answered {status}: {answer}"),
    }
}

/// `scrm-floor index-load`: times the big tenant's load by the server at `base_url` (pid
/// `pid`) and writes `index-load.json` into the output folder.
///
/// # Errors
/// When the database cannot be read, the login fails or the file cannot be written.
pub async fn time_load(
    cli: &Cli,
    base_url: &str,
    pid: u32,
    password: &str,
    limit: Duration,
) -> anyhow::Result<()> {
    let big = big_tenant(&mut servers(cli).mysql().await?).await?;
    let token = login(base_url, &big.main_login, password)?;
    let first = format!(
        "{base_url}/wechat_api/customer/customerPage?pageNo=1&limit={}",
        crate::cases::PAGE_LIMIT
    );
    let timed = Timed {
        tenant_customers: big.all,
        load: wait_for_load(base_url, (&first, &token), pid, big.all, limit)?,
    };
    eprintln!("{}", describe(Some(&timed)));
    std::fs::create_dir_all(&cli.out)?;
    std::fs::write(
        cli.out.join("index-load.json"),
        serde_json::to_string_pretty(&timed)?,
    )?;
    Ok(())
}

/// Reads back what `time_load` wrote.
///
/// # Errors
/// When the file cannot be read or parsed.
pub fn read_timed(path: &Path) -> anyhow::Result<Timed> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// The report's sentence on the servers' peak RSS over the run (KiB, with the index on and
/// off).
pub fn peaks(hwm_on: Option<u64>, hwm_off: Option<u64>) -> String {
    format!(
        "Peak RSS (`VmHWM`) over the run: {} MiB with the index, {} MiB with `SCRM_INDEX=off`.",
        mib(hwm_on),
        mib(hwm_off)
    )
}

/// The report's sentence on the index's load (`None`: not timed).
pub fn describe(timed: Option<&Timed>) -> String {
    let Some(timed) = timed else {
        return "Index: its load was not timed (`scrm-floor index-load`).".to_owned();
    };
    let tenant_customers = timed.tenant_customers;
    let Some(l) = &timed.load else {
        return "Index: the server reported none in `/readyz` (`SCRM_INDEX=off`?).".to_owned();
    };
    let r = l.readiness.clone().unwrap_or(Readiness {
        state: "?".into(),
        tenants: 0,
        customers: 0,
        bytes: 0,
    });
    let held = format!(
        "`/readyz`: {} tenant(s), {} customers, {:.1} MiB ({:.0} bytes a customer)",
        r.tenants,
        r.customers,
        r.bytes as f64 / 1_048_576.0,
        r.bytes as f64 / r.customers.max(1) as f64
    );
    if !l.loaded {
        return format!(
            "Index: **the big tenant ({tenant_customers} customers) was not loaded** when the \
             wait gave up ({held}); the figures with the index are SQL's."
        );
    }
    let secs = |s: Option<f64>| s.map_or_else(|| "?".to_owned(), |s| format!("{s:.1}"));
    let when = if l.before_first_request {
        format!(
            "was loaded before the first request (by a warm-up; seen {} s after the start)",
            secs(l.after_start_s)
        )
    } else {
        format!(
            "was loaded {} s after the server started, {} s after its first request",
            secs(l.after_start_s),
            secs(l.after_request_s)
        )
    };
    format!(
        "Index: the big tenant ({tenant_customers} customers, live and binned) {when}; {held}; \
         the server's RSS {} MiB before the first request, {} MiB once loaded (peak so far {} \
         MiB).",
        mib(l.rss_before_kib),
        mib(l.rss_after_kib),
        mib(l.hwm_after_kib)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readiness_of_a_readyz_body() {
        let body = r#"{"code":200,"msg":"ok","data":{"mysql":"up","redis":"up","index":{"state":"warm","tenants":1,"customers":300,"bytes":4096,"sinceCatchUpSecs":0.5,"appliedSeq":3,"headSeq":3,"behind":0}}}"#;
        let r = parse_readiness(body);
        assert_eq!(
            r,
            Some(Readiness {
                state: "warm".into(),
                tenants: 1,
                customers: 300,
                bytes: 4096
            })
        );
        assert_eq!(
            parse_readiness(r#"{"code":200,"data":{"mysql":"up"}}"#),
            None
        );
    }

    #[test]
    fn start_of_a_process() {
        let stat = "4242 (scrm serve) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 2 0 0 20 0 9 0 \
                    123456 1000000 2000 18446744073709551615";
        assert_eq!(started_at(stat), Some(1234.56));
        let me = age(std::process::id());
        assert!(me.is_some_and(|a| a >= 0.0), "{me:?}");
    }

    #[test]
    fn description_says_when_and_how_big() {
        let load = IndexLoad {
            readiness: Some(Readiness {
                state: "warm".into(),
                tenants: 1,
                customers: 1000,
                bytes: 2 * 1_048_576,
            }),
            loaded: true,
            before_first_request: false,
            after_start_s: Some(3.25),
            after_request_s: Some(2.5),
            rss_before_kib: Some(10_240),
            rss_after_kib: Some(20_480),
            hwm_after_kib: Some(30_720),
        };
        let timed = |load| Timed {
            tenant_customers: 1000,
            load,
        };
        let d = describe(Some(&timed(Some(load.clone()))));
        for part in [
            "3.2 s after the server started, 2.5 s after its first request",
            "1 tenant(s), 1000 customers, 2.0 MiB (2097 bytes a customer)",
            "10.0 MiB before the first request, 20.0 MiB once loaded (peak so far 30.0 MiB)",
        ] {
            assert!(d.contains(part), "{part}: {d}");
        }
        let warm = IndexLoad {
            before_first_request: true,
            after_request_s: None,
            ..load.clone()
        };
        let d = describe(Some(&timed(Some(warm))));
        assert!(
            d.contains("before the first request (by a warm-up; seen 3.2 s after the start)"),
            "{d}"
        );
        let cold = IndexLoad {
            loaded: false,
            ..load
        };
        assert!(describe(Some(&timed(Some(cold)))).contains("was not loaded"));
        assert!(describe(Some(&timed(None))).contains("none in `/readyz`"));
        assert!(describe(None).contains("not timed"));
        assert_eq!(
            peaks(Some(40_960), None),
            "Peak RSS (`VmHWM`) over the run: 40.0 MiB with the index, ? MiB with `SCRM_INDEX=off`."
        );
    }
}
