//! `scrm passwd LOGIN`: the new password from standard input; bad input changes nothing.

use std::io::Write;
use std::process::{Output, Stdio};

use scrm_app::{Config, Stores};
use scrm_test_support::{TestDatabase, TestRedis};

use crate::{command, scrm, text};

fn passwd(db: &TestDatabase, redis: &TestRedis, login: &str, stdin: &str) -> Output {
    let mut child = command(db, redis, &["passwd", login])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

async fn logs_in(db: &TestDatabase, redis: &TestRedis, login: &str, password: &str) -> bool {
    let config = Config {
        database_url: db.url().to_owned(),
        redis_url: redis.url(),
        redis_prefix: redis.prefix().to_owned(),
        ..Config::default()
    };
    let stores = Stores::new(&config).unwrap();
    stores
        .auth_service()
        .login(login, password, "127.0.0.1")
        .await
        .is_ok()
}

#[tokio::test]
async fn passwd_sets_the_password_from_stdin_and_refuses_bad_input() {
    let db = TestDatabase::unborn();
    let redis = TestRedis::new();
    let out = scrm(&db, &redis, &["seed", "--tenants", "1", "--contacts", "2"]);
    assert!(out.status.success(), "{}", text(&out));

    let out = passwd(&db, &redis, "nobody", "long-enough-1\n");
    assert!(!out.status.success());
    assert!(text(&out).contains("not found"), "{}", text(&out));
    let out = passwd(&db, &redis, "demo_admin", "short\n");
    assert!(!out.status.success());
    assert!(text(&out).contains("at least 8"), "{}", text(&out));
    assert!(logs_in(&db, &redis, "demo_admin", scrm_app::seed::DEMO_PASSWORD).await);

    let out = passwd(&db, &redis, "demo_admin", "brand-new-pw\n");
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("sessions are ended"), "{}", text(&out));
    assert!(!logs_in(&db, &redis, "demo_admin", scrm_app::seed::DEMO_PASSWORD).await);
    assert!(logs_in(&db, &redis, "demo_admin", "brand-new-pw").await);
    assert!(
        logs_in(&db, &redis, "demo_sales1", scrm_app::seed::DEMO_PASSWORD).await,
        "other accounts keep theirs"
    );
}
