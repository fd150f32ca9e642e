//! Sample manual entries, chat messages and conversations.

use chrono::{TimeZone, Utc};
use scrm_domain::manual::ManualEntry;
use scrm_domain::message::{ChatMessage, Conversation};
use scrm_domain::{AdminUserId, ContactId, ManualEntryId, WechatUserId};

use crate::support::t0;

/// A hand-entered entry (`task_id` -1) or a pool entry, with every field set.
pub fn entry(id: i64, task_id: i64) -> ManualEntry {
    let mut xfields: [Option<String>; 10] = Default::default();
    xfields[0] = Some("x1".into());
    ManualEntry {
        id: ManualEntryId(id),
        tenant_id: AdminUserId(1),
        admin_user_id: AdminUserId(12_206),
        task_id,
        order_num: 3,
        customer_name: Some("客戶1".into()),
        customer_phone: Some("18750920000".into()),
        phone_digits: Some("18750920000".into()),
        address: Some("思明區".into()),
        company: Some("公司1".into()),
        nick_name: Some("個性1".into()),
        user_name: Some("wxid_001".into()),
        uin: Some("496768729".into()),
        phone_geo: Some("廈門".into()),
        tags: Some("VIP".into()),
        remarks: Some("備注".into()),
        v1: Some("v1-ticket".into()),
        xfields,
        dial_status: 1,
        add_status: 2,
        syn: 1,
        assign_time: Some(t0()),
        // 2019-11-28 17:17:45 +08:00.
        create_time: Utc
            .with_ymd_and_hms(2019, 11, 28, 9, 17, 45)
            .single()
            .expect("valid"),
        last_update_time: t0(),
    }
}

/// An entry whose optional fields are all absent.
pub fn bare_entry(id: i64) -> ManualEntry {
    ManualEntry {
        customer_name: None,
        address: None,
        company: None,
        nick_name: None,
        user_name: None,
        uin: None,
        phone_geo: None,
        tags: None,
        remarks: None,
        v1: None,
        xfields: Default::default(),
        assign_time: None,
        ..entry(id, -1)
    }
}

/// A chat message of conversation (13806, 19564131).
pub fn chat(msg_id: &str, create_time: i64) -> ChatMessage {
    ChatMessage {
        msg_id: msg_id.into(),
        wechat_user_id: WechatUserId(13_806),
        wechat_contact_id: ContactId(19_564_131),
        is_send: 1,
        msg_type: 1,
        content: "你好".into(),
        create_time,
    }
}

/// The conversation of `chat`.
pub fn conversation() -> Conversation {
    Conversation {
        wechat_user_id: WechatUserId(13_806),
        wechat_contact_id: ContactId(19_564_131),
    }
}
