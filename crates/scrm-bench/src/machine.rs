//! What a run ran on: the machine, its load, the servers' and tools' versions, the data.

use std::process::Command;

use crate::params::Params;
use crate::run::RunArgs;
use crate::{Cli, servers};

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
pub fn load_average() -> String {
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

pub async fn machine(cli: &Cli, p: &Params, a: &RunArgs) -> anyhow::Result<String> {
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
