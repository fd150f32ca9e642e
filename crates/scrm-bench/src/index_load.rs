//! The customer index of the server under test (issue 16): how long the big tenant took to
//! load, what `/readyz`'s `data.index` says is loaded, and the servers' peak RSS (`VmHWM`).
//!
//! The load is timed from outside so that it reads the same whether the server loads the
//! tenant on its first request or warms up in the background at start: one customerPage
//! request of the big tenant is sent (it starts a load when none runs), then `/readyz` is
//! polled until the index holds as many customers as the tenant has (live and binned). The
//! time is given from the server's start (`/proc/<pid>/stat`) and from that request.

use std::time::{Duration, Instant};

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::curl::curl;
use crate::load::proc_kib;

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
#[derive(Debug, Clone, PartialEq, Serialize)]
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

/// The report's paragraph on the index and the servers' memory. `hwm_on` / `hwm_off`: the
/// peak RSS of the servers with the index on and off over the whole run, KiB.
pub fn describe(
    load: Option<&IndexLoad>,
    tenant_customers: u64,
    hwm_on: Option<u64>,
    hwm_off: Option<u64>,
) -> String {
    let peaks = format!(
        "Peak RSS (`VmHWM`) over the run: {} MiB with the index, {} MiB with `SCRM_INDEX=off`.",
        mib(hwm_on),
        mib(hwm_off)
    );
    let Some(l) = load else {
        return format!("Index: the server reported none in `/readyz` (off?). {peaks}");
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
             wait gave up ({held}); the figures with the index are SQL's. {peaks}"
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
         MiB). {peaks}",
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
        let d = describe(Some(&load), 1000, Some(40_960), Some(20_480));
        for part in [
            "3.2 s after the server started, 2.5 s after its first request",
            "1 tenant(s), 1000 customers, 2.0 MiB (2097 bytes a customer)",
            "10.0 MiB before the first request, 20.0 MiB once loaded (peak so far 30.0 MiB)",
            "40.0 MiB with the index, 20.0 MiB with `SCRM_INDEX=off`",
        ] {
            assert!(d.contains(part), "{part}: {d}");
        }
        let cold = IndexLoad {
            loaded: false,
            ..load
        };
        assert!(describe(Some(&cold), 1000, None, None).contains("was not loaded"));
        assert!(describe(None, 1000, None, None).contains("none in `/readyz`"));
    }
}
