//! The value parsers of the configuration: each reads one variable's text and says what is
//! wrong with it, naming the variable (the same message whether the value came from the
//! variable or from its flag).

use std::net::IpAddr;
use std::time::Duration;

use chrono::FixedOffset;

use super::StoreKind;
use super::origin::origin;

/// `SCRM_STORE`: `mysql` or `memory`.
pub(super) fn store(v: &str) -> Result<StoreKind, String> {
    match v.trim() {
        "mysql" => Ok(StoreKind::MySql),
        "memory" => Ok(StoreKind::Memory),
        other => Err(format!("SCRM_STORE: {other:?} is neither mysql nor memory")),
    }
}

/// `SCRM_REDIS_PREFIX`: anything without braces.
pub(super) fn redis_prefix(v: &str) -> Result<String, String> {
    if v.contains(['{', '}']) {
        return Err(format!(
            "SCRM_REDIS_PREFIX: {v:?} must not contain braces (they would break the Redis Cluster hash tags)"
        ));
    }
    Ok(v.to_owned())
}

/// `SCRM_TIMEZONE`: an offset like `+08:00`.
pub(super) fn zone(v: &str) -> Result<FixedOffset, String> {
    scrm_domain::time::parse_zone(v)
        .ok_or_else(|| format!("SCRM_TIMEZONE: {v:?} is not an offset like +08:00"))
}

/// `SCRM_SESSION_TTL_SECS`: at least one second.
pub(super) fn session_ttl(v: &str) -> Result<Duration, String> {
    let secs: u64 = v
        .parse()
        .map_err(|_| format!("SCRM_SESSION_TTL_SECS: {v:?} is not a number"))?;
    if secs == 0 {
        return Err("SCRM_SESSION_TTL_SECS must be at least 1".to_owned());
    }
    Ok(Duration::from_secs(secs))
}

/// `SCRM_REQUEST_TIMEOUT_MS`: a positive number of milliseconds.
pub(super) fn request_timeout(v: &str) -> Result<Duration, String> {
    positive(v)
        .map(Duration::from_millis)
        .ok_or_else(|| format!("SCRM_REQUEST_TIMEOUT_MS: {v:?} is not a positive number"))
}

/// `SCRM_STORE_TIMEOUT_MS`: milliseconds, 0 read as 1.
pub(super) fn store_timeout(v: &str) -> Result<Duration, String> {
    let ms: u64 = v
        .parse()
        .map_err(|_| format!("SCRM_STORE_TIMEOUT_MS: {v:?} is not a number"))?;
    Ok(Duration::from_millis(ms.max(1)))
}

/// `SCRM_CHAT_MAX_PER_CONVERSATION`: a positive count.
pub(super) fn chat_max(v: &str) -> Result<usize, String> {
    positive(v)
        .ok_or_else(|| format!("SCRM_CHAT_MAX_PER_CONVERSATION: {v:?} is not a positive number"))
}

/// `SCRM_LOG_FORMAT`: `text` or `json` (true).
pub(super) fn json_logs(v: &str) -> Result<bool, String> {
    match v {
        "json" => Ok(true),
        "text" => Ok(false),
        other => Err(format!(
            "SCRM_LOG_FORMAT: {other:?} is neither text nor json"
        )),
    }
}

/// `SCRM_TRUSTED_PROXIES`: comma-separated IP addresses (IPv4-mapped ones as IPv4).
pub(super) fn trusted_proxies(v: &str) -> Result<Vec<IpAddr>, String> {
    list(v, |p| {
        p.parse::<IpAddr>()
            .map(|ip| ip.to_canonical())
            .map_err(|_| format!("SCRM_TRUSTED_PROXIES: {p:?} is not an IP address"))
    })
}

/// `SCRM_CORS_ORIGINS`: comma-separated origins, as a browser sends them.
pub(super) fn cors_origins(v: &str) -> Result<Vec<String>, String> {
    list(v, |o| {
        origin(o).map_err(|why| {
            format!("SCRM_CORS_ORIGINS: {o:?} is not an origin like https://crm.example.com: {why}")
        })
    })
}

/// `SCRM_REDIS_CLUSTER_NODES`: comma-separated `host:port` (a name, an IPv4 address or a
/// bracketed IPv6 address, and a port 1..=65535).
pub(super) fn redis_cluster_nodes(v: &str) -> Result<Vec<String>, String> {
    list(v, |n| {
        let bad =
            || format!("SCRM_REDIS_CLUSTER_NODES: {n:?} is not a host:port like 10.0.0.1:7000");
        let (host, port) = n.rsplit_once(':').ok_or_else(bad)?;
        let host_ok = !host.is_empty()
            && (host.starts_with('[') && host.ends_with(']')
                || host
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_'));
        if !host_ok || positive::<u16>(port).is_none() || port.starts_with('+') {
            return Err(bad());
        }
        Ok(n.to_owned())
    })
}

/// `SCRM_REDIS_WAIT_REPLICAS`: 0 to 64.
pub(super) fn redis_wait_replicas(v: &str) -> Result<u32, String> {
    v.parse::<u32>()
        .ok()
        .filter(|n| *n <= 64)
        .ok_or_else(|| format!("SCRM_REDIS_WAIT_REPLICAS: {v:?} is not a number from 0 to 64"))
}

/// A number above zero.
fn positive<N: std::str::FromStr + Default + PartialOrd>(v: &str) -> Option<N> {
    v.parse().ok().filter(|n| *n > N::default())
}

/// Each non-blank item of a comma-separated list, trimmed and read by `item`.
fn list<T>(v: &str, item: impl Fn(&str) -> Result<T, String>) -> Result<Vec<T>, String> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(item)
        .collect()
}

/// `SCRM_INDEX`: `on` or `off` (also `1`/`0`, `true`/`false`).
pub(super) fn on_off(v: &str) -> Result<bool, String> {
    match v.trim() {
        "on" | "1" | "true" => Ok(true),
        "off" | "0" | "false" => Ok(false),
        other => Err(format!("SCRM_INDEX: {other:?} is neither on nor off")),
    }
}

/// `SCRM_INDEX_MAX_MB`: a whole number of MiB.
pub(super) fn index_max_mb(v: &str) -> Result<usize, String> {
    v.trim()
        .parse()
        .map_err(|_| format!("SCRM_INDEX_MAX_MB: {v:?} is not a number"))
}
