//! `RedisMessages::page`: order, paging, time ranges, counts and damaged bodies.

use deadpool_redis::redis::AsyncCommands;
use scrm_domain::message::{ChatMessage, Conversation, MessageStore, TimeRange};
use scrm_test_support::TestRedis;

use crate::fixtures::{capture_logs, conv, ids, msg, page, range, reference, store};

/// 12 messages of conversation (1, 10), three per createTime, with ids whose byte order is
/// not their numeric order ("9" > "10" > "1").
fn single() -> Vec<ChatMessage> {
    let times = [100, 100, 100, 200, 200, 200, 300, 300, 300, 400, 400, 400];
    let ids = ["1", "10", "9", "a", "b", "c", "d", "e", "f", "x", "y", "Z"];
    ids.iter()
        .zip(times)
        .map(|(id, t)| msg(id, 1, 10, t))
        .collect()
}

#[tokio::test]
async fn one_conversation_pages_newest_first_with_ties_by_msg_id_descending() {
    let redis = TestRedis::new();
    let store = store(&redis);
    store.append(&single()).await.unwrap();
    let c = [conv(1, 10)];
    let all = TimeRange::default();

    let first = store.page(&c, all, page(1, 5)).await.unwrap();
    assert_eq!(first.total, 12);
    assert_eq!(ids(&first.items), ["y", "x", "Z", "f", "e"]);
    assert_eq!(first.items[0], msg("y", 1, 10, 400), "bodies round-trip");

    let middle = store.page(&c, all, page(2, 5)).await.unwrap();
    assert_eq!(middle.total, 12);
    assert_eq!(ids(&middle.items), ["d", "c", "b", "a", "9"]);

    let last = store.page(&c, all, page(3, 5)).await.unwrap();
    assert_eq!(last.total, 12);
    assert_eq!(ids(&last.items), ["10", "1"], "a short last page");

    let past = store.page(&c, all, page(4, 5)).await.unwrap();
    assert_eq!(past.total, 12, "the count holds past the end");
    assert!(past.items.is_empty());

    let far = store.page(&c, all, page(1_000_000, 100)).await.unwrap();
    assert_eq!((far.items.len(), far.total), (0, 12));
}

#[tokio::test]
async fn counts_use_inclusive_bounds_and_unknown_conversations_are_empty() {
    let redis = TestRedis::new();
    let store = store(&redis);
    store.append(&single()).await.unwrap();
    let c = [conv(1, 10)];
    let total = |b, e| {
        let store = &store;
        async move { store.page(&c, range(b, e), page(1, 1)).await.unwrap().total }
    };
    assert_eq!(total(Some(100), Some(400)).await, 12);
    assert_eq!(total(Some(200), Some(300)).await, 6, "both bounds included");
    assert_eq!(total(Some(101), Some(399)).await, 6);
    assert_eq!(total(Some(400), None).await, 3, "begin only");
    assert_eq!(total(None, Some(100)).await, 3, "end only");
    assert_eq!(total(Some(401), None).await, 0);
    assert_eq!(
        total(Some(300), Some(200)).await,
        0,
        "an inverted range is empty"
    );

    let none = store
        .page(
            &[conv(1, 11), conv(2, 10)],
            TimeRange::default(),
            page(1, 10),
        )
        .await
        .unwrap();
    assert_eq!((none.items.len(), none.total), (0, 0));
    let nothing = store
        .page(&[], TimeRange::default(), page(1, 10))
        .await
        .unwrap();
    assert_eq!((nothing.items.len(), nothing.total), (0, 0));
}

/// A deterministic pseudo-random history over three conversations (two of one WeChat
/// account), with many equal createTimes within and across conversations and msgIds of
/// varying length, unique across the conversations.
fn history() -> Vec<ChatMessage> {
    let mut seed: u64 = 0x5eed;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        seed >> 33
    };
    let conversations = [(7, 70), (7, 71), (8, 80)];
    (0..240)
        .map(|i| {
            let (user, contact) = conversations[(next() % 3) as usize];
            let time = 1_700_000_000_000 + (next() % 60) as i64 * 1000;
            let id = format!("{:x}{}", next() % 4096, "_".repeat(i % 3));
            msg(&format!("{id}.{i}"), user, contact, time)
        })
        .collect()
}

#[tokio::test]
async fn merged_pages_equal_a_naive_reference() {
    let redis = TestRedis::new();
    let store = store(&redis);
    let all = history();
    // In batches, as the connector sends them.
    for chunk in all.chunks(50) {
        store.append(chunk).await.unwrap();
    }
    let t0 = 1_700_000_000_000;
    let ranges = [
        TimeRange::default(),
        range(Some(t0 + 10_000), Some(t0 + 40_000)),
        range(Some(t0 + 10_000), Some(t0 + 10_000)),
        range(Some(t0 + 45_000), None),
        range(None, Some(t0 + 5_000)),
        range(Some(t0 + 60_000), None),
    ];
    let sets: [Vec<Conversation>; 3] = [
        vec![conv(7, 70), conv(8, 80)],
        vec![conv(7, 70), conv(7, 71), conv(8, 80)],
        // A conversation without messages changes nothing.
        vec![conv(8, 80), conv(9, 90), conv(7, 71)],
    ];
    for conversations in &sets {
        for r in ranges {
            for limit in [1, 3, 7, 20, 100] {
                let (_, total) = reference(&all, conversations, r, page(1, limit));
                let pages = u32::try_from(total).unwrap() / limit + 2;
                for no in 1..=pages {
                    let got = store.page(conversations, r, page(no, limit)).await.unwrap();
                    let (want, want_total) = reference(&all, conversations, r, page(no, limit));
                    assert_eq!(
                        (ids(&got.items), got.total),
                        (ids(&want), want_total),
                        "{conversations:?} {r:?} page {no} of {limit}"
                    );
                    assert_eq!(got.items, want);
                }
            }
        }
    }
    // The same conversation twice counts once.
    let twice = [conv(7, 70), conv(7, 70)];
    let got = store
        .page(&twice, TimeRange::default(), page(1, 100))
        .await
        .unwrap();
    let (want, total) = reference(&all, &twice[..1], TimeRange::default(), page(1, 100));
    assert_eq!((got.items, got.total), (want, total));
}

#[tokio::test]
async fn a_malformed_body_is_skipped_and_the_rest_of_the_page_answers() {
    let redis = TestRedis::new();
    let store = store(&redis);
    store.append(&single()).await.unwrap();
    let hash = format!("{}:chat:{{1:10}}:msg", redis.prefix());
    let mut conn = redis.pool().get().await.unwrap();
    let _: () = conn.hset(&hash, "x", "{not json").await.unwrap();
    let _: () = conn.hset(&hash, "f", r#"{"msgId": 5}"#).await.unwrap();
    let _: () = conn.hset(&hash, "e", b"\xff\xfe".as_slice()).await.unwrap();

    let (logs, guard) = capture_logs();
    let got = store
        .page(&[conv(1, 10)], TimeRange::default(), page(1, 5))
        .await
        .unwrap();
    drop(guard);
    assert_eq!(ids(&got.items), ["y", "Z"], "x, f and e are skipped");
    let logs = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    let warnings: Vec<&str> = logs.lines().filter(|l| l.contains("WARN")).collect();
    assert_eq!(warnings.len(), 3, "{logs}");
    for id in ["x", "f", "e"] {
        assert!(
            warnings
                .iter()
                .any(|w| w.contains(&format!("key=\"{hash}\""))
                    && w.contains(&format!("msg_id=\"{id}\""))),
            "{id}: {logs}"
        );
    }
    assert_eq!(got.total, 12, "the total counts the index");
    let next = store
        .page(&[conv(1, 10)], TimeRange::default(), page(2, 5))
        .await
        .unwrap();
    assert_eq!(
        ids(&next.items),
        ["d", "c", "b", "a", "9"],
        "paging is unshifted"
    );
}

#[tokio::test]
async fn a_missing_body_is_skipped() {
    let redis = TestRedis::new();
    let store = store(&redis);
    store.append(&single()).await.unwrap();
    store.append(&[msg("other", 1, 11, 500)]).await.unwrap();
    let mut conn = redis.pool().get().await.unwrap();
    let _: () = conn
        .hdel(format!("{}:chat:{{1:10}}:msg", redis.prefix()), "x")
        .await
        .unwrap();
    let got = store
        .page(
            &[conv(1, 10), conv(1, 11)],
            TimeRange::default(),
            page(1, 4),
        )
        .await
        .unwrap();
    assert_eq!(ids(&got.items), ["other", "y", "Z"]);
    assert_eq!(got.total, 13);
}
