//! The `MessageStore` contract: `append` is idempotent by msgId within a conversation and
//! counts the new messages; `page` merges conversations newest first (createTime, then msgId
//! in byte order, descending), equal to a naive reference for every conversation set, range
//! (inclusive bounds) and page, with exact counts; an optional retention cap keeps the
//! newest messages of each conversation. The factory takes the cap (`None` keeps all).

pub mod paging;
pub mod retention;

use scrm_domain::message::{ChatMessage, Conversation, MessageStore, StoredMessage, TimeRange};
use scrm_domain::{ContactId, Page, PageRequest, WechatUserId};

use super::{Guarded, page};

/// A message of conversation `(user, contact)` at `time` (epoch ms).
pub fn msg(id: &str, user: i64, contact: i64, time: i64) -> ChatMessage {
    ChatMessage {
        msg_id: id.into(),
        wechat_user_id: WechatUserId(user),
        wechat_contact_id: ContactId(contact),
        is_send: i32::from(time % 2 == 0),
        msg_type: 1,
        content: format!("消息 {id} 🙂"),
        create_time: time,
    }
}

/// A conversation.
pub fn conv(user: i64, contact: i64) -> Conversation {
    Conversation {
        wechat_user_id: WechatUserId(user),
        wechat_contact_id: ContactId(contact),
    }
}

/// A time range.
pub fn range(begin: Option<i64>, end: Option<i64>) -> TimeRange {
    TimeRange { begin, end }
}

/// The msgIds of messages, in order.
pub fn ids(messages: &[ChatMessage]) -> Vec<&str> {
    messages.iter().map(|m| m.msg_id.as_str()).collect()
}

/// The naive reference: all messages of these conversations in range, sorted newest first
/// (createTime, then msgId in byte order, descending), sliced to the page.
pub fn reference(
    all: &[ChatMessage],
    conversations: &[Conversation],
    range: TimeRange,
    page: PageRequest,
) -> (Vec<ChatMessage>, u64) {
    let mut hits: Vec<ChatMessage> = all
        .iter()
        .filter(|m| conversations.contains(&m.conversation()))
        .filter(|m| range.begin.is_none_or(|b| m.create_time >= b))
        .filter(|m| range.end.is_none_or(|e| m.create_time <= e))
        .cloned()
        .collect();
    hits.sort_by(|a, b| {
        b.create_time
            .cmp(&a.create_time)
            .then_with(|| b.msg_id.as_bytes().cmp(a.msg_id.as_bytes()))
    });
    let total = hits.len() as u64;
    let items = hits
        .into_iter()
        .skip(usize::try_from(page.offset()).unwrap())
        .take(page.limit() as usize)
        .collect();
    (items, total)
}

/// A page of these conversations' messages at any time, its error unwrapped.
pub async fn page_of(
    store: &dyn MessageStore,
    conversations: &[Conversation],
    page: PageRequest,
) -> Page<ChatMessage> {
    decoded(
        store
            .page(conversations, TimeRange::default(), page)
            .await
            .unwrap(),
    )
}

/// A page of stored messages as chat messages (each must decode).
pub fn decoded(page: Page<StoredMessage>) -> Page<ChatMessage> {
    Page {
        items: page.items.iter().map(|m| m.decode().unwrap()).collect(),
        total: page.total,
    }
}

/// Every message of one conversation, newest first, and the count.
async fn all_of(store: &Guarded<dyn MessageStore>, c: Conversation) -> (Vec<ChatMessage>, u64) {
    let got = page_of(&**store, &[c], page(1, 100)).await;
    (got.items, got.total)
}

pub async fn append_is_idempotent_by_msg_id_within_a_conversation(
    factory: impl AsyncFn(Option<usize>) -> Guarded<dyn MessageStore>,
) {
    let store = factory(None).await;
    let batch = [
        msg("1", 7, 70, 1000),
        msg("2", 7, 70, 1000),
        msg("3", 7, 71, 900),
    ];
    assert_eq!(store.append(&batch).await.unwrap(), 3);
    assert_eq!(
        store.append(&batch).await.unwrap(),
        0,
        "re-sent messages are not new"
    );
    assert_eq!(store.append(&[]).await.unwrap(), 0);
    assert_eq!(store.append(&[msg("4", 7, 70, 1100)]).await.unwrap(), 1);
    // A msgId repeated within one batch is new once; the same msgId in another
    // conversation is another message.
    let repeated = [
        msg("5", 7, 70, 1200),
        msg("5", 7, 70, 1200),
        msg("1", 8, 70, 1000),
    ];
    assert_eq!(store.append(&repeated).await.unwrap(), 2);
    // A re-sent msgId keeps the body stored first.
    let mut changed = msg("2", 7, 70, 5000);
    changed.content = "改過".into();
    assert_eq!(store.append(&[changed]).await.unwrap(), 0);

    let (items, total) = all_of(&store, conv(7, 70)).await;
    assert_eq!(total, 4);
    assert_eq!(ids(&items), ["5", "4", "2", "1"], "createTime, then msgId");
    assert_eq!(
        items[2],
        msg("2", 7, 70, 1000),
        "bodies round-trip unchanged"
    );
    assert_eq!(
        all_of(&store, conv(7, 71)).await,
        (vec![batch[2].clone()], 1)
    );
    assert_eq!(all_of(&store, conv(8, 70)).await.1, 1);
}
