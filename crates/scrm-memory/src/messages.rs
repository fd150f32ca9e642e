//! `MessageStore` in memory, shaped like the Redis adapter: per conversation the messages
//! ordered by (createTime, msgId) (the sorted set) and the createTime of each msgId (the hash),
//! so writes are idempotent by msgId; an optional cap keeps the newest messages of a
//! conversation; pages merge conversations newest first, taking from each only what the page
//! can need.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;

use async_trait::async_trait;
use scrm_domain::message::{ChatMessage, Conversation, MessageStore, StoredMessage, TimeRange};
use scrm_domain::{Page, PageRequest, StoreError};

use crate::Memory;

type Key = (i64, String);

/// One conversation's messages.
#[derive(Debug, Default)]
struct Log {
    by_time: BTreeMap<Key, ChatMessage>,
    /// msgId -> createTime of the stored message.
    times: HashMap<String, i64>,
}

impl Log {
    /// Stores a message unless its msgId is stored already; whether it was new.
    fn insert(&mut self, m: &ChatMessage) -> bool {
        if self.times.contains_key(&m.msg_id) {
            return false;
        }
        self.times.insert(m.msg_id.clone(), m.create_time);
        self.by_time
            .insert((m.create_time, m.msg_id.clone()), m.clone());
        true
    }

    /// Removes the oldest messages (equal createTime: lowest msgId) beyond `cap`.
    fn trim(&mut self, cap: usize) {
        while self.by_time.len() > cap {
            match self.by_time.pop_first() {
                Some(((_, id), _)) => {
                    self.times.remove(&id);
                }
                None => break,
            }
        }
    }
}

/// The key bounds of an inclusive time range; `None` when it is empty.
fn bounds(range: TimeRange) -> Option<(Bound<Key>, Bound<Key>)> {
    if let (Some(b), Some(e)) = (range.begin, range.end)
        && b > e
    {
        return None;
    }
    let lo = range
        .begin
        .map_or(Bound::Unbounded, |b| Bound::Included((b, String::new())));
    let hi = match range.end.and_then(|e| e.checked_add(1)) {
        Some(next) => Bound::Excluded((next, String::new())),
        None => Bound::Unbounded,
    };
    Some((lo, hi))
}

/// Every conversation's messages and the retention cap.
#[derive(Debug, Default)]
pub(crate) struct Messages {
    cap: Option<usize>,
    conversations: HashMap<Conversation, Log>,
}

impl Messages {
    pub(crate) fn with_cap(cap: Option<usize>) -> Self {
        Self {
            cap,
            conversations: HashMap::new(),
        }
    }

    fn append(&mut self, messages: &[ChatMessage]) -> u64 {
        let mut new = 0;
        let mut touched = Vec::new();
        for m in messages {
            let conversation = m.conversation();
            if self
                .conversations
                .entry(conversation)
                .or_default()
                .insert(m)
            {
                new += 1;
                touched.push(conversation);
            }
        }
        if let Some(cap) = self.cap {
            for c in touched {
                if let Some(log) = self.conversations.get_mut(&c) {
                    log.trim(cap);
                }
            }
        }
        new
    }

    fn page(
        &self,
        conversations: &[Conversation],
        range: TimeRange,
        page: PageRequest,
    ) -> Page<ChatMessage> {
        let mut convs = conversations.to_vec();
        convs.sort_unstable();
        convs.dedup();
        let empty = Page {
            items: vec![],
            total: 0,
        };
        let Some((lo, hi)) = bounds(range) else {
            return empty;
        };
        let logs: Vec<(usize, &Log)> = convs
            .iter()
            .enumerate()
            .filter_map(|(i, c)| Some((i, self.conversations.get(c)?)))
            .collect();
        let unbounded = range.begin.is_none() && range.end.is_none();
        let total: u64 = logs
            .iter()
            .map(|(_, log)| {
                if unbounded {
                    log.by_time.len() as u64
                } else {
                    log.by_time.range((lo.clone(), hi.clone())).count() as u64
                }
            })
            .sum();
        if page.offset() >= total {
            return Page {
                items: vec![],
                total,
            };
        }
        let offset = usize::try_from(page.offset()).unwrap_or(usize::MAX);
        let limit = usize::try_from(page.limit()).unwrap_or(usize::MAX);
        // The newest `offset + limit` of each conversation, merged newest first; ties of
        // (createTime, msgId) across conversations: the later conversation first.
        let mut candidates: Vec<(Reverse<&Key>, Reverse<usize>, &ChatMessage)> = logs
            .iter()
            .flat_map(|(i, log)| {
                log.by_time
                    .range((lo.clone(), hi.clone()))
                    .rev()
                    .take(offset.saturating_add(limit))
                    .map(|(key, m)| (Reverse(key), Reverse(*i), m))
            })
            .collect();
        candidates.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        let items = candidates
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|(_, _, m)| m.clone())
            .collect();
        Page { items, total }
    }
}

#[async_trait]
impl MessageStore for Memory {
    async fn append(&self, messages: &[ChatMessage]) -> Result<u64, StoreError> {
        Ok(self.messages()?.append(messages))
    }

    async fn page(
        &self,
        conversations: &[Conversation],
        range: TimeRange,
        page: PageRequest,
    ) -> Result<Page<StoredMessage>, StoreError> {
        let Page { items, total } = self.messages()?.page(conversations, range, page);
        let items = items
            .iter()
            .map(StoredMessage::of)
            .collect::<Result<_, _>>()
            .map_err(|e| StoreError::Unexpected(format!("a chat message's JSON: {e}")))?;
        Ok(Page { items, total })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scrm_domain::{ContactId, WechatUserId};

    fn m(conv: i64, time: i64, id: &str) -> ChatMessage {
        ChatMessage {
            msg_id: id.to_owned(),
            wechat_user_id: WechatUserId(1),
            wechat_contact_id: ContactId(conv),
            is_send: 0,
            msg_type: 1,
            content: id.to_owned(),
            create_time: time,
        }
    }

    fn ids(p: &Page<ChatMessage>) -> Vec<(i64, &str)> {
        p.items
            .iter()
            .map(|m| (m.wechat_contact_id.0, m.msg_id.as_str()))
            .collect()
    }

    #[test]
    fn pages_merge_newest_first_with_ties_by_msg_id_then_conversation() {
        let mut s = Messages::default();
        let all = [
            m(1, 10, "a"),
            m(2, 30, "x"),
            m(1, 20, "b"),
            m(2, 20, "b"),
            m(1, 20, "B"),
        ];
        assert_eq!(s.append(&all), 5);
        assert_eq!(s.append(&all[..2]), 0, "idempotent by msgId");
        let convs: Vec<Conversation> = all.iter().map(ChatMessage::conversation).collect();
        let page = |no, limit, range| s.page(&convs, range, PageRequest::new(no, limit).unwrap());
        let p = page(1, 10, TimeRange::default());
        assert_eq!(p.total, 5);
        assert_eq!(ids(&p), [(2, "x"), (2, "b"), (1, "b"), (1, "B"), (1, "a")]);
        assert_eq!(ids(&page(2, 2, TimeRange::default())), [(1, "b"), (1, "B")]);
        let range = TimeRange {
            begin: Some(20),
            end: Some(20),
        };
        assert_eq!(page(1, 10, range).total, 3);
        let inverted = TimeRange {
            begin: Some(21),
            end: Some(20),
        };
        assert_eq!(page(1, 10, inverted).total, 0);
        let open = TimeRange {
            begin: Some(i64::MIN),
            end: Some(i64::MAX),
        };
        assert_eq!(page(1, 10, open).total, 5);
    }

    #[test]
    fn the_cap_drops_the_oldest_and_frees_their_ids() {
        let mut s = Messages::with_cap(Some(2));
        assert_eq!(s.append(&[m(1, 3, "c"), m(1, 1, "a"), m(1, 2, "b")]), 3);
        let convs = [m(1, 0, "").conversation()];
        let p = s.page(
            &convs,
            TimeRange::default(),
            PageRequest::new(1, 10).unwrap(),
        );
        assert_eq!(ids(&p), [(1, "c"), (1, "b")]);
        assert_eq!(s.append(&[m(1, 1, "a")]), 1, "a trimmed id is new again");
    }
}
