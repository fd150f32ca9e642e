//! Tests of `ManualEntryService` against mocked ports.

use super::*;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::{AdminUserId, ManualEntryId, PageRequest, Scope, ServiceError};
use chrono::TimeZone;
use mockall::predicate::{always, eq};

fn scope() -> Scope {
    Scope::for_account(AdminUserId(2), Some(AdminUserId(1)))
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 6, 7, 8, 9).unwrap()
}

pub(crate) fn entry(id: i64, task_id: i64) -> ManualEntry {
    ManualEntry {
        id: ManualEntryId(id),
        tenant_id: AdminUserId(1),
        admin_user_id: AdminUserId(2),
        task_id,
        order_num: 1,
        customer_name: Some("客戶".into()),
        customer_phone: Some("18750928186".into()),
        phone_digits: Some("18750928186".into()),
        address: None,
        company: None,
        nick_name: None,
        user_name: None,
        uin: None,
        phone_geo: Some("廈門".into()),
        tags: None,
        remarks: None,
        v1: None,
        xfields: Default::default(),
        dial_status: 0,
        add_status: 0,
        syn: 0,
        assign_time: None,
        create_time: now(),
        last_update_time: now(),
    }
}

fn service(repo: MockManualEntryRepository, queue: MockFriendRequestQueue) -> ManualEntryService {
    ManualEntryService::new(Arc::new(repo), Arc::new(queue))
}

#[tokio::test]
async fn add_names_exactly_the_missing_fields_in_the_spec_order() {
    let svc = service(
        MockManualEntryRepository::new(),
        MockFriendRequestQueue::new(),
    );
    let cases = [
        (
            AddManualTask::default(),
            "聯系方式不能為空客戶姓名不能為空所在地區不能為空",
        ),
        (
            AddManualTask {
                customer_name: Some("a".into()),
                ..Default::default()
            },
            "聯系方式不能為空所在地區不能為空",
        ),
        (
            AddManualTask {
                customer_phone: Some("18750928186".into()),
                phone_geo: Some("廈門".into()),
                ..Default::default()
            },
            "客戶姓名不能為空",
        ),
    ];
    for (cmd, msg) in cases {
        assert_eq!(
            svc.add(&scope(), &cmd, now()).await,
            Err(ServiceError::Invalid(msg.into()))
        );
    }
}

#[tokio::test]
async fn add_checks_the_phone_and_reports_duplicates() {
    let full = AddManualTask {
        customer_name: Some("ceshi".into()),
        customer_phone: Some("18750928186".into()),
        phone_geo: Some("廈門".into()),
        ..Default::default()
    };
    let svc = service(
        MockManualEntryRepository::new(),
        MockFriendRequestQueue::new(),
    );
    let mut short = full.clone();
    short.customer_phone = Some("1234".into());
    assert!(
        matches!(svc.add(&scope(), &short, now()).await, Err(ServiceError::Invalid(m)) if m.starts_with("customerPhone"))
    );

    let mut repo = MockManualEntryRepository::new();
    repo.expect_add()
        .withf(|_, e, _| e.phone_digits == "18750928186" && e.customer_name == "ceshi")
        .returning(|_, _, _| Ok(AddOutcome::DuplicatePhone(ManualEntryId(19380))));
    let err = service(repo, MockFriendRequestQueue::new())
        .add(&scope(), &full, now())
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ServiceError::Conflict("customerPhone: already on this call list as entry 19380".into())
    );
}

#[tokio::test]
async fn before_friend_names_missing_fields_and_queues_the_request() {
    let svc = service(
        MockManualEntryRepository::new(),
        MockFriendRequestQueue::new(),
    );
    let both = svc
        .add_before_friend(&scope(), &AddBeforeFriend::default(), now())
        .await;
    assert_eq!(
        both,
        Err(ServiceError::Invalid("聯系方式目標微信號不能為空".into()))
    );
    let uin_only = AddBeforeFriend {
        customer_phone: Some("18756666666".into()),
        ..Default::default()
    };
    assert_eq!(
        svc.add_before_friend(&scope(), &uin_only, now()).await,
        Err(ServiceError::Invalid("目標微信號不能為空".into()))
    );

    let mut repo = MockManualEntryRepository::new();
    repo.expect_record_dial()
        .withf(|_, d, _| {
            d.user_name == "18756666666" && d.uin == "496768729" && d.phone_digits == "18756666666"
        })
        .returning(|_, _, _| Ok(DialOutcome::Saved(Box::new(entry(20026, -1)))));
    let mut queue = MockFriendRequestQueue::new();
    queue
        .expect_enqueue()
        .with(eq(FriendRequest {
            entry_id: ManualEntryId(20026),
            uin: "496768729".into(),
            user_name: "18756666666".into(),
            v1: None,
            account: AdminUserId(2),
            time: now().timestamp_millis(),
        }))
        .times(1)
        .returning(|_| Ok("1-0".into()));
    let cmd = AddBeforeFriend {
        customer_phone: Some("18756666666".into()),
        uin: Some("496768729".into()),
        ..Default::default()
    };
    let saved = service(repo, queue)
        .add_before_friend(&scope(), &cmd, now())
        .await
        .unwrap();
    assert_eq!(saved.id, ManualEntryId(20026));
}

#[tokio::test]
async fn before_friend_with_an_unknown_uin_is_404_and_queues_nothing() {
    let mut repo = MockManualEntryRepository::new();
    repo.expect_record_dial()
        .returning(|_, _, _| Ok(DialOutcome::UnknownWechatAccount));
    let cmd = AddBeforeFriend {
        customer_phone: Some("18756666666".into()),
        uin: Some("1".into()),
        user_name: Some("wxid".into()),
        v1: None,
    };
    let err = service(repo, MockFriendRequestQueue::new())
        .add_before_friend(&scope(), &cmd, now())
        .await
        .unwrap_err();
    assert_eq!(err, ServiceError::NotFound("wechatUser"));
}

#[tokio::test]
async fn deletes_and_restores_map_their_outcomes() {
    let mut repo = MockManualEntryRepository::new();
    repo.expect_delete_assignee()
        .with(eq(scope()), eq(AdminUserId(3)), always())
        .returning(|_, _, _| Ok(0));
    repo.expect_delete_entry()
        .returning(|_, id, _| Ok(id == ManualEntryId(1)));
    repo.expect_restore_entry().returning(|_, id, _| {
        Ok(match id.0 {
            1 => RestoreOutcome::Restored(1),
            2 => RestoreOutcome::DuplicatePhone(ManualEntryId(9)),
            _ => RestoreOutcome::NotFound,
        })
    });
    let svc = service(repo, MockFriendRequestQueue::new());
    assert_eq!(
        svc.delete_assignee(&scope(), AdminUserId(3), now()).await,
        Err(ServiceError::NotFound("manual entries"))
    );
    assert!(
        svc.delete_entry(&scope(), ManualEntryId(1), now())
            .await
            .is_ok()
    );
    assert!(
        svc.delete_entry(&scope(), ManualEntryId(2), now())
            .await
            .is_err()
    );
    assert_eq!(
        svc.restore_entry(&scope(), ManualEntryId(1), now()).await,
        Ok(1)
    );
    assert!(matches!(
        svc.restore_entry(&scope(), ManualEntryId(2), now()).await,
        Err(ServiceError::Conflict(_))
    ));
    assert_eq!(
        svc.restore_entry(&scope(), ManualEntryId(3), now()).await,
        Err(ServiceError::NotFound("manual entry"))
    );
}

#[tokio::test]
async fn detail_checks_statuses() {
    let svc = service(
        MockManualEntryRepository::new(),
        MockFriendRequestQueue::new(),
    );
    let query = DetailQuery {
        admin_user_id: AdminUserId(2),
        company: None,
        customer_name: None,
        user_name: None,
        dial_status: Some(2),
        add_status: None,
    };
    let err = svc
        .entries(&scope(), &query, PageRequest::new(1, 20).unwrap())
        .await
        .unwrap_err();
    assert!(matches!(err, ServiceError::Invalid(m) if m.starts_with("dialStatus")));
}
