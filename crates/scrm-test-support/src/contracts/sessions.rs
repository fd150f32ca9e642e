//! The `SessionStore` contract: sessions round-trip, tokens are unguessable strings of their
//! own, unknown, malformed and deleted tokens have no session, and sessions expire after
//! `ttl_secs` without use while every use renews them. The factory takes `ttl_secs`.

use std::collections::HashSet;
use std::time::Duration;

use scrm_domain::AdminUserId;
use scrm_domain::session::{SessionData, SessionStore};

use super::Guarded;

fn data(account: i64, tenant: i64) -> SessionData {
    SessionData {
        admin_user_id: AdminUserId(account),
        tenant_id: AdminUserId(tenant),
    }
}

pub async fn a_session_round_trips(factory: impl AsyncFn(u64) -> Guarded<dyn SessionStore>) {
    let sessions = factory(600).await;
    assert_eq!(sessions.ttl_secs(), 600);
    let main = sessions.create(data(11855, 11855)).await.unwrap();
    let sub = sessions.create(data(12206, 11855)).await.unwrap();
    assert!(main.len() >= 32, "tokens are hard to guess: {main}");
    assert_ne!(main, sub);
    assert_eq!(sessions.get(&main).await.unwrap(), Some(data(11855, 11855)));
    assert_eq!(sessions.get(&sub).await.unwrap(), Some(data(12206, 11855)));
    assert_eq!(
        sessions.get(&sub).await.unwrap(),
        Some(data(12206, 11855)),
        "reading does not consume a session"
    );
    // The same account twice: two sessions.
    let tokens: HashSet<String> = [
        sessions.create(data(1, 1)).await.unwrap(),
        sessions.create(data(1, 1)).await.unwrap(),
    ]
    .into();
    assert_eq!(tokens.len(), 2);
}

/// The token with its last character changed.
fn flip_last(token: &str) -> String {
    let mut chars: Vec<char> = token.chars().collect();
    let last = chars.pop().unwrap();
    chars.push(if last == '0' { '1' } else { '0' });
    chars.into_iter().collect()
}

pub async fn unknown_malformed_and_deleted_tokens_have_no_session(
    factory: impl AsyncFn(u64) -> Guarded<dyn SessionStore>,
) {
    let sessions = factory(600).await;
    let token = sessions.create(data(12206, 11855)).await.unwrap();
    let other = sessions.create(data(12207, 11855)).await.unwrap();
    for bad in [
        "0".repeat(64),
        "short".to_owned(),
        String::new(),
        format!("{token}x"),
        token[1..].to_owned(),
        flip_last(&token),
        "令牌".repeat(32),
    ] {
        assert_eq!(sessions.get(&bad).await.unwrap(), None, "{bad}");
    }
    sessions.delete("not a token").await.unwrap();
    sessions.delete(&token).await.unwrap();
    assert_eq!(sessions.get(&token).await.unwrap(), None);
    sessions.delete(&token).await.unwrap();
    assert_eq!(
        sessions.get(&other).await.unwrap(),
        Some(data(12207, 11855)),
        "only the deleted session ends"
    );
}

pub async fn sessions_expire_unless_used(factory: impl AsyncFn(u64) -> Guarded<dyn SessionStore>) {
    let sessions = factory(2).await;
    assert_eq!(sessions.ttl_secs(), 2);
    let used = sessions.create(data(1, 1)).await.unwrap();
    let idle = sessions.create(data(2, 1)).await.unwrap();
    // Every use renews the expiry: used at 1.3 s and 2.6 s, it outlives its first 2 s.
    tokio::time::sleep(Duration::from_millis(1300)).await;
    assert_eq!(sessions.get(&used).await.unwrap(), Some(data(1, 1)));
    tokio::time::sleep(Duration::from_millis(1300)).await;
    assert_eq!(
        sessions.get(&used).await.unwrap(),
        Some(data(1, 1)),
        "use renewed the expiry"
    );
    assert_eq!(sessions.get(&idle).await.unwrap(), None, "expired unused");
    tokio::time::sleep(Duration::from_millis(2600)).await;
    assert_eq!(
        sessions.get(&used).await.unwrap(),
        None,
        "expired after its last use"
    );
}

pub async fn delete_account_ends_every_session_of_that_account_only(
    factory: impl AsyncFn(u64) -> Guarded<dyn SessionStore>,
) {
    let sessions = factory(600).await;
    let phone = sessions.create(data(12206, 11855)).await.unwrap();
    let laptop = sessions.create(data(12206, 11855)).await.unwrap();
    let other = sessions.create(data(12207, 11855)).await.unwrap();
    let main = sessions.create(data(11855, 11855)).await.unwrap();
    sessions.delete_account(AdminUserId(12206)).await.unwrap();
    assert_eq!(sessions.get(&phone).await.unwrap(), None);
    assert_eq!(sessions.get(&laptop).await.unwrap(), None);
    assert_eq!(
        sessions.get(&other).await.unwrap(),
        Some(data(12207, 11855))
    );
    assert_eq!(sessions.get(&main).await.unwrap(), Some(data(11855, 11855)));
    sessions.delete_account(AdminUserId(424_242)).await.unwrap();
    // The account logs in again afterwards as usual.
    let again = sessions.create(data(12206, 11855)).await.unwrap();
    assert_eq!(
        sessions.get(&again).await.unwrap(),
        Some(data(12206, 11855))
    );
}
