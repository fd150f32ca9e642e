//! The configuration as the binary reads it: every variable in `--help`, a bad value named
//! before anything starts.

use std::process::Command;

use super::text;

fn scrm(args: &[&str], vars: &[(&str, &str)]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_scrm"))
        .args(args)
        .envs(vars.iter().copied())
        .output()
        .unwrap()
}

#[test]
fn help_shows_every_variable_with_its_default() {
    let out = scrm(&["serve", "--help"], &[]);
    assert!(out.status.success(), "{}", text(&out));
    let help = text(&out);
    for var in [
        "SCRM_STORE",
        "SCRM_DATABASE_URL",
        "SCRM_REDIS_URL",
        "SCRM_REDIS_PREFIX",
        "SCRM_REDIS_CLUSTER_NODES",
        "SCRM_REDIS_WAIT_REPLICAS",
        "SCRM_BIND",
        "SCRM_TIMEZONE",
        "SCRM_SESSION_TTL_SECS",
        "SCRM_STORE_TIMEOUT_MS",
        "SCRM_REQUEST_TIMEOUT_MS",
        "SCRM_LOG_FORMAT",
        "SCRM_CHAT_MAX_PER_CONVERSATION",
        "SCRM_CORS_ORIGINS",
        "SCRM_TRUSTED_PROXIES",
    ] {
        assert!(help.contains(&format!("[env: {var}")), "{var}: {help}");
    }
    assert!(help.contains("[default: 127.0.0.1:8080]"), "{help}");
    let secret = scrm(
        &["serve", "--help"],
        &[("SCRM_DATABASE_URL", "mysql://root:secret@db/scrm")],
    );
    assert!(!text(&secret).contains("secret"), "{}", text(&secret));
}

#[test]
fn a_bad_value_names_its_variable_and_nothing_starts() {
    for (var, value) in [
        ("SCRM_SESSION_TTL_SECS", "0"),
        ("SCRM_TIMEZONE", "Asia/Shanghai"),
        ("SCRM_STORE", "sqlite"),
    ] {
        let out = scrm(&["serve"], &[(var, value), ("SCRM_BIND", "127.0.0.1:0")]);
        assert!(!out.status.success(), "{var}: {}", text(&out));
        assert!(text(&out).contains(var), "{var}: {}", text(&out));
    }
    let out = scrm(&["serve", "--store", "sqlite"], &[]);
    assert!(text(&out).contains("SCRM_STORE"), "{}", text(&out));
}
