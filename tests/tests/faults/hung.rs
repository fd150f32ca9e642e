//! A hung store (SIGSTOP: its port still accepts connections, nothing answers): from any
//! state of the pools (fresh with idle connections, after a restart of the store), every
//! request that needs it is a 503 in the envelope within the store timeout plus a margin
//! (`BOUND`), one at a time as well as several at once, `/readyz` names it within the same
//! bound, `/healthz` and the other store are unaffected, and after SIGCONT scrm serves again
//! with the same session. Requests already in flight when the store freezes answer in time
//! too (Redis commands have a response timeout and every Redis operation one deadline; a
//! MariaDB operation that has not answered after half the store timeout opens a probe
//! connection beside it, and gives up when that does not open either).

use std::cell::Cell;
use std::time::Duration;

use futures_util::future::join_all;
use serde_json::json;

use crate::app::{Reply, STORE_TIMEOUT, Scrm, eventually, ok};
use crate::servers::{MariaDb, Redis};

/// The store timeout plus a margin for a machine under load: no request that needs a hung
/// store may take longer. (Before one deadline covered a whole checkout, the pool checked its
/// idle connections one after another, a full timeout each, then opened one: 3 s and more.)
const BOUND: Duration = Duration::from_millis(1_600);
const RECOVERY: Duration = Duration::from_secs(5);
const DELETE: &str = "/wechat_api/customer/delete";
const AT_ONCE: usize = 6;
/// Connections each pool opens ahead of the first requests, as `scrm serve` does.
const WARM: usize = 8;

/// Requests that need the hung store: one at a time, then `AT_ONCE` at once with a `/readyz`
/// among them, each a 503 within `BOUND`; `/readyz` names `store` down and `other` up;
/// `/healthz` answers at once.
async fn assert_hung(app: &Scrm, token: &str, store: &str, other: &str) {
    let mut one_at_a_time = Vec::new();
    for n in 1..=4 {
        let r = app.customers(token).await;
        r.assert_unavailable(&format!("customerPage #{n}, one at a time"), BOUND);
        one_at_a_time.push(r.took);
    }
    eprintln!("{store} hung: customerPages one at a time answered 503 after {one_at_a_time:?}");
    assert_ready_says_down(app, store, other).await;
    let (replies, ()) = futures_util::join!(
        join_all((0..AT_ONCE).map(|_| app.customers(token))),
        assert_ready_says_down(app, store, other)
    );
    for r in &replies {
        r.assert_unavailable("customerPage, several at once", BOUND);
    }
    let slowest = replies.iter().map(|r| r.took).max().unwrap_or_default();
    eprintln!("{store} hung: {AT_ONCE} customerPages at once answered 503 within {slowest:?}");
    app.customers(token)
        .await
        .assert_unavailable("customerPage after the ones at once", BOUND);
    let r = app.get("/healthz", None).await;
    assert_eq!(r.status, 200, "/healthz: {}", r.text());
    assert!(
        r.took < Duration::from_millis(500),
        "/healthz took {:?}",
        r.took
    );
}

async fn assert_ready_says_down(app: &Scrm, store: &str, other: &str) {
    let r = app.get("/readyz", None).await;
    assert_eq!(r.status, 503, "{}", r.text());
    assert!(r.took < BOUND, "/readyz took {:?}", r.took);
    let body = r.json();
    assert_eq!(body["code"], 503, "{body}");
    assert_eq!(body["data"][store], "down", "{body}");
    assert_eq!(body["data"][other], "up", "{body}");
}

/// scrm over its own stores, the fixture loaded, a session, both pools holding `WARM` idle
/// connections, and the first page served.
async fn started(db: &MariaDb, redis: &Redis) -> (Scrm, String, Reply) {
    let app = Scrm::loaded(db, redis).await;
    let token = app.login("a_admin").await;
    let (held_db, held_redis) = app.stores.warm_up(WARM).await;
    assert_eq!(
        (held_db, held_redis),
        (WARM, WARM),
        "connections opened ahead"
    );
    let first = ok(app.customers(&token).await).unwrap();
    (app, token, first)
}

#[actix_web::test]
async fn a_hung_redis_is_503_within_the_timeout_from_a_fresh_pool_and_served_after_it_resumes() {
    let db = MariaDb::start().await;
    let redis = Redis::start().await;
    let (app, token, _) = started(&db, &redis).await;

    redis.pause();
    assert_hung(&app, &token, "redis", "mysql").await;

    redis.resume();
    let (_, took) = eventually(RECOVERY, "customerPage once Redis resumes", async || {
        ok(app.customers(&token).await)
    })
    .await;
    eprintln!("redis hung: customerPage answered {took:?} after SIGCONT");
}

#[actix_web::test]
async fn a_hung_mariadb_is_503_within_the_timeout_from_a_fresh_pool_and_served_after_it_resumes() {
    let db = MariaDb::start().await;
    let redis = Redis::start().await;
    let (app, token, before) = started(&db, &redis).await;

    db.pause();
    assert_hung(&app, &token, "mysql", "redis").await;

    db.resume();
    let (after, took) = eventually(RECOVERY, "customerPage once MariaDB resumes", async || {
        ok(app.customers(&token).await)
    })
    .await;
    eprintln!("mariadb hung: customerPage answered {took:?} after SIGCONT");
    assert_eq!(after.json(), before.json());
}

/// The pool after a restart of MariaDB: its old connections died with the server, the ones
/// the requests after it opened are alive; then the server hangs.
#[actix_web::test]
async fn a_hung_mariadb_after_a_restart_is_503_within_the_timeout() {
    let mut db = MariaDb::start().await;
    let redis = Redis::start().await;
    let (app, token, before) = started(&db, &redis).await;
    db.stop().await;
    db.restart().await;
    let (after, _) = eventually(RECOVERY, "customerPage once MariaDB is back", async || {
        ok(app.customers(&token).await)
    })
    .await;
    assert_eq!(after.json(), before.json());
    app.stores.warm_up(WARM).await;

    db.pause();
    assert_hung(&app, &token, "mysql", "redis").await;
    db.resume();
    eventually(RECOVERY, "customerPage once MariaDB resumes", async || {
        ok(app.customers(&token).await)
    })
    .await;
}

/// Four clients ask for customerPage in a loop while the store freezes under them for
/// `STORE_TIMEOUT` + 3 s: some requests are in flight at that moment. Every reply must be a 200
/// or a 503 within `BOUND`.
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
        actix_web::rt::time::sleep(STORE_TIMEOUT + Duration::from_secs(3)).await;
        stop.set(true);
        resume();
    };
    let (replies, ()) = futures_util::join!(join_all((0..4).map(|_| client())), freeze);
    let replies: Vec<Reply> = replies.into_iter().flatten().collect();
    let slow: Vec<_> = replies
        .iter()
        .filter(|r| r.took >= BOUND)
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
        assert!(r.took < BOUND, "a request took {:?} ({})", r.took, r.status);
    }
    eventually(
        RECOVERY,
        "customerPage once the store resumes",
        async || ok(app.customers(token).await),
    )
    .await;
}

#[actix_web::test]
async fn requests_in_flight_when_redis_hangs_answer_in_time() {
    let db = MariaDb::start().await;
    let redis = Redis::start().await;
    let app = Scrm::loaded(&db, &redis).await;
    let token = app.login("a_admin").await;
    freeze_under_load(&app, &token, || redis.pause(), || redis.resume()).await;
}

/// A statement already sent when MariaDB freezes would wait for the server (the server's
/// statement limit cannot fire in a frozen server, and mysql_async has no read timeout; a dead
/// host would hold it until TCP gives up). `MySql::attempt` opens a probe connection beside
/// an operation that has not answered after half the store timeout, and gives up at the store
/// timeout when that does not open either, dropping the connection; the request deadline
/// (`SCRM_REQUEST_TIMEOUT_MS`, 3 s here) stays the backstop for the rest.
#[actix_web::test]
async fn requests_in_flight_when_mariadb_hangs_answer_in_time() {
    let db = MariaDb::start().await;
    let redis = Redis::start().await;
    let app = Scrm::loaded(&db, &redis).await;
    let token = app.login("a_admin").await;
    freeze_under_load(&app, &token, || db.pause(), || db.resume()).await;
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// A write handed a table whose triggers failed to load first closes the tables that have
/// triggers (`FLUSH LOCAL TABLES`, `scrm_mysql::galera`), then runs again. The flush is
/// watched like the write: MariaDB frozen while the flush waits (here for another
/// transaction's hold on `wechat_contact`, which has triggers) makes the write a 503 within
/// the same bound, never applied; once MariaDB resumes and the hold ends, the same write
/// succeeds.
#[actix_web::test]
async fn a_write_whose_trigger_flush_meets_a_hung_mariadb_is_503_within_the_timeout() {
    use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl, SimpleAsyncConnection};
    let db = MariaDb::start().await;
    let redis = Redis::start().await;
    let (app, token, before) = started(&db, &redis).await;
    assert!(crate::ids(&before).contains(&6001), "{}", before.text());
    let connect = async || AsyncMysqlConnection::establish(&db.url()).await.unwrap();
    let (mut admin, mut holder) = (connect().await, connect().await);
    holder
        .batch_execute("START TRANSACTION; SELECT 1 FROM wechat_contact LIMIT 1")
        .await
        .unwrap();
    scrm_test_support::cache_customer_with_broken_triggers(&mut admin).await;

    let delete = async || {
        app.post_json(DELETE, Some(&token), json!({"customerId": "6001"}))
            .await
    };
    let freeze_at_the_flush = async {
        loop {
            let waiting: Count = diesel::sql_query(
                "SELECT COUNT(*) AS n FROM information_schema.processlist \
                 WHERE info LIKE '%FLUSH LOCAL TABLES%' AND id <> CONNECTION_ID()",
            )
            .get_result(&mut admin)
            .await
            .unwrap();
            if waiting.n > 0 {
                break;
            }
            actix_web::rt::time::sleep(Duration::from_millis(5)).await;
        }
        db.pause();
    };
    let (refused, ()) = futures_util::join!(delete(), freeze_at_the_flush);
    refused.assert_unavailable("a delete whose flush met a hung MariaDB", BOUND);
    eprintln!(
        "mariadb hung in a flush: the delete answered 503 after {:?}",
        refused.took
    );

    db.resume();
    holder.batch_execute("COMMIT").await.unwrap();
    let (after, _) = eventually(RECOVERY, "customerPage once MariaDB resumes", async || {
        ok(app.customers(&token).await)
    })
    .await;
    assert_eq!(after.json(), before.json(), "nothing deleted");
    eventually(RECOVERY, "the delete once MariaDB resumes", async || {
        ok(delete().await)
    })
    .await;
    let after = ok(app.customers(&token).await).unwrap();
    assert!(!crate::ids(&after).contains(&6001), "{}", after.text());
}
