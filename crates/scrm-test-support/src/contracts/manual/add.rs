//! Call lists, additions: add (next orderNum, duplicate phones, concurrent adds of one
//! phone) and the call pop-up's lookup by phone digits and kind.

use scrm_domain::call::CallerInfo;
use scrm_domain::manual::{AddOutcome, EntryKind, ManualEntry, NewManualEntry};
use scrm_domain::{AdminUserId, ManualEntryId, Scope};

use super::list::detail;
use super::{delete_entry, entries};
use crate::contracts::fixture::{MAIN_A, SUB1, SUB2, SUB3, at, with_call_lists};
use crate::contracts::{RelationalPorts, page};

pub fn new_entry(phone: &str) -> NewManualEntry {
    NewManualEntry {
        customer_name: "新客".into(),
        customer_phone: phone.into(),
        phone_digits: scrm_domain::phone::digits(phone),
        phone_geo: "廈門".into(),
        ..Default::default()
    }
}

pub async fn add(ctx: &RelationalPorts, scope: &Scope, phone: &str) -> AddOutcome {
    let now = at(2026, 3, 1, 9, 0, 0);
    ctx.manual.add(scope, &new_entry(phone), now).await.unwrap()
}

pub fn added(out: AddOutcome) -> ManualEntry {
    match out {
        AddOutcome::Added(e) => *e,
        other => panic!("expected Added, got {other:?}"),
    }
}

pub async fn hand(ctx: &RelationalPorts, account: i64, digits: &str) -> Vec<i64> {
    ids(ctx, account, digits, EntryKind::HandEntered).await
}

/// The scope of a fixture account (tenant A is 100, tenant B 200).
fn scope_of(account: i64) -> Scope {
    Scope {
        account: AdminUserId(account),
        tenant: AdminUserId(if account >= 200 { 200 } else { 100 }),
    }
}

/// The ids of the live entries of one kind assigned to `account` whose phone digits equal
/// `digits`: hand-entered ones from the assignee's list (in its order), pool ones as the call
/// pop-up finds them.
pub async fn ids(ctx: &RelationalPorts, account: i64, digits: &str, kind: EntryKind) -> Vec<i64> {
    let scope = scope_of(account);
    let found = match kind {
        EntryKind::HandEntered => {
            let page = entries(ctx, &scope, &detail(account), page(1, 100)).await;
            assert!(page.total <= 100, "the whole list fits the page");
            page.items
                .into_iter()
                .filter(|e| e.phone_digits.as_deref() == Some(digits))
                .collect()
        }
        EntryKind::Pool => pool(ctx, &scope, digits).await,
    };
    found.iter().map(|e| e.id.0).collect()
}

/// The live pool entries assigned to the scope's account whose phone digits equal `digits`,
/// as the call pop-up finds them (its second source; the number must not be a customer's).
pub async fn pool(ctx: &RelationalPorts, scope: &Scope, digits: &str) -> Vec<ManualEntry> {
    match ctx.callers.caller_by_phone(scope, digits).await.unwrap() {
        CallerInfo::PoolEntries(entries) => entries,
        CallerInfo::HandEntries(_) | CallerInfo::Unknown => Vec::new(),
        CallerInfo::Customers(_) => panic!("{digits} is a customer's in {scope:?}"),
    }
}

pub async fn add_takes_the_next_order_num_and_refuses_a_duplicate_phone(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = with_call_lists(factory).await;
    let now = at(2026, 3, 1, 9, 0, 0);
    let mut cmd = new_entry("+86 139-0000-0000");
    cmd.address = Some("思明區".into());
    cmd.company = Some("新公司".into());
    cmd.user_name = Some("wxid_new".into());
    cmd.v1 = Some("v1_x".into());
    cmd.xfields[0] = Some("一".into());
    cmd.xfields[9] = Some("十".into());
    let e = added(ctx.manual.add(&SUB1, &cmd, now).await.unwrap());
    // 101's largest hand-entered orderNum is 3 (the pool entry's 50 does not count).
    assert_eq!(e.order_num, 4);
    assert_eq!(e.tenant_id, AdminUserId(100));
    assert_eq!(e.admin_user_id, AdminUserId(101));
    assert_eq!(e.task_id, -1);
    assert_eq!(e.customer_name.as_deref(), Some("新客"));
    assert_eq!(e.customer_phone.as_deref(), Some("+86 139-0000-0000"));
    assert_eq!(e.phone_digits.as_deref(), Some("13900000000"));
    assert_eq!(e.phone_geo.as_deref(), Some("廈門"));
    assert_eq!(e.address.as_deref(), Some("思明區"));
    assert_eq!(e.company.as_deref(), Some("新公司"));
    assert_eq!(e.user_name.as_deref(), Some("wxid_new"));
    assert_eq!(e.v1.as_deref(), Some("v1_x"));
    assert_eq!(e.uin, None);
    assert_eq!(e.xfields, cmd.xfields);
    assert_eq!((e.dial_status, e.add_status, e.syn), (0, 0, 0));
    assert_eq!((e.create_time, e.last_update_time), (now, now));
    assert_eq!(e.assign_time, None);
    let listed = entries(&ctx, &SUB1, &detail(101), page(1, 10)).await;
    assert_eq!(listed.items.last(), Some(&e));

    assert_eq!(
        add(&ctx, &SUB1, "139 0000 0000").await,
        AddOutcome::DuplicatePhone(e.id)
    );
    // A deleted entry's orderNum still counts; its phone no longer blocks.
    assert!(delete_entry(&ctx, &SUB1, e.id, now).await);
    let e2 = added(add(&ctx, &SUB1, "13900000000").await);
    assert_eq!(e2.order_num, 5);
    // Other lists: their own numbering and phones.
    assert_eq!(added(add(&ctx, &SUB2, "13900000000").await).order_num, 3);
    assert_eq!(added(add(&ctx, &MAIN_A, "13900000000").await).order_num, 6);
    assert_eq!(added(add(&ctx, &SUB3, "13900000003").await).order_num, 1);
    assert_eq!(
        add(&ctx, &SUB2, "13700000001").await,
        AddOutcome::DuplicatePhone(ManualEntryId(5201))
    );
}

pub async fn concurrent_adds_of_one_phone_give_exactly_one_entry(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = with_call_lists(factory).await;
    let now = at(2026, 3, 1, 9, 0, 0);
    for i in 0..5 {
        let phone = format!("1590000000{i}");
        let cmd = new_entry(&phone);
        let (a, b) = (ctx.manual.clone(), ctx.manual.clone());
        let (ra, rb) = tokio::join!(
            tokio::spawn({
                let cmd = cmd.clone();
                async move { a.add(&SUB1, &cmd, now).await }
            }),
            tokio::spawn(async move { b.add(&SUB1, &cmd, now).await }),
        );
        let outcomes = [ra.unwrap().unwrap(), rb.unwrap().unwrap()];
        let ids: Vec<ManualEntryId> = outcomes
            .iter()
            .filter_map(|o| match o {
                AddOutcome::Added(e) => Some(e.id),
                AddOutcome::DuplicatePhone(_) => None,
            })
            .collect();
        assert_eq!(ids.len(), 1, "exactly one Added: {outcomes:?}");
        assert!(
            outcomes.contains(&AddOutcome::DuplicatePhone(ids[0])),
            "{outcomes:?}"
        );
        assert_eq!(hand(&ctx, 101, &phone).await, vec![ids[0].0]);
    }
    // Five adds, five distinct orderNums.
    let page = entries(&ctx, &SUB1, &detail(101), page(1, 20)).await;
    let nums: Vec<i64> = page.items.iter().map(|e| e.order_num).collect();
    assert_eq!(nums, vec![0, 1, 1, 2, 3, 4, 5, 6, 7, 8]);
}

pub async fn by_phone_finds_live_entries_of_one_kind_and_assignee(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = with_call_lists(factory).await;
    let now = at(2026, 3, 1, 9, 0, 0);
    let p = "13600000001";
    assert_eq!(ids(&ctx, 101, p, EntryKind::Pool).await, vec![5105]);
    assert_eq!(ids(&ctx, 101, p, EntryKind::HandEntered).await, vec![5101]);
    assert_eq!(ids(&ctx, 102, p, EntryKind::Pool).await, Vec::<i64>::new());
    assert_eq!(ids(&ctx, 102, p, EntryKind::HandEntered).await, vec![5202]);
    assert_eq!(
        ids(&ctx, 102, "13700000001", EntryKind::Pool).await,
        vec![5203]
    );
    assert_eq!(ids(&ctx, 200, p, EntryKind::HandEntered).await, vec![5501]);
    assert_eq!(
        ids(&ctx, 100, p, EntryKind::HandEntered).await,
        Vec::<i64>::new()
    );
    // Digits must be equal, not contained.
    assert_eq!(
        ids(&ctx, 101, "3600000001", EntryKind::HandEntered).await,
        Vec::<i64>::new()
    );
    // Several matches come in id order; deleted ones are left out.
    let extra = added(add(&ctx, &SUB2, "13700000002").await);
    assert_eq!(
        ids(&ctx, 102, "13700000002", EntryKind::HandEntered).await,
        vec![extra.id.0]
    );
    assert!(delete_entry(&ctx, &SUB1, ManualEntryId(5101), now).await);
    assert_eq!(
        ids(&ctx, 101, p, EntryKind::HandEntered).await,
        Vec::<i64>::new()
    );
    let full = &pool(&ctx, &SUB1, p).await[0];
    assert_eq!(full.task_id, 7);
    assert_eq!(full.customer_name.as_deref(), Some("池子"));
    assert_eq!(full.dial_status, 1);
}
