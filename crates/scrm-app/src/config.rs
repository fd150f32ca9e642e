//! Configuration: one flag per setting, each read from its `SCRM_*` environment variable
//! when the flag is not given (clap's `env`), with a default that works on a developer
//! machine (DESIGN section 6). `scrm serve --help` lists them all.

mod origin;
mod values;

use std::ffi::OsStr;
use std::net::IpAddr;
use std::time::Duration;

use chrono::FixedOffset;
use clap::error::ErrorKind;
use clap::{Arg, Args, Command, FromArgMatches, Parser};

/// Which adapters serve the ports (`SCRM_STORE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StoreKind {
    /// MariaDB/MySQL and Redis.
    #[default]
    MySql,
    /// Everything in the process, nothing persisted (demos, frontend development).
    Memory,
}

/// Everything the binary needs to run. Each field is a global flag of `scrm` (given before
/// or after the subcommand) that falls back to its variable, then to its default. A variable
/// set to blanks counts as unset.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// `mysql` (MariaDB + Redis) or `memory` (in-process, nothing persisted; `serve` loads
    /// demo data unless --import).
    #[arg(long, global = true, env = "SCRM_STORE", default_value = "mysql",
          value_name = "mysql|memory", value_parser = values::store)]
    pub store: StoreKind,
    /// MariaDB/MySQL; the database is created when missing.
    #[arg(
        long,
        global = true,
        env = "SCRM_DATABASE_URL",
        hide_env_values = true,
        default_value = "mysql://root@127.0.0.1:3306/scrm",
        value_name = "URL"
    )]
    pub database_url: String,
    /// Redis (sessions, chat messages).
    #[arg(
        long,
        global = true,
        env = "SCRM_REDIS_URL",
        hide_env_values = true,
        default_value = "redis://127.0.0.1:6379",
        value_name = "URL"
    )]
    pub redis_url: String,
    /// Comma-separated `host:port` seed nodes of a Redis Cluster; when given, every Redis port
    /// talks to that cluster and `SCRM_REDIS_URL` is not used. None by default.
    #[arg(long, global = true, env = "SCRM_REDIS_CLUSTER_NODES", default_value = "",
          hide_default_value = true, value_name = "HOST:PORT,...",
          value_parser = values::redis_cluster_nodes)]
    pub redis_cluster_nodes: ::std::vec::Vec<String>,
    /// Chat ingest answers only once `WAIT` confirms this many Redis replicas hold the
    /// messages (else 503, and the connector sends them again); 0 does not wait.
    #[arg(long, global = true, env = "SCRM_REDIS_WAIT_REPLICAS", default_value = "0",
          value_name = "N", value_parser = values::redis_wait_replicas)]
    pub redis_wait_replicas: u32,
    /// The first part of every Redis key (no braces).
    #[arg(long, global = true, env = "SCRM_REDIS_PREFIX", default_value = "scrm",
          value_name = "PREFIX", value_parser = values::redis_prefix)]
    pub redis_prefix: String,
    /// Listen address of `scrm serve`.
    #[arg(
        long,
        global = true,
        env = "SCRM_BIND",
        default_value = "127.0.0.1:8080",
        value_name = "ADDR"
    )]
    pub bind: String,
    /// Zone of the times on the wire.
    #[arg(long = "timezone", global = true, env = "SCRM_TIMEZONE", default_value = "+08:00",
          value_name = "OFFSET", value_parser = values::zone, allow_hyphen_values = true)]
    pub zone: FixedOffset,
    /// Idle expiry of a session (renewed on use).
    #[arg(long = "session-ttl-secs", global = true, env = "SCRM_SESSION_TTL_SECS",
          default_value = "28800", value_name = "SECS", value_parser = values::session_ttl)]
    pub session_ttl: Duration,
    /// Pool wait/connect/recycle timeout: a store that is down answers 503 within it.
    #[arg(long = "store-timeout-ms", global = true, env = "SCRM_STORE_TIMEOUT_MS",
          default_value = "2000", value_name = "MS", value_parser = values::store_timeout)]
    pub store_timeout: Duration,
    /// A request whose handler has not answered by then gets 503 (bounds a store that hangs
    /// mid-query).
    #[arg(long = "request-timeout-ms", global = true, env = "SCRM_REQUEST_TIMEOUT_MS",
          default_value = "10000", value_name = "MS", value_parser = values::request_timeout)]
    pub request_timeout: Duration,
    /// `text` or `json` log lines.
    #[arg(long = "log-format", global = true, env = "SCRM_LOG_FORMAT", default_value = "text",
          value_name = "text|json", value_parser = values::json_logs,
          action = clap::ArgAction::Set)]
    pub json_logs: bool,
    /// Keep at most this many chat messages per conversation (the oldest go on ingest);
    /// unset keeps all.
    #[arg(long = "chat-max-per-conversation", global = true,
          env = "SCRM_CHAT_MAX_PER_CONVERSATION", value_name = "N", value_parser = values::chat_max)]
    pub chat_max_per_conversation: Option<usize>,
    /// Comma-separated browser origins allowed to call the API, exactly as sent in `Origin`
    /// (`https://crm.example.com,http://localhost:5173`); none (the default) sends no CORS
    /// header at all.
    #[arg(long, global = true, env = "SCRM_CORS_ORIGINS", default_value = "",
          hide_default_value = true, value_name = "ORIGINS", value_parser = values::cors_origins)]
    pub cors_origins: ::std::vec::Vec<String>,
    /// Comma-separated IP addresses of reverse proxies whose `X-Forwarded-For` names the
    /// client of a login (for the per-address limit of failed logins); none by default.
    #[arg(long, global = true, env = "SCRM_TRUSTED_PROXIES", default_value = "",
          hide_default_value = true, value_name = "ADDRS", value_parser = values::trusted_proxies)]
    pub trusted_proxies: ::std::vec::Vec<IpAddr>,
    /// `on` answers customer lists from the customer index (crates/scrm-index) where it
    /// covers them; `off` always from SQL.
    #[arg(long, global = true, env = "SCRM_INDEX", default_value = "on",
          value_name = "on|off", value_parser = values::on_off, action = clap::ArgAction::Set)]
    pub index: bool,
    /// The memory the customer index may take, in MiB (least recently used tenants are
    /// dropped beyond it).
    #[arg(long = "index-max-mb", global = true, env = "SCRM_INDEX_MAX_MB",
          default_value = "1024", value_name = "MB", value_parser = values::index_max_mb)]
    pub index_max_mb: usize,
}

impl Default for Config {
    /// Every default, whatever the environment holds.
    #[expect(
        clippy::expect_used,
        reason = "the defaults are literals above; `defaults_work_on_a_developer_machine` reads them"
    )]
    fn default() -> Self {
        Self::from_vars([]).expect("the defaults parse")
    }
}

impl Config {
    /// Reads exactly these `SCRM_*` variables (tests pass them; the process environment is
    /// not looked at), blank ones as unset, the others at their defaults.
    ///
    /// # Errors
    /// When a name is not one of the variables, or a value cannot be read (the message
    /// names the variable).
    pub fn from_vars<'a>(
        vars: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, clap::Error> {
        let mut cmd = Self::augment_args(Command::new("scrm"));
        let mut args = vec!["scrm".to_owned()];
        for (name, value) in vars {
            let long = cmd
                .get_arguments()
                .find(|a| a.get_env() == Some(OsStr::new(name)))
                .and_then(Arg::get_long);
            match long {
                Some(_) if value.trim().is_empty() => {}
                Some(long) => args.push(format!("--{long}={value}")),
                None => {
                    return Err(cmd.error(
                        ErrorKind::UnknownArgument,
                        format!("{name} is not a variable of scrm"),
                    ));
                }
            }
        }
        let mut matches = cmd.mut_args(|a| a.env(None)).try_get_matches_from(args)?;
        Self::from_arg_matches_mut(&mut matches)
    }
}

/// Parses the command line of `P` (which flattens a [`Config`]) and the process environment
/// through clap's `env`, a variable set to blanks counting as unset. Exits with clap's message
/// (which names the flag and the variable) when something cannot be read.
#[must_use]
pub fn parse<P: Parser>() -> P {
    let blank = |name: &OsStr| {
        std::env::var_os(name).is_some_and(|v| v.to_str().is_some_and(|v| v.trim().is_empty()))
    };
    let cmd = P::command().mut_args(|a| {
        if a.get_env().is_some_and(blank) {
            a.env(None)
        } else {
            a
        }
    });
    P::from_arg_matches_mut(&mut cmd.get_matches()).unwrap_or_else(|e| e.exit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(vars: &[(&str, &str)]) -> Result<Config, clap::Error> {
        Config::from_vars(vars.iter().copied())
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
    fn every_setting_has_a_flag_a_variable_and_a_default() {
        let cmd = Config::augment_args(Command::new("scrm"));
        let mut vars = Vec::new();
        for arg in cmd.get_arguments() {
            let var = arg.get_env().and_then(OsStr::to_str).unwrap_or_default();
            assert!(var.starts_with("SCRM_"), "{arg} has no SCRM_ variable");
            assert!(arg.get_long().is_some(), "{var} has no flag");
            assert!(arg.is_global_set(), "{var} is not global");
            let optional = arg.get_id() == "chat_max_per_conversation";
            assert!(optional || !arg.get_default_values().is_empty(), "{var}");
            vars.push(var);
        }
        assert_eq!(vars.len(), 17, "{vars:?}");
        let err = with(&[("SCRM_BINDS", "x")]).unwrap_err();
        assert!(
            err.to_string().contains("SCRM_BINDS is not a variable"),
            "{err}"
        );
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
    fn redis_cluster_nodes_are_host_ports() {
        let c = with(&[]).unwrap();
        assert!(c.redis_cluster_nodes.is_empty(), "none by default");
        assert_eq!(c.redis_wait_replicas, 0);
        let c = with(&[
            (
                "SCRM_REDIS_CLUSTER_NODES",
                " 10.0.0.1:7000, redis-b:7001,,[::1]:7002",
            ),
            ("SCRM_REDIS_WAIT_REPLICAS", "1"),
        ])
        .unwrap();
        assert_eq!(
            c.redis_cluster_nodes,
            ["10.0.0.1:7000", "redis-b:7001", "[::1]:7002"]
        );
        assert_eq!(c.redis_wait_replicas, 1);
        for bad in [
            "10.0.0.1",
            "10.0.0.1:0",
            "h:99999",
            ":7000",
            "redis://h:7000",
            "h:7000/1",
        ] {
            let err = with(&[("SCRM_REDIS_CLUSTER_NODES", bad)]).unwrap_err();
            assert!(
                format!("{err:#}").contains("SCRM_REDIS_CLUSTER_NODES"),
                "{bad}: {err:#}"
            );
        }
        for bad in ["-1", "x", "65"] {
            assert!(with(&[("SCRM_REDIS_WAIT_REPLICAS", bad)]).is_err(), "{bad}");
        }
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
                err.to_string().contains("SCRM_CORS_ORIGINS: "),
                "{bad}: {err:#}"
            );
        }
    }
}
