//! A store stopped while scrm runs: requests that need it are a 503 in the envelope within
//! 2 s, `/readyz` names it, `/healthz` stays up, and once the store is back scrm serves again
//! by itself (no restart of scrm).

use std::time::Duration;

use crate::app::{Scrm, eventually, ok, token_of};
use crate::servers::{MariaDb, Redis};

const FAST: Duration = Duration::from_secs(2);
const RECOVERY: Duration = Duration::from_secs(5);

/// `/readyz` answers 503 within `FAST` with `data` naming each store's state.
async fn assert_ready_says(app: &Scrm, mysql: &str, redis: &str) {
    let r = app.get("/readyz", None).await;
    assert_eq!(r.status, 503, "{}", r.text());
    assert!(r.took < FAST, "/readyz took {:?}", r.took);
    let body = r.json();
    assert_eq!(body["code"], 503, "{body}");
    assert_eq!(body["data"]["mysql"], mysql, "{body}");
    assert_eq!(body["data"]["redis"], redis, "{body}");
    let r = app.get("/healthz", None).await;
    assert_eq!(r.status, 200, "/healthz: {}", r.text());
}

#[actix_web::test]
async fn a_stopped_redis_is_503_and_a_fresh_login_works_once_it_is_back() {
    let db = MariaDb::start().await;
    let mut redis = Redis::start().await;
    let app = Scrm::loaded(&db, &redis).await;
    let token = app.login("a_admin").await;
    ok(app.customers(&token).await).unwrap();

    redis.stop().await;
    app.customers(&token)
        .await
        .assert_unavailable("customerPage (the session is in Redis)", FAST);
    app.try_login("a_admin")
        .await
        .assert_unavailable("login (the session cannot be written)", FAST);
    assert_ready_says(&app, "up", "down").await;

    redis.restart().await;
    let (fresh, took) = eventually(RECOVERY, "a login once Redis is back", async || {
        let r = ok(app.try_login("a_admin").await)?;
        token_of(&r).ok_or_else(|| r.text())
    })
    .await;
    eprintln!("redis stopped: a login worked {took:?} after the restart");
    let page = ok(app.customers(&fresh).await).unwrap();
    assert_eq!(crate::ids(&page), [6004, 6003, 6002, 6001]);
    // The Redis had no persistence: the old session went with it, and that is a 401.
    let r = app.customers(&token).await;
    assert_eq!(r.status, 401, "{}", r.text());
}

#[actix_web::test]
async fn a_stopped_mariadb_is_503_and_the_data_is_served_once_it_is_back() {
    let mut db = MariaDb::start().await;
    let redis = Redis::start().await;
    let app = Scrm::loaded(&db, &redis).await;
    let token = app.login("a_admin").await;
    let before = ok(app.customers(&token).await).unwrap().json();

    db.stop().await;
    app.customers(&token)
        .await
        .assert_unavailable("customerPage", FAST);
    assert_ready_says(&app, "down", "up").await;

    db.restart().await;
    let (after, took) = eventually(RECOVERY, "customerPage once MariaDB is back", async || {
        ok(app.customers(&token).await)
    })
    .await;
    eprintln!("mariadb stopped: customerPage answered {took:?} after the restart");
    assert_eq!(after.json(), before, "the same page as before the stop");
    let r = app.get("/readyz", None).await;
    assert_eq!(r.status, 200, "{}", r.text());
}
