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

/// A save's outcome: `record` and its contact.
fn saved(record: CustomerRecord) -> SaveOutcome {
    let contact = crate::contact::tests::record(record.wechat_contact_id.0);
    SaveOutcome::Saved(Box::new(SavedCustomer {
        customer: record,
        contact,
    }))
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
async fn update_creates_for_a_contact_and_answers_the_saved_record() {
    let mut repo = MockCustomerRepository::new();
    repo.expect_save()
        .with(
            eq(scope()),
            eq(SaveTarget::NewFor(ContactId(30))),
            always(),
            eq(now()),
        )
        .returning(|_, _, _, _| Ok(saved(record(3))));
    let cmd = UpdateCustomer {
        wechat_contact_id: Some(ContactId(30)),
        ..Default::default()
    };
    let rec = CustomerService::new(Arc::new(repo))
        .update(&scope(), &cmd, now())
        .await
        .unwrap();
    assert_eq!(rec.customer.id, CustomerId(3));
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
        .returning(|_, _, _, _| Ok(saved(record(1))));
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

fn indexed(ids: &[i64], total: u64) -> IndexedPage {
    IndexedPage {
        total,
        ids: ids.iter().map(|i| CustomerId(*i)).collect(),
    }
}

#[tokio::test]
async fn a_page_the_index_answers_loads_its_rows_by_id_in_its_order() {
    let filter = CustomerFilter {
        tag_ids: vec![TagId(7)],
        ..Default::default()
    };
    let page = PageRequest::new(3, 2).unwrap();
    let mut index = MockCustomerIndex::new();
    index
        .expect_page()
        .with(eq(scope()), eq(filter.clone()), eq(page))
        .times(1)
        .returning(|_, _, _| Some(indexed(&[9, 4], 12)));
    let mut repo = MockCustomerRepository::new();
    repo.expect_page().never();
    repo.expect_by_ids()
        .withf(|s, ids| *s == scope() && ids == [CustomerId(9), CustomerId(4)])
        .times(1)
        .returning(|_, _| Ok(vec![record(9), record(4)]));
    let out = CustomerService::with_index(Arc::new(repo), Arc::new(index))
        .page(&scope(), &filter, page)
        .await
        .unwrap();
    assert_eq!(out.total, 12);
    assert_eq!(out.items.iter().map(|r| r.id.0).collect::<Vec<_>>(), [9, 4]);
}

#[tokio::test]
async fn a_page_the_index_declines_is_the_repositorys() {
    let mut index = MockCustomerIndex::new();
    index.expect_page().times(1).returning(|_, _, _| None);
    let mut repo = MockCustomerRepository::new();
    repo.expect_by_ids().never();
    repo.expect_page().times(1).returning(|_, _, _| {
        Ok(Page {
            items: vec![record(1)],
            total: 1,
        })
    });
    let out = CustomerService::with_index(Arc::new(repo), Arc::new(index))
        .page(
            &scope(),
            &CustomerFilter::default(),
            PageRequest::new(1, 20).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!((out.total, out.items.len()), (1, 1));
}

#[tokio::test]
async fn a_page_past_the_end_reads_no_rows() {
    let mut index = MockCustomerIndex::new();
    index
        .expect_page()
        .times(1)
        .returning(|_, _, _| Some(indexed(&[], 3)));
    let mut repo = MockCustomerRepository::new();
    repo.expect_by_ids().never();
    repo.expect_page().never();
    let svc = CustomerService::with_index(Arc::new(repo), Arc::new(index));
    let out = svc
        .page(
            &scope(),
            &CustomerFilter::default(),
            PageRequest::new(9, 20).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        out,
        Page {
            items: vec![],
            total: 3
        }
    );
}

#[tokio::test]
async fn the_recycle_bin_takes_the_index_answer_or_the_repositorys() {
    let page = PageRequest::new(1, 20).unwrap();
    let mut index = MockCustomerIndex::new();
    let mut answers = vec![None, Some(indexed(&[5], 1))];
    index
        .expect_recycle_bin()
        .times(2)
        .returning(move |_, _, _| answers.pop().flatten());
    let mut repo = MockCustomerRepository::new();
    repo.expect_by_ids()
        .times(1)
        .returning(|_, _| Ok(vec![record(5)]));
    repo.expect_recycle_bin().times(1).returning(|_, _, _| {
        Ok(Page {
            items: vec![record(6), record(2)],
            total: 2,
        })
    });
    let svc = CustomerService::with_index(Arc::new(repo), Arc::new(index));
    let first = svc
        .recycle_bin(&scope(), &BinFilter::default(), page)
        .await
        .unwrap();
    assert_eq!((first.total, first.items[0].id), (1, CustomerId(5)));
    let second = svc
        .recycle_bin(&scope(), &BinFilter::default(), page)
        .await
        .unwrap();
    assert_eq!((second.total, second.items.len()), (2, 2));
}

#[tokio::test]
async fn the_recycle_bin_hands_its_filter_to_the_index() {
    let filter = BinFilter {
        tag_ids: vec![crate::TagId(7)],
        ..BinFilter::default()
    };
    let mut index = MockCustomerIndex::new();
    let want = filter.clone();
    index
        .expect_recycle_bin()
        .withf(move |_, f, _| *f == want)
        .times(1)
        .returning(|_, _, _| None);
    let mut repo = MockCustomerRepository::new();
    repo.expect_recycle_bin().times(1).returning(|_, _, _| {
        Ok(Page {
            items: vec![],
            total: 0,
        })
    });
    let svc = CustomerService::with_index(Arc::new(repo), Arc::new(index));
    let page = PageRequest::new(1, 20).unwrap();
    let out = svc.recycle_bin(&scope(), &filter, page).await.unwrap();
    assert_eq!((out.total, out.items.len()), (0, 0));
}

#[tokio::test]
async fn a_store_failure_loading_the_rows_is_a_store_error() {
    let mut index = MockCustomerIndex::new();
    index
        .expect_page()
        .returning(|_, _, _| Some(indexed(&[1], 1)));
    let mut repo = MockCustomerRepository::new();
    repo.expect_by_ids()
        .returning(|_, _| Err(crate::StoreError::Unavailable("down".into())));
    let err = CustomerService::with_index(Arc::new(repo), Arc::new(index))
        .page(
            &scope(),
            &CustomerFilter::default(),
            PageRequest::new(1, 20).unwrap(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, ServiceError::Store(_)));
}

fn cursor(id: i64) -> ExportCursor {
    ExportCursor {
        create_time: now(),
        id: CustomerId(id),
    }
}

#[tokio::test]
async fn an_export_batch_the_index_answers_loads_its_rows_by_id() {
    let mut index = MockCustomerIndex::new();
    index
        .expect_export_ids()
        .with(
            eq(scope()),
            eq(CustomerFilter::default()),
            eq(Some(cursor(10))),
            eq(EXPORT_BATCH),
        )
        .times(1)
        .returning(|_, _, _, _| Some(vec![CustomerId(9), CustomerId(4)]));
    let mut repo = MockCustomerRepository::new();
    repo.expect_export_batch().never();
    repo.expect_by_ids()
        .withf(|s, ids| *s == scope() && ids == [CustomerId(9), CustomerId(4)])
        .times(1)
        .returning(|_, _| Ok(vec![record(9), record(4)]));
    let out = CustomerService::with_index(Arc::new(repo), Arc::new(index))
        .export_batch(&scope(), &CustomerFilter::default(), Some(cursor(10)))
        .await
        .unwrap();
    assert_eq!(out.iter().map(|r| r.id.0).collect::<Vec<_>>(), [9, 4]);
}

#[tokio::test]
async fn the_end_of_an_export_the_index_answers_reads_no_rows() {
    let mut index = MockCustomerIndex::new();
    index
        .expect_export_ids()
        .times(1)
        .returning(|_, _, _, _| Some(Vec::new()));
    let mut repo = MockCustomerRepository::new();
    repo.expect_export_batch().never();
    repo.expect_by_ids().never();
    let out = CustomerService::with_index(Arc::new(repo), Arc::new(index))
        .export_batch(&scope(), &CustomerFilter::default(), Some(cursor(1)))
        .await
        .unwrap();
    assert!(out.is_empty());
}

#[tokio::test]
async fn an_export_batch_the_index_declines_is_the_repositorys() {
    let mut index = MockCustomerIndex::new();
    index
        .expect_export_ids()
        .times(1)
        .returning(|_, _, _, _| None);
    let mut repo = MockCustomerRepository::new();
    repo.expect_by_ids().never();
    repo.expect_export_batch()
        .with(
            eq(scope()),
            eq(CustomerFilter::default()),
            eq(None),
            eq(EXPORT_BATCH),
        )
        .times(1)
        .returning(|_, _, _, _| Ok(vec![record(3)]));
    let out = CustomerService::with_index(Arc::new(repo), Arc::new(index))
        .export_batch(&scope(), &CustomerFilter::default(), None)
        .await
        .unwrap();
    assert_eq!(out.len(), 1);
}

/// A customer deleted (or gone) between the index's answer and the load would shorten the
/// batch and end the export early: that batch is the repository's.
#[tokio::test]
async fn an_export_batch_whose_rows_changed_meanwhile_is_the_repositorys() {
    for loaded in [
        vec![record(9)],
        vec![
            record(9),
            CustomerRecord {
                deleted_at: Some(now()),
                ..record(4)
            },
        ],
    ] {
        let mut index = MockCustomerIndex::new();
        index
            .expect_export_ids()
            .times(1)
            .returning(|_, _, _, _| Some(vec![CustomerId(9), CustomerId(4)]));
        let mut repo = MockCustomerRepository::new();
        repo.expect_by_ids()
            .times(1)
            .returning(move |_, _| Ok(loaded.clone()));
        repo.expect_export_batch()
            .times(1)
            .returning(|_, _, _, _| Ok(vec![record(9), record(2)]));
        let out = CustomerService::with_index(Arc::new(repo), Arc::new(index))
            .export_batch(&scope(), &CustomerFilter::default(), Some(cursor(10)))
            .await
            .unwrap();
        assert_eq!(out.iter().map(|r| r.id.0).collect::<Vec<_>>(), [9, 2]);
    }
}
