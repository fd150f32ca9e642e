//! Configuration from `SCRM_*` environment variables, each with a default that works on a
//! developer machine (DESIGN section 6).

use std::time::Duration;

use anyhow::{Context, bail};
use chrono::{FixedOffset, Offset, Utc};

/// Which adapters serve the ports (`SCRM_STORE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StoreKind {
    /// MariaDB/MySQL and Redis.
    #[default]
    MySql,
    /// Everything in the process, nothing persisted (demos, frontend development).
    Memory,
}

impl std::str::FromStr for StoreKind {
    type Err = anyhow::Error;

    fn from_str(s: &str) -> anyhow::Result<Self> {
        match s.trim() {
            "mysql" => Ok(Self::MySql),
            "memory" => Ok(Self::Memory),
            other => bail!("store {other:?} is neither mysql nor memory"),
        }
    }
}

/// Everything the binary needs to run.
#[derive(Debug, Clone)]
pub struct Config {
    /// `SCRM_STORE`: `mysql` (default) or `memory`.
    pub store: StoreKind,
    /// `SCRM_DATABASE_URL`.
    pub database_url: String,
    /// `SCRM_REDIS_URL`.
    pub redis_url: String,
    /// `SCRM_REDIS_PREFIX`: the first part of every Redis key.
    pub redis_prefix: String,
    /// `SCRM_BIND`.
    pub bind: String,
    /// `SCRM_TIMEZONE`: the zone of wire times.
    pub zone: FixedOffset,
    /// `SCRM_SESSION_TTL_SECS`: idle expiry of a session.
    pub session_ttl: Duration,
    /// `SCRM_STORE_TIMEOUT_MS`: pool wait/create/recycle timeouts.
    pub store_timeout: Duration,
    /// `SCRM_REQUEST_TIMEOUT_MS`: a request whose handler has not answered by then gets 503.
    pub request_timeout: Duration,
    /// `SCRM_LOG_FORMAT`: `text` or `json`.
    pub json_logs: bool,
    /// `SCRM_CHAT_MAX_PER_CONVERSATION`: keep at most this many messages per conversation
    /// (the oldest go on ingest); unset keeps all.
    pub chat_max_per_conversation: Option<usize>,
    /// `SCRM_CORS_ORIGINS`: the browser origins allowed to call the API, comma-separated
    /// (`https://crm.example.com`); none (the default) sends no CORS header at all.
    pub cors_origins: Vec<String>,
    /// `SCRM_TRUSTED_PROXIES`: reverse proxies whose `X-Forwarded-For` names the client of a
    /// login (for the per-address limit of failed logins). None by default.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// `SCRM_INDEX`: `on` (default) answers customer lists from the customer index
    /// (crates/scrm-index) where it covers them; `off` always from SQL.
    pub index: bool,
    /// `SCRM_INDEX_MAX_MB`: the memory the customer index may take (least recently used
    /// tenants are dropped beyond it).
    pub index_max_mb: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            store: StoreKind::MySql,
            database_url: "mysql://root@127.0.0.1:3306/scrm".into(),
            redis_url: "redis://127.0.0.1:6379".into(),
            redis_prefix: "scrm".into(),
            bind: "127.0.0.1:8080".into(),
            zone: FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| Utc.fix()),
            session_ttl: Duration::from_secs(8 * 3600),
            store_timeout: Duration::from_secs(2),
            request_timeout: Duration::from_secs(10),
            json_logs: false,
            chat_max_per_conversation: None,
            cors_origins: Vec::new(),
            trusted_proxies: Vec::new(),
            index: true,
            index_max_mb: 1024,
        }
    }
}

impl Config {
    /// Reads the environment.
    ///
    /// # Errors
    /// When a variable is set to a value that cannot be read (named in the message).
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads variables through `get` (tests pass a map).
    ///
    /// # Errors
    /// When a variable is set to a value that cannot be read (named in the message).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let mut c = Self::default();
        let get = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        if let Some(v) = get("SCRM_STORE") {
            c.store = v.parse().context("SCRM_STORE")?;
        }
        if let Some(v) = get("SCRM_DATABASE_URL") {
            c.database_url = v;
        }
        if let Some(v) = get("SCRM_REDIS_URL") {
            c.redis_url = v;
        }
        if let Some(v) = get("SCRM_REDIS_PREFIX") {
            if v.contains(['{', '}']) {
                bail!(
                    "SCRM_REDIS_PREFIX: {v:?} must not contain braces (they would break the Redis Cluster hash tags)"
                );
            }
            c.redis_prefix = v;
        }
        if let Some(v) = get("SCRM_INDEX") {
            c.index = match v.trim() {
                "on" | "1" | "true" => true,
                "off" | "0" | "false" => false,
                _ => bail!("SCRM_INDEX: {v:?} is neither on nor off"),
            };
        }
        if let Some(v) = get("SCRM_INDEX_MAX_MB") {
            c.index_max_mb = v
                .trim()
                .parse()
                .with_context(|| format!("SCRM_INDEX_MAX_MB: {v:?} is not a number"))?;
        }
        if let Some(v) = get("SCRM_BIND") {
            c.bind = v;
        }
        if let Some(v) = get("SCRM_TIMEZONE") {
            c.zone = scrm_domain::time::parse_zone(&v)
                .with_context(|| format!("SCRM_TIMEZONE: {v:?} is not an offset like +08:00"))?;
        }
        if let Some(v) = get("SCRM_SESSION_TTL_SECS") {
            let secs: u64 = v
                .parse()
                .with_context(|| format!("SCRM_SESSION_TTL_SECS: {v:?} is not a number"))?;
            if secs == 0 {
                bail!("SCRM_SESSION_TTL_SECS must be at least 1");
            }
            c.session_ttl = Duration::from_secs(secs);
        }
        if let Some(v) = get("SCRM_REQUEST_TIMEOUT_MS") {
            let ms: u64 = v.parse().ok().filter(|ms| *ms > 0).with_context(|| {
                format!("SCRM_REQUEST_TIMEOUT_MS: {v:?} is not a positive number")
            })?;
            c.request_timeout = Duration::from_millis(ms);
        }
        if let Some(v) = get("SCRM_STORE_TIMEOUT_MS") {
            let ms: u64 = v
                .parse()
                .with_context(|| format!("SCRM_STORE_TIMEOUT_MS: {v:?} is not a number"))?;
            c.store_timeout = Duration::from_millis(ms.max(1));
        }
        if let Some(v) = get("SCRM_CHAT_MAX_PER_CONVERSATION") {
            let cap: usize = v.parse().ok().filter(|n| *n > 0).with_context(|| {
                format!("SCRM_CHAT_MAX_PER_CONVERSATION: {v:?} is not a positive number")
            })?;
            c.chat_max_per_conversation = Some(cap);
        }
        if let Some(v) = get("SCRM_TRUSTED_PROXIES") {
            c.trusted_proxies = v
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| {
                    p.parse::<std::net::IpAddr>()
                        .map(|ip| ip.to_canonical())
                        .with_context(|| {
                            format!("SCRM_TRUSTED_PROXIES: {p:?} is not an IP address")
                        })
                })
                .collect::<anyhow::Result<_>>()?;
        }
        if let Some(v) = get("SCRM_CORS_ORIGINS") {
            c.cors_origins = v
                .split(',')
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(|o| {
                    origin(o).with_context(|| {
                        format!(
                            "SCRM_CORS_ORIGINS: {o:?} is not an origin like https://crm.example.com"
                        )
                    })
                })
                .collect::<anyhow::Result<_>>()?;
        }
        if let Some(v) = get("SCRM_LOG_FORMAT") {
            c.json_logs = match v.as_str() {
                "json" => true,
                "text" => false,
                other => bail!("SCRM_LOG_FORMAT: {other:?} is neither text nor json"),
            };
        }
        Ok(c)
    }
}

/// `scheme://host[:port]` as a browser sends it in `Origin`: lower case, without the
/// scheme's default port. Only `http` and `https`; no path, query, user or wildcard.
fn origin(text: &str) -> anyhow::Result<String> {
    let lower = text.to_ascii_lowercase();
    let Some((scheme, authority)) = lower.split_once("://") else {
        bail!("no scheme://");
    };
    let default_port = match scheme {
        "http" => 80_u16,
        "https" => 443,
        other => bail!("the scheme {other:?} is neither http nor https"),
    };
    if authority.contains(['/', '?', '#', '@']) {
        bail!("an origin has no path, query or user");
    }
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (addr, rest) = v6.split_once(']').context("an unclosed [")?;
            if addr.is_empty()
                || !addr
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
            {
                bail!("{addr:?} is not an IPv6 address");
            }
            let port = match rest {
                "" => None,
                _ => Some(rest.strip_prefix(':').context("junk after ]")?),
            };
            (&authority[..addr.len() + 2], port)
        }
        None => {
            let (host, port) = match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            };
            let label = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.';
            if host.is_empty() || !host.chars().all(label) {
                bail!("{host:?} is not a host name");
            }
            (host, port)
        }
    };
    let port = match port {
        None => default_port,
        Some(p) => p
            .parse()
            .ok()
            .filter(|n| *n > 0 && p.bytes().all(|b| b.is_ascii_digit()))
            .with_context(|| format!("{p:?} is not a port"))?,
    };
    Ok(if port == default_port {
        format!("{scheme}://{host}")
    } else {
        format!("{scheme}://{host}:{port}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn with(vars: &[(&str, &str)]) -> anyhow::Result<Config> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_work_on_a_developer_machine() {
        let c = with(&[]).unwrap();
        assert_eq!(c.database_url, "mysql://root@127.0.0.1:3306/scrm");
        assert_eq!(c.redis_prefix, "scrm");
        assert_eq!(c.bind, "127.0.0.1:8080");
        assert_eq!(c.zone.local_minus_utc(), 8 * 3600);
        assert_eq!(c.session_ttl, Duration::from_secs(28_800));
        assert_eq!(c.request_timeout, Duration::from_secs(10));
        assert!(with(&[("SCRM_REQUEST_TIMEOUT_MS", "0")]).is_err());
        let quick = with(&[("SCRM_REQUEST_TIMEOUT_MS", "2500")]).unwrap();
        assert_eq!(quick.request_timeout, Duration::from_millis(2500));
    }

    #[test]
    fn variables_override_and_bad_values_are_named() {
        let c = with(&[
            ("SCRM_TIMEZONE", "+00:00"),
            ("SCRM_REDIS_PREFIX", "x"),
            ("SCRM_BIND", ""),
        ])
        .unwrap();
        assert_eq!(c.zone.local_minus_utc(), 0);
        assert_eq!(c.redis_prefix, "x");
        assert_eq!(c.bind, "127.0.0.1:8080", "empty means unset");
        let err = with(&[("SCRM_TIMEZONE", "Asia/Shanghai")]).unwrap_err();
        assert!(err.to_string().contains("SCRM_TIMEZONE"));
        assert!(
            with(&[("SCRM_SESSION_TTL_SECS", "abc")])
                .unwrap_err()
                .to_string()
                .contains("SCRM_SESSION_TTL_SECS")
        );
        assert!(with(&[("SCRM_LOG_FORMAT", "xml")]).is_err());
        assert!(with(&[("SCRM_REDIS_PREFIX", "a{b}")]).is_err());
        assert_eq!(
            with(&[("SCRM_STORE", "memory")]).unwrap().store,
            StoreKind::Memory
        );
        assert!(with(&[("SCRM_STORE", "sqlite")]).is_err());
        assert_eq!(with(&[]).unwrap().chat_max_per_conversation, None);
        assert!(with(&[]).unwrap().index);
        assert!(!with(&[("SCRM_INDEX", "off")]).unwrap().index);
        assert!(with(&[("SCRM_INDEX", "maybe")]).is_err());
        assert_eq!(
            with(&[("SCRM_INDEX_MAX_MB", "64")]).unwrap().index_max_mb,
            64
        );
        assert!(with(&[("SCRM_INDEX_MAX_MB", "-1")]).is_err());
        let capped = with(&[("SCRM_CHAT_MAX_PER_CONVERSATION", "500")]).unwrap();
        assert_eq!(capped.chat_max_per_conversation, Some(500));
        assert!(with(&[("SCRM_CHAT_MAX_PER_CONVERSATION", "0")]).is_err());
    }

    #[test]
    fn trusted_proxies_are_ip_addresses() {
        assert!(with(&[]).unwrap().trusted_proxies.is_empty());
        let c = with(&[(
            "SCRM_TRUSTED_PROXIES",
            " 10.0.0.1, ::ffff:10.0.0.2,2001:db8::1 ,",
        )])
        .unwrap();
        assert_eq!(
            c.trusted_proxies,
            ["10.0.0.1", "10.0.0.2", "2001:db8::1"].map(|s| s.parse::<std::net::IpAddr>().unwrap())
        );
        let err = with(&[("SCRM_TRUSTED_PROXIES", "10.0.0.0/8")]).unwrap_err();
        assert!(
            format!("{err:#}").contains("SCRM_TRUSTED_PROXIES"),
            "{err:#}"
        );
    }

    #[test]
    fn cors_origins_are_exact_origins() {
        assert!(
            with(&[]).unwrap().cors_origins.is_empty(),
            "none by default"
        );
        let c = with(&[(
            "SCRM_CORS_ORIGINS",
            "https://crm.example.com, http://localhost:5173,,HTTPS://Admin.Example.com:443,http://[::1]:08080",
        )])
        .unwrap();
        assert_eq!(
            c.cors_origins,
            [
                "https://crm.example.com",
                "http://localhost:5173",
                "https://admin.example.com",
                "http://[::1]:8080",
            ]
        );
        for bad in [
            "crm.example.com",
            "https://crm.example.com/",
            "https://crm.example.com/app",
            "*",
            "https://*.example.com",
            "ftp://crm.example.com",
            "https://user@crm.example.com",
            "https://crm.example.com:0",
            "https://crm.example.com:+80",
            "https://crm.example.com:99999",
            "https://crm.example.com:",
            "https://",
            "https://[::1",
            "https://ok.example.com,https://bad.example.com/x",
        ] {
            let err = with(&[("SCRM_CORS_ORIGINS", bad)]).unwrap_err();
            assert!(
                err.to_string().starts_with("SCRM_CORS_ORIGINS"),
                "{bad}: {err:#}"
            );
        }
    }
}
