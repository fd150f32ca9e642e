//! Tests of `ContactService` against mocked ports.

use super::*;
use std::sync::Arc;

use crate::{AdminUserId, ContactId, Scope, ServiceError};

fn scope() -> Scope {
    Scope::for_account(AdminUserId(2), Some(AdminUserId(1)))
}

fn input(id: i64) -> NickNameInput {
    NickNameInput {
        wechat_contact_id: ContactId(id),
        cust_name: Some("陳佳".into()),
        nick_name: Some("佳姐".into()),
    }
}

#[tokio::test]
async fn nick_names_outside_scope_are_404() {
    let mut repo = MockContactRepository::new();
    repo.expect_save_nick_names().returning(|_, items| {
        Ok(items
            .iter()
            .map(|i| i.wechat_contact_id)
            .find(|id| id.0 > 100))
    });
    let svc = ContactService::new(Arc::new(repo));
    assert!(svc.save_nick_names(&scope(), &[input(1)]).await.is_ok());
    assert_eq!(
        svc.save_nick_names(&scope(), &[input(1), input(101)]).await,
        Err(ServiceError::NotFound("wechatContact"))
    );
}

#[tokio::test]
async fn empty_and_too_long_input_is_rejected_before_the_store() {
    let svc = ContactService::new(Arc::new(MockContactRepository::new()));
    assert!(matches!(
        svc.save_nick_names(&scope(), &[]).await,
        Err(ServiceError::Invalid(_))
    ));
    let mut long = input(1);
    long.nick_name = Some("長".repeat(129));
    assert!(matches!(
        svc.save_nick_names(&scope(), &[long]).await,
        Err(ServiceError::Invalid(m)) if m.starts_with("nickName")
    ));
}

#[tokio::test]
async fn find_outside_scope_is_404() {
    let mut repo = MockContactRepository::new();
    repo.expect_find().returning(|_, _| Ok(None));
    let svc = ContactService::new(Arc::new(repo));
    assert_eq!(
        svc.find(&scope(), ContactId(5)).await,
        Err(ServiceError::NotFound("wechatContact"))
    );
}
