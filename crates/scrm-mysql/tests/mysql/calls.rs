//! The call pop-up and chat records: customers by phone, conversations of a scope, accounts
//! by id and the after-call switch.

use scrm_domain::account::AccountRepository;
use scrm_domain::contact::ContactRepository;
use scrm_domain::customer::CustomerRepository;
use scrm_domain::message::Conversation;
use scrm_domain::{AdminUserId, ContactId, CustomerId, DepartmentId, Scope, TagId, WechatUserId};

use crate::fixture::{Ctx, MAIN_A, MAIN_B, SUB1, SUB2, SUB3, at};

async fn by_phone(ctx: &Ctx, scope: &Scope, digits: &str) -> Vec<i64> {
    ctx.repo
        .by_phone(scope, digits)
        .await
        .unwrap()
        .iter()
        .map(|c| c.id.0)
        .collect()
}

#[tokio::test]
async fn customers_by_phone_are_the_live_matches_of_the_scope_newest_first() {
    let ctx = Ctx::with_call_lists().await;
    let p = "13800001111";
    assert_eq!(by_phone(&ctx, &MAIN_A, p).await, vec![3006, 3007, 3001]);
    assert_eq!(by_phone(&ctx, &SUB1, p).await, vec![3006, 3001]);
    assert_eq!(by_phone(&ctx, &SUB2, p).await, vec![3007]);
    assert_eq!(by_phone(&ctx, &SUB3, p).await, Vec::<i64>::new());
    assert_eq!(by_phone(&ctx, &MAIN_B, p).await, vec![3201]);
    // Equal digits, not contained ones.
    assert_eq!(
        by_phone(&ctx, &MAIN_A, "3800001111").await,
        Vec::<i64>::new()
    );
    assert_eq!(by_phone(&ctx, &MAIN_A, "13700003333").await, vec![3003]);

    let records = ctx.repo.by_phone(&SUB1, p).await.unwrap();
    let r = records.iter().find(|r| r.id == CustomerId(3001)).unwrap();
    assert_eq!(r.customer_name.as_deref(), Some("王先生"));
    assert_eq!(r.wechat_contact_id, ContactId(2001));
    assert_eq!(r.wechat_user_id, WechatUserId(1001));
    assert_eq!(r.tags, vec![TagId(11)]);
    assert_eq!(r.create_time, at(2026, 1, 1, 10, 0, 0));
    assert_eq!(r.xfields[0].as_deref(), Some("甲"));
    // The same record as the list shows.
    assert_eq!(Some(r), ctx.find(&SUB1, 3001).await.as_ref());

    let now = at(2026, 3, 1, 9, 0, 0);
    assert!(
        ctx.repo
            .soft_delete(&MAIN_A, CustomerId(3006), now)
            .await
            .unwrap()
    );
    assert_eq!(by_phone(&ctx, &MAIN_A, p).await, vec![3007, 3001]);
    assert_eq!(by_phone(&ctx, &SUB1, p).await, vec![3001]);
}

fn conv(user: i64, contact: i64) -> Conversation {
    Conversation {
        wechat_user_id: WechatUserId(user),
        wechat_contact_id: ContactId(contact),
    }
}

async fn conversations(
    ctx: &Ctx,
    scope: &Scope,
    users: &[i64],
    contacts: &[i64],
) -> Vec<Conversation> {
    let users: Vec<WechatUserId> = users.iter().map(|u| WechatUserId(*u)).collect();
    let contacts: Vec<ContactId> = contacts.iter().map(|c| ContactId(*c)).collect();
    ctx.repo
        .conversations(scope, &users, &contacts)
        .await
        .unwrap()
}

#[tokio::test]
async fn conversations_are_those_of_the_scope_in_order() {
    let ctx = Ctx::loaded().await;
    let asked = [2005, 2003, 2001, 2201, 9999, 2001];
    assert_eq!(
        conversations(&ctx, &MAIN_A, &[], &asked).await,
        vec![conv(1000, 2005), conv(1001, 2001), conv(1002, 2003)]
    );
    assert_eq!(
        conversations(&ctx, &SUB1, &[], &asked).await,
        vec![conv(1001, 2001)]
    );
    assert_eq!(
        conversations(&ctx, &MAIN_B, &[], &asked).await,
        vec![conv(1201, 2201)]
    );
    assert_eq!(
        conversations(&ctx, &MAIN_A, &[1002, 1201], &asked).await,
        vec![conv(1002, 2003)],
        "the other tenant's account selects nothing"
    );
    assert_eq!(
        conversations(&ctx, &SUB1, &[1002], &asked).await,
        Vec::<Conversation>::new()
    );
    assert_eq!(
        conversations(&ctx, &MAIN_A, &[1001], &[]).await,
        Vec::<Conversation>::new()
    );
}

#[tokio::test]
async fn conversations_take_lists_longer_than_a_chunk() {
    let ctx = Ctx::loaded().await;
    // 2,500 contact ids (2001..=2006 and 2201 among them) and 1,500 account ids.
    let contacts: Vec<i64> = (1..=2500).map(|i| 2000 + i).collect();
    let users: Vec<i64> = (1..=1500).map(|i| 1000 + i).collect();
    assert_eq!(
        conversations(&ctx, &MAIN_A, &[], &contacts).await,
        vec![
            conv(1000, 2005),
            conv(1001, 2001),
            conv(1001, 2002),
            conv(1001, 2006),
            conv(1002, 2003),
            conv(1002, 2004),
        ]
    );
    assert_eq!(
        conversations(&ctx, &MAIN_A, &users, &contacts).await,
        vec![
            conv(1001, 2001),
            conv(1001, 2002),
            conv(1001, 2006),
            conv(1002, 2003),
            conv(1002, 2004),
        ],
        "1000 is not among the accounts asked for"
    );
    assert_eq!(
        conversations(&ctx, &MAIN_B, &users, &contacts).await,
        vec![conv(1201, 2201)]
    );
}

#[tokio::test]
async fn accounts_by_id_and_the_after_call_switch() {
    let ctx = Ctx::loaded().await;
    let a = ctx
        .repo
        .find_by_id(AdminUserId(101))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.login_name, "a_sub1");
    assert_eq!(a.real_name, "銷售一");
    assert_eq!(a.parent_id, Some(AdminUserId(100)));
    assert_eq!(a.depart_id, Some(DepartmentId(10)));
    assert!(!a.is_open_after_call);
    assert_eq!(
        Some(&a),
        ctx.repo.find_by_login("a_sub1").await.unwrap().as_ref()
    );
    assert!(
        ctx.repo
            .find_by_id(AdminUserId(102))
            .await
            .unwrap()
            .unwrap()
            .is_open_after_call
    );
    assert_eq!(
        ctx.repo
            .find_by_id(AdminUserId(100))
            .await
            .unwrap()
            .unwrap()
            .parent_id,
        None
    );
    assert_eq!(ctx.repo.find_by_id(AdminUserId(9999)).await.unwrap(), None);

    let id = AdminUserId(101);
    assert!(ctx.repo.set_open_after_call(id, true).await.unwrap());
    assert!(
        ctx.repo
            .find_by_id(id)
            .await
            .unwrap()
            .unwrap()
            .is_open_after_call
    );
    // Setting the value it already has still finds the account.
    assert!(ctx.repo.set_open_after_call(id, true).await.unwrap());
    assert!(ctx.repo.set_open_after_call(id, false).await.unwrap());
    assert!(
        !ctx.repo
            .find_by_id(id)
            .await
            .unwrap()
            .unwrap()
            .is_open_after_call
    );
    assert!(
        !ctx.repo
            .set_open_after_call(AdminUserId(9999), true)
            .await
            .unwrap()
    );
    // Nobody else changed.
    assert!(
        ctx.repo
            .find_by_id(AdminUserId(102))
            .await
            .unwrap()
            .unwrap()
            .is_open_after_call
    );
}
