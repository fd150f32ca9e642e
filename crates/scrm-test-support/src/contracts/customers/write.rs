//! Customer writes: save outcomes, field changes, tags and star, soft delete and restore.

use super::scope::by_phone_ids;
use scrm_domain::customer::{
    BinFilter, CustomerFilter, CustomerPatch, FieldChange, SaveOutcome, SaveTarget, SavedCustomer,
};
use scrm_domain::{ContactId, CustomerId, Scope, TagId};

use crate::contracts::fixture::{
    MAIN_A, SUB1, at, customer, customer_ids, loaded, recycle_bin, restore, save, soft_delete,
};
use crate::contracts::{RelationalPorts, page};

fn existing(id: i64) -> SaveTarget {
    SaveTarget::Existing(CustomerId(id), None)
}

/// The profile and contact a save answered; panics on any other outcome.
fn saved(out: SaveOutcome) -> SavedCustomer {
    match out {
        SaveOutcome::Saved(saved) => *saved,
        other => panic!("expected Saved, got {other:?}"),
    }
}

/// A save answers the profile and its contact as reads after it find them.
async fn assert_answered_as_read(ctx: &RelationalPorts, scope: &Scope, answered: &SavedCustomer) {
    let id = answered.customer.id;
    let customer = customer(ctx, scope, id.0).await;
    assert_eq!(Some(&answered.customer), customer.as_ref(), "customer {id}");
    let contact_id = answered.customer.wechat_contact_id;
    let contact = ctx.contacts.find(scope, contact_id).await.unwrap();
    assert_eq!(
        Some(&answered.contact),
        contact.as_ref(),
        "contact {contact_id}"
    );
}

pub async fn field_changes_keep_clear_and_set(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = loaded(factory).await;
    let now = at(2026, 2, 1, 12, 0, 0);
    let mut patch = CustomerPatch {
        customer_name: FieldChange::Set("王大明".into()),
        customer_phone: FieldChange::Set("+86 186-0000-9999".into()),
        phone_digits: Some("18600009999".into()),
        nick_name: FieldChange::Keep,
        remarks: FieldChange::Clear,
        ..Default::default()
    };
    patch.xfields[0] = FieldChange::Clear;
    patch.xfields[9] = FieldChange::Set("十".into());
    let answered = saved(save(&ctx, &MAIN_A, existing(3001), &patch, now).await);
    assert_answered_as_read(&ctx, &MAIN_A, &answered).await;
    let r = customer(&ctx, &MAIN_A, 3001).await.unwrap();
    assert_eq!(r.customer_name.as_deref(), Some("王大明"));
    assert_eq!(r.customer_phone.as_deref(), Some("+86 186-0000-9999"));
    assert_eq!(r.remarks, None);
    assert_eq!(r.xfields[0], None);
    assert_eq!(r.xfields[9].as_deref(), Some("十"));
    assert_eq!(r.last_update_time, now);
    assert_eq!(r.create_time, at(2026, 1, 1, 10, 0, 0));
    assert_eq!(
        r.tags,
        vec![TagId(11)],
        "tags untouched without a tag change"
    );
    let by_phone = CustomerFilter {
        phone_digits: Some("00009999".into()),
        ..Default::default()
    };
    assert_eq!(
        customer_ids(&ctx, &MAIN_A, &by_phone).await,
        (vec![3001], 1)
    );
    assert_eq!(
        by_phone_ids(&ctx, &MAIN_A, "18600009999").await,
        vec![3001],
        "the new phone's digits are looked up"
    );
    assert_eq!(
        by_phone_ids(&ctx, &MAIN_A, "13800001111").await,
        Vec::<i64>::new()
    );

    let clear_phone = CustomerPatch {
        customer_phone: FieldChange::Clear,
        ..Default::default()
    };
    save(&ctx, &MAIN_A, existing(3001), &clear_phone, now).await;
    assert_eq!(customer_ids(&ctx, &MAIN_A, &by_phone).await, (vec![], 0));
    assert_eq!(
        by_phone_ids(&ctx, &MAIN_A, "18600009999").await,
        Vec::<i64>::new()
    );
    let r = customer(&ctx, &MAIN_A, 3001).await.unwrap();
    assert_eq!(r.customer_phone, None);
    assert_eq!(r.customer_name.as_deref(), Some("王大明"));
}

pub async fn tags_and_star_change_the_contact(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = loaded(factory).await;
    let now = at(2026, 2, 1, 12, 0, 0);
    let patch = CustomerPatch {
        tags: Some(vec![TagId(13), TagId(12), TagId(13)]),
        is_star: Some(true),
        ..Default::default()
    };
    save(&ctx, &SUB1, existing(3001), &patch, now).await;
    let r = customer(&ctx, &MAIN_A, 3001).await.unwrap();
    assert_eq!(r.tags, vec![TagId(12), TagId(13)]);
    assert_eq!(r.tag_names, vec!["新客".to_owned(), "50%折扣".to_owned()]);
    assert_eq!(r.is_star, 1);
    let clear = CustomerPatch {
        tags: Some(vec![]),
        is_star: Some(false),
        ..Default::default()
    };
    save(&ctx, &MAIN_A, existing(3001), &clear, now).await;
    let r = customer(&ctx, &MAIN_A, 3001).await.unwrap();
    assert!(r.tags.is_empty());
    assert_eq!(r.is_star, 0);
}

pub async fn unknown_tags_roll_everything_back(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = loaded(factory).await;
    let before = customer(&ctx, &MAIN_A, 3001).await.unwrap();
    let patch = CustomerPatch {
        customer_name: FieldChange::Set("改了".into()),
        tags: Some(vec![TagId(11), TagId(21), TagId(99)]),
        is_star: Some(true),
        ..Default::default()
    };
    let out = save(
        &ctx,
        &MAIN_A,
        existing(3001),
        &patch,
        at(2026, 2, 1, 0, 0, 0),
    )
    .await;
    assert_eq!(out, SaveOutcome::UnknownTags(vec![TagId(21), TagId(99)]));
    assert_eq!(customer(&ctx, &MAIN_A, 3001).await.unwrap(), before);
}

pub async fn save_outcomes(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = loaded(factory).await;
    let now = at(2026, 2, 1, 0, 0, 0);
    let empty = CustomerPatch::default();
    let save = |target| ctx.customers.save(&MAIN_A, target, &empty, now);
    assert_eq!(save(existing(9999)).await.unwrap(), SaveOutcome::NotFound);
    assert_eq!(
        save(SaveTarget::Existing(
            CustomerId(3001),
            Some(ContactId(2002))
        ))
        .await
        .unwrap(),
        SaveOutcome::ContactMismatch
    );
    let answered = saved(
        save(SaveTarget::Existing(
            CustomerId(3001),
            Some(ContactId(2001)),
        ))
        .await
        .unwrap(),
    );
    assert_eq!(answered.customer.id, CustomerId(3001));
    assert_eq!(answered.contact.id, ContactId(2001));
    assert_eq!(
        save(SaveTarget::NewFor(ContactId(2001))).await.unwrap(),
        SaveOutcome::AlreadyExists(CustomerId(3001))
    );
    assert_eq!(
        save(SaveTarget::NewFor(ContactId(9999))).await.unwrap(),
        SaveOutcome::NotFound
    );
    // A profile in the recycle bin still counts, and cannot be saved as live.
    assert!(soft_delete(&ctx, &MAIN_A, CustomerId(3002), now).await);
    assert_eq!(
        save(SaveTarget::NewFor(ContactId(2002))).await.unwrap(),
        SaveOutcome::AlreadyExists(CustomerId(3002))
    );
    assert_eq!(save(existing(3002)).await.unwrap(), SaveOutcome::NotFound);
}

pub async fn a_new_profile_copies_the_contacts_owner(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = loaded(factory).await;
    let now = at(2026, 2, 1, 8, 30, 0);
    let patch = CustomerPatch {
        customer_name: FieldChange::Set("孫先生".into()),
        customer_phone: FieldChange::Set("13600001234".into()),
        phone_digits: Some("13600001234".into()),
        tags: Some(vec![TagId(11)]),
        ..Default::default()
    };
    let out = save(
        &ctx,
        &SUB1,
        SaveTarget::NewFor(ContactId(2006)),
        &patch,
        now,
    )
    .await;
    let answered = saved(out);
    assert_answered_as_read(&ctx, &SUB1, &answered).await;
    let id = answered.customer.id;
    let r = customer(&ctx, &SUB1, id.0).await.unwrap();
    assert_eq!(r.wechat_contact_id, ContactId(2006));
    assert_eq!(r.wechat_user_id.0, 1001);
    assert_eq!(r.admin_user_id.0, 101);
    assert_eq!(r.create_time, now);
    assert_eq!(r.last_update_time, now);
    assert_eq!(r.customer_name.as_deref(), Some("孫先生"));
    assert_eq!(r.tags, vec![TagId(11)]);
    assert_eq!(r.contact_nick_name.as_deref(), Some("孫悟空"));
    let (ids, total) = customer_ids(&ctx, &MAIN_A, &CustomerFilter::default()).await;
    assert_eq!(total, 6);
    assert_eq!(ids[0], id.0, "the newest first");
    assert_eq!(
        save(
            &ctx,
            &SUB1,
            SaveTarget::NewFor(ContactId(2006)),
            &patch,
            now
        )
        .await,
        SaveOutcome::AlreadyExists(id)
    );
}

pub async fn soft_delete_recycle_bin_and_restore(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = loaded(factory).await;
    let t1 = at(2026, 2, 1, 0, 0, 0);
    let t2 = at(2026, 2, 2, 0, 0, 0);
    assert!(soft_delete(&ctx, &MAIN_A, CustomerId(3002), t1).await);
    assert!(soft_delete(&ctx, &MAIN_A, CustomerId(3004), t2).await);
    assert!(!soft_delete(&ctx, &MAIN_A, CustomerId(3002), t2).await);
    assert!(!soft_delete(&ctx, &MAIN_A, CustomerId(9999), t2).await);
    assert_eq!(
        customer_ids(&ctx, &MAIN_A, &CustomerFilter::default()).await,
        (vec![3005, 3003, 3001], 3)
    );
    assert!(customer(&ctx, &MAIN_A, 3002).await.is_none());
    let bin = recycle_bin(&ctx, &MAIN_A, &BinFilter::default(), page(1, 10)).await;
    assert_eq!(bin.total, 2);
    let ids: Vec<i64> = bin.items.iter().map(|r| r.id.0).collect();
    assert_eq!(ids, vec![3004, 3002], "most recently deleted first");
    assert_eq!(bin.items[1].deleted_at, Some(t1));
    assert_eq!(bin.items[1].last_update_time, t1);
    assert_eq!(bin.items[1].tags, vec![TagId(11), TagId(12)]);
    let sub_bin = recycle_bin(&ctx, &SUB1, &BinFilter::default(), page(1, 10)).await;
    assert_eq!(sub_bin.total, 1);
    let second = recycle_bin(&ctx, &MAIN_A, &BinFilter::default(), page(2, 1)).await;
    assert_eq!((second.items[0].id.0, second.total), (3002, 2));

    assert!(restore(&ctx, &MAIN_A, CustomerId(3002), t2).await);
    assert!(!restore(&ctx, &MAIN_A, CustomerId(3002), t2).await);
    assert!(!restore(&ctx, &MAIN_A, CustomerId(3001), t2).await);
    let r = customer(&ctx, &MAIN_A, 3002).await.unwrap();
    assert_eq!((r.deleted_at, r.last_update_time), (None, t2));
    assert_eq!(
        customer_ids(&ctx, &MAIN_A, &CustomerFilter::default())
            .await
            .1,
        4
    );
}
