//! Call lists, read side: assignees with totals (filters, department, scope, paging) and one
//! assignee's entries (filters alone and combined, order, paging, exact totals; pool entries
//! never listed).

use scrm_domain::manual::{AssigneeQuery, DetailQuery};
use scrm_domain::{AdminUserId, DepartmentId, PageRequest, Scope};

use super::entries;
use crate::contracts::fixture::{MAIN_A, MAIN_B, SUB_B, SUB1, SUB2, SUB3, at, with_call_lists};
use crate::contracts::{RelationalPorts, page};

fn assignee_query(admin: Option<i64>, depart: Option<i64>) -> AssigneeQuery {
    AssigneeQuery {
        admin_user_id: admin.map(AdminUserId),
        depart_id: depart.map(DepartmentId),
    }
}

/// The assignee ids of a page and the total.
async fn assignees(
    ctx: &RelationalPorts,
    scope: &Scope,
    q: &AssigneeQuery,
    p: PageRequest,
) -> (Vec<i64>, u64) {
    let page = ctx.manual.assignees(scope, q, p).await.unwrap();
    (
        page.items.iter().map(|a| a.admin_user_id.0).collect(),
        page.total,
    )
}

pub fn detail(admin: i64) -> DetailQuery {
    DetailQuery {
        admin_user_id: AdminUserId(admin),
        company: None,
        customer_name: None,
        user_name: None,
        dial_status: None,
        add_status: None,
    }
}

/// The entry ids of the first 100 matches and the total.
pub async fn entry_ids(ctx: &RelationalPorts, scope: &Scope, q: &DetailQuery) -> (Vec<i64>, u64) {
    let page = entries(ctx, scope, q, page(1, 100)).await;
    (page.items.iter().map(|e| e.id.0).collect(), page.total)
}

pub async fn assignees_have_exact_totals_in_account_order(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = with_call_lists(factory).await;
    let all = assignee_query(None, None);
    let page1 = ctx
        .manual
        .assignees(&MAIN_A, &all, page(1, 100))
        .await
        .unwrap();
    assert_eq!(page1.total, 3, "103 has pool entries only");
    let ids: Vec<i64> = page1.items.iter().map(|a| a.admin_user_id.0).collect();
    assert_eq!(ids, vec![100, 101, 102]);
    let s1 = &page1.items[1];
    assert_eq!(s1.real_name.as_deref(), Some("銷售一"));
    assert_eq!(
        (s1.entries, s1.dialled, s1.friend_requests_sent, s1.added),
        (5, 2, 3, 1),
        "the pool entry 5105 (dialled) is not counted"
    );
    let s2 = &page1.items[2];
    assert_eq!(
        (s2.entries, s2.dialled, s2.friend_requests_sent, s2.added),
        (2, 1, 0, 0)
    );
    assert_eq!(page1.items[0].real_name.as_deref(), Some("甲公司"));
    assert_eq!(page1.items[0].entries, 1);

    assert_eq!(
        assignees(&ctx, &MAIN_A, &all, page(1, 2)).await,
        (vec![100, 101], 3)
    );
    assert_eq!(
        assignees(&ctx, &MAIN_A, &all, page(2, 2)).await,
        (vec![102], 3)
    );
    assert_eq!(
        assignees(&ctx, &MAIN_A, &all, page(3, 2)).await,
        (vec![], 3)
    );
}

pub async fn assignees_filter_by_account_and_department(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = with_call_lists(factory).await;
    let p = page(1, 20);
    assert_eq!(
        assignees(&ctx, &MAIN_A, &assignee_query(Some(102), None), p).await,
        (vec![102], 1)
    );
    assert_eq!(
        assignees(&ctx, &MAIN_A, &assignee_query(None, Some(10)), p).await,
        (vec![101], 1)
    );
    // Department 11 has 103, who has pool entries only.
    assert_eq!(
        assignees(&ctx, &MAIN_A, &assignee_query(None, Some(11)), p).await,
        (vec![], 0)
    );
    assert_eq!(
        assignees(&ctx, &MAIN_A, &assignee_query(Some(102), Some(10)), p).await,
        (vec![], 0)
    );
    assert_eq!(
        assignees(&ctx, &MAIN_A, &assignee_query(Some(101), Some(10)), p).await,
        (vec![101], 1)
    );
    assert_eq!(
        assignees(&ctx, &MAIN_A, &assignee_query(Some(9999), None), p).await,
        (vec![], 0)
    );
}

pub async fn assignees_stay_in_the_scope(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = with_call_lists(factory).await;
    let all = assignee_query(None, None);
    let p = page(1, 20);
    assert_eq!(assignees(&ctx, &SUB1, &all, p).await, (vec![101], 1));
    assert_eq!(assignees(&ctx, &SUB2, &all, p).await, (vec![102], 1));
    assert_eq!(assignees(&ctx, &SUB3, &all, p).await, (vec![], 0));
    assert_eq!(
        assignees(&ctx, &SUB1, &assignee_query(Some(102), None), p).await,
        (vec![], 0)
    );
    assert_eq!(assignees(&ctx, &MAIN_B, &all, p).await, (vec![200], 1));
    assert_eq!(assignees(&ctx, &SUB_B, &all, p).await, (vec![], 0));
    assert_eq!(
        assignees(&ctx, &MAIN_B, &assignee_query(Some(101), None), p).await,
        (vec![], 0)
    );
    // Department 10 belongs to tenant A.
    assert_eq!(
        assignees(&ctx, &MAIN_B, &assignee_query(None, Some(10)), p).await,
        (vec![], 0)
    );
}

pub async fn entries_are_ordered_by_order_num_then_id_and_paged(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = with_call_lists(factory).await;
    let all = detail(101);
    assert_eq!(
        entry_ids(&ctx, &MAIN_A, &all).await,
        (vec![5001, 5102, 5103, 5104, 5101], 5),
        "the pool entry 5105 is never listed"
    );
    assert_eq!(entry_ids(&ctx, &SUB1, &all).await.1, 5);
    let p2 = entries(&ctx, &MAIN_A, &all, page(2, 2)).await;
    assert_eq!(
        p2.items.iter().map(|e| e.id.0).collect::<Vec<_>>(),
        vec![5103, 5104]
    );
    assert_eq!(p2.total, 5);
    let p4 = entries(&ctx, &MAIN_A, &all, page(4, 2)).await;
    assert!(p4.items.is_empty());
    assert_eq!(p4.total, 5);
    assert_eq!(
        entry_ids(&ctx, &MAIN_A, &detail(102)).await,
        (vec![5201, 5202], 2)
    );
    assert_eq!(entry_ids(&ctx, &MAIN_A, &detail(103)).await, (vec![], 0));
}

pub async fn an_entry_shows_every_stored_field(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = with_call_lists(factory).await;
    let page = entries(&ctx, &SUB1, &detail(101), page(1, 1)).await;
    let e = &page.items[0];
    assert_eq!(e.id.0, 5001);
    assert_eq!(e.tenant_id, AdminUserId(100));
    assert_eq!(e.admin_user_id, AdminUserId(101));
    assert_eq!(e.task_id, -1);
    assert_eq!(e.customer_name.as_deref(), Some("手工"));
    assert_eq!(e.customer_phone.as_deref(), Some("13511112222"));
    assert_eq!(e.phone_digits.as_deref(), Some("13511112222"));
    assert_eq!(e.xfields[0], None);
    assert_eq!(e.xfields[1].as_deref(), Some("二"));
    assert_eq!((e.dial_status, e.add_status, e.syn), (0, 0, 0));
    assert_eq!(e.create_time, at(2026, 1, 1, 8, 0, 0));
}

/// The entries' text filters compare lower-cased, then exactly, as the customer lists do:
/// `🐶` does not find `🐱貓`, `cafe` does not find `Café` (MariaDB's collation alone took
/// both for matches).
pub async fn entry_text_filters_mind_accents_and_emoji(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = with_call_lists(factory).await;
    let mut cmd = super::add::new_entry("13900009999");
    cmd.customer_name = "🐱貓".into();
    cmd.company = Some("Café Ünïon".into());
    let e = super::add::added(
        ctx.manual
            .add(&SUB1, &cmd, at(2026, 3, 1, 9, 0, 0))
            .await
            .unwrap(),
    );
    let with = |f: &dyn Fn(&mut DetailQuery)| {
        let mut q = detail(101);
        f(&mut q);
        q
    };
    let found = vec![e.id.0];
    let cases: Vec<(DetailQuery, Vec<i64>)> = vec![
        (
            with(&|q| q.customer_name = Some("🐱".into())),
            found.clone(),
        ),
        (with(&|q| q.customer_name = Some("🐶".into())), vec![]),
        (with(&|q| q.customer_name = Some("🐶貓".into())), vec![]),
        (with(&|q| q.company = Some("CAFÉ ü".into())), found.clone()),
        (with(&|q| q.company = Some("cafe".into())), vec![]),
        (with(&|q| q.company = Some("union".into())), vec![]),
    ];
    for (q, want) in cases {
        let total = want.len() as u64;
        assert_eq!(entry_ids(&ctx, &MAIN_A, &q).await, (want, total), "{q:?}");
    }
}

pub async fn entry_filters_alone_and_combined(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = with_call_lists(factory).await;
    let with = |f: &dyn Fn(&mut DetailQuery)| {
        let mut q = detail(101);
        f(&mut q);
        q
    };
    let cases: Vec<(DetailQuery, Vec<i64>)> = vec![
        (
            with(&|q| q.company = Some("甲公司".into())),
            vec![5103, 5101],
        ),
        // LIKE wildcards in the input are literal.
        (with(&|q| q.company = Some("%".into())), vec![5102]),
        (with(&|q| q.user_name = Some("x_d".into())), vec![]),
        (
            with(&|q| q.user_name = Some("wxid_a".into())),
            vec![5103, 5101],
        ),
        (
            with(&|q| q.customer_name = Some("王".into())),
            vec![5103, 5101],
        ),
        (
            with(&|q| q.customer_name = Some(String::new())),
            vec![5001, 5102, 5103, 5104, 5101],
        ),
        (with(&|q| q.dial_status = Some(1)), vec![5102, 5101]),
        (with(&|q| q.add_status = Some(1)), vec![5102, 5104]),
        (with(&|q| q.add_status = Some(2)), vec![5101]),
        (
            with(&|q| {
                q.dial_status = Some(0);
                q.add_status = Some(0);
            }),
            vec![5001, 5103],
        ),
        (
            with(&|q| {
                q.company = Some("甲公司".into());
                q.dial_status = Some(1);
            }),
            vec![5101],
        ),
        (
            with(&|q| {
                q.customer_name = Some("王".into());
                q.user_name = Some("wxid_ab".into());
                q.dial_status = Some(0);
            }),
            vec![5103],
        ),
    ];
    for (q, want) in cases {
        let total = want.len() as u64;
        assert_eq!(entry_ids(&ctx, &MAIN_A, &q).await, (want, total), "{q:?}");
    }
}

pub async fn entries_of_another_scope_are_an_empty_page(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = with_call_lists(factory).await;
    assert_eq!(entry_ids(&ctx, &SUB2, &detail(101)).await, (vec![], 0));
    assert_eq!(entry_ids(&ctx, &SUB1, &detail(100)).await, (vec![], 0));
    assert_eq!(entry_ids(&ctx, &MAIN_B, &detail(101)).await, (vec![], 0));
    assert_eq!(entry_ids(&ctx, &MAIN_A, &detail(200)).await, (vec![], 0));
    assert_eq!(
        entry_ids(&ctx, &MAIN_B, &detail(200)).await,
        (vec![5501], 1)
    );
}

/// What the service reads when an index gave the totals or the count: the accounts by id
/// (any tenant, as the grouped query's join; unknown ids left out) and the page of entries
/// without its count (the same rows as `entries`).
pub async fn accounts_and_pages_without_a_count(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = with_call_lists(factory).await;
    let ids = [102, 9999, 101, 200, 101].map(AdminUserId);
    let accounts: Vec<(i64, Option<String>, Option<i64>)> = ctx
        .manual
        .assignee_accounts(&ids)
        .await
        .unwrap()
        .into_iter()
        .map(|a| (a.admin_user_id.0, a.real_name, a.depart_id.map(|d| d.0)))
        .collect();
    assert_eq!(
        accounts,
        [
            (101, Some("銷售一".to_owned()), Some(10)),
            (102, Some("銷售二".to_owned()), None),
            (200, Some("乙公司".to_owned()), None),
        ]
    );
    assert!(ctx.manual.assignee_accounts(&[]).await.unwrap().is_empty());
    let company = DetailQuery {
        company: Some("甲公司".into()),
        ..detail(101)
    };
    for (scope, q, p) in [
        (&MAIN_A, detail(101), page(1, 100)),
        (&MAIN_A, detail(101), page(2, 2)),
        (&MAIN_A, detail(101), page(4, 2)),
        (&SUB1, company, page(1, 1)),
        (&SUB2, detail(101), page(1, 20)),
    ] {
        let want = ctx.manual.entries(scope, &q, p).await.unwrap().items;
        let got = ctx.manual.entry_rows(scope, &q, p).await.unwrap();
        assert_eq!(got, want, "{q:?} {p:?}");
    }
}
