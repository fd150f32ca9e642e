//! The cost of `page` follows the page, not the history: watched with `MONITOR` (only the
//! commands naming this test's prefix count, so tests running alongside do not matter).

use std::time::Duration;

use deadpool_redis::redis::{self, AsyncCommands};
use futures_util::StreamExt;
use scrm_domain::message::{MessageStore, TimeRange};
use scrm_test_support::TestRedis;
use scrm_test_support::contracts::messages::decoded;

use crate::fixtures::{conv, ids, msg, page, range, store};

/// Runs `f` and returns the commands naming `prefix` that Redis saw meanwhile, each as the
/// list of its quoted words (`"ZRANGE" "key" ...`).
async fn watch<F: Future>(redis: &TestRedis, f: F) -> (F::Output, Vec<Vec<String>>) {
    let client = redis::Client::open(redis.url()).unwrap();
    let mut monitor = client.get_async_monitor().await.unwrap();
    let out = f.await;
    // A marker: once MONITOR shows it, it has shown everything sent before it.
    let marker = format!("{}:marker", redis.prefix());
    let mut conn = redis.pool().get().await.unwrap();
    let _: String = redis::cmd("ECHO")
        .arg(&marker)
        .query_async(&mut conn)
        .await
        .unwrap();
    let mut seen = Vec::new();
    let mut lines = monitor.on_message::<String>();
    tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(line) = lines.next().await {
            if line.contains(&marker) {
                break;
            }
            if line.contains(redis.prefix()) {
                seen.push(words(&line));
            }
        }
    })
    .await
    .unwrap();
    (out, seen)
}

/// The quoted words of a MONITOR line (`1700000000.1 [0 127.0.0.1:1] "HMGET" "k" "f"`).
fn words(line: &str) -> Vec<String> {
    line.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn the_first_page_of_a_long_history_fetches_only_the_page() {
    let redis = TestRedis::new();
    let store = store(&redis);
    let history: Vec<_> = (0..5000)
        .map(|i| msg(&format!("m{i:05}"), 3, 30, 1_000_000 + i))
        .collect();
    for chunk in history.chunks(1000) {
        assert_eq!(store.append(chunk).await.unwrap(), 1000);
    }
    // A little company in another conversation.
    store.append(&[msg("n1", 3, 31, 1)]).await.unwrap();
    let c = [conv(3, 30), conv(3, 31)];

    let (got, commands) = watch(&redis, store.page(&c, TimeRange::default(), page(1, 20))).await;
    let got = decoded(got.unwrap());
    assert_eq!(got.total, 5001);
    let newest: Vec<String> = (4980..5000).rev().map(|i| format!("m{i:05}")).collect();
    assert_eq!(ids(&got.items), newest);

    let names: Vec<&str> = commands.iter().map(|c| c[0].as_str()).collect();
    assert!(
        names
            .iter()
            .all(|n| ["ZCOUNT", "ZRANGE", "HMGET"].contains(n)),
        "{names:?}"
    );
    for zrange in commands.iter().filter(|c| c[0] == "ZRANGE") {
        let limit = zrange.iter().position(|w| w == "LIMIT").unwrap();
        let n: u64 = zrange[limit + 2].parse().unwrap();
        assert!(
            n <= 20,
            "at most offset + limit ids per conversation: {zrange:?}"
        );
    }
    let hmget: Vec<_> = commands.iter().filter(|c| c[0] == "HMGET").collect();
    assert_eq!(
        hmget.len(),
        1,
        "only the conversation on the page: {hmget:?}"
    );
    assert_eq!(hmget[0].len(), 2 + 20, "only the bodies of the page");

    // A page past the end reads counts only.
    let (past, commands) = watch(&redis, store.page(&c, TimeRange::default(), page(300, 20))).await;
    assert_eq!(past.unwrap().items.len(), 0);
    assert!(commands.iter().all(|c| c[0] == "ZCOUNT"), "{commands:?}");

    // A range in the middle of the history: still bounded by the page.
    let r = range(Some(1_002_000), Some(1_002_999));
    let (mid, commands) = watch(&redis, store.page(&c, r, page(2, 10))).await;
    let mid = decoded(mid.unwrap());
    assert_eq!(mid.total, 1000);
    assert_eq!(mid.items[0].msg_id, "m02989");
    let zrange: Vec<_> = commands.iter().filter(|c| c[0] == "ZRANGE").collect();
    assert_eq!(zrange.len(), 1, "n1 is outside the range: {zrange:?}");
    assert_eq!(
        zrange[0][2..],
        [
            "1002999",
            "1002000",
            "BYSCORE",
            "REV",
            "LIMIT",
            "0",
            "20",
            "WITHSCORES"
        ]
    );

    let mut conn = redis.pool().get().await.unwrap();
    let stored: u64 = conn
        .hlen(format!("{}:chat:{{3:30}}:msg", redis.prefix()))
        .await
        .unwrap();
    assert_eq!(stored, 5000);
}
