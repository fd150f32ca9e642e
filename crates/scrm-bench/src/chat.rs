//! `scrm-floor chat`: makes sure the big tenant has a conversation of 100,000 messages and
//! nine more, ingesting synthetic ones through scrm.

use anyhow::{Context, bail};
use deadpool_redis::redis;

use crate::curl::curl;
use crate::floors::chat_keys;
use crate::params::{self, Conversation, Params};
use crate::{Cli, servers};

pub async fn chat(cli: &Cli, base_url: &str, token: &str, wanted: usize) -> anyhow::Result<()> {
    let s = servers(cli);
    let mut conn = s.mysql().await?;
    let mut redis = s.redis().await?;
    let p = params::resolve(&mut conn, &mut redis, &cli.redis_prefix).await?;
    let have = chat_sizes(&mut redis, &cli.redis_prefix, &p).await?;
    let targets = chat_targets(&mut conn, p.tenant).await?;
    let mut plan = Vec::new();
    if have.first().copied().unwrap_or(0) < wanted as u64 {
        plan.push((
            targets
                .first()
                .copied()
                .context("the tenant has no contacts")?,
            wanted,
        ));
    }
    if p.conversations.len() + plan.len() < 10 {
        plan.extend(targets.iter().skip(1).take(9).map(|c| (*c, 200)));
    }
    for (conv, n) in plan {
        eprintln!(
            "chat: ingesting {n} messages into {}:{}",
            conv.wechat_user_id, conv.wechat_contact_id
        );
        for start in (0..n).step_by(1000) {
            let batch: Vec<serde_json::Value> = (start..n.min(start + 1000))
                .map(|i| {
                    serde_json::json!({
                        "msgId": format!("bench-{}-{i}", conv.wechat_contact_id),
                        "wechatUserId": conv.wechat_user_id,
                        "wechatContactId": conv.wechat_contact_id,
                        "isSend": i % 2,
                        "msgType": 1,
                        "content": format!("第{i}條消息:您好,請問報價單什麼時候發過來?"),
                        "createTime": 1_735_689_600_000i64 + i as i64 * 1000,
                    })
                })
                .collect();
            let body = serde_json::to_string(&batch)?;
            let (status, text) = curl(
                &format!("{base_url}/wechat_api/message/record"),
                token,
                Some(&body),
            )?;
            if status != 200 {
                bail!("ingest answered {status}: {text}");
            }
        }
    }
    Ok(())
}

async fn chat_sizes(
    redis: &mut redis::aio::MultiplexedConnection,
    prefix: &str,
    p: &Params,
) -> anyhow::Result<Vec<u64>> {
    let mut out = Vec::new();
    for c in &p.conversations {
        let n: u64 = redis::cmd("ZCARD")
            .arg(chat_keys(prefix, c).0)
            .query_async(redis)
            .await?;
        out.push(n);
    }
    Ok(out)
}

async fn chat_targets(
    conn: &mut mysql_async::Conn,
    tenant: i64,
) -> anyhow::Result<Vec<Conversation>> {
    use mysql_async::prelude::Queryable;
    let rows: Vec<(i64, i64)> = conn
        .query(format!(
            "SELECT wechat_user_id, id FROM wechat_contact WHERE tenant_id = {tenant} \
             ORDER BY id LIMIT 10"
        ))
        .await?;
    Ok(rows
        .into_iter()
        .map(|(u, c)| Conversation {
            wechat_user_id: u,
            wechat_contact_id: c,
        })
        .collect())
}
