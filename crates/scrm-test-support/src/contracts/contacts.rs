//! The `ContactRepository` contract: find, find_by_tags (online/offline, account, scope, tag
//! modes, after writes), by_ids (the given order, the scope), forms of address (all or
//! nothing) and the conversations of a scope.

use scrm_domain::contact::{ContactTagQuery, NickNameInput};
use scrm_domain::import::ImportDocument;
use scrm_domain::message::Conversation;
use scrm_domain::search::TagMode;
use scrm_domain::{ContactId, Scope, TagId, WechatUserId};

use crate::contracts::RelationalPorts;
use crate::contracts::fixture::{
    MAIN_A, MAIN_B, SUB1, SUB2, at, contact, customer, import, loaded, visible,
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

/// `query` with a tag mode, offline accounts included.
fn moded(tags: &[i64], mode: TagMode) -> ContactTagQuery {
    ContactTagQuery {
        tag_mode: mode,
        ..query(tags, true, None)
    }
}

pub async fn find_by_tags_sees_new_contacts_tags_and_accounts_at_once(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = loaded(factory).await;
    let none = moded(&[11], TagMode::None);
    assert_eq!(ids(&ctx, &MAIN_A, &none).await, [2003, 2004, 2005, 2006]);
    // A new contact without tags or customer (of 101), 2004 re-tagged, 2002's tags replaced.
    let doc: ImportDocument = serde_json::from_value(serde_json::json!({
        "wechatContacts": [
            {"id": 2008, "wechatUserId": 1001, "nickName": "新朋友", "createTime": "2025-12-09 09:00:00"},
            {"id": 2004, "wechatUserId": 1002, "nickName": "陳佳", "tagIds": [11, 13], "createTime": "2025-12-04 09:00:00"},
            {"id": 2002, "wechatUserId": 1001, "nickName": "李華", "tagIds": [13], "createTime": "2025-12-02 09:00:00"}
        ]
    }))
    .unwrap();
    import(&ctx, &doc).await;
    let cases: [(&Scope, ContactTagQuery, Vec<i64>); 8] = [
        (&MAIN_A, none.clone(), vec![2002, 2003, 2005, 2006, 2008]),
        (&SUB1, none, vec![2002, 2006, 2008]),
        (&MAIN_A, moded(&[11, 13], TagMode::All), vec![2004]),
        (
            &MAIN_A,
            moded(&[11, 13], TagMode::Any),
            vec![2001, 2002, 2004],
        ),
        (&MAIN_A, moded(&[12], TagMode::Any), vec![2003]),
        (&SUB1, query(&[], false, None), vec![2001, 2002, 2006, 2008]),
        (&SUB2, moded(&[13], TagMode::None), vec![2003]),
        (&MAIN_B, moded(&[], TagMode::None), vec![2201]),
    ];
    for (scope, q, want) in cases {
        assert_eq!(ids(&ctx, scope, &q).await, want, "{q:?} for {scope:?}");
    }
    // Account 1002 comes online, 1001 goes offline.
    let doc: ImportDocument = serde_json::from_value(serde_json::json!({
        "wechatUsers": [
            {"id": 1001, "adminUserId": 101, "uin": "u1001", "isOnline": 0},
            {"id": 1002, "adminUserId": 102, "uin": "u1002", "isOnline": 1}
        ]
    }))
    .unwrap();
    import(&ctx, &doc).await;
    assert_eq!(
        ids(&ctx, &MAIN_A, &query(&[], false, None)).await,
        [2003, 2004, 2005]
    );
}

pub async fn by_ids_keeps_the_given_order_and_the_scope(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = loaded(factory).await;
    let by_ids = async |scope: &Scope, ids: &[i64]| -> Vec<i64> {
        let ids: Vec<ContactId> = ids.iter().map(|i| ContactId(*i)).collect();
        ctx.contacts
            .by_ids(scope, &ids)
            .await
            .unwrap()
            .iter()
            .map(|c| c.id.0)
            .collect()
    };
    assert_eq!(
        by_ids(&MAIN_A, &[2005, 2201, 2001, 9999, 2003]).await,
        [2005, 2001, 2003]
    );
    assert_eq!(by_ids(&SUB1, &[2005, 2002, 2001]).await, [2002, 2001]);
    assert_eq!(by_ids(&MAIN_B, &[2001, 2201]).await, [2201]);
    assert!(by_ids(&MAIN_A, &[]).await.is_empty());
    // Long lists (past one statement's list), with the records' tags and forms of address.
    let long: Vec<i64> = (0..2500).map(|i| 2000 + i).collect();
    assert_eq!(
        by_ids(&MAIN_A, &long).await,
        [2001, 2002, 2003, 2004, 2005, 2006]
    );
    let found = ctx
        .contacts
        .by_ids(&SUB1, &[ContactId(2002), ContactId(2001)])
        .await
        .unwrap();
    assert_eq!(found[0], contact(&ctx, &SUB1, 2002).await);
    assert_eq!(found[1].customer_nick_name.as_deref(), Some("明哥"));
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
