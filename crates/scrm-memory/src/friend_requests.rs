//! `FriendRequestQueue` in memory: an append-only list with ids `"<n>-0"` (shaped like the
//! Redis stream ids), capped like the stream (`MAXLEN`): past the cap the oldest are dropped.

use std::collections::VecDeque;

use async_trait::async_trait;
use scrm_domain::StoreError;
use scrm_domain::manual::{FriendRequest, FriendRequestQueue};

use crate::Memory;

/// Most requests kept (the Redis adapter's `FRIEND_REQUESTS_MAXLEN`).
pub(crate) const MAX_KEPT: usize = 100_000;

/// The queued requests and the sequence number of the last one.
#[derive(Debug, Default)]
pub(crate) struct FriendQueue {
    requests: VecDeque<FriendRequest>,
    last: u64,
}

impl FriendQueue {
    fn push(&mut self, request: FriendRequest) -> String {
        self.last += 1;
        self.requests.push_back(request);
        while self.requests.len() > MAX_KEPT {
            self.requests.pop_front();
        }
        format!("{}-0", self.last)
    }

    pub(crate) fn all(&self) -> Vec<FriendRequest> {
        self.requests.iter().cloned().collect()
    }
}

#[async_trait]
impl FriendRequestQueue for Memory {
    async fn enqueue(&self, request: &FriendRequest) -> Result<String, StoreError> {
        Ok(self.queue()?.push(request.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scrm_domain::{AdminUserId, ManualEntryId};

    fn request(entry: i64) -> FriendRequest {
        FriendRequest {
            entry_id: ManualEntryId(entry),
            uin: "u".into(),
            user_name: "wxid".into(),
            v1: None,
            account: AdminUserId(1),
            time: 1,
        }
    }

    #[test]
    fn ids_count_up_and_the_oldest_go_past_the_cap() {
        let mut q = FriendQueue::default();
        assert_eq!(q.push(request(1)), "1-0");
        assert_eq!(q.push(request(1)), "2-0");
        for i in 0..MAX_KEPT {
            q.push(request(i64::try_from(i).unwrap() + 10));
        }
        let all = q.all();
        assert_eq!(all.len(), MAX_KEPT);
        assert_eq!(all[0].entry_id, ManualEntryId(10));
    }
}
