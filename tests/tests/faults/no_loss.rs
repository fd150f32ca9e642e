//! Writes cut off by a crashed store: an acknowledged write is never lost, and a write the
//! crash interrupted is all or nothing.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::rc::Rc;
use std::time::{Duration, Instant};

use actix_web::rt::time::sleep;
use serde_json::{Value, json};

use scrm_e2e::{customer_in, remarks_and_tags, tags_of};

use crate::app::{Reply, Scrm, eventually, ok};
use crate::servers::{MariaDb, Redis};

const RECOVERY: Duration = Duration::from_secs(5);
/// No call may wait longer than this on a crashed store.
const WITHIN: Duration = Duration::from_secs(4);

/// One call of a writer loop: what it wrote, the answer, when it was sent.
struct Call {
    key: u64,
    status: u16,
    took: Duration,
    sent: Instant,
}

/// Asserts each call was acknowledged (200) or refused with a 5xx, in time, and returns the
/// keys acknowledged.
fn acknowledged(calls: &[Call], what: &str) -> BTreeSet<u64> {
    for c in calls {
        assert!(
            c.status == 200 || (500..600).contains(&c.status),
            "{what} {}: status {} (neither 200 nor 5xx)",
            c.key,
            c.status
        );
        assert!(
            c.took < WITHIN,
            "{what} {}: answered after {:?}",
            c.key,
            c.took
        );
    }
    calls
        .iter()
        .filter(|c| c.status == 200)
        .map(|c| c.key)
        .collect()
}

/// Calls `write(key)` with keys 0, 1, 2… until `stop`, and records every call in `log`.
async fn writer(
    next: Rc<Cell<u64>>,
    stop: Rc<Cell<bool>>,
    log: Rc<RefCell<Vec<Call>>>,
    write: impl AsyncFn(u64) -> Reply,
) {
    while !stop.get() {
        let key = next.get();
        next.set(key + 1);
        let sent = Instant::now();
        let r = write(key).await;
        log.borrow_mut().push(Call {
            key,
            status: r.status,
            took: r.took,
            sent,
        });
        sleep(Duration::from_millis(5)).await;
    }
}

const RECORD: &str = "/wechat_api/message/record";
const MESSAGES: &str = "/wechat_api/message/getRedisMessageRecord";
const PER_CALL: u64 = 3;

fn batch(key: u64) -> Value {
    let messages: Vec<Value> = (0..PER_CALL)
        .map(|j| {
            json!({"msgId": format!("m{key}-{j}"), "wechatUserId": 200, "wechatContactId": 5001,
                "isSend": 1, "msgType": 1, "content": "crash", "createTime": 1_700_000_000_000_u64 + key})
        })
        .collect();
    json!(messages)
}

/// Every msgId of the conversation, paging through the record.
async fn stored_msg_ids(app: &Scrm, token: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for page in 1.. {
        let path = format!("{MESSAGES}?wechatContactIds=5001&limit=100&pageNo={page}");
        let r = ok(app.get(&path, Some(token)).await).unwrap();
        let items = r.json()["data"].as_array().cloned().unwrap_or_default();
        if items.is_empty() {
            break;
        }
        ids.extend(
            items
                .iter()
                .filter_map(|m| m["msgId"].as_str().map(str::to_owned)),
        );
    }
    ids
}

#[actix_web::test]
async fn messages_acknowledged_around_a_redis_crash_are_all_kept() {
    let db = MariaDb::start().await;
    let mut redis = Redis::start_durable().await;
    let app = Rc::new(Scrm::loaded(&db, &redis).await);
    let token = app.login("a_sales1").await;
    let (next, stop, log) = (Rc::default(), Rc::new(Cell::new(false)), Rc::default());
    let ingest = {
        let (app, token) = (app.clone(), token.clone());
        writer(next, stop.clone(), Rc::clone(&log), async move |key| {
            app.post_json(RECORD, Some(&token), batch(key)).await
        })
    };
    let ingest = actix_web::rt::spawn(ingest);

    sleep(Duration::from_millis(400)).await;
    let killed = Instant::now();
    redis.kill().await;
    sleep(Duration::from_millis(800)).await;
    redis.restart().await;
    let back = Instant::now();
    let acked_after = |log: &RefCell<Vec<Call>>| {
        log.borrow()
            .iter()
            .filter(|c| c.sent > back && c.status == 200)
            .count()
    };
    eventually(
        RECOVERY,
        "ingest acknowledged after the restart",
        async || match acked_after(&log) {
            n if n >= 5 => Ok(()),
            n => Err(format!("{n} acknowledged")),
        },
    )
    .await;
    stop.set(true);
    ingest.await.unwrap();

    let calls = log.take();
    let acked = acknowledged(&calls, "ingest");
    let refused = calls.iter().filter(|c| c.status != 200).count();
    assert!(
        calls.iter().any(|c| c.status == 200 && c.sent < killed),
        "nothing acknowledged before the crash"
    );
    assert!(refused > 0, "no call met the crashed Redis");
    eprintln!(
        "redis crash: {} ingest calls, {} acknowledged, {refused} refused",
        calls.len(),
        acked.len()
    );
    let stored = stored_msg_ids(&app, &token).await;
    for key in acked {
        for j in 0..PER_CALL {
            let id = format!("m{key}-{j}");
            assert!(stored.contains(&id), "acknowledged {id} is lost");
        }
    }
}

const UPDATE: &str = "/wechat_api/customer/updateCustomer";
/// Concurrent updateCustomer clients.
const WRITERS: u64 = 4;
/// Customer 6002 as the fixture has it.
const FIXTURE_REMARKS: &str = "=cmd|' /C calc'!A0";
const FIXTURE_TAGS: &str = "1000,1001";

/// Customer 6002's remarks and tags (sorted), once MariaDB answers again.
async fn customer_6002(app: &Scrm, token: &str) -> (String, String) {
    let (page, _) = eventually(RECOVERY, "customerPage after the restart", async || {
        ok(app.customers(token).await)
    })
    .await;
    remarks_and_tags(customer_in(&page.json(), 6002))
}

/// The update a state comes from: `None` for the fixture's; panics on a torn state.
fn update_of(remarks: &str, tags: &str) -> Option<u64> {
    if remarks == FIXTURE_REMARKS {
        assert_eq!(tags, FIXTURE_TAGS, "the fixture's remarks with other tags");
        return None;
    }
    let k: u64 = remarks
        .strip_prefix('r')
        .and_then(|k| k.parse().ok())
        .unwrap_or_else(|| panic!("remarks {remarks:?} were never written"));
    assert_eq!(
        tags,
        tags_of(k),
        "remarks of update {k} with tags of another"
    );
    Some(k)
}

async fn update(app: &Scrm, token: &str, k: u64) -> Reply {
    let body = json!({"customerId": 6002, "remarks": format!("r{k}"), "tags": tags_of(k)});
    app.post_json(UPDATE, Some(token), body).await
}

#[actix_web::test]
async fn an_update_cut_off_by_a_mariadb_crash_is_all_or_nothing() {
    let mut db = MariaDb::start().await;
    let redis = Redis::start().await;
    let app = Rc::new(Scrm::loaded(&db, &redis).await);
    let token = app.login("a_admin").await;
    let next = Rc::new(Cell::new(1));
    let mut refused = 0;
    for round in 0..3_u64 {
        let (stop, log) = (Rc::new(Cell::new(false)), Rc::default());
        let writers: Vec<_> = (0..WRITERS)
            .map(|_| {
                let (app, token) = (app.clone(), token.clone());
                actix_web::rt::spawn(writer(
                    next.clone(),
                    stop.clone(),
                    Rc::clone(&log),
                    async move |k| update(&app, &token, k).await,
                ))
            })
            .collect();
        sleep(Duration::from_millis(300 + 70 * round)).await;
        db.kill().await;
        sleep(Duration::from_millis(300)).await;
        stop.set(true);
        for w in writers {
            w.await.unwrap();
        }
        let calls = log.take();
        let acked = acknowledged(&calls, "updateCustomer");
        refused += calls.len() - acked.len();
        assert!(!acked.is_empty(), "round {round}: nothing acknowledged");
        db.restart().await;
        let (remarks, tags) = customer_6002(&app, &token).await;
        let held = update_of(&remarks, &tags).expect("acknowledged updates were lost");
        let status = calls.iter().find(|c| c.key == held).map(|c| c.status);
        eprintln!(
            "mariadb crash {round}: {} updates, {} acknowledged, 6002 holds update {held} \
             (answered {status:?})",
            calls.len(),
            acked.len()
        );
        // Keys are handed out in order and at most WRITERS are in flight: when the newest
        // acknowledged update was sent, every key below it by WRITERS or more had been
        // answered (committed or not at all), so none of them can be the last commit.
        let newest = acked.last().copied().unwrap_or_default();
        assert!(
            held + WRITERS > newest,
            "update {newest} was acknowledged, yet 6002 holds the older update {held}"
        );
    }
    assert!(refused > 0, "no update met the crashed MariaDB");

    // An update acknowledged just before a crash is there after it.
    let k = next.get();
    let r = ok(update(&app, &token, k).await).unwrap();
    assert_eq!(r.json()["customer"]["remarks"], format!("r{k}"));
    db.kill().await;
    db.restart().await;
    assert_eq!(
        customer_6002(&app, &token).await,
        (format!("r{k}"), tags_of(k).to_owned())
    );
}
