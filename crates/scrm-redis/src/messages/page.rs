//! `page`: newest first over several conversations, at a cost that follows the page, not the
//! history. Three round trips, each command on the keys of one conversation; the commands of
//! a round trip are sent at once on the multiplexed connection (separate requests, not one
//! pipeline, so that on a Redis Cluster each goes to its conversation's slot):
//! 1. `ZCOUNT` per conversation: the exact total (and an early answer past the end);
//! 2. per conversation only the first `offset + limit` ids in range, newest first
//!    (`ZRANGE idx max min BYSCORE REV LIMIT 0 n WITHSCORES`), merged here;
//! 3. `HMGET` per conversation of just the ids on the page.
//!
//! A body that is missing or cannot be decoded is logged and skipped; the page answers with
//! the rest (and `total` still counts it, being the number of ids in range).

use std::cmp::Ordering;

use deadpool_redis::redis::{self, FromRedisValue, RedisResult};
use futures_util::future::try_join_all;
use scrm_domain::message::{Conversation, StoredMessage, TimeRange};
use scrm_domain::{Page, PageRequest, StoreError};

use super::RedisMessages;
use crate::RedisConn;

/// One id of the index with its createTime, from conversation number `conv`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    conv: usize,
    time: i64,
    id: String,
}

/// Newest first: createTime, then msgId (byte order, as the sorted set orders equal scores),
/// then conversation, all descending.
fn newest_first(a: &Entry, b: &Entry) -> Ordering {
    b.time
        .cmp(&a.time)
        .then_with(|| b.id.as_bytes().cmp(a.id.as_bytes()))
        .then_with(|| b.conv.cmp(&a.conv))
}

/// The entries of the page `offset .. offset + limit` of all the candidates, newest first.
fn select_page(mut candidates: Vec<Entry>, offset: usize, limit: usize) -> Vec<Entry> {
    candidates.sort_unstable_by(newest_first);
    candidates.into_iter().skip(offset).take(limit).collect()
}

/// The score bounds of a range: `(min, max)` for `ZCOUNT` / `ZRANGE BYSCORE`.
fn bounds(range: TimeRange) -> (String, String) {
    (
        range
            .begin
            .map_or_else(|| "-inf".to_owned(), |b| b.to_string()),
        range
            .end
            .map_or_else(|| "+inf".to_owned(), |e| e.to_string()),
    )
}

/// A stored body, or `None` (logged) when it is missing or not a chat message.
fn decode(key: &str, msg_id: &str, body: Option<Vec<u8>>) -> Option<StoredMessage> {
    let Some(json) = body else {
        tracing::warn!(key, msg_id, "chat message body missing; skipped");
        return None;
    };
    StoredMessage::check(json)
        .inspect_err(|error| {
            tracing::warn!(key, msg_id, %error, "undecodable chat message body; skipped");
        })
        .ok()
}

/// The replies of `cmds`, in order: all sent at once, each on its own slot.
async fn query<T: FromRedisValue>(cmds: &[redis::Cmd], conn: &RedisConn) -> RedisResult<Vec<T>> {
    try_join_all(cmds.iter().map(|cmd| {
        let mut conn = conn.clone();
        async move { cmd.query_async::<T>(&mut conn).await }
    }))
    .await
}

impl RedisMessages {
    pub(super) async fn page_messages(
        &self,
        conversations: &[Conversation],
        range: TimeRange,
        page: PageRequest,
    ) -> Result<Page<StoredMessage>, StoreError> {
        let mut convs = conversations.to_vec();
        convs.sort_unstable();
        convs.dedup();
        if convs.is_empty() {
            return Ok(Page {
                items: vec![],
                total: 0,
            });
        }
        let keys: Vec<(String, String)> = convs
            .iter()
            .map(|c| {
                (
                    self.keys.chat_index(c.wechat_user_id, c.wechat_contact_id),
                    self.keys
                        .chat_messages(c.wechat_user_id, c.wechat_contact_id),
                )
            })
            .collect();
        let (min, max) = bounds(range);
        let bounds = (min.as_str(), max.as_str());
        self.pool
            .idempotent(async |c| fetch(&c, &keys, bounds, page).await)
            .await
    }
}

/// The page: three round trips at most.
async fn fetch(
    conn: &RedisConn,
    keys: &[(String, String)],
    (min, max): (&str, &str),
    page: PageRequest,
) -> RedisResult<Page<StoredMessage>> {
    // 1. How many in range, per conversation.
    let cmds: Vec<redis::Cmd> = keys
        .iter()
        .map(|(index, _)| {
            let mut cmd = redis::cmd("ZCOUNT");
            cmd.arg(index).arg(min).arg(max);
            cmd
        })
        .collect();
    let counts: Vec<u64> = query(&cmds, conn).await?;
    let total: u64 = counts.iter().sum();
    if page.offset() >= total {
        return Ok(Page {
            items: vec![],
            total,
        });
    }
    let offset = usize::try_from(page.offset()).unwrap_or(usize::MAX);
    let limit = usize::try_from(page.limit()).unwrap_or(usize::MAX);
    let wanted = page.offset() + u64::from(page.limit());

    // 2. The newest `offset + limit` ids in range of each conversation holding any.
    let mut cmds = Vec::new();
    let mut fetched = Vec::new();
    for (conv, ((index, _), count)) in keys.iter().zip(&counts).enumerate() {
        if *count == 0 {
            continue;
        }
        let mut cmd = redis::cmd("ZRANGE");
        cmd.arg(index)
            .arg(max)
            .arg(min)
            .arg("BYSCORE")
            .arg("REV")
            .arg("LIMIT")
            .arg(0)
            .arg(wanted.min(*count))
            .arg("WITHSCORES");
        cmds.push(cmd);
        fetched.push(conv);
    }
    let ids: Vec<Vec<(String, f64)>> = query(&cmds, conn).await?;
    let candidates = fetched
        .into_iter()
        .zip(ids)
        .flat_map(|(conv, ids)| {
            ids.into_iter().map(move |(id, score)| Entry {
                conv,
                // createTime is epoch ms, exact in an f64 score.
                time: score as i64,
                id,
            })
        })
        .collect();
    let selected = select_page(candidates, offset, limit);

    // 3. The bodies of the page only, one HMGET per conversation on it.
    let mut per_conv: Vec<Vec<&str>> = vec![Vec::new(); keys.len()];
    for e in &selected {
        per_conv[e.conv].push(&e.id);
    }
    let mut cmds = Vec::new();
    for (conv, ids) in per_conv.iter().enumerate() {
        if !ids.is_empty() {
            let mut cmd = redis::cmd("HMGET");
            cmd.arg(&keys[conv].1).arg(ids);
            cmds.push(cmd);
        }
    }
    let bodies: Vec<Vec<Option<Vec<u8>>>> = query(&cmds, conn).await?;
    // The replies, in the order of the conversations that have ids on the page.
    let mut bodies = bodies.into_iter();
    let mut per_conv_bodies: Vec<_> = per_conv
        .iter()
        .map(|ids| {
            let reply = if ids.is_empty() { None } else { bodies.next() };
            reply.unwrap_or_default().into_iter()
        })
        .collect();
    let items = selected
        .iter()
        .filter_map(|e| {
            let body = per_conv_bodies[e.conv].next().flatten();
            decode(&keys[e.conv].1, &e.id, body)
        })
        .collect();
    Ok(Page { items, total })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(conv: usize, time: i64, id: &str) -> Entry {
        Entry {
            conv,
            time,
            id: id.to_owned(),
        }
    }

    #[test]
    fn pages_are_newest_first_with_ties_by_msg_id_descending() {
        let all = vec![
            e(0, 10, "a"),
            e(1, 30, "x"),
            e(0, 20, "b"),
            e(1, 20, "c"),
            e(0, 20, "B"),
        ];
        let ids = |v: Vec<Entry>| v.into_iter().map(|e| e.id).collect::<Vec<_>>();
        assert_eq!(
            ids(select_page(all.clone(), 0, 10)),
            ["x", "c", "b", "B", "a"]
        );
        assert_eq!(ids(select_page(all.clone(), 1, 2)), ["c", "b"]);
        assert!(select_page(all, 5, 2).is_empty());
    }

    #[test]
    fn open_bounds_are_infinite() {
        assert_eq!(
            bounds(TimeRange::default()),
            ("-inf".to_owned(), "+inf".to_owned())
        );
        assert_eq!(
            bounds(TimeRange {
                begin: Some(5),
                end: Some(9)
            }),
            ("5".to_owned(), "9".to_owned())
        );
    }
}
