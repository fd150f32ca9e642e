//! Every Redis key of scrm. All keys start with the prefix (`SCRM_REDIS_PREFIX`); all keys of
//! one conversation share the hash tag `{<wechatUserId>:<wechatContactId>}`, so a Redis Cluster
//! keeps a conversation in one slot.

use scrm_domain::{AdminUserId, ContactId, WechatUserId};

/// The approximate cap of the friend-request stream (`XADD ... MAXLEN ~`).
pub const FRIEND_REQUESTS_MAXLEN: u64 = 100_000;

/// The keys under one prefix.
#[derive(Debug, Clone)]
pub struct Keys {
    prefix: String,
}

impl Keys {
    pub fn new(prefix: &str) -> Self {
        Self {
            prefix: prefix.to_owned(),
        }
    }

    /// The prefix.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// A session, by the SHA-256 of its token (hex): the token itself is never stored.
    pub fn session(&self, token_hash: &str) -> String {
        format!("{}:session:{token_hash}", self.prefix)
    }

    /// The failed-login count of a login name (an integer with the expiry of its window), by
    /// the SHA-256 (hex) of the name: any name makes a safe key, and no name is stored.
    pub fn login_name_failures(&self, name_hash: &str) -> String {
        format!("{}:login:name:{name_hash}", self.prefix)
    }

    /// The failed-login count of a client address, by the SHA-256 (hex) of the address.
    pub fn login_addr_failures(&self, addr_hash: &str) -> String {
        format!("{}:login:addr:{addr_hash}", self.prefix)
    }

    /// The stream of friend requests (`XADD` by `RedisFriendRequests`). A WeChat connector
    /// consumes it, typically with a consumer group (`XGROUP CREATE ... $ MKSTREAM`, then
    /// `XREADGROUP GROUP connectors <name> ... STREAMS <key> >` and `XACK` once sent). Each
    /// entry has the fields `entryId`, `uin`, `userName`, `v1` (empty when none), `account`
    /// (the asking account's id), `time` (epoch ms) and `json` (the whole request as JSON).
    /// It is capped with `MAXLEN ~ 100000` (`FRIEND_REQUESTS_MAXLEN`): the oldest entries are
    /// trimmed, so a connector that is down for longer than that many requests loses the
    /// oldest of them.
    pub fn friend_requests(&self) -> String {
        format!("{}:friend_requests", self.prefix)
    }

    /// The set of an account's session keys (so logout can end them all). It expires with
    /// the account's most recently used session.
    pub fn account_sessions(&self, account: AdminUserId) -> String {
        format!("{}:account_sessions:{account}", self.prefix)
    }

    /// The hash tag of a conversation.
    pub fn conversation_tag(wechat_user: WechatUserId, contact: ContactId) -> String {
        format!("{{{wechat_user}:{contact}}}")
    }

    /// Sorted set of a conversation's msgIds, scored by createTime (ties: msgId order).
    pub fn chat_index(&self, wechat_user: WechatUserId, contact: ContactId) -> String {
        format!(
            "{}:chat:{}:idx",
            self.prefix,
            Self::conversation_tag(wechat_user, contact)
        )
    }

    /// Hash msgId -> message JSON of a conversation.
    pub fn chat_messages(&self, wechat_user: WechatUserId, contact: ContactId) -> String {
        format!(
            "{}:chat:{}:msg",
            self.prefix,
            Self::conversation_tag(wechat_user, contact)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_start_with_the_prefix_and_share_the_conversation_tag() {
        let k = Keys::new("p");
        assert_eq!(k.session("ab"), "p:session:ab");
        assert_eq!(k.friend_requests(), "p:friend_requests");
        assert_eq!(k.login_name_failures("ab"), "p:login:name:ab");
        assert_eq!(k.login_addr_failures("cd"), "p:login:addr:cd");
        assert_eq!(
            k.chat_index(WechatUserId(1), ContactId(2)),
            "p:chat:{1:2}:idx"
        );
        assert_eq!(
            k.chat_messages(WechatUserId(1), ContactId(2)),
            "p:chat:{1:2}:msg"
        );
    }
}
