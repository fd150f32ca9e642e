//! The call pop-up's `CallerLookup`: the first source with a match answers (customers of the
//! scope, then pool entries assigned to the account, then its hand-entered entries), each
//! with every match of that source.

use scrm_domain::call::CallerInfo;
use scrm_domain::customer::CustomerRecord;
use scrm_domain::{CustomerId, ManualEntryId, Scope};

use crate::contracts::RelationalPorts;
use crate::contracts::fixture::{MAIN_A, SUB1, SUB2, at, with_call_lists};
use crate::contracts::manual::delete_entry;

/// The source and the ids of its matches.
async fn caller(ctx: &RelationalPorts, scope: &Scope, digits: &str) -> (i32, Vec<i64>) {
    let info = ctx.callers.caller_by_phone(scope, digits).await.unwrap();
    let ids = match &info {
        CallerInfo::Unknown => vec![],
        CallerInfo::Customers(c) => c.iter().map(|c| c.id.0).collect(),
        CallerInfo::PoolEntries(e) | CallerInfo::HandEntries(e) => {
            e.iter().map(|e| e.id.0).collect()
        }
    };
    (info.source(), ids)
}

pub async fn the_first_source_with_a_match_answers_with_all_its_matches(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = with_call_lists(factory).await;
    // Customers of the scope, newest first.
    assert_eq!(
        caller(&ctx, &SUB1, "13800001111").await,
        (1, vec![3006, 3001])
    );
    assert_eq!(caller(&ctx, &SUB2, "13800001111").await, (1, vec![3007]));
    // No customer: the account's pool entries, though a hand-entered one matches too.
    assert_eq!(caller(&ctx, &SUB1, "13600000001").await, (2, vec![5105]));
    assert_eq!(caller(&ctx, &SUB2, "13700000001").await, (2, vec![5203]));
    // No pool entry of the account: its hand-entered ones.
    assert_eq!(caller(&ctx, &SUB2, "13600000001").await, (3, vec![5202]));
    // Nobody.
    assert_eq!(caller(&ctx, &SUB1, "19900000000").await, (0, vec![]));
    // Deleted entries are left out.
    let now = at(2026, 3, 1, 9, 0, 0);
    assert!(delete_entry(&ctx, &SUB2, ManualEntryId(5202), now).await);
    assert_eq!(caller(&ctx, &SUB2, "13600000001").await, (0, vec![]));
}

/// The customers the pop-up finds, as it reads them.
async fn callers(ctx: &RelationalPorts, scope: &Scope, digits: &str) -> Vec<CustomerRecord> {
    match ctx.callers.caller_by_phone(scope, digits).await.unwrap() {
        CallerInfo::Customers(found) => found,
        other => panic!("{scope:?} {digits}: {other:?}"),
    }
}

pub async fn a_caller_s_customers_are_their_whole_records_within_the_scope(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = with_call_lists(factory).await;
    for scope in [MAIN_A, SUB1, SUB2] {
        let found = callers(&ctx, &scope, "13800001111").await;
        let ids: Vec<CustomerId> = found.iter().map(|c| c.id).collect();
        // The same records (tags and their names, the forms of address, the WeChat
        // account's nick name) as the customer lists show, in the pop-up's order.
        assert_eq!(
            found,
            ctx.customers.by_ids(&scope, &ids).await.unwrap(),
            "{scope:?}"
        );
    }
    // 3001: contact 2001 with tag 11, a form of address, on WeChat account 1001.
    let found = callers(&ctx, &MAIN_A, "13800001111").await;
    let wang = found.iter().find(|c| c.id == CustomerId(3001)).unwrap();
    assert_eq!(wang.tag_names, vec!["VIP".to_owned()]);
    assert_eq!(wang.customer_nick_name.as_deref(), Some("明哥"));
    assert_eq!(wang.wechat_user_nick_name.as_deref(), Some("銷售一號"));
    assert_eq!(wang.remark_name.as_deref(), Some("小明_銷售"));
}
