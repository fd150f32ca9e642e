//! Tests of `ChatService` against mocked ports.

use super::*;
use std::sync::Arc;

use crate::account::{Account, MockAccountRepository};
use crate::contact::MockContactRepository;
use crate::{AdminUserId, ContactId, Page, PageRequest, Scope, ServiceError, WechatUserId};
use mockall::predicate::eq;

fn main_scope() -> Scope {
    Scope::for_account(AdminUserId(1), None)
}

fn msg(id: &str, user: i64, contact: i64) -> ChatMessage {
    ChatMessage {
        msg_id: id.into(),
        wechat_user_id: WechatUserId(user),
        wechat_contact_id: ContactId(contact),
        is_send: 1,
        msg_type: 1,
        content: "hi".into(),
        create_time: 1_000,
    }
}

fn conv(user: i64, contact: i64) -> Conversation {
    Conversation {
        wechat_user_id: WechatUserId(user),
        wechat_contact_id: ContactId(contact),
    }
}

fn service(
    accounts: MockAccountRepository,
    contacts: MockContactRepository,
    messages: MockMessageStore,
) -> ChatService {
    ChatService::new(Arc::new(accounts), Arc::new(contacts), Arc::new(messages))
}

#[tokio::test]
async fn ingest_stores_only_when_every_conversation_is_in_scope() {
    let mut contacts = MockContactRepository::new();
    contacts
        .expect_conversations()
        .returning(|_, _, _| Ok(vec![conv(7, 70)]));
    let mut messages = MockMessageStore::new();
    messages
        .expect_append()
        .times(1)
        .returning(|m| Ok(m.len() as u64));
    let svc = service(MockAccountRepository::new(), contacts, messages);
    assert_eq!(
        svc.ingest(&main_scope(), &[msg("1", 7, 70), msg("2", 7, 70)])
            .await,
        Ok(2)
    );
    assert_eq!(
        svc.ingest(&main_scope(), &[msg("3", 7, 70), msg("4", 8, 80)])
            .await,
        Err(ServiceError::NotFound("conversation"))
    );
}

#[tokio::test]
async fn ingest_limits_and_validates() {
    let svc = service(
        MockAccountRepository::new(),
        MockContactRepository::new(),
        MockMessageStore::new(),
    );
    let many: Vec<ChatMessage> = (0..1001).map(|i| msg(&i.to_string(), 7, 70)).collect();
    assert!(matches!(
        svc.ingest(&main_scope(), &many).await,
        Err(ServiceError::TooLarge(_))
    ));
    let mut bad = msg("", 7, 70);
    assert!(
        matches!(svc.ingest(&main_scope(), &[bad.clone()]).await, Err(ServiceError::Invalid(m)) if m.starts_with("[0].msgId"))
    );
    bad.msg_id = "x".into();
    bad.is_send = 3;
    assert!(
        matches!(svc.ingest(&main_scope(), &[bad]).await, Err(ServiceError::Invalid(m)) if m.starts_with("[0].isSend"))
    );
    assert_eq!(svc.ingest(&main_scope(), &[]).await, Ok(0));
}

#[tokio::test]
async fn page_narrows_to_the_selected_account_or_answers_empty() {
    let sub = Account {
        id: AdminUserId(2),
        login_name: "s".into(),
        real_name: "s".into(),
        parent_id: Some(AdminUserId(1)),
        depart_id: None,
        password_hash: None,
        is_open_after_call: false,
    };
    let mut accounts = MockAccountRepository::new();
    accounts.expect_find_by_id().returning(move |id| {
        Ok(match id.0 {
            2 => Some(sub.clone()),
            _ => None,
        })
    });
    let mut contacts = MockContactRepository::new();
    contacts
        .expect_conversations()
        .with(
            eq(Scope::for_account(AdminUserId(2), Some(AdminUserId(1)))),
            eq(vec![WechatUserId(7)]),
            eq(vec![ContactId(70)]),
        )
        .times(1)
        .returning(|_, _, _| Ok(vec![conv(7, 70)]));
    let mut messages = MockMessageStore::new();
    messages
        .expect_page()
        .with(
            eq(vec![conv(7, 70)]),
            eq(TimeRange::default()),
            eq(PageRequest::new(1, 20).unwrap()),
        )
        .returning(|_, _, _| {
            Ok(Page {
                items: vec![StoredMessage::of(&msg("1", 7, 70)).unwrap()],
                total: 1,
            })
        });
    let svc = service(accounts, contacts, messages);
    let page = PageRequest::new(1, 20).unwrap();
    let mut query = RecordQuery {
        admin_user_id: Some(AdminUserId(2)),
        wechat_user_ids: vec![WechatUserId(7)],
        wechat_contact_ids: vec![ContactId(70)],
        range: TimeRange::default(),
    };
    assert_eq!(
        svc.page(&main_scope(), &query, page).await.unwrap().total,
        1
    );
    query.admin_user_id = Some(AdminUserId(99));
    assert_eq!(
        svc.page(&main_scope(), &query, page).await.unwrap().total,
        0,
        "outside the scope"
    );
    query.admin_user_id = None;
    query.wechat_contact_ids.clear();
    assert_eq!(
        svc.page(&main_scope(), &query, page).await.unwrap().total,
        0
    );
    query.range = TimeRange {
        begin: Some(5),
        end: Some(4),
    };
    assert!(svc.page(&main_scope(), &query, page).await.is_err());
}

/// A stored message that is exactly a chat message is kept byte for byte (escapes, non-ASCII
/// and its own field order included); one with other fields is encoded again without them;
/// anything else is not a chat message.
#[test]
fn a_stored_message_is_checked_and_kept_as_it_is() {
    let exact = r#"{"createTime":5,"msgId":"a\"b","wechatUserId":7,"wechatContactId":70,"isSend":1,"msgType":1,"content":"您好\n\u00e9"}"#;
    let kept = StoredMessage::check(exact.as_bytes().to_vec()).unwrap();
    assert_eq!(kept.json(), exact);
    let m = kept.decode().unwrap();
    assert_eq!((m.msg_id.as_str(), m.content.as_str()), ("a\"b", "您好\né"));

    let extra = r#"{"msgId":"x","wechatUserId":7,"wechatContactId":70,"isSend":0,"msgType":1,"content":"c","createTime":5,"internal":"secret"}"#;
    let cleaned = StoredMessage::check(extra.as_bytes().to_vec()).unwrap();
    assert!(!cleaned.json().contains("internal"), "{}", cleaned.json());
    assert_eq!(
        cleaned,
        StoredMessage::of(&cleaned.decode().unwrap()).unwrap()
    );

    for bad in [
        "",
        "not json",
        "[1]",
        r#"{"msgId":"x"}"#,
        r#"{"msgId":1,"wechatUserId":7,"wechatContactId":70,"isSend":0,"msgType":1,"content":"c","createTime":5}"#,
        r#"{"msgId":"x","wechatUserId":7,"wechatContactId":70,"isSend":0,"msgType":1,"content":"c","createTime":5} trailing"#,
    ] {
        assert!(
            StoredMessage::check(bad.as_bytes().to_vec()).is_err(),
            "{bad}"
        );
    }
}
