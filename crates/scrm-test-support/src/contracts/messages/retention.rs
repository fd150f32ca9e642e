//! Retention: with a cap, each conversation keeps its newest messages (createTime, then
//! msgId); without one, everything stays.

use scrm_domain::message::MessageStore;

use super::{all_of, conv, ids, msg, page_of};
use crate::contracts::{Guarded, page};

pub async fn a_cap_keeps_the_newest_messages_of_each_conversation(
    factory: impl AsyncFn(Option<usize>) -> Guarded<dyn MessageStore>,
) {
    let store = factory(Some(3)).await;
    let batch: Vec<_> = [("a", 5), ("b", 1), ("c", 4), ("d", 2), ("e", 3)]
        .iter()
        .map(|(id, t)| msg(id, 1, 10, *t))
        .collect();
    assert_eq!(store.append(&batch).await.unwrap(), 5, "all five were new");
    let (items, total) = all_of(&store, conv(1, 10)).await;
    assert_eq!(
        (ids(&items), total),
        (vec!["a", "c", "e"], 3),
        "the newest three"
    );

    assert_eq!(
        store.append(&[msg("c", 1, 10, 4)]).await.unwrap(),
        0,
        "a kept msgId is not new"
    );
    assert_eq!(all_of(&store, conv(1, 10)).await.1, 3);

    // Another conversation has a cap of its own; a newer message pushes the oldest out.
    let more = [msg("f", 1, 10, 6), msg("z", 1, 11, 1)];
    assert_eq!(store.append(&more).await.unwrap(), 2);
    let got = page_of(&*store, &[conv(1, 10)], page(1, 10)).await;
    assert_eq!((ids(&got.items), got.total), (vec!["f", "a", "c"], 3));
    assert_eq!(got.items[0], msg("f", 1, 10, 6));
    let (items, total) = all_of(&store, conv(1, 11)).await;
    assert_eq!((ids(&items), total), (vec!["z"], 1));
    let both = page_of(&*store, &[conv(1, 10), conv(1, 11)], page(1, 10)).await;
    assert_eq!(
        (ids(&both.items), both.total),
        (vec!["f", "a", "c", "z"], 4)
    );
}

pub async fn a_cap_breaks_create_time_ties_by_msg_id(
    factory: impl AsyncFn(Option<usize>) -> Guarded<dyn MessageStore>,
) {
    let store = factory(Some(3)).await;
    let batch: Vec<_> = ["m3", "m1", "m5", "m2", "m4"]
        .iter()
        .map(|id| msg(id, 2, 20, 1000))
        .collect();
    assert_eq!(store.append(&batch).await.unwrap(), 5);
    let (items, total) = all_of(&store, conv(2, 20)).await;
    assert_eq!(
        (ids(&items), total),
        (vec!["m5", "m4", "m3"], 3),
        "equal createTimes: the greatest msgIds are the newest"
    );
    // A message older than all kept ones is not kept either.
    store.append(&[msg("m9", 2, 20, 999)]).await.unwrap();
    assert_eq!(
        ids(&all_of(&store, conv(2, 20)).await.0),
        ["m5", "m4", "m3"]
    );
}

pub async fn without_a_cap_everything_stays(
    factory: impl AsyncFn(Option<usize>) -> Guarded<dyn MessageStore>,
) {
    let store = factory(None).await;
    let batch: Vec<_> = (0..150)
        .map(|i| msg(&format!("k{i:03}"), 1, 1, i + 1))
        .collect();
    assert_eq!(store.append(&batch).await.unwrap(), 150);
    let got = page_of(&*store, &[conv(1, 1)], page(2, 100)).await;
    assert_eq!(got.total, 150);
    assert_eq!(got.items.len(), 50);
    assert_eq!(got.items.last().map(|m| m.msg_id.as_str()), Some("k000"));
}
