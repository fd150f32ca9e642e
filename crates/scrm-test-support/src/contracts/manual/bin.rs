//! Call lists, recycle bin: delete and restore of an assignee's list and of one entry, scope
//! checks (a sibling or another tenant changes nothing and finds nothing), phone conflicts.

use scrm_domain::manual::{EntryKind, RestoreOutcome};
use scrm_domain::{AdminUserId, ManualEntryId};

use super::add::{add, added, hand, ids};
use super::list::{detail, entry_ids};
use super::{delete_assignee, delete_entry, entries, restore_assignee, restore_entry};
use crate::contracts::fixture::{MAIN_A, MAIN_B, SUB1, SUB2, at, with_call_lists};
use crate::contracts::{RelationalPorts, page};

pub async fn delete_and_restore_an_assignee_within_the_scope(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = with_call_lists(factory).await;
    let now = at(2026, 3, 1, 9, 0, 0);
    let a101 = AdminUserId(101);
    for outsider in [&SUB2, &MAIN_B] {
        assert_eq!(delete_assignee(&ctx, outsider, a101, now).await, 0);
    }
    assert_eq!(entry_ids(&ctx, &MAIN_A, &detail(101)).await.1, 5);
    assert_eq!(delete_assignee(&ctx, &SUB1, a101, now).await, 5);
    assert_eq!(entry_ids(&ctx, &MAIN_A, &detail(101)).await, (vec![], 0));
    assert_eq!(delete_assignee(&ctx, &SUB1, a101, now).await, 0);
    // Pool entries are not touched.
    assert_eq!(
        ids(&ctx, 101, "13600000001", EntryKind::Pool).await,
        vec![5105]
    );
    assert_eq!(hand(&ctx, 101, "13600000001").await, Vec::<i64>::new());

    for outsider in [&SUB2, &MAIN_B] {
        assert_eq!(
            restore_assignee(&ctx, outsider, a101, now).await,
            RestoreOutcome::NotFound
        );
    }
    assert_eq!(entry_ids(&ctx, &MAIN_A, &detail(101)).await.1, 0);
    let later = at(2026, 3, 2, 9, 0, 0);
    assert_eq!(
        restore_assignee(&ctx, &MAIN_A, a101, later).await,
        RestoreOutcome::Restored(5)
    );
    let page = entries(&ctx, &MAIN_A, &detail(101), page(1, 10)).await;
    assert_eq!(page.total, 5);
    assert!(page.items.iter().all(|e| e.last_update_time == later));
    assert_eq!(
        restore_assignee(&ctx, &MAIN_A, a101, later).await,
        RestoreOutcome::NotFound
    );
    // Other assignees were never touched.
    assert_eq!(entry_ids(&ctx, &MAIN_A, &detail(102)).await.1, 2);
}

pub async fn delete_and_restore_one_entry_within_the_scope(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = with_call_lists(factory).await;
    let now = at(2026, 3, 1, 9, 0, 0);
    let e = ManualEntryId(5101);
    for outsider in [&SUB2, &MAIN_B] {
        assert!(!delete_entry(&ctx, outsider, e, now).await);
    }
    // A pool entry is not a hand-entered one.
    assert!(!delete_entry(&ctx, &MAIN_A, ManualEntryId(5105), now).await);
    assert!(!delete_entry(&ctx, &MAIN_A, ManualEntryId(9999), now).await);
    assert_eq!(hand(&ctx, 101, "13600000001").await, vec![5101]);
    assert!(delete_entry(&ctx, &SUB1, e, now).await);
    assert!(!delete_entry(&ctx, &SUB1, e, now).await);
    assert_eq!(
        entry_ids(&ctx, &MAIN_A, &detail(101)).await,
        (vec![5001, 5102, 5103, 5104], 4)
    );
    for outsider in [&SUB2, &MAIN_B] {
        assert_eq!(
            restore_entry(&ctx, outsider, e, now).await,
            RestoreOutcome::NotFound
        );
    }
    assert_eq!(
        restore_entry(&ctx, &SUB1, ManualEntryId(5102), now).await,
        RestoreOutcome::NotFound,
        "a live entry is not in the recycle bin"
    );
    assert_eq!(
        restore_entry(&ctx, &MAIN_A, e, now).await,
        RestoreOutcome::Restored(1)
    );
    assert_eq!(entry_ids(&ctx, &MAIN_A, &detail(101)).await.1, 5);
}

pub async fn restoring_a_phone_that_is_live_again_conflicts_and_changes_nothing(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = with_call_lists(factory).await;
    let now = at(2026, 3, 1, 9, 0, 0);
    assert!(delete_entry(&ctx, &SUB1, ManualEntryId(5101), now).await);
    // The phone is free on the live list again: the sub-account adds it anew.
    let again = added(add(&ctx, &SUB1, "136-0000-0001").await);
    assert_eq!(
        restore_entry(&ctx, &SUB1, ManualEntryId(5101), now).await,
        RestoreOutcome::DuplicatePhone(again.id)
    );
    assert_eq!(
        restore_assignee(&ctx, &MAIN_A, AdminUserId(101), now).await,
        RestoreOutcome::DuplicatePhone(again.id)
    );
    assert_eq!(hand(&ctx, 101, "13600000001").await, vec![again.id.0]);
    assert_eq!(entry_ids(&ctx, &MAIN_A, &detail(101)).await.1, 5);

    // Both in the bin, `again` deleted last: restoring the list brings it back as it was when
    // deleted, with `again`; 5101, superseded by it, stays in the bin (until 2026-12-08 the
    // restore was refused, naming 5101 as if it were live).
    let later = at(2026, 3, 1, 10, 0, 0);
    assert!(delete_entry(&ctx, &SUB1, again.id, later).await);
    assert_eq!(entry_ids(&ctx, &MAIN_A, &detail(101)).await.1, 4);
    assert_eq!(
        restore_assignee(&ctx, &SUB1, AdminUserId(101), later).await,
        RestoreOutcome::Restored(1)
    );
    assert_eq!(hand(&ctx, 101, "13600000001").await, vec![again.id.0]);
    assert_eq!(entry_ids(&ctx, &MAIN_A, &detail(101)).await.1, 5);
    // 5101 comes back alone once the phone is off the list.
    assert_eq!(
        restore_entry(&ctx, &SUB1, ManualEntryId(5101), later).await,
        RestoreOutcome::DuplicatePhone(again.id)
    );
    assert!(delete_entry(&ctx, &SUB1, again.id, later).await);
    assert_eq!(
        restore_entry(&ctx, &SUB1, ManualEntryId(5101), later).await,
        RestoreOutcome::Restored(1)
    );
    assert_eq!(hand(&ctx, 101, "13600000001").await, vec![5101]);
    // The same phone on another assignee's list is no conflict.
    assert_eq!(hand(&ctx, 102, "13600000001").await, vec![5202]);
}
