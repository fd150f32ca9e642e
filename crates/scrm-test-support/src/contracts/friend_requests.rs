//! The `FriendRequestQueue` contract: every enqueued request gets an id of its own, even when
//! the same request is queued twice.

use std::collections::HashSet;

use scrm_domain::manual::{FriendRequest, FriendRequestQueue};
use scrm_domain::{AdminUserId, ManualEntryId};

use super::Guarded;

fn request(entry: i64, v1: Option<&str>) -> FriendRequest {
    FriendRequest {
        entry_id: ManualEntryId(entry),
        uin: "2890123456".into(),
        user_name: "wxid_張三".into(),
        v1: v1.map(str::to_owned),
        account: AdminUserId(12206),
        time: 1_700_000_123_456,
    }
}

pub async fn enqueue_returns_distinct_ids(
    factory: impl AsyncFn() -> Guarded<dyn FriendRequestQueue>,
) {
    let queue = factory().await;
    let requests = [
        request(42, Some("v1_abc@stranger")),
        request(42, None),
        request(43, None),
        request(43, None),
    ];
    let mut ids = Vec::new();
    for r in &requests {
        ids.push(queue.enqueue(r).await.unwrap());
    }
    assert!(ids.iter().all(|id| !id.is_empty()), "{ids:?}");
    let distinct: HashSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len(), requests.len(), "{ids:?}");
}

pub async fn concurrent_enqueues_get_distinct_ids(
    factory: impl AsyncFn() -> Guarded<dyn FriendRequestQueue>,
) {
    let queue = factory().await;
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let queue = queue.port.clone();
            tokio::spawn(async move { queue.enqueue(&request(i, None)).await })
        })
        .collect();
    let mut ids = HashSet::new();
    for task in tasks {
        assert!(ids.insert(task.await.unwrap().unwrap()));
    }
    assert_eq!(ids.len(), 8);
}
