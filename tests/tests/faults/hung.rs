//! A hung store (SIGSTOP: its port still accepts connections, nothing answers): requests that
//! need it, several at once, are a 503 within the pool timeouts instead of waiting for it, and
//! after SIGCONT scrm serves again with the same session. Requests already in flight when the
//! store freezes must answer in time too: Redis commands have a response timeout; MariaDB
//! statements have none on the client side, so the request deadline answers them.

use std::cell::Cell;
use std::time::Duration;

use futures_util::future::join_all;

use crate::app::{Reply, Scrm, eventually, ok};
use crate::servers::{MariaDb, Redis};

/// The pool timeouts are 1 s: checking a connection, then opening one, may take 2.
const WITHIN: Duration = Duration::from_secs(4);
const RECOVERY: Duration = Duration::from_secs(5);
const AT_ONCE: usize = 6;

async fn assert_all_unavailable(app: &Scrm, token: &str) {
    let replies = join_all((0..AT_ONCE).map(|_| app.customers(token))).await;
    for r in &replies {
        r.assert_unavailable("customerPage while a store hangs", WITHIN);
    }
    let slowest = replies.iter().map(|r| r.took).max().unwrap_or_default();
    eprintln!("{AT_ONCE} customerPages answered 503 within {slowest:?}");
    // And one more after those, through whatever the pool kept.
    app.customers(token)
        .await
        .assert_unavailable("customerPage after the first ones", WITHIN);
}

async fn assert_ready_says_down(app: &Scrm, store: &str) {
    let r = app.get("/readyz", None).await;
    assert_eq!(r.status, 503, "{}", r.text());
    assert!(r.took < WITHIN, "/readyz took {:?}", r.took);
    assert_eq!(r.json()["data"][store], "down", "{}", r.text());
}

#[actix_web::test]
async fn a_hung_redis_is_503_within_the_timeouts_and_served_after_it_resumes() {
    let db = MariaDb::start().await;
    let redis = Redis::start().await;
    let app = Scrm::loaded(&db, &redis).await;
    let token = app.login("a_admin").await;
    ok(app.customers(&token).await).unwrap();

    redis.pause();
    assert_all_unavailable(&app, &token).await;
    assert_ready_says_down(&app, "redis").await;

    redis.resume();
    let (_, took) = eventually(RECOVERY, "customerPage once Redis resumes", async || {
        ok(app.customers(&token).await)
    })
    .await;
    eprintln!("redis hung: customerPage answered {took:?} after SIGCONT");
}

#[actix_web::test]
async fn a_hung_mariadb_is_503_within_the_timeouts_and_served_after_it_resumes() {
    let db = MariaDb::start().await;
    let redis = Redis::start().await;
    let app = Scrm::loaded(&db, &redis).await;
    let token = app.login("a_admin").await;
    let before = ok(app.customers(&token).await).unwrap().json();

    db.pause();
    assert_all_unavailable(&app, &token).await;
    assert_ready_says_down(&app, "mysql").await;

    db.resume();
    let (after, took) = eventually(RECOVERY, "customerPage once MariaDB resumes", async || {
        ok(app.customers(&token).await)
    })
    .await;
    eprintln!("mariadb hung: customerPage answered {took:?} after SIGCONT");
    assert_eq!(after.json(), before);
}

/// Four clients ask for customerPage in a loop while the store freezes under them for
/// `WITHIN` + 2 s: some requests are in flight at that moment. Every reply must be a 200 or a
/// 503 within `WITHIN`.
async fn freeze_under_load(app: &Scrm, token: &str, pause: impl Fn(), resume: impl Fn()) {
    let stop = Cell::new(false);
    let client = async || {
        let mut replies = Vec::new();
        while !stop.get() {
            replies.push(app.customers(token).await);
        }
        replies
    };
    let freeze = async {
        actix_web::rt::time::sleep(Duration::from_millis(300)).await;
        pause();
        actix_web::rt::time::sleep(WITHIN + Duration::from_secs(2)).await;
        stop.set(true);
        resume();
    };
    let (replies, ()) = futures_util::join!(join_all((0..4).map(|_| client())), freeze);
    let replies: Vec<Reply> = replies.into_iter().flatten().collect();
    let slow: Vec<_> = replies
        .iter()
        .filter(|r| r.took >= WITHIN)
        .map(|r| (r.status, r.took))
        .collect();
    eprintln!("{} requests, too slow: {slow:?}", replies.len());
    for r in &replies {
        assert!(
            r.status == 200 || r.status == 503,
            "{} {}",
            r.status,
            r.text()
        );
        assert!(
            r.took < WITHIN,
            "a request took {:?} ({})",
            r.took,
            r.status
        );
    }
}

#[actix_web::test]
async fn requests_in_flight_when_redis_hangs_answer_in_time() {
    let db = MariaDb::start().await;
    let redis = Redis::start().await;
    let app = Scrm::loaded(&db, &redis).await;
    let token = app.login("a_admin").await;
    freeze_under_load(&app, &token, || redis.pause(), || redis.resume()).await;
}

/// A statement already sent when MariaDB freezes would wait for the server (the pool's
/// timeouts only bound checkout, the server's statement limit cannot fire in a frozen
/// server, and mysql_async has no read timeout; a dead host would hold the request until TCP
/// gives up). The request deadline (`SCRM_REQUEST_TIMEOUT_MS`, 3 s here) answers such
/// requests 503 in time and drops their work, pooled connection included.
#[actix_web::test]
async fn requests_in_flight_when_mariadb_hangs_answer_in_time() {
    let db = MariaDb::start().await;
    let redis = Redis::start().await;
    let app = Scrm::loaded(&db, &redis).await;
    let token = app.login("a_admin").await;
    freeze_under_load(&app, &token, || db.pause(), || db.resume()).await;
}
