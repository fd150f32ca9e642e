//! The call pop-up's `CallerLookup`: the first source with a match answers (customers of the
//! scope, then pool entries assigned to the account, then its hand-entered entries), each
//! with every match of that source.

use scrm_domain::ManualEntryId;
use scrm_domain::Scope;
use scrm_domain::call::CallerInfo;

use crate::contracts::RelationalPorts;
use crate::contracts::fixture::{SUB1, SUB2, at, with_call_lists};
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
