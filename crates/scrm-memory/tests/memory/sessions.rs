//! Sessions: token shape, idle expiry renewed on use.

use std::time::Duration;

use scrm_domain::AdminUserId;
use scrm_domain::session::{SessionData, SessionStore};
use scrm_memory::MemorySessions;

fn data(account: i64) -> SessionData {
    SessionData {
        admin_user_id: AdminUserId(account),
        tenant_id: AdminUserId(1),
    }
}

#[tokio::test]
async fn tokens_are_64_hex_characters_and_only_they_open_a_session() {
    let sessions = MemorySessions::new(0);
    assert_eq!(sessions.ttl_secs(), 1, "at least a second");
    let token = sessions.create(data(2)).await.unwrap();
    assert_eq!(token.len(), 64);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(sessions.get(&token).await.unwrap(), Some(data(2)));
    assert_eq!(sessions.get(&token.to_uppercase()).await.unwrap(), None);
    assert_eq!(sessions.get(&token[..63]).await.unwrap(), None);
}

#[tokio::test]
async fn sessions_expire_after_the_ttl_without_use() {
    let sessions = MemorySessions::new(1);
    let used = sessions.create(data(1)).await.unwrap();
    let idle = sessions.create(data(2)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(sessions.get(&used).await.unwrap(), Some(data(1)));
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(sessions.get(&used).await.unwrap(), Some(data(1)), "renewed");
    assert_eq!(sessions.get(&idle).await.unwrap(), None, "expired");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(sessions.get(&used).await.unwrap(), None);
    sessions.delete(&used).await.unwrap();
}
