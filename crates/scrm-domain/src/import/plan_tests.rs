//! Tests of `build_plan`: the example document, references into the store, and errors that
//! name the record.

use super::*;
use crate::AdminUserId;

fn zone() -> FixedOffset {
    crate::time::parse_zone("+08:00").unwrap()
}

fn example() -> ImportDocument {
    serde_json::from_str(include_str!("../../../../docs/examples/import.json")).unwrap()
}

#[test]
fn the_example_document_plans_with_owners_filled_in() {
    let plan = build_plan(&example(), &KnownRefs::default(), zone()).unwrap();
    assert_eq!(plan.accounts.len(), 2);
    assert_eq!(plan.accounts[1].tenant_id, 11855);
    let owner = Owner {
        tenant_id: 11855,
        admin_user_id: 12206,
    };
    assert_eq!(plan.contacts[0].owner, owner);
    assert_eq!(plan.customers[0].owner, owner);
    assert_eq!(
        plan.customers[0].phone_digits.as_deref(),
        Some("11111122222")
    );
    assert_eq!(
        plan.customers[0].create_time.timestamp_millis(),
        1_565_164_517_000
    );
    assert_eq!(plan.nick_names[0].tenant_id, 11855);
    assert_eq!(plan.manual_entries[0].tenant_id, AdminUserId(11855));
    assert_eq!(plan.messages.len(), 1);
}

#[test]
fn references_may_point_into_the_store() {
    let doc: ImportDocument = serde_json::from_str(
        r#"{"customers":[{"id":1,"wechatContactId":5}],"messages":[{"msgId":"m","wechatUserId":3,"wechatContactId":5,"isSend":0,"msgType":1,"content":"hi","createTime":1}]}"#,
    )
    .unwrap();
    let mut known = KnownRefs::default();
    known.contacts.insert(
        5,
        KnownContact {
            owner: Owner {
                tenant_id: 1,
                admin_user_id: 2,
            },
            wechat_user_id: 3,
        },
    );
    let plan = build_plan(&doc, &known, zone()).unwrap();
    assert_eq!(plan.customers[0].owner.admin_user_id, 2);
}

fn error_of(mutate: impl FnOnce(&mut ImportDocument)) -> String {
    let mut doc = example();
    mutate(&mut doc);
    build_plan(&doc, &KnownRefs::default(), zone())
        .unwrap_err()
        .to_string()
}

#[test]
fn broken_references_name_the_record() {
    assert_eq!(
        error_of(|d| d.customers[0].wechat_contact_id = 9),
        "customers[0] (id 3063060): wechatContactId 9 does not exist"
    );
    assert_eq!(
        error_of(|d| d.wechat_contacts[0].tag_ids = Some(vec![1])),
        "wechatContacts[0] (id 19564131): tag 1 is not a tag of its tenant"
    );
    assert_eq!(
        error_of(|d| d.admin_users[1].parent_id = Some(77)),
        "adminUsers[1] (id 12206): parentId 77 does not exist"
    );
    assert_eq!(
        error_of(|d| d.messages[0].wechat_user_id = crate::WechatUserId(1)),
        "messages[0] (id 7301): wechatContactId 19564131 is not a contact of wechatUserId 1"
    );
    assert_eq!(
        error_of(|d| d.manual_entries[0].admin_user_id = 5),
        "manualEntries[0] (id 19380): adminUserId 5 does not exist"
    );
    assert_eq!(
        error_of(|d| d.wechat_users[0].admin_user_id = 5),
        "wechatUsers[0] (id 13806): adminUserId 5 does not exist"
    );
}

#[test]
fn bad_values_name_the_record() {
    assert!(
        error_of(|d| d.customers[0].customer_phone = Some("12".into())).starts_with("customers[0]")
    );
    assert!(
        error_of(|d| d.customers[0].create_time = Some(serde_json::json!("soon")))
            .contains("createTime")
    );
    assert!(error_of(|d| d.customers[0].xfield3 = Some("x".repeat(300))).contains("xfield3"));
    assert!(error_of(|d| d.manual_entries[0].dial_status = Some(5)).contains("dialStatus"));
    assert!(error_of(|d| d.admin_users[0].login_name = None).contains("loginName is required"));
    let taken = error_of(|d| d.admin_users[1].login_name = Some("hhhaaa".into()));
    assert_eq!(
        taken,
        "adminUsers[1] (id 12206): loginName hhhaaa is taken by account 11855"
    );
}

#[test]
fn a_contact_with_another_customer_is_a_conflict() {
    let mut known = KnownRefs::default();
    known.customers_by_contact.insert(19_564_131, 1);
    let err = build_plan(&example(), &known, zone())
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "customers[0] (id 3063060): wechatContactId 19564131 already has customer 1"
    );
}
