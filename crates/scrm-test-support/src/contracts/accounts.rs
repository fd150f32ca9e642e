//! The `AccountRepository` contract: accounts by id and login name, the after-call pop-up
//! switch and the password hash.

use scrm_domain::account::Account;
use scrm_domain::{AdminUserId, DepartmentId};

use crate::contracts::RelationalPorts;
use crate::contracts::fixture::loaded;

/// The account `id`; panics when there is none.
async fn account(ctx: &RelationalPorts, id: AdminUserId) -> Account {
    ctx.accounts.find_by_id(id).await.unwrap().unwrap()
}

pub async fn by_id_and_the_after_call_switch(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = loaded(factory).await;
    let a = account(&ctx, AdminUserId(101)).await;
    assert_eq!(a.login_name, "a_sub1");
    assert_eq!(a.real_name, "銷售一");
    assert_eq!(a.parent_id, Some(AdminUserId(100)));
    assert_eq!(a.depart_id, Some(DepartmentId(10)));
    assert!(!a.is_open_after_call);
    assert_eq!(
        Some(&a),
        ctx.accounts.find_by_login("a_sub1").await.unwrap().as_ref()
    );
    assert!(account(&ctx, AdminUserId(102)).await.is_open_after_call);
    assert_eq!(account(&ctx, AdminUserId(100)).await.parent_id, None);
    assert_eq!(
        ctx.accounts.find_by_id(AdminUserId(9999)).await.unwrap(),
        None
    );

    let id = AdminUserId(101);
    assert!(ctx.accounts.set_open_after_call(id, true).await.unwrap());
    assert!(account(&ctx, id).await.is_open_after_call);
    // Setting the value it already has still finds the account.
    assert!(ctx.accounts.set_open_after_call(id, true).await.unwrap());
    assert!(ctx.accounts.set_open_after_call(id, false).await.unwrap());
    assert!(!account(&ctx, id).await.is_open_after_call);
    assert!(
        !ctx.accounts
            .set_open_after_call(AdminUserId(9999), true)
            .await
            .unwrap()
    );
    // Nobody else changed.
    assert!(account(&ctx, AdminUserId(102)).await.is_open_after_call);
}

pub async fn by_login_name(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = loaded(factory).await;
    let main = ctx.accounts.find_by_login("a_main").await.unwrap().unwrap();
    assert_eq!(main.id, AdminUserId(100));
    assert_eq!(main.real_name, "甲公司");
    assert_eq!((main.parent_id, main.depart_id), (None, None));
    assert_eq!(main.password_hash, None, "imported without a password");
    let b = ctx.accounts.find_by_login("b_main").await.unwrap().unwrap();
    assert_eq!(b.id, AdminUserId(200));
    assert_eq!(ctx.accounts.find_by_login("nobody").await.unwrap(), None);
    assert_eq!(
        ctx.accounts.find_by_login("a_mai").await.unwrap(),
        None,
        "the whole name, not a prefix"
    );
    assert_eq!(
        ctx.accounts.find_by_login("a_%").await.unwrap(),
        None,
        "no wildcards"
    );
    // Case does not matter, anything else does: MariaDB's utf8mb4_general_ci also takes
    // `á` for `a` (and every emoji for every other), which gave each accented spelling of a
    // name its own count of failed logins and a session all the same.
    let upper = ctx.accounts.find_by_login("A_MAIN").await.unwrap().unwrap();
    assert_eq!(upper.id, AdminUserId(100));
    for other in ["á_main", "a_maín", "ａ_main"] {
        assert_eq!(
            ctx.accounts.find_by_login(other).await.unwrap(),
            None,
            "{other} is another name"
        );
    }
}

pub async fn the_password_hash_is_replaced(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = loaded(factory).await;
    let id = AdminUserId(101);
    let before = account(&ctx, id).await;
    assert!(
        ctx.accounts
            .set_password_hash(id, "$argon2id$new")
            .await
            .unwrap()
    );
    let after = account(&ctx, id).await;
    assert_eq!(after.password_hash.as_deref(), Some("$argon2id$new"));
    assert_eq!(
        Account {
            password_hash: before.password_hash.clone(),
            ..after
        },
        before,
        "nothing else changed"
    );
    assert!(
        !ctx.accounts
            .set_password_hash(AdminUserId(9999), "$argon2id$new")
            .await
            .unwrap()
    );
    assert_eq!(
        account(&ctx, AdminUserId(102)).await.password_hash,
        None,
        "other accounts keep theirs"
    );
}
