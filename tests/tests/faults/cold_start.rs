//! scrm started while MariaDB is down: it serves `/healthz`, reports itself not ready, and
//! once MariaDB comes up its background migrations (retried every 2 s) apply by themselves.

use std::time::Duration;

use crate::app::{Scrm, eventually, ok};
use crate::servers::{MariaDb, Redis};

#[actix_web::test]
async fn a_server_started_while_mariadb_is_down_recovers_once_it_is_up() {
    let mut db = MariaDb::installed();
    let redis = Redis::start().await;
    let app = Scrm::start(&db, &redis).await;

    let r = app.get("/healthz", None).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = app.get("/readyz", None).await;
    assert_eq!(r.status, 503, "{}", r.text());
    assert_eq!(r.json()["data"]["mysql"], "down", "{}", r.text());
    assert_eq!(r.json()["data"]["redis"], "up", "{}", r.text());
    app.try_login("a_admin")
        .await
        .assert_unavailable("login (accounts are in MariaDB)", Duration::from_secs(2));

    db.restart().await;
    // The fixture loads once the migrations have created the tables.
    let (_, took) = eventually(
        Duration::from_secs(10),
        "the fixture loads after MariaDB came up",
        async || app.load_fixture().await.map_err(|e| format!("{e:#}")),
    )
    .await;
    eprintln!("cold start: migrated and loaded {took:?} after MariaDB came up");
    let r = app.get("/readyz", None).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let token = app.login("a_admin").await;
    let page = ok(app.customers(&token).await).unwrap();
    assert_eq!(crate::ids(&page), [6004, 6003, 6002, 6001]);
}
