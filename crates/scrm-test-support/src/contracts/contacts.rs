//! The `ContactRepository` contract: find, find_by_tags (online/offline, account, scope),

//! forms of address (all or nothing) and the conversations of a scope.
use scrm_domain::contact::{ContactTagQuery, NickNameInput};
use scrm_domain::message::Conversation;
use scrm_domain::{ContactId, Scope, TagId, WechatUserId};

use crate::contracts::RelationalPorts;
use crate::contracts::fixture::{
    MAIN_A, MAIN_B, SUB1, SUB2, at, contact, customer, loaded, visible,
};

fn query(tags: &[i64], include_offline: bool, wechat_user: Option<i64>) -> ContactTagQuery {
    ContactTagQuery {
        tag_ids: tags.iter().map(|t| TagId(*t)).collect(),
        wechat_user_id: wechat_user.map(WechatUserId),
        include_offline,
        ..Default::default()
    }
}

async fn ids(ctx: &RelationalPorts, scope: &scrm_domain::Scope, q: &ContactTagQuery) -> Vec<i64> {
    ctx.contacts
        .find_by_tags(scope, q)
        .await
        .unwrap()
        .iter()
        .map(|c| c.id.0)
        .collect()
}

pub async fn find_shows_the_contact_with_its_account_tags_and_form_of_address(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = loaded(factory).await;
    let c = contact(&ctx, &MAIN_A, 2002).await;
    assert_eq!(c.profile.nick_name.as_deref(), Some("李華"));
    assert_eq!(c.profile.remark_name.as_deref(), Some("華哥"));
    assert_eq!(c.tags, vec![TagId(11), TagId(12)]);
    assert_eq!(c.wechat_user_id, WechatUserId(1001));
    assert_eq!(c.admin_user_id.0, 101);
    assert_eq!(c.wechat_user_name.as_deref(), Some("wxid_s1"));
    assert_eq!(c.wechat_user_nick_name.as_deref(), Some("銷售一號"));
    assert_eq!(c.wechat_user_uin.as_deref(), Some("u1001"));
    assert_eq!(c.create_time, at(2025, 12, 2, 9, 0, 0));
    assert_eq!(c.customer_nick_name, None);
    let c = contact(&ctx, &SUB1, 2001).await;
    assert_eq!(c.customer_nick_name.as_deref(), Some("明哥"));
    assert_eq!(c.profile.sex.as_deref(), Some("1"));
    for (scope, id) in [(&SUB2, 2001), (&MAIN_B, 2001), (&MAIN_A, 9999)] {
        assert!(!visible(&ctx, scope, id).await, "{id} for {scope:?}");
    }
}

pub async fn find_by_tags_honours_online_account_and_scope(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = loaded(factory).await;
    let cases: [(&Scope, ContactTagQuery, Vec<i64>); 11] = [
        (&MAIN_A, query(&[11], false, None), vec![2001, 2002]),
        (&MAIN_A, query(&[12], false, None), vec![2002]),
        (&MAIN_A, query(&[12], true, None), vec![2002, 2003]),
        (
            &MAIN_A,
            query(&[], true, None),
            vec![2001, 2002, 2003, 2004, 2005, 2006],
        ),
        (
            &MAIN_A,
            query(&[], false, None),
            vec![2001, 2002, 2005, 2006],
        ),
        (&MAIN_A, query(&[], true, Some(1000)), vec![2005]),
        (&MAIN_A, query(&[11, 12], true, Some(1002)), vec![2003]),
        (&SUB2, query(&[11, 12], true, None), vec![2003]),
        (&SUB1, query(&[], true, Some(1002)), vec![]),
        (&MAIN_B, query(&[11], true, None), vec![]),
        (&MAIN_B, query(&[21], false, None), vec![2201]),
    ];
    for (scope, q, want) in cases {
        assert_eq!(ids(&ctx, scope, &q).await, want, "{q:?} for {scope:?}");
    }
    let found = ctx
        .contacts
        .find_by_tags(&MAIN_A, &query(&[12], true, None))
        .await
        .unwrap();
    assert_eq!(found[0].tags, vec![TagId(11), TagId(12)]);
    assert_eq!(found[1].wechat_user_nick_name.as_deref(), Some("銷售二號"));
}

fn nick(id: i64, cust: &str, nick: &str) -> NickNameInput {
    NickNameInput {
        wechat_contact_id: ContactId(id),
        cust_name: Some(cust.into()),
        nick_name: Some(nick.into()),
    }
}

pub async fn nick_names_are_all_or_nothing(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = loaded(factory).await;
    let saved = ctx
        .contacts
        .save_nick_names(
            &MAIN_A,
            &[nick(2001, "王董", "小明哥"), nick(2003, "張總", "偉哥")],
        )
        .await
        .unwrap();
    assert_eq!(saved, None);
    let c = contact(&ctx, &MAIN_A, 2001).await;
    assert_eq!(c.customer_nick_name.as_deref(), Some("小明哥"));
    let c = contact(&ctx, &MAIN_A, 2003).await;
    assert_eq!(c.customer_nick_name.as_deref(), Some("偉哥"));

    // One contact outside the scope: nothing is written.
    for (scope, outside) in [(MAIN_A, 2201), (SUB1, 2003)] {
        let out = ctx
            .contacts
            .save_nick_names(
                &scope,
                &[nick(2002, "x", "不該寫入"), nick(outside, "y", "z")],
            )
            .await
            .unwrap();
        assert_eq!(out, Some(ContactId(outside)));
    }
    let c = contact(&ctx, &MAIN_A, 2002).await;
    assert_eq!(c.customer_nick_name, None);
    let c = contact(&ctx, &MAIN_B, 2201).await;
    assert_eq!(c.customer_nick_name, None);
    // Clearing works too.
    let clear = NickNameInput {
        wechat_contact_id: ContactId(2001),
        cust_name: None,
        nick_name: None,
    };
    assert_eq!(
        ctx.contacts.save_nick_names(&SUB1, &[clear]).await.unwrap(),
        None
    );
    let c = contact(&ctx, &SUB1, 2001).await;
    assert_eq!(c.customer_nick_name, None);
    let r = customer(&ctx, &MAIN_A, 3003).await.unwrap();
    assert_eq!(r.customer_nick_name.as_deref(), Some("偉哥"));
}

fn conv(user: i64, contact: i64) -> Conversation {
    Conversation {
        wechat_user_id: WechatUserId(user),
        wechat_contact_id: ContactId(contact),
    }
}

async fn conversations(
    ctx: &RelationalPorts,
    scope: &Scope,
    users: &[i64],
    contacts: &[i64],
) -> Vec<Conversation> {
    let users: Vec<WechatUserId> = users.iter().map(|u| WechatUserId(*u)).collect();
    let contacts: Vec<ContactId> = contacts.iter().map(|c| ContactId(*c)).collect();
    ctx.contacts
        .conversations(scope, &users, &contacts)
        .await
        .unwrap()
}

pub async fn conversations_are_those_of_the_scope_in_order(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = loaded(factory).await;
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

pub async fn conversations_take_long_lists(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = loaded(factory).await;
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
