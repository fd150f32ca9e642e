//! The friend-request queue as the connector (and a demo) reads it.

use scrm_domain::manual::{FriendRequest, FriendRequestQueue};
use scrm_domain::{AdminUserId, ManualEntryId};
use scrm_memory::Memory;

fn request(entry: i64) -> FriendRequest {
    FriendRequest {
        entry_id: ManualEntryId(entry),
        uin: "u1001".into(),
        user_name: "wxid_a".into(),
        v1: None,
        account: AdminUserId(101),
        time: 1_700_000_000_000,
    }
}

#[tokio::test]
async fn requests_come_back_in_order_and_clones_share_them() {
    let memory = Memory::new();
    let clone = memory.clone();
    assert_eq!(memory.enqueue(&request(1)).await.unwrap(), "1-0");
    assert_eq!(clone.enqueue(&request(2)).await.unwrap(), "2-0");
    assert_eq!(memory.enqueue(&request(1)).await.unwrap(), "3-0");
    let entries: Vec<i64> = memory
        .friend_requests()
        .iter()
        .map(|r| r.entry_id.0)
        .collect();
    assert_eq!(entries, vec![1, 2, 1]);
    assert!(Memory::new().friend_requests().is_empty());
}
