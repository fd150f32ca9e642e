//! Paging of messages: order with ties, paging edges, inclusive bounds, counts, and merged
//! pages over several conversations equal to a naive reference.

use scrm_domain::message::{ChatMessage, Conversation, MessageStore, TimeRange};

use super::{conv, decoded, ids, msg, page_of, range, reference};
use crate::contracts::{Guarded, page};

/// 12 messages of conversation (1, 10), three per createTime, with ids whose byte order is
/// not their numeric order ("9" > "10" > "1").
pub fn single() -> Vec<ChatMessage> {
    let times = [100, 100, 100, 200, 200, 200, 300, 300, 300, 400, 400, 400];
    let ids = ["1", "10", "9", "a", "b", "c", "d", "e", "f", "x", "y", "Z"];
    ids.iter()
        .zip(times)
        .map(|(id, t)| msg(id, 1, 10, t))
        .collect()
}

pub async fn one_conversation_pages_newest_first_with_ties_by_msg_id_descending(
    factory: impl AsyncFn(Option<usize>) -> Guarded<dyn MessageStore>,
) {
    let store = factory(None).await;
    store.append(&single()).await.unwrap();
    let c = [conv(1, 10)];
    let all = TimeRange::default();

    let first = decoded(store.page(&c, all, page(1, 5)).await.unwrap());
    assert_eq!(first.total, 12);
    assert_eq!(ids(&first.items), ["y", "x", "Z", "f", "e"]);
    assert_eq!(first.items[0], msg("y", 1, 10, 400), "bodies round-trip");

    let middle = decoded(store.page(&c, all, page(2, 5)).await.unwrap());
    assert_eq!(middle.total, 12);
    assert_eq!(ids(&middle.items), ["d", "c", "b", "a", "9"]);

    let last = decoded(store.page(&c, all, page(3, 5)).await.unwrap());
    assert_eq!(last.total, 12);
    assert_eq!(ids(&last.items), ["10", "1"], "a short last page");

    let past = decoded(store.page(&c, all, page(4, 5)).await.unwrap());
    assert_eq!(past.total, 12, "the count holds past the end");
    assert!(past.items.is_empty());

    let far = decoded(store.page(&c, all, page(1_000_000, 100)).await.unwrap());
    assert_eq!((far.items.len(), far.total), (0, 12));
}

pub async fn counts_use_inclusive_bounds_and_unknown_conversations_are_empty(
    factory: impl AsyncFn(Option<usize>) -> Guarded<dyn MessageStore>,
) {
    let store = factory(None).await;
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

    let none = page_of(&*store, &[conv(1, 11), conv(2, 10)], page(1, 10)).await;
    assert_eq!((none.items.len(), none.total), (0, 0));
    let nothing = page_of(&*store, &[], page(1, 10)).await;
    assert_eq!((nothing.items.len(), nothing.total), (0, 0));
}

/// A deterministic pseudo-random history over three conversations (two of one WeChat
/// account), with many equal createTimes within and across conversations and msgIds of
/// varying length, unique across the conversations.
pub fn history() -> Vec<ChatMessage> {
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

pub async fn merged_pages_equal_a_naive_reference(
    factory: impl AsyncFn(Option<usize>) -> Guarded<dyn MessageStore>,
) {
    let store = factory(None).await;
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
                    let got = decoded(store.page(conversations, r, page(no, limit)).await.unwrap());
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
    let got = page_of(&*store, &twice, page(1, 100)).await;
    let (want, total) = reference(&all, &twice[..1], TimeRange::default(), page(1, 100));
    assert_eq!((got.items, got.total), (want, total));
}
