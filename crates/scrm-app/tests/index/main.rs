//! The customer index (crates/scrm-index) against SQL on one MariaDB, through two instances:
//! random writes (saves through either instance's adapter, some at once, deletes, restores,
//! new profiles, imports, and another writer's plain SQL on the contacts and tags, new and
//! deleted contacts without a customer, WeChat accounts going online and offline), then
//! random filters in both scopes (`q` with every kind of term among them, the recycle bin's
//! terms and tags, findcontactbytagAll's tag modes and accounts): whenever an index answers,
//! its count and page (its selection) equal what SQL gives for the same request, at once,
//! whichever instance wrote.

#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

mod manual;

use std::sync::Arc;

use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use scrm_domain::customer::{
    BinFilter, CustomerFilter, CustomerIndex, CustomerPatch, CustomerRepository, FieldChange,
    SaveTarget,
};
use scrm_domain::import::{ImportDocument, ImportRepository, RefQuery, build_plan};
use scrm_domain::search::{SearchTerm, parse_terms, spellings};
use scrm_domain::{AdminUserId, ContactId, CustomerId, PageRequest, Scope, TagId, WechatUserId};
use scrm_index::{IndexSettings, RoaringIndex};
use scrm_mysql::{MySql, PoolSettings, build_pool, migrate};
use scrm_test_support::TestDatabase;
use scrm_test_support::contracts::fixture::zone;
use serde_json::json;

mod contacts;
mod contracts;
mod memory;

/// Tenants 100 and 200; 100 has sub-accounts 101 and 102, 200 has 201.
const ACCOUNTS: [(i64, Option<i64>); 5] = [
    (100, None),
    (101, Some(100)),
    (102, Some(100)),
    (200, None),
    (201, Some(200)),
];
const CONTACTS_PER_ACCOUNT: i64 = 40;
/// Name pieces: Chinese characters (長 and 行 with several readings), Latin, a digit, an
/// accented letter the index is unsure of, an emoji.
const PIECES: [&str; 16] = [
    "王", "李", "小", "明", "華", "張", "老", "闆", "長", "行", "Amy", "bob", "5", "é", "😀", "AB",
];

fn tenant_of(account: i64) -> i64 {
    ACCOUNTS
        .iter()
        .find(|a| a.0 == account)
        .and_then(|a| a.1)
        .unwrap_or(account)
}

fn tags_of(tenant: i64) -> Vec<i64> {
    (1..=4).map(|i| tenant * 10 + i).collect()
}

fn name(rng: &mut StdRng) -> Option<String> {
    if rng.random_bool(0.1) {
        return None;
    }
    let n = rng.random_range(1..=3);
    Some(
        (0..n)
            .map(|_| PIECES[rng.random_range(0..PIECES.len())])
            .collect(),
    )
}

fn phone(rng: &mut StdRng) -> String {
    let digits: String = (0..9)
        .map(|_| ['0', '1', '8'][rng.random_range(0..3)])
        .collect();
    format!("13{digits}")
}

fn time(rng: &mut StdRng) -> String {
    // Few distinct times, so ties on createTime are common.
    format!(
        "2026-01-{:02} 10:00:{:02}",
        rng.random_range(1..=5),
        rng.random_range(0..3) * 20
    )
}

fn contact_id(account: i64, i: i64) -> i64 {
    account * 1000 + i
}

/// Accounts, WeChat accounts (one per account), tags, contacts, and customers for most
/// contacts.
fn document(rng: &mut StdRng) -> ImportDocument {
    let admins: Vec<_> = ACCOUNTS
        .iter()
        .map(|(id, parent)| json!({"id": id, "loginName": format!("u{id}"), "parentId": parent}))
        .collect();
    let wechat: Vec<_> = ACCOUNTS
        .iter()
        .map(|(id, _)| json!({"id": id * 10, "adminUserId": id, "uin": format!("w{id}")}))
        .collect();
    let tags: Vec<_> = [100, 200]
        .iter()
        .flat_map(|t| {
            tags_of(*t)
                .into_iter()
                .map(move |id| json!({"id": id, "tenantAdminUserId": t, "name": format!("t{id}")}))
        })
        .collect();
    let mut contacts = Vec::new();
    let mut customers = Vec::new();
    for (account, _) in ACCOUNTS {
        let tenant = tenant_of(account);
        for i in 0..CONTACTS_PER_ACCOUNT {
            let id = contact_id(account, i);
            let tag_ids: Vec<i64> = tags_of(tenant)
                .into_iter()
                .filter(|_| rng.random_bool(0.3))
                .collect();
            contacts.push(json!({
                "id": id, "wechatUserId": account * 10, "nickName": name(rng),
                "remarkName": name(rng), "tagIds": tag_ids, "createTime": "2025-12-01 09:00:00"
            }));
            if i % 5 != 0 {
                customers.push(json!({
                    "id": id + 500_000, "wechatContactId": id, "customerName": name(rng),
                    "customerPhone": phone(rng), "createTime": time(rng)
                }));
            }
        }
    }
    serde_json::from_value(json!({
        "adminUsers": admins, "wechatUsers": wechat, "tags": tags,
        "wechatContacts": contacts, "customers": customers
    }))
    .unwrap()
}

struct Instance {
    repo: Arc<MySql>,
    index: RoaringIndex,
}

fn instance(db: &TestDatabase) -> Instance {
    let repo = Arc::new(MySql::new(
        build_pool(db.url(), &PoolSettings::default()).unwrap(),
    ));
    let index = RoaringIndex::new(repo.clone(), IndexSettings::default());
    Instance { repo, index }
}

/// A migrated database with `document` imported (then `more`, from the same generator, when
/// given), and one instance whose index has loaded both tenants.
async fn loaded(
    seed: u64,
    more: Option<fn(&mut StdRng) -> ImportDocument>,
) -> (TestDatabase, Instance) {
    let db = TestDatabase::create().await;
    migrate(db.url()).await.unwrap();
    let mut rng = StdRng::seed_from_u64(seed);
    let inst = instance(&db);
    import(&inst.repo, &document(&mut rng)).await;
    if let Some(more) = more {
        import(&inst.repo, &more(&mut rng)).await;
    }
    for tenant in [100, 200] {
        assert!(inst.index.load_tenant(AdminUserId(tenant)).await.unwrap());
    }
    (db, inst)
}

/// A migrated database with `document` imported (then `more`), two instances on it whose
/// indexes have loaded both tenants, and the generator to go on with (seeded by
/// `SCRM_INDEX_SEED`, 16 by default, so a failing sequence replays).
async fn two_instances(
    more: Option<fn(&mut StdRng) -> ImportDocument>,
) -> (TestDatabase, StdRng, Instance, Instance) {
    let db = TestDatabase::create().await;
    migrate(db.url()).await.unwrap();
    let seed = std::env::var("SCRM_INDEX_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(16);
    let mut rng = StdRng::seed_from_u64(seed);
    let (a, b) = (instance(&db), instance(&db));
    import(&a.repo, &document(&mut rng)).await;
    if let Some(more) = more {
        import(&a.repo, &more(&mut rng)).await;
    }
    for inst in [&a, &b] {
        for tenant in [100, 200] {
            assert!(inst.index.load_tenant(AdminUserId(tenant)).await.unwrap());
        }
    }
    (db, rng, a, b)
}

/// `scrm index check`'s comparison over one instance.
fn checker(inst: &Instance) -> scrm_app::index_check::Checker<'_> {
    scrm_app::index_check::Checker {
        repo: inst.repo.as_ref(),
        directory: inst.repo.as_ref(),
        index: &inst.index,
        manual: inst.repo.as_ref(),
        manual_index: &inst.index,
        contacts: inst.repo.as_ref(),
        contact_index: &inst.index,
    }
}

/// Runs statements one after the other on a connection of their own (another writer).
async fn run_sql(db: &TestDatabase, statements: &[&str]) {
    let mut sql = AsyncMysqlConnection::establish(db.url()).await.unwrap();
    for statement in statements {
        diesel::sql_query(*statement)
            .execute(&mut sql)
            .await
            .unwrap();
    }
}

/// Imports a document; two imports at once may deadlock in MariaDB, and are retried as a
/// client retries a 503.
async fn import(repo: &MySql, doc: &ImportDocument) {
    for attempt in 1.. {
        let known = repo.known(&RefQuery::of(doc)).await.unwrap();
        let plan = build_plan(doc, &known, zone()).unwrap();
        match repo.apply(&plan).await {
            Ok(_) => return,
            Err(scrm_domain::StoreError::Unavailable(e))
                if attempt < 5 && e.contains("Deadlock") => {}
            Err(e) => panic!("import: {e}"),
        }
    }
}

fn scope_of(account: i64) -> Scope {
    let parent = ACCOUNTS.iter().find(|a| a.0 == account).unwrap().1;
    Scope::for_account(AdminUserId(account), parent.map(AdminUserId))
}

/// A random customer id of an account (some are contacts without a profile).
fn some_customer(rng: &mut StdRng) -> (i64, i64) {
    let account = ACCOUNTS[rng.random_range(0..ACCOUNTS.len())].0;
    let contact = contact_id(account, rng.random_range(0..CONTACTS_PER_ACCOUNT));
    (account, contact)
}

/// One random write through `repo` (or plain SQL on `sql`).
async fn write(rng: &mut StdRng, repo: &MySql, sql: &mut AsyncMysqlConnection, step: usize) {
    let (account, contact) = some_customer(rng);
    let scope = scope_of(account);
    let customer = CustomerId(contact + 500_000);
    let now = chrono::Utc::now();
    match rng.random_range(0..10) {
        0 | 1 => {
            let mut patch = CustomerPatch::default();
            if let Some(n) = name(rng) {
                patch.customer_name = FieldChange::Set(n);
            }
            if rng.random_bool(0.5) {
                let p = phone(rng);
                patch.phone_digits = Some(p.clone());
                patch.customer_phone = FieldChange::Set(p);
            }
            if rng.random_bool(0.5) {
                let tags = tags_of(tenant_of(account))
                    .into_iter()
                    .filter(|_| rng.random_bool(0.4))
                    .map(TagId)
                    .collect();
                patch.tags = Some(tags);
            }
            // A profile of its own, or a new one for a contact without.
            let target = if rng.random_bool(0.7) {
                SaveTarget::Existing(customer, None)
            } else {
                SaveTarget::NewFor(ContactId(contact))
            };
            repo.save(&scope, target, &patch, now).await.unwrap();
        }
        2 => {
            repo.soft_delete(&scope, customer, now).await.unwrap();
        }
        3 => {
            repo.restore(&scope, customer, now).await.unwrap();
        }
        4 => {
            // Another writer moves a customer in the list order. (Not its names: the SQL
            // plans read names through `customer_name_gram`, which only the adapter keeps;
            // the index would be right and SQL wrong.)
            diesel::sql_query("UPDATE customer SET create_time = ? WHERE id = ?")
                .bind::<diesel::sql_types::Text, _>(time(rng))
                .bind::<diesel::sql_types::BigInt, _>(customer.0)
                .execute(sql)
                .await
                .unwrap();
        }
        5 => {
            let tag = tags_of(tenant_of(account))[rng.random_range(0..4)];
            diesel::sql_query("DELETE FROM contact_tag WHERE contact_id = ? AND tag_id = ?")
                .bind::<diesel::sql_types::BigInt, _>(contact)
                .bind::<diesel::sql_types::BigInt, _>(tag)
                .execute(sql)
                .await
                .unwrap();
        }
        6 => {
            // An import re-tags and renames a contact and adds a customer.
            let tenant = tenant_of(account);
            let extra = 900_000 + i64::try_from(step).unwrap();
            let tags: Vec<i64> = tags_of(tenant)
                .into_iter()
                .filter(|_| rng.random_bool(0.5))
                .collect();
            let doc: ImportDocument = serde_json::from_value(json!({
                "wechatContacts": [
                    {"id": contact, "wechatUserId": account * 10, "nickName": name(rng), "remarkName": name(rng), "tagIds": tags, "createTime": "2025-12-01 09:00:00"},
                    {"id": extra, "wechatUserId": account * 10, "nickName": name(rng), "createTime": "2025-12-01 09:00:00"}
                ],
                "customers": [{"id": extra + 500_000, "wechatContactId": extra, "customerName": name(rng), "customerPhone": phone(rng), "createTime": time(rng)}]
            }))
            .unwrap();
            import(repo, &doc).await;
        }
        8 | 9 => contacts::write(rng, account, sql, step).await,
        _ => {
            // A rolled back write leaves a hole in the log's numbers.
            let _ = sql
                .transaction::<(), diesel::result::Error, _>(async |c| {
                    diesel::sql_query("UPDATE customer SET customer_name = 'x' WHERE id = ?")
                        .bind::<diesel::sql_types::BigInt, _>(customer.0)
                        .execute(c)
                        .await?;
                    Err(diesel::result::Error::RollbackTransaction)
                })
                .await;
        }
    }
}

fn filter(rng: &mut StdRng, tenant: i64) -> CustomerFilter {
    let mut f = CustomerFilter::default();
    if rng.random_bool(0.4) {
        let piece: String = (0..rng.random_range(1..=2))
            .map(|_| PIECES[rng.random_range(0..PIECES.len())])
            .collect();
        let chars: Vec<char> = piece.chars().collect();
        let len = rng.random_range(1..=chars.len());
        f.name = Some(chars[..len].iter().collect());
    }
    if rng.random_bool(0.25) {
        let p = phone(rng);
        let start = rng.random_range(0..6);
        let len = rng.random_range(1..=5);
        f.phone_digits = Some(p[start..start + len].to_owned());
    }
    if rng.random_bool(0.3) {
        f.tag_ids = tags_of(tenant)
            .into_iter()
            .filter(|_| rng.random_bool(0.4))
            .map(TagId)
            .collect();
        f.tag_mode = [
            scrm_domain::search::TagMode::Any,
            scrm_domain::search::TagMode::All,
            scrm_domain::search::TagMode::None,
        ][rng.random_range(0..3)];
    }
    if rng.random_bool(0.2) {
        f.begin = Some(
            chrono::DateTime::parse_from_rfc3339(&format!(
                "2026-01-{:02}T02:00:20Z",
                rng.random_range(1..=5)
            ))
            .unwrap()
            .to_utc(),
        );
    }
    if rng.random_bool(0.2) {
        f.end = Some(
            chrono::DateTime::parse_from_rfc3339(&format!(
                "2026-01-{:02}T02:00:20Z",
                rng.random_range(1..=5)
            ))
            .unwrap()
            .to_utc(),
        );
    }
    if rng.random_bool(0.1) {
        f.wechat_user_id = Some(WechatUserId(tenant * 10 + rng.random_range(0..3)));
    }
    if rng.random_bool(0.1) {
        f.remark_name = Some(PIECES[rng.random_range(0..PIECES.len())].to_owned());
    }
    if rng.random_bool(0.3) {
        f.terms = terms(rng);
    }
    f
}

/// One to two random terms of `q`: characters of the names' pieces, part of a spelling of
/// them (any case), or phone digits (with separators).
fn terms(rng: &mut StdRng) -> Vec<SearchTerm> {
    let texts: Vec<String> = (0..rng.random_range(1..=2))
        .map(|_| {
            let piece = PIECES[rng.random_range(0..PIECES.len())];
            let spelled = spellings(piece);
            match rng.random_range(0..4) {
                0 => piece.to_owned(),
                1 | 2 if !spelled.is_empty() => {
                    let s: Vec<char> = spelled[rng.random_range(0..spelled.len())]
                        .chars()
                        .collect();
                    let from = rng.random_range(0..s.len());
                    let to = rng.random_range(from + 1..=s.len());
                    let t: String = s[from..to].iter().collect();
                    if rng.random_bool(0.3) {
                        t.to_uppercase()
                    } else {
                        t
                    }
                }
                _ => {
                    let p = phone(rng);
                    let start = rng.random_range(0..6);
                    let digits = &p[start..start + rng.random_range(3..=5)];
                    if rng.random_bool(0.3) {
                        format!("({})-{}", &digits[..2], &digits[2..])
                    } else {
                        digits.to_owned()
                    }
                }
            }
        })
        .collect();
    parse_terms(&texts.join(" "))
}

/// Compares one random request through an index with SQL; whether the index answered.
async fn compare(rng: &mut StdRng, inst: &Instance, sql: &MySql, step: usize) -> bool {
    let account = ACCOUNTS[rng.random_range(0..ACCOUNTS.len())].0;
    let scope = scope_of(account);
    let page = PageRequest::new(rng.random_range(1..=3), rng.random_range(1..=25)).unwrap();
    if rng.random_bool(0.15) {
        return contacts::compare(rng, inst, sql, &scope, step).await;
    }
    if rng.random_bool(0.2) {
        // The bin, unfiltered or with terms and tags.
        let mut bin = BinFilter::default();
        if rng.random_bool(0.7) {
            let f = filter(rng, tenant_of(account));
            bin = BinFilter {
                terms: if f.terms.is_empty() {
                    terms(rng)
                } else {
                    f.terms
                },
                tag_ids: f.tag_ids,
                tag_mode: f.tag_mode,
            };
        }
        let Some(got) = inst.index.recycle_bin(&scope, &bin, page).await else {
            return false;
        };
        let want = sql.recycle_bin(&scope, &bin, page).await.unwrap();
        let want_ids: Vec<CustomerId> = want.items.iter().map(|r| r.id).collect();
        assert_eq!(
            (got.total, &got.ids),
            (want.total, &want_ids),
            "step {step}: bin {bin:?} of {account}"
        );
        return true;
    }
    let f = filter(rng, tenant_of(account));
    let Some(got) = inst.index.page(&scope, &f, page).await else {
        return false;
    };
    let want = sql.page(&scope, &f, page).await.unwrap();
    let want_ids: Vec<CustomerId> = want.items.iter().map(|r| r.id).collect();
    assert_eq!(
        (got.total, &got.ids),
        (want.total, &want_ids),
        "step {step}: {f:?} of {account}, page {page:?}"
    );
    true
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_answer_as_sql_after_random_writes() {
    let (db, mut rng, a, b) = two_instances(None).await;
    let mut sql = AsyncMysqlConnection::establish(db.url()).await.unwrap();
    let mut sql2 = AsyncMysqlConnection::establish(db.url()).await.unwrap();
    let (mut answered, mut asked) = (0, 0);
    for step in 0..250 {
        // Writes through one instance (sometimes both at once), reads through the other.
        let (writer, reader) = if step % 2 == 0 { (&a, &b) } else { (&b, &a) };
        if step % 7 == 0 {
            let mut r1 = StdRng::seed_from_u64(rng.random());
            let mut r2 = StdRng::seed_from_u64(rng.random());
            tokio::join!(
                write(&mut r1, &a.repo, &mut sql, step),
                write(&mut r2, &b.repo, &mut sql2, step + 10_000)
            );
        } else {
            write(&mut rng, &writer.repo, &mut sql, step).await;
        }
        for _ in 0..4 {
            asked += 1;
            if compare(&mut rng, reader, &a.repo, step).await {
                answered += 1;
            }
        }
    }
    // Declines are for unsure names (é), remark names over them and the time bound; most
    // requests must still be the index's own answers.
    assert!(
        answered * 2 > asked,
        "the index answered {answered} of {asked}"
    );
}

/// `scrm index check`'s comparison (`scrm_app::index_check::Checker`) finds a difference
/// planted by a write that bypasses the change log while an index is loaded, in the scopes
/// it shows in, and is clean before it.
#[tokio::test]
async fn the_check_finds_a_write_that_bypassed_the_change_log() {
    let (db, inst) = loaded(7, None).await;
    let checker = checker(&inst);
    let before = checker.tenant(AdminUserId(100)).await.unwrap().unwrap();
    assert!(before.is_clean(), "{:?}", before.differences);
    // Text needles decline over names the index is unsure of (é); the rest is answered.
    assert!(before.cases > before.declined + 20, "{before:?}");
    // Customer 601001 (account 101's) becomes the newest, and its change row goes away in
    // the same transaction: no index can learn of it.
    run_sql(
        &db,
        &[
            "BEGIN",
            "UPDATE customer SET create_time = '2030-01-01 00:00:00' WHERE id = 601001",
            "DELETE FROM customer_change WHERE customer_id = 601001",
            "COMMIT",
        ],
    )
    .await;
    let after = checker.tenant(AdminUserId(100)).await.unwrap().unwrap();
    assert!(!after.is_clean());
    let unfiltered: Vec<_> = after
        .differences
        .iter()
        .filter(|d| d.case == "no filter")
        .collect();
    let accounts: Vec<i64> = unfiltered.iter().map(|d| d.scope.account.0).collect();
    assert_eq!(accounts, [100, 101], "{:?}", after.differences);
    for d in unfiltered {
        assert_eq!(d.sql.1[0], 601_001, "{d}");
        assert_ne!(d.index.1[0], 601_001, "{d}");
        assert_eq!(d.sql.0, d.index.0, "the count is the same: {d}");
    }
    // Account 102 never sees the customer.
    assert!(
        after.differences.iter().all(|d| d.scope.account.0 != 102),
        "{:?}",
        after.differences
    );
}

/// The ids of a whole export in batches of `batch`, through the index (`None` when it
/// declines a batch) or through SQL.
async fn export_ids(
    inst: &Instance,
    scope: &Scope,
    f: &CustomerFilter,
    batch: u32,
    through_index: bool,
) -> Option<Vec<CustomerId>> {
    use scrm_domain::customer::ExportCursor;
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let rows = if through_index {
            let ids = inst.index.export_ids(scope, f, after, batch).await?;
            if ids.is_empty() {
                Vec::new()
            } else {
                inst.repo.by_ids(scope, &ids).await.unwrap()
            }
        } else {
            inst.repo
                .export_batch(scope, f, after, batch)
                .await
                .unwrap()
        };
        all.extend(rows.iter().map(|r| r.id));
        match rows.last() {
            Some(last) if rows.len() >= batch as usize => {
                after = Some(ExportCursor {
                    create_time: last.create_time,
                    id: last.id,
                });
            }
            _ => return Some(all),
        }
    }
}

/// downLoad through the index lists what it lists through SQL: the same customers in the same
/// order, batch after batch (small batches, so cursors fall on ties of createTime), for random
/// filters in every scope after random writes; and the service's first batch is the same
/// with the index on and off.
#[tokio::test]
async fn an_export_through_the_index_equals_the_export_through_sql() {
    use scrm_domain::customer::CustomerService;
    let db = TestDatabase::create().await;
    migrate(db.url()).await.unwrap();
    let mut rng = StdRng::seed_from_u64(11);
    let inst = instance(&db);
    import(&inst.repo, &document(&mut rng)).await;
    assert!(inst.index.load_tenant(AdminUserId(100)).await.unwrap());
    assert!(inst.index.load_tenant(AdminUserId(200)).await.unwrap());
    let mut sql = AsyncMysqlConnection::establish(db.url()).await.unwrap();
    for step in 0..40 {
        write(&mut rng, &inst.repo, &mut sql, step).await;
    }
    let with_index = CustomerService::with_index(inst.repo.clone(), Arc::new(inst.index.clone()));
    let without = CustomerService::new(inst.repo.clone());
    let (mut answered, mut asked) = (0, 0);
    for round in 0..60 {
        let account = ACCOUNTS[round % ACCOUNTS.len()].0;
        let scope = scope_of(account);
        let f = if round < ACCOUNTS.len() {
            CustomerFilter::default()
        } else {
            filter(&mut rng, tenant_of(account))
        };
        let want = export_ids(&inst, &scope, &f, 7, false).await.unwrap();
        asked += 1;
        if let Some(got) = export_ids(&inst, &scope, &f, 7, true).await {
            answered += 1;
            assert_eq!(got, want, "round {round}: {f:?} of {account}");
        } else {
            eprintln!("DECLINED {round} {f:?}");
        }
        let on = with_index.export_batch(&scope, &f, None).await.unwrap();
        let off = without.export_batch(&scope, &f, None).await.unwrap();
        assert_eq!(on, off, "round {round}: {f:?} of {account}");
    }
    assert!(
        answered * 2 > asked,
        "the index answered {answered} of {asked}"
    );
}
