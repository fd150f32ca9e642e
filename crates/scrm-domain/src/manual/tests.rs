//! Tests of `ManualEntryService` against mocked ports.

use super::*;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::{AdminUserId, ManualEntryId, Page, PageRequest, Scope, ServiceError};
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

fn totals(id: i64, entries: u64) -> AssigneeTotals {
    AssigneeTotals {
        admin_user_id: AdminUserId(id),
        entries,
        dialled: 1,
        friend_requests_sent: 2,
        added: 0,
    }
}

fn account(id: i64, name: &str, depart: Option<i64>) -> AssigneeAccount {
    AssigneeAccount {
        admin_user_id: AdminUserId(id),
        real_name: Some(name.into()),
        depart_id: depart.map(crate::DepartmentId),
    }
}

fn indexed_service(repo: MockManualEntryRepository, index: MockManualIndex) -> ManualEntryService {
    ManualEntryService::with_index(
        Arc::new(repo),
        Arc::new(MockFriendRequestQueue::new()),
        Arc::new(index),
    )
}

fn main_scope() -> Scope {
    Scope::for_account(AdminUserId(1), None)
}

#[tokio::test]
async fn assignees_the_index_counts_take_the_names_of_the_page_only() {
    let query = AssigneeQuery {
        admin_user_id: None,
        depart_id: None,
    };
    let mut index = MockManualIndex::new();
    index
        .expect_assignee_totals()
        .with(eq(main_scope()), eq(None))
        .times(1)
        .returning(|_, _| Some(vec![totals(2, 5), totals(3, 1), totals(4, 9)]));
    let mut repo = MockManualEntryRepository::new();
    repo.expect_assignees().never();
    repo.expect_assignee_accounts()
        .withf(|ids| ids == [AdminUserId(3)])
        .times(1)
        .returning(|_| Ok(vec![account(3, "三", None)]));
    let out = indexed_service(repo, index)
        .assignees(&main_scope(), &query, PageRequest::new(2, 1).unwrap())
        .await
        .unwrap();
    assert_eq!(out.total, 3);
    assert_eq!(
        out.items,
        vec![AssigneeSummary {
            admin_user_id: AdminUserId(3),
            real_name: Some("三".into()),
            entries: 1,
            dialled: 1,
            friend_requests_sent: 2,
            added: 0,
        }]
    );
}

#[tokio::test]
async fn a_department_filters_the_index_totals_by_every_assignees_account() {
    let query = AssigneeQuery {
        admin_user_id: Some(AdminUserId(4)),
        depart_id: Some(crate::DepartmentId(10)),
    };
    let mut index = MockManualIndex::new();
    index
        .expect_assignee_totals()
        .with(eq(main_scope()), eq(Some(AdminUserId(4))))
        .times(1)
        .returning(|_, _| Some(vec![totals(2, 5), totals(3, 1), totals(4, 9), totals(5, 1)]));
    let mut repo = MockManualEntryRepository::new();
    repo.expect_assignees().never();
    // 5 has no account: it is in no department, as with SQL's LEFT JOIN.
    repo.expect_assignee_accounts()
        .withf(|ids| ids.iter().map(|a| a.0).collect::<Vec<_>>() == [2, 3, 4, 5])
        .times(1)
        .returning(|_| {
            Ok(vec![
                account(2, "二", Some(10)),
                account(3, "三", Some(11)),
                account(4, "四", Some(10)),
            ])
        });
    let out = indexed_service(repo, index)
        .assignees(&main_scope(), &query, PageRequest::new(1, 20).unwrap())
        .await
        .unwrap();
    assert_eq!(out.total, 2);
    let shown: Vec<(i64, Option<&str>)> = out
        .items
        .iter()
        .map(|a| (a.admin_user_id.0, a.real_name.as_deref()))
        .collect();
    assert_eq!(shown, [(2, Some("二")), (4, Some("四"))]);
}

#[tokio::test]
async fn assignees_the_index_declines_are_the_repositorys_and_past_its_end_read_no_account() {
    let mut index = MockManualIndex::new();
    let mut answers = vec![Some(vec![totals(2, 5)]), None];
    index
        .expect_assignee_totals()
        .times(2)
        .returning(move |_, _| answers.pop().flatten());
    let mut repo = MockManualEntryRepository::new();
    repo.expect_assignees().times(1).returning(|_, _, _| {
        Ok(Page {
            items: vec![],
            total: 4,
        })
    });
    // The second answer is the index's, past its end: no account is read.
    repo.expect_assignee_accounts().never();
    let svc = indexed_service(repo, index);
    let query = AssigneeQuery::default();
    let first = svc
        .assignees(&main_scope(), &query, PageRequest::new(1, 20).unwrap())
        .await
        .unwrap();
    assert_eq!(first.total, 4);
    let second = svc
        .assignees(&main_scope(), &query, PageRequest::new(2, 20).unwrap())
        .await
        .unwrap();
    assert_eq!(
        second,
        Page {
            items: vec![],
            total: 1
        }
    );
}

fn detail_query() -> DetailQuery {
    DetailQuery {
        admin_user_id: AdminUserId(2),
        company: Some("公司".into()),
        customer_name: None,
        user_name: None,
        dial_status: Some(1),
        add_status: None,
    }
}

#[tokio::test]
async fn detail_takes_the_index_count_and_the_rows_of_the_page() {
    let page = PageRequest::new(2, 3).unwrap();
    let mut index = MockManualIndex::new();
    index
        .expect_entry_count()
        .with(eq(scope()), eq(detail_query()))
        .times(1)
        .returning(|_, _| Some(7));
    let mut repo = MockManualEntryRepository::new();
    repo.expect_entries().never();
    repo.expect_entry_rows()
        .with(eq(scope()), eq(detail_query()), eq(page))
        .times(1)
        .returning(|_, _, _| Ok(vec![entry(4, HAND_ENTERED), entry(5, HAND_ENTERED)]));
    let out = indexed_service(repo, index)
        .entries(&scope(), &detail_query(), page)
        .await
        .unwrap();
    assert_eq!(out.total, 7);
    assert_eq!(out.items.iter().map(|e| e.id.0).collect::<Vec<_>>(), [4, 5]);
}

#[tokio::test]
async fn detail_past_the_index_count_reads_no_rows_and_a_decline_is_the_repositorys() {
    let mut index = MockManualIndex::new();
    let mut answers = vec![None, Some(3)];
    index
        .expect_entry_count()
        .times(2)
        .returning(move |_, _| answers.pop().flatten());
    let mut repo = MockManualEntryRepository::new();
    repo.expect_entry_rows().never();
    repo.expect_entries().times(1).returning(|_, _, _| {
        Ok(Page {
            items: vec![entry(9, HAND_ENTERED)],
            total: 1,
        })
    });
    let svc = indexed_service(repo, index);
    let past = svc
        .entries(&scope(), &detail_query(), PageRequest::new(2, 3).unwrap())
        .await
        .unwrap();
    assert_eq!(
        past,
        Page {
            items: vec![],
            total: 3
        }
    );
    let declined = svc
        .entries(&scope(), &detail_query(), PageRequest::new(1, 3).unwrap())
        .await
        .unwrap();
    assert_eq!((declined.total, declined.items.len()), (1, 1));
}

#[tokio::test]
async fn bad_detail_filters_never_reach_the_index() {
    let mut index = MockManualIndex::new();
    index.expect_entry_count().never();
    let svc = indexed_service(MockManualEntryRepository::new(), index);
    let query = DetailQuery {
        add_status: Some(3),
        ..detail_query()
    };
    let err = svc
        .entries(&scope(), &query, PageRequest::new(1, 20).unwrap())
        .await
        .unwrap_err();
    assert!(matches!(err, ServiceError::Invalid(m) if m.starts_with("addStatus")));
}

#[test]
fn an_entry_s_kind_follows_its_task_id() {
    assert_eq!(EntryKind::of(7), Some(EntryKind::Pool));
    assert_eq!(EntryKind::of(HAND_ENTERED), Some(EntryKind::HandEntered));
    assert_eq!(EntryKind::of(0), None);
    assert_eq!(EntryKind::of(-2), None);
}

#[test]
fn of_binned_entries_sharing_a_phone_all_but_the_last_deleted_stay() {
    let e = |id: i64, digits: &str, at: u32| (ManualEntryId(id), digits.to_owned(), at);
    // 1 deleted alone at 5, its phone added again as 3 and deleted with the list at 9; 4 and
    // 6 deleted together at 9 with one phone (imported so): the higher id comes back; no
    // digits never stay.
    let stay = superseded(vec![
        e(1, "138", 5),
        e(2, "139", 9),
        e(3, "138", 9),
        e(6, "150", 9),
        e(4, "150", 9),
        e(7, "", 1),
        e(8, "", 2),
    ]);
    assert_eq!(stay, vec![ManualEntryId(1), ManualEntryId(4)]);
    assert!(superseded::<u32>(Vec::new()).is_empty());
}
