//! getRedisMessageRecord's floor: the conversations of the scope (SQL), then the three
//! round trips of scrm-redis's `messages/page.rs`, sent as it sends them: one command per
//! conversation, the commands of a round trip as separate requests at once on the
//! multiplexed connection (not one pipeline).

use deadpool_redis::redis::{self, FromRedisValue};
use futures_util::future::try_join_all;
use mysql_async::{Conn, Value};
use scrm_domain::{ContactId, WechatUserId};
use scrm_redis::keys::Keys;

use super::{marks, rows};
use crate::cases::PAGE_LIMIT;
use crate::params::{Conversation, Params};

/// The index and the bodies of a conversation, as scrm-redis names them (`keys.rs`).
pub fn chat_keys(prefix: &str, c: &Conversation) -> (String, String) {
    let keys = Keys::new(prefix);
    let user = WechatUserId(c.wechat_user_id);
    let contact = ContactId(c.wechat_contact_id);
    (
        keys.chat_index(user, contact),
        keys.chat_messages(user, contact),
    )
}

/// The replies of `cmds`, in order: all sent at once, each its own request.
async fn query<T: FromRedisValue>(
    cmds: &[redis::Cmd],
    redis: &redis::aio::MultiplexedConnection,
) -> redis::RedisResult<Vec<T>> {
    try_join_all(cmds.iter().map(|cmd| {
        let mut conn = redis.clone();
        async move { cmd.query_async::<T>(&mut conn).await }
    }))
    .await
}

pub(super) async fn message_page(
    conn: &mut Conn,
    redis: &mut redis::aio::MultiplexedConnection,
    p: &Params,
    conversations: &[Conversation],
) -> anyhow::Result<usize> {
    let mut users: Vec<i64> = conversations.iter().map(|c| c.wechat_user_id).collect();
    let mut contacts: Vec<i64> = conversations.iter().map(|c| c.wechat_contact_id).collect();
    users.sort_unstable();
    users.dedup();
    contacts.sort_unstable();
    contacts.dedup();
    let mut binds = vec![Value::from(p.tenant)];
    binds.extend(contacts.iter().map(|i| Value::from(*i)));
    binds.extend(users.iter().map(|i| Value::from(*i)));
    let found = rows(
        conn,
        &format!(
            "SELECT wechat_contact.wechat_user_id, wechat_contact.id FROM wechat_contact WHERE \
             ((wechat_contact.tenant_id = ? AND wechat_contact.id IN ({})) AND \
             wechat_contact.wechat_user_id IN ({}))",
            marks(contacts.len()),
            marks(users.len())
        ),
        binds,
    )
    .await?;
    let convs: Vec<Conversation> = found
        .iter()
        .filter_map(|r| {
            Some(Conversation {
                wechat_user_id: r.get(0)?,
                wechat_contact_id: r.get(1)?,
            })
        })
        .collect();
    let keys: Vec<(String, String)> = convs
        .iter()
        .map(|c| chat_keys(&p.redis_prefix, c))
        .collect();
    let cmds: Vec<redis::Cmd> = keys
        .iter()
        .map(|(index, _)| {
            let mut cmd = redis::cmd("ZCOUNT");
            cmd.arg(index).arg("-inf").arg("+inf");
            cmd
        })
        .collect();
    let counts: Vec<u64> = query(&cmds, redis).await?;
    let mut cmds = Vec::new();
    let mut fetched = Vec::new();
    for (conv, ((index, _), count)) in keys.iter().zip(&counts).enumerate() {
        if *count == 0 {
            continue;
        }
        let mut cmd = redis::cmd("ZRANGE");
        cmd.arg(index)
            .arg("+inf")
            .arg("-inf")
            .arg("BYSCORE")
            .arg("REV")
            .arg("LIMIT")
            .arg(0)
            .arg(PAGE_LIMIT.min(*count))
            .arg("WITHSCORES");
        cmds.push(cmd);
        fetched.push(conv);
    }
    let ids: Vec<Vec<(String, f64)>> = query(&cmds, redis).await?;
    let mut candidates: Vec<(i64, String, usize)> = fetched
        .into_iter()
        .zip(ids)
        .flat_map(|(conv, ids)| ids.into_iter().map(move |(id, s)| (s as i64, id, conv)))
        .collect();
    candidates.sort_unstable_by(|a, b| b.cmp(a));
    candidates.truncate(usize::try_from(PAGE_LIMIT).unwrap_or(usize::MAX));
    let mut cmds = Vec::new();
    for (conv, (_, bodies)) in keys.iter().enumerate() {
        let wanted: Vec<&str> = candidates
            .iter()
            .filter(|c| c.2 == conv)
            .map(|c| c.1.as_str())
            .collect();
        if !wanted.is_empty() {
            let mut cmd = redis::cmd("HMGET");
            cmd.arg(bodies).arg(wanted);
            cmds.push(cmd);
        }
    }
    let bodies: Vec<Vec<Option<Vec<u8>>>> = query(&cmds, redis).await?;
    Ok(bodies.iter().flatten().flatten().count())
}
