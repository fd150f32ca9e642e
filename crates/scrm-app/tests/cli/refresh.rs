//! `scrm refresh`: phones and names written by hand-typed SQL are found by the SQL searches and
//! the call pop-up, and customers binned or deleted by it counted, only once it has run;
//! `--tenant` touches that tenant alone; the memory store is refused.

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use scrm_domain::call::{CallerInfo, CallerLookup};
use scrm_domain::customer::{BinFilter, CustomerFilter, CustomerRepository};
use scrm_domain::search::parse_terms;
use scrm_domain::{AdminUserId, CustomerId, PageRequest, Scope};
use scrm_mysql::{MySql, PoolSettings, build_pool};
use scrm_test_support::{TestDatabase, TestRedis, name_gram_drift, phone_gram_drift};

use crate::{scrm, text};

#[derive(QueryableByName)]
struct Picked {
    #[diesel(sql_type = BigInt)]
    tenant: i64,
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    contact: i64,
}

#[derive(QueryableByName)]
struct Owned {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    account: i64,
}

#[derive(QueryableByName)]
struct Digits {
    #[diesel(sql_type = Nullable<Text>)]
    digits: Option<String>,
}

async fn digits_of(sql: &mut AsyncMysqlConnection, id: i64) -> Option<String> {
    let rows: Vec<Digits> =
        diesel::sql_query("SELECT phone_digits AS digits FROM customer WHERE id = ?")
            .bind::<BigInt, _>(id)
            .load(sql)
            .await
            .unwrap();
    rows.into_iter().next().unwrap().digits
}

/// The ids of the customers of `scope` that the SQL plans find with `filter`.
async fn found(repo: &MySql, scope: &Scope, filter: CustomerFilter) -> Vec<CustomerId> {
    let page = repo
        .page(scope, &filter, PageRequest::new(1, 50).unwrap())
        .await
        .unwrap();
    page.items.iter().map(|c| c.id).collect()
}

/// The totals of the customer list and the recycle bin of `scope` (no filter: from the counts).
async fn totals(repo: &MySql, scope: &Scope) -> (u64, u64) {
    let first = PageRequest::new(1, 1).unwrap();
    let live = repo.page(scope, &CustomerFilter::default(), first).await;
    let binned = repo.recycle_bin(scope, &BinFilter::default(), first).await;
    (live.unwrap().total, binned.unwrap().total)
}

fn named(name: &str) -> CustomerFilter {
    CustomerFilter {
        name: Some(name.to_owned()),
        ..CustomerFilter::default()
    }
}

fn q(terms: &str) -> CustomerFilter {
    CustomerFilter {
        terms: parse_terms(terms),
        ..CustomerFilter::default()
    }
}

fn main_scope(tenant: i64) -> Scope {
    Scope {
        account: AdminUserId(tenant),
        tenant: AdminUserId(tenant),
    }
}

#[tokio::test]
async fn phones_and_names_written_by_hand_are_found_once_refreshed() {
    let db = TestDatabase::unborn();
    let redis = TestRedis::new();
    let out = scrm(&db, &redis, &["seed", "--tenants", "2", "--contacts", "20"]);
    assert!(out.status.success(), "{}", text(&out));
    let mut sql = AsyncMysqlConnection::establish(db.url()).await.unwrap();
    // The first live customer of each tenant.
    let picked: Vec<Picked> = diesel::sql_query(
        "SELECT c.tenant_id AS tenant, c.id, c.wechat_contact_id AS contact FROM customer c \
         WHERE c.id IN (SELECT MIN(id) FROM customer WHERE deleted_at IS NULL GROUP BY tenant_id) \
         ORDER BY c.tenant_id",
    )
    .load(&mut sql)
    .await
    .unwrap();
    let [a, b] = &picked[..] else {
        panic!("two tenants: {}", picked.len())
    };
    // Two more of the second tenant's: one binned and one deleted by hand.
    let more: Vec<Owned> = diesel::sql_query(
        "SELECT id, admin_user_id AS account FROM customer WHERE tenant_id = ? AND id > ? \
         AND deleted_at IS NULL ORDER BY id LIMIT 2",
    )
    .bind::<BigInt, _>(b.tenant)
    .bind::<BigInt, _>(b.id)
    .load(&mut sql)
    .await
    .unwrap();
    let [binned, deleted] = &more[..] else {
        panic!("three customers in the second tenant")
    };
    let accounts_changed = if binned.account == deleted.account {
        1
    } else {
        2
    };
    let pool = build_pool(db.url(), &PoolSettings::default()).unwrap();
    let repo = MySql::new(pool);
    let (scope_a, scope_b) = (main_scope(a.tenant), main_scope(b.tenant));
    let (live_b, binned_b) = totals(&repo, &scope_b).await;
    for (statement, id) in [
        (
            "UPDATE customer SET customer_name = '諸葛孔明', customer_phone = '+86 139-1234-5678' \
             WHERE id = ?",
            a.id,
        ),
        (
            "UPDATE wechat_contact SET remark_name = '臥龍先生' WHERE id = ?",
            a.contact,
        ),
        (
            "UPDATE customer SET customer_name = '司馬仲達', customer_phone = '020-1234-9999' \
             WHERE id = ?",
            b.id,
        ),
        (
            "UPDATE customer SET deleted_at = UTC_TIMESTAMP() WHERE id = ?",
            binned.id,
        ),
        ("DELETE FROM customer WHERE id = ?", deleted.id),
    ] {
        diesel::sql_query(statement)
            .bind::<BigInt, _>(id)
            .execute(&mut sql)
            .await
            .unwrap();
    }
    let a_id = CustomerId(a.id);
    let b_id = CustomerId(b.id);

    // Before: the derived rows are the old names' and phones'.
    let (missing, stale, _) = name_gram_drift(db.url()).await;
    assert!(missing > 0, "the new names have no grams yet");
    assert!(stale > 0, "the old names' grams and the deleted customer's");
    assert_eq!(totals(&repo, &scope_b).await, (live_b, binned_b));
    // The phone grams follow the stored digits, which are the old phone's.
    assert_ne!(
        digits_of(&mut sql, a.id).await.as_deref(),
        Some("13912345678")
    );
    assert!(found(&repo, &scope_a, named("孔明")).await.is_empty());
    let caller = repo.caller_by_phone(&scope_a, "13912345678").await.unwrap();
    assert_eq!(caller, CallerInfo::Unknown);

    // One tenant: its customers are refreshed, the other tenant's are not. Rewritten: the
    // renamed customer and any other customer of the contact whose remark name changed.
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let of_contact =
        diesel::sql_query("SELECT COUNT(*) AS n FROM customer WHERE wechat_contact_id = ?")
            .bind::<BigInt, _>(a.contact)
            .get_result::<N>(&mut sql)
            .await
            .unwrap()
            .n;
    let out = scrm(&db, &redis, &["refresh", "--tenant", &a.tenant.to_string()]);
    let printed = text(&out);
    assert!(out.status.success(), "{printed}");
    let rewritten =
        format!("(phone digits corrected: 1, grams or spellings rewritten: {of_contact})");
    for part in [rewritten.as_str(), "deleted: 0;", "(corrected: 0)"] {
        assert!(printed.contains(part), "{part} in {printed}");
    }
    assert_eq!(found(&repo, &scope_a, named("孔明")).await, vec![a_id]);
    assert_eq!(found(&repo, &scope_a, named("臥龍")).await, vec![a_id]);
    assert_eq!(found(&repo, &scope_a, q("zhugekongming")).await, vec![a_id]);
    let filter = CustomerFilter {
        phone_digits: Some("12345678".into()),
        ..CustomerFilter::default()
    };
    assert_eq!(found(&repo, &scope_a, filter).await, vec![a_id]);
    let CallerInfo::Customers(callers) =
        repo.caller_by_phone(&scope_a, "13912345678").await.unwrap()
    else {
        panic!("the new phone is the customer's")
    };
    assert_eq!(callers.iter().map(|c| c.id).collect::<Vec<_>>(), vec![a_id]);
    assert_ne!(
        digits_of(&mut sql, b.id).await.as_deref(),
        Some("02012349999")
    );
    assert!(found(&repo, &scope_b, named("仲達")).await.is_empty());
    assert_eq!(totals(&repo, &scope_b).await, (live_b, binned_b));

    // Everyone: nothing derived differs from what the phones and names give.
    let out = scrm(&db, &redis, &["refresh"]);
    let printed = text(&out);
    assert!(out.status.success(), "{printed}");
    let corrected = format!("(corrected: {accounts_changed})");
    for part in [
        "(phone digits corrected: 1, grams or spellings rewritten: 1)",
        "deleted: 1;",
        corrected.as_str(),
    ] {
        assert!(printed.contains(part), "{part} in {printed}");
    }
    assert_eq!(
        totals(&repo, &scope_b).await,
        (live_b - 2, binned_b + 1),
        "one binned, one gone"
    );
    let (missing, stale, grams) = name_gram_drift(db.url()).await;
    assert_eq!((missing, stale), (0, 0), "{grams} grams");
    let (missing, stale, grams) = phone_gram_drift(db.url()).await;
    assert_eq!((missing, stale), (0, 0), "{grams} grams");
    assert_eq!(
        digits_of(&mut sql, b.id).await.as_deref(),
        Some("02012349999")
    );
    assert_eq!(found(&repo, &scope_b, named("仲達")).await, vec![b_id]);
    assert_eq!(found(&repo, &scope_b, q("simazhongda")).await, vec![b_id]);

    // Run again: nothing left to fix.
    let again = text(&scrm(&db, &redis, &["refresh"]));
    for part in [
        "(phone digits corrected: 0, grams or spellings rewritten: 0)",
        "deleted: 0;",
        "(corrected: 0)",
    ] {
        assert!(again.contains(part), "{part} in {again}");
    }
}

#[tokio::test]
async fn the_memory_store_has_nothing_to_refresh() {
    let db = TestDatabase::unborn();
    let redis = TestRedis::new();
    let out = scrm(&db, &redis, &["--store", "memory", "refresh"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("nothing to refresh"), "{}", text(&out));
}

#[tokio::test]
async fn a_database_that_cannot_be_reached_fails_naming_it() {
    let db = TestDatabase::unborn();
    let redis = TestRedis::new();
    let out = crate::command(&db, &redis, &["refresh"])
        .env("SCRM_DATABASE_URL", "mysql://root@127.0.0.1:1/scrm_nowhere")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let printed = text(&out);
    assert!(printed.contains("127.0.0.1:1"), "{printed}");
    assert!(!printed.contains("customers refreshed"), "{printed}");
}
