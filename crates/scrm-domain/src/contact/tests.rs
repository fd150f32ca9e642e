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

pub(crate) fn record(id: i64) -> ContactRecord {
    ContactRecord {
        id: ContactId(id),
        wechat_user_id: crate::WechatUserId(200),
        admin_user_id: AdminUserId(2),
        profile: ContactProfile::default(),
        tags: Vec::new(),
        create_time: chrono::DateTime::UNIX_EPOCH,
        wechat_user_name: None,
        wechat_user_nick_name: None,
        wechat_user_uin: None,
        customer_nick_name: None,
    }
}

#[tokio::test]
async fn an_index_selection_is_loaded_by_id_in_its_order() {
    let mut index = MockContactIndex::new();
    index
        .expect_select()
        .returning(|_, _| Some(vec![ContactId(3), ContactId(7)]));
    let mut repo = MockContactRepository::new();
    repo.expect_find_by_tags().never();
    repo.expect_by_ids()
        .withf(|_, ids| ids == [ContactId(3), ContactId(7)])
        .returning(|_, ids| Ok(ids.iter().map(|i| record(i.0)).collect()));
    let svc = ContactService::with_index(Arc::new(repo), Arc::new(index));
    let found = svc
        .find_by_tags(&scope(), &ContactTagQuery::default())
        .await
        .unwrap();
    assert_eq!(found, vec![record(3), record(7)]);
}

#[tokio::test]
async fn an_empty_selection_loads_nothing_and_a_declined_one_is_sqls() {
    let mut index = MockContactIndex::new();
    let mut answers = vec![None, Some(Vec::new())];
    index
        .expect_select()
        .times(2)
        .returning(move |_, _| answers.pop().flatten());
    let mut repo = MockContactRepository::new();
    repo.expect_by_ids().never();
    repo.expect_find_by_tags()
        .times(1)
        .returning(|_, _| Ok(vec![record(9)]));
    let svc = ContactService::with_index(Arc::new(repo), Arc::new(index));
    let q = ContactTagQuery::default();
    assert_eq!(svc.find_by_tags(&scope(), &q).await.unwrap(), vec![]);
    assert_eq!(
        svc.find_by_tags(&scope(), &q).await.unwrap(),
        vec![record(9)]
    );
}
