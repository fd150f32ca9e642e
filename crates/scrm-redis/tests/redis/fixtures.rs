//! Builders shared by the tests of this binary.

use std::sync::{Arc, Mutex};

use scrm_domain::message::{ChatMessage, Conversation, TimeRange};
use scrm_domain::{ContactId, PageRequest, WechatUserId};
use scrm_redis::{RedisMessages, RedisSettings, build_pool};
use scrm_test_support::TestRedis;

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

pub fn conv(user: i64, contact: i64) -> Conversation {
    Conversation {
        wechat_user_id: WechatUserId(user),
        wechat_contact_id: ContactId(contact),
    }
}

pub fn page(no: u32, limit: u32) -> PageRequest {
    PageRequest::new(no, limit).unwrap()
}

pub fn range(begin: Option<i64>, end: Option<i64>) -> TimeRange {
    TimeRange { begin, end }
}

/// A store keeping everything, under the test's prefix.
pub fn store(redis: &TestRedis) -> RedisMessages {
    store_with_cap(redis, None)
}

pub fn store_with_cap(redis: &TestRedis, cap: Option<usize>) -> RedisMessages {
    let pool = build_pool(&redis.url(), &RedisSettings::default()).unwrap();
    RedisMessages::with_cap(pool, redis.prefix(), cap)
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

/// The msgIds of messages, in order.
pub fn ids(messages: &[ChatMessage]) -> Vec<&str> {
    messages.iter().map(|m| m.msg_id.as_str()).collect()
}

/// Collects the log lines written while the returned guard lives (this thread only, so use
/// it from a current-thread test runtime, which `#[tokio::test]` is).
pub fn capture_logs() -> (Arc<Mutex<Vec<u8>>>, tracing::subscriber::DefaultGuard) {
    let buffer = Arc::new(Mutex::new(Vec::new()));
    let writer = Arc::clone(&buffer);
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(move || Sink(Arc::clone(&writer)))
        .finish();
    (buffer, tracing::subscriber::set_default(subscriber))
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
