//! What only the MySQL storage shows: the phone digit column behind the lookups, and a
//! statement failing inside `apply` (strict mode) rolling back the whole import.

use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use scrm_domain::customer::{CustomerPatch, CustomerRepository, FieldChange, SaveTarget};
use scrm_domain::import::{ImportDocument, ImportRepository, RefQuery, build_plan};
use scrm_domain::{CustomerId, StoreError};
use scrm_mysql::schema::customer;
use scrm_test_support::contracts::fixture::{MAIN_A, at, document, zone};
use serde_json::json;

use crate::factory::Ctx;

#[tokio::test]
async fn a_saved_phone_keeps_its_digits() {
    let ctx = Ctx::loaded().await;
    let now = at(2026, 2, 1, 12, 0, 0);
    let target = SaveTarget::Existing(CustomerId(3001), None);
    let set = CustomerPatch {
        customer_phone: FieldChange::Set("+86 186-0000-9999".into()),
        phone_digits: Some("18600009999".into()),
        ..Default::default()
    };
    ctx.repo.save(&MAIN_A, target, &set, now).await.unwrap();
    let mut conn = AsyncMysqlConnection::establish(ctx.db.url()).await.unwrap();
    let digits = async |conn: &mut AsyncMysqlConnection| -> Option<String> {
        customer::table
            .find(3001)
            .select(customer::phone_digits)
            .first(conn)
            .await
            .unwrap()
    };
    assert_eq!(digits(&mut conn).await.as_deref(), Some("18600009999"));
    let clear = CustomerPatch {
        customer_phone: FieldChange::Clear,
        ..Default::default()
    };
    ctx.repo.save(&MAIN_A, target, &clear, now).await.unwrap();
    assert_eq!(digits(&mut conn).await, None);
}

#[tokio::test]
async fn a_failing_apply_writes_nothing() {
    let ctx = Ctx::loaded().await;
    // Tags are written before manual entries; a value too long for its column then fails the
    // last statement (strict mode), and the tag must be rolled back with it.
    let doc: ImportDocument = serde_json::from_value(json!({
        "tags": [{"id": 14, "tenantAdminUserId": 100, "name": "新標籤"}]
    }))
    .unwrap();
    let plan_of = async |doc: &ImportDocument| {
        let known = ctx.repo.known(&RefQuery::of(doc)).await.unwrap();
        build_plan(doc, &known, zone()).unwrap()
    };
    let mut plan = plan_of(&doc).await;
    let mut entries = plan_of(&document()).await.manual_entries;
    entries[0].customer_name = Some("長".repeat(300));
    plan.manual_entries = entries;
    let err = ctx.repo.apply(&plan).await.unwrap_err();
    assert!(matches!(err, StoreError::Unexpected(_)), "{err:?}");
    let k = ctx
        .repo
        .known(&RefQuery {
            tag_ids: vec![14],
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(k.tags.is_empty());
}
