//! The `scrm` binary itself (migrate, import, seed, passwd, graceful shutdown), the seed at
//! scale read back through every customer list (`scale`), and the warm-up of its stores.

#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::process::{Command, Output};

use scrm_test_support::{TestDatabase, TestRedis};

mod config;
mod index_check;
mod index_warm;
mod passwd;
mod refresh;
mod scale;
mod server;
mod shutdown;
mod warm;

/// The binary with `args`, on the test's database and Redis prefix.
fn command(db: &TestDatabase, redis: &TestRedis, args: &[&str]) -> Command {
    let mut command = scrm_test_support::ends_with_spawning_thread(env!("CARGO_BIN_EXE_scrm"));
    command
        .args(args)
        .env("SCRM_DATABASE_URL", db.url())
        .env("SCRM_REDIS_URL", redis.url())
        .env("SCRM_REDIS_PREFIX", redis.prefix())
        .env("RUST_LOG", "warn");
    command
}

fn scrm(db: &TestDatabase, redis: &TestRedis, args: &[&str]) -> Output {
    command(db, redis, args).output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[tokio::test]
async fn migrate_creates_the_database_and_import_is_idempotent() {
    let db = TestDatabase::unborn();
    let redis = TestRedis::new();
    let out = scrm(&db, &redis, &["migrate"]);
    assert!(out.status.success(), "{}", text(&out));
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/examples/import.json"
    );
    for _ in 0..2 {
        let out = scrm(&db, &redis, &["import", example]);
        assert!(out.status.success(), "{}", text(&out));
        assert!(text(&out).contains("imported 9 rows"), "{}", text(&out));
    }
    let keys = redis.keys().await;
    assert_eq!(keys.len(), 2, "one conversation: {keys:?}");
}

#[tokio::test]
async fn a_broken_file_names_the_record_and_fails() {
    let db = TestDatabase::unborn();
    let redis = TestRedis::new();
    let dir = std::env::temp_dir().join(format!("scrm-cli-{}", redis.prefix()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"customers":[{"id":1,"wechatContactId":42}]}"#).unwrap();
    let out = scrm(&db, &redis, &["import", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("customers[0] (id 1): wechatContactId 42 does not exist"),
        "{}",
        text(&out)
    );
    std::fs::write(&bad, r#"{"customers": [{"id": "x"}]}"#).unwrap();
    let out = scrm(&db, &redis, &["import", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(text(&out).contains("line 1"), "{}", text(&out));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn seed_prints_the_demo_logins() {
    let db = TestDatabase::unborn();
    let redis = TestRedis::new();
    let out = scrm(&db, &redis, &["seed", "--tenants", "2", "--contacts", "10"]);
    assert!(out.status.success(), "{}", text(&out));
    let printed = text(&out);
    for login in ["demo_admin", "demo_sales1", "demo_sales2", "acme_admin"] {
        assert!(printed.contains(login), "{printed}");
    }
    assert!(printed.contains("demo-pass-123"));
}
