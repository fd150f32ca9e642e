//! Call lists, dials: record_dial creates or updates the caller's entry, needs a WeChat
//! account of the scope, and two concurrent dials of one new phone share one entry.

use scrm_domain::manual::{DialOutcome, DialRequest, ManualEntry};
use scrm_domain::{AdminUserId, ManualEntryId};

use super::add::hand;
use super::list::{detail, entry_ids};
use super::record_dial;
use crate::contracts::RelationalPorts;
use crate::contracts::fixture::{MAIN_A, MAIN_B, SUB1, at, with_call_lists};

fn dial(phone: &str, uin: &str, user_name: &str, v1: Option<&str>) -> DialRequest {
    DialRequest {
        customer_phone: phone.into(),
        phone_digits: scrm_domain::phone::digits(phone),
        uin: uin.into(),
        user_name: user_name.into(),
        v1: v1.map(Into::into),
    }
}

fn saved(out: DialOutcome) -> ManualEntry {
    match out {
        DialOutcome::Saved(e) => *e,
        other => panic!("expected Saved, got {other:?}"),
    }
}

pub async fn record_dial_creates_then_updates_the_entry(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = with_call_lists(factory).await;
    let t1 = at(2026, 3, 1, 9, 0, 0);
    let first = saved(
        record_dial(
            &ctx,
            &SUB1,
            &dial("139-1111-2222", "u1001", "139-1111-2222", Some("v1_a")),
            t1,
        )
        .await,
    );
    assert_eq!(first.admin_user_id, AdminUserId(101));
    assert_eq!(first.tenant_id, AdminUserId(100));
    assert_eq!(first.task_id, -1);
    assert_eq!(first.order_num, 4);
    assert_eq!(first.customer_name.as_deref(), Some(""));
    assert_eq!(first.phone_geo.as_deref(), Some(""));
    assert_eq!(first.customer_phone.as_deref(), Some("139-1111-2222"));
    assert_eq!(first.phone_digits.as_deref(), Some("13911112222"));
    assert_eq!(first.user_name.as_deref(), Some("139-1111-2222"));
    assert_eq!(first.uin.as_deref(), Some("u1001"));
    assert_eq!(first.v1.as_deref(), Some("v1_a"));
    assert_eq!((first.dial_status, first.add_status), (1, 0));
    assert_eq!((first.create_time, first.last_update_time), (t1, t1));

    let t2 = at(2026, 3, 1, 10, 0, 0);
    let second = saved(
        record_dial(
            &ctx,
            &SUB1,
            &dial("13911112222", "u1001", "wxid_found", None),
            t2,
        )
        .await,
    );
    assert_eq!(second.id, first.id);
    assert_eq!(second.user_name.as_deref(), Some("wxid_found"));
    assert_eq!(second.v1.as_deref(), Some("v1_a"), "no v1 given: kept");
    assert_eq!(second.customer_phone.as_deref(), Some("139-1111-2222"));
    assert_eq!((second.create_time, second.last_update_time), (t1, t2));

    // An existing hand-entered entry that was not dialled yet.
    let e = saved(
        record_dial(
            &ctx,
            &SUB1,
            &dial("13600000003", "u1001", "wxid_ab", Some("v1_b")),
            t2,
        )
        .await,
    );
    assert_eq!(e.id, ManualEntryId(5103));
    assert_eq!(e.dial_status, 1);
    assert_eq!(e.uin.as_deref(), Some("u1001"));
    assert_eq!(e.v1.as_deref(), Some("v1_b"));
    assert_eq!(
        e.company.as_deref(),
        Some("甲公司"),
        "other fields untouched"
    );
    assert_eq!(e.order_num, 1);
    assert_eq!(entry_ids(&ctx, &SUB1, &detail(101)).await.1, 6);

    // A main account may use a sub-account's WeChat account; the entry is the caller's.
    let m = saved(
        record_dial(
            &ctx,
            &MAIN_A,
            &dial("13911112222", "u1001", "wxid_found", None),
            t2,
        )
        .await,
    );
    assert_eq!(m.admin_user_id, AdminUserId(100));
    assert_eq!(m.order_num, 6);
}

pub async fn record_dial_needs_a_wechat_account_of_the_scope(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = with_call_lists(factory).await;
    let now = at(2026, 3, 1, 9, 0, 0);
    for (scope, uin) in [
        (&SUB1, "nope"),
        (&SUB1, "u1002"),
        (&SUB1, "u1000"),
        (&SUB1, "u1201"),
        (&MAIN_A, "u1201"),
        (&MAIN_B, "u1001"),
    ] {
        assert_eq!(
            record_dial(&ctx, scope, &dial("13911112222", uin, "x", None), now).await,
            DialOutcome::UnknownWechatAccount,
            "{uin}"
        );
    }
    assert_eq!(hand(&ctx, 101, "13911112222").await, Vec::<i64>::new());
    assert_eq!(hand(&ctx, 100, "13911112222").await, Vec::<i64>::new());
    assert_eq!(
        ctx.manual
            .record_dial(&MAIN_B, &dial("13911112222", "u1201", "x", None), now)
            .await
            .map(saved)
            .unwrap()
            .admin_user_id,
        AdminUserId(200)
    );
}

pub async fn concurrent_dials_of_one_new_phone_share_one_entry(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = with_call_lists(factory).await;
    let now = at(2026, 3, 1, 9, 0, 0);
    for i in 0..5 {
        let phone = format!("1580000000{i}");
        let cmd = dial(&phone, "u1001", &phone, None);
        let (a, b) = (ctx.manual.clone(), ctx.manual.clone());
        let (ra, rb) = tokio::join!(
            tokio::spawn({
                let cmd = cmd.clone();
                async move { a.record_dial(&SUB1, &cmd, now).await }
            }),
            tokio::spawn(async move { b.record_dial(&SUB1, &cmd, now).await }),
        );
        let (ea, eb) = (saved(ra.unwrap().unwrap()), saved(rb.unwrap().unwrap()));
        assert_eq!(ea.id, eb.id);
        assert_eq!(hand(&ctx, 101, &phone).await, vec![ea.id.0]);
    }
}
