//! Loading scrm from other processes: `wrk` for the request cases (its report read from the
//! JSON line of `wrk-report.lua`), and for exports N parallel downloads (`curl` against scrm,
//! `mariadb --batch` for the floor) whose lines are counted while the server's RSS is sampled.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde::Deserialize;

use crate::stats::{Summary, percentile};

/// The report line of `wrk-report.lua`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct WrkReport {
    pub requests: u64,
    pub duration_us: u64,
    pub p50_us: u64,
    pub p99_us: u64,
    pub non2xx: u64,
    pub socket_errors: u64,
}

impl WrkReport {
    /// The JSON line in wrk's output.
    ///
    /// # Errors
    /// When there is none or it cannot be read.
    pub fn parse(stdout: &str) -> anyhow::Result<Self> {
        let line = stdout
            .lines()
            .rev()
            .find(|l| l.trim_start().starts_with('{'))
            .context("wrk printed no report line")?;
        serde_json::from_str(line).with_context(|| format!("wrk report {line:?}"))
    }

    /// Successful requests per second and latencies.
    pub fn summary(&self) -> Summary {
        let failed = self.non2xx + self.socket_errors;
        let ok = self.requests.saturating_sub(self.non2xx);
        let secs = self.duration_us as f64 / 1e6;
        Summary {
            rps: if secs > 0.0 { ok as f64 / secs } else { 0.0 },
            p50_ms: self.p50_us as f64 / 1e3,
            p99_ms: self.p99_us as f64 / 1e3,
            count: ok,
            errors: failed,
        }
    }
}

/// The lua script, written next to the results for wrk to read.
pub const WRK_SCRIPT: &str = include_str!("wrk-report.lua");

/// Runs wrk against `url` with `conns` connections for `duration`.
///
/// # Errors
/// When wrk cannot be started or reports nothing.
pub fn wrk(
    url: &str,
    token: &str,
    conns: usize,
    duration: Duration,
    script: &Path,
) -> anyhow::Result<Summary> {
    let threads = conns.clamp(1, 2);
    let out = Command::new("wrk")
        .arg(format!("-t{threads}"))
        .arg(format!("-c{conns}"))
        .arg(format!("-d{}s", duration.as_secs().max(1)))
        .arg("--timeout")
        .arg("30s")
        .arg("-s")
        .arg(script)
        .arg("-H")
        .arg(format!("Authorization: Bearer {token}"))
        .arg(url)
        .output()
        .context("running wrk (is it installed? scripts/bench.sh installs it)")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!(
            "wrk failed: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(WrkReport::parse(&stdout)?.summary())
}

/// The RSS of a process now, KiB.
fn rss_kib(pid: u32) -> Option<u64> {
    proc_kib(pid, "VmRSS")
}

/// A line of `/proc/<pid>/status` in KiB (`VmRSS`, `VmHWM`).
pub fn status_kib(status: &str, key: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// `VmRSS` or `VmHWM` of a running process, KiB.
pub fn proc_kib(pid: u32, key: &str) -> Option<u64> {
    status_kib(
        &std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?,
        key,
    )
}

/// What parallel downloads measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Downloads {
    /// Rows per second over all downloads and the whole wall time; p50/p99 are the times of
    /// the downloads that finished (0 when the time limit cut them all).
    pub summary: Summary,
    /// Rows received in all.
    pub rows: u64,
    /// RSS of the watched process just before the downloads began, KiB.
    pub rss_before_kib: Option<u64>,
    /// Peak RSS of the watched process during the downloads, KiB.
    pub peak_rss_kib: Option<u64>,
}

fn count_lines(stdout: impl Read, rows: &AtomicU64) -> std::io::Result<()> {
    let mut reader = BufReader::with_capacity(1 << 16, stdout);
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        let n = buf.iter().filter(|b| **b == b'\n').count();
        rows.fetch_add(n as u64, Ordering::Relaxed);
        let len = buf.len();
        reader.consume(len);
    }
}

/// Starts one `make()` per connection, counts the lines they print (minus `header_lines` each)
/// until they end or `limit` passes (then they are killed), sampling the RSS of `watch`.
///
/// # Errors
/// When a process cannot be started or fails.
pub fn downloads(
    conns: usize,
    make: impl Fn() -> Command,
    header_lines: u64,
    limit: Duration,
    watch: Option<u32>,
) -> anyhow::Result<Downloads> {
    let rss_before_kib = watch.and_then(rss_kib);
    let lines = Arc::new(AtomicU64::new(0));
    let times = Arc::new(Mutex::new(Vec::new()));
    let start = Instant::now();
    let mut children: Vec<Child> = Vec::new();
    let mut readers = Vec::new();
    for _ in 0..conns {
        let mut child = make()
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("starting a download")?;
        let stdout = child.stdout.take().context("download without stdout")?;
        let lines = Arc::clone(&lines);
        let times = Arc::clone(&times);
        readers.push(std::thread::spawn(move || {
            let done = count_lines(stdout, &lines).is_ok();
            if let Ok(mut t) = times.lock()
                && done
            {
                t.push(start.elapsed());
            }
        }));
        children.push(child);
    }
    let mut peak = rss_before_kib;
    while !readers.iter().all(std::thread::JoinHandle::is_finished) {
        if start.elapsed() >= limit {
            for c in &mut children {
                let _ = c.kill();
            }
            break;
        }
        if let Some(kib) = watch.and_then(rss_kib) {
            peak = Some(peak.map_or(kib, |p| p.max(kib)));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let cut = start.elapsed() >= limit;
    let elapsed = start.elapsed().min(limit);
    let mut failed = 0;
    for mut c in children {
        let status = c.wait().context("waiting for a download")?;
        if !status.success() && !cut {
            failed += 1;
        }
    }
    for r in readers {
        let _ = r.join();
    }
    if failed > 0 {
        bail!("{failed} of {conns} downloads failed");
    }
    let finished = times.lock().map(|t| t.clone()).unwrap_or_default();
    let rows = lines
        .load(Ordering::Relaxed)
        .saturating_sub(header_lines * conns as u64);
    let mut ms: Vec<f64> = if cut {
        Vec::new()
    } else {
        finished.iter().map(|d| d.as_secs_f64() * 1e3).collect()
    };
    ms.sort_by(f64::total_cmp);
    Ok(Downloads {
        summary: Summary {
            rps: rows as f64 / elapsed.as_secs_f64().max(1e-9),
            p50_ms: percentile(&ms, 50.0).unwrap_or(0.0),
            p99_ms: percentile(&ms, 99.0).unwrap_or(0.0),
            count: rows,
            errors: 0,
        },
        rows,
        rss_before_kib,
        peak_rss_kib: peak,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrk_report_line() {
        let out = "Running 1s test @ http://x\n  2 threads\n{\"requests\":1000,\"duration_us\":2000000,\
                   \"p50_us\":1500,\"p99_us\":9000,\"non2xx\":10,\"socket_errors\":0}\n";
        let r = WrkReport::parse(out).unwrap();
        let s = r.summary();
        assert!((s.rps - 495.0).abs() < 1e-9);
        assert!((s.p50_ms - 1.5).abs() < 1e-9);
        assert!((s.p99_ms - 9.0).abs() < 1e-9);
        assert_eq!((s.count, s.errors), (990, 10));
        assert!(WrkReport::parse("no json here").is_err());
    }

    #[test]
    fn rss_of_a_status_file() {
        let status = "Name:\tscrm\nVmHWM:\t  20000 kB\nVmRSS:\t   12345 kB\nThreads:\t4\n";
        assert_eq!(status_kib(status, "VmRSS"), Some(12_345));
        assert_eq!(status_kib("Name:\tx\n", "VmRSS"), None);
        assert_eq!(status_kib(status, "VmHWM"), Some(20_000));
    }

    #[test]
    fn parallel_downloads_count_rows_without_headers() {
        let d = downloads(
            3,
            || {
                let mut c = Command::new("printf");
                c.arg("header\\nrow\\nrow\\n");
                c
            },
            1,
            Duration::from_secs(10),
            Some(std::process::id()),
        )
        .unwrap();
        assert_eq!(d.rows, 6);
        assert!(d.summary.p99_ms >= d.summary.p50_ms);
        assert!(d.peak_rss_kib.is_some_and(|k| k > 0));
    }
}
