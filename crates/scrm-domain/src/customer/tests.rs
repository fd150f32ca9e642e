//! Tests of `CustomerService` against mocked ports.

use super::*;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::{
    AdminUserId, ContactId, CustomerId, Page, PageRequest, Scope, ServiceError, TagId, WechatUserId,
};
use chrono::TimeZone;
use mockall::predicate::{always, eq};

fn scope() -> Scope {
    Scope::for_account(AdminUserId(1), None)
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap()
}

pub(crate) fn record(id: i64) -> CustomerRecord {
    CustomerRecord {
        id: CustomerId(id),
        wechat_contact_id: ContactId(id * 10),
        wechat_user_id: WechatUserId(5),
        admin_user_id: AdminUserId(1),
        customer_name: Some("王".into()),
        customer_phone: None,
        nick_name: None,
        remarks: None,
        xfields: Default::default(),
        is_cust: 0,
        create_time: now(),
        last_update_time: now(),
        tags: vec![],
        tag_names: vec![],
        contact_nick_name: None,
        remark_name: None,
        head_img_url: None,
        is_star: 0,
        wechat_user_nick_name: None,
        customer_nick_name: None,
        deleted_at: None,
    }
}

#[tokio::test]
async fn page_passes_scope_filter_and_paging_through() {
    let mut repo = MockCustomerRepository::new();
    let filter = CustomerFilter {
        name: Some("王".into()),
        ..Default::default()
    };
    let page = PageRequest::new(2, 5).unwrap();
    repo.expect_page()
        .with(eq(scope()), eq(filter.clone()), eq(page))
        .times(1)
        .returning(|_, _, _| {
            Ok(Page {
                items: vec![record(1)],
                total: 6,
            })
        });
    let out = CustomerService::new(Arc::new(repo))
        .page(&scope(), &filter, page)
        .await
        .unwrap();
    assert_eq!(out.total, 6);
    assert_eq!(out.items.len(), 1);
}

#[tokio::test]
async fn update_without_ids_is_a_400() {
    let svc = CustomerService::new(Arc::new(MockCustomerRepository::new()));
    let err = svc
        .update(&scope(), &UpdateCustomer::default(), now())
        .await
        .unwrap_err();
    assert!(matches!(err, ServiceError::Invalid(m) if m.starts_with("customerId")));
}

#[tokio::test]
async fn update_maps_each_outcome() {
    let cases = [
        (SaveOutcome::NotFound, ServiceError::NotFound("customer")),
        (
            SaveOutcome::AlreadyExists(CustomerId(4)),
            ServiceError::Conflict("wechatContactId: this contact already has customer 4".into()),
        ),
        (
            SaveOutcome::UnknownTags(vec![TagId(8), TagId(9)]),
            ServiceError::invalid("tags", "unknown tag ids 8,9"),
        ),
        (
            SaveOutcome::ContactMismatch,
            ServiceError::invalid("wechatContactId", "is not the contact of this customer"),
        ),
    ];
    for (outcome, expected) in cases {
        let mut repo = MockCustomerRepository::new();
        repo.expect_save()
            .return_once(move |_, _, _, _| Ok(outcome));
        let cmd = UpdateCustomer {
            customer_id: Some(CustomerId(3)),
            ..Default::default()
        };
        let err = CustomerService::new(Arc::new(repo))
            .update(&scope(), &cmd, now())
            .await
            .unwrap_err();
        assert_eq!(err, expected);
    }
}

#[tokio::test]
async fn update_creates_for_a_contact_and_reads_back() {
    let mut repo = MockCustomerRepository::new();
    repo.expect_save()
        .with(
            eq(scope()),
            eq(SaveTarget::NewFor(ContactId(30))),
            always(),
            eq(now()),
        )
        .returning(|_, _, _, _| Ok(SaveOutcome::Saved(CustomerId(3))));
    repo.expect_find()
        .with(eq(scope()), eq(CustomerId(3)))
        .returning(|_, _| Ok(Some(record(3))));
    let cmd = UpdateCustomer {
        wechat_contact_id: Some(ContactId(30)),
        ..Default::default()
    };
    let rec = CustomerService::new(Arc::new(repo))
        .update(&scope(), &cmd, now())
        .await
        .unwrap();
    assert_eq!(rec.id, CustomerId(3));
}

#[tokio::test]
async fn too_long_fields_are_named() {
    let svc = CustomerService::new(Arc::new(MockCustomerRepository::new()));
    let mut cmd = UpdateCustomer {
        customer_id: Some(CustomerId(1)),
        ..Default::default()
    };
    cmd.patch.xfields[2] = FieldChange::Set("x".repeat(256));
    let err = svc.update(&scope(), &cmd, now()).await.unwrap_err();
    assert!(matches!(err, ServiceError::Invalid(m) if m.starts_with("xfield3")));
}

#[tokio::test]
async fn delete_and_restore_of_unknown_ids_are_404() {
    let mut repo = MockCustomerRepository::new();
    repo.expect_soft_delete()
        .returning(|_, id, _| Ok(id == CustomerId(1)));
    repo.expect_restore().returning(|_, _, _| Ok(false));
    let svc = CustomerService::new(Arc::new(repo));
    assert!(svc.delete(&scope(), CustomerId(1), now()).await.is_ok());
    assert_eq!(
        svc.delete(&scope(), CustomerId(2), now()).await,
        Err(ServiceError::NotFound("customer"))
    );
    assert_eq!(
        svc.restore(&scope(), CustomerId(1), now()).await,
        Err(ServiceError::NotFound("customer"))
    );
}

#[tokio::test]
async fn a_given_phone_needs_5_to_20_digits_and_gets_its_digits() {
    let svc = CustomerService::new(Arc::new(MockCustomerRepository::new()));
    let mut cmd = UpdateCustomer {
        customer_id: Some(CustomerId(1)),
        ..Default::default()
    };
    cmd.patch.customer_phone = FieldChange::Set("1234".into());
    let err = svc.update(&scope(), &cmd, now()).await.unwrap_err();
    assert!(matches!(err, ServiceError::Invalid(m) if m.starts_with("customerPhone")));

    let mut repo = MockCustomerRepository::new();
    repo.expect_save()
        .withf(|_, _, patch, _| patch.phone_digits.as_deref() == Some("18750928186"))
        .returning(|_, _, _, _| Ok(SaveOutcome::Saved(CustomerId(1))));
    repo.expect_find().returning(|_, _| Ok(Some(record(1))));
    cmd.patch.customer_phone = FieldChange::Set("+86 187-5092-8186".into());
    CustomerService::new(Arc::new(repo))
        .update(&scope(), &cmd, now())
        .await
        .unwrap();
}

#[test]
fn field_change_from_wire() {
    assert_eq!(FieldChange::from_wire(None), FieldChange::Keep);
    assert_eq!(FieldChange::from_wire(Some("")), FieldChange::Clear);
    assert_eq!(
        FieldChange::from_wire(Some("a")),
        FieldChange::Set("a".into())
    );
}
