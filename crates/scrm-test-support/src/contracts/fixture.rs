//! The standard fixture of the relational suites, loaded through `ImportRepository::known`,
//! `scrm_domain::import::build_plan` and `ImportRepository::apply` like any import.
//!
//! Two tenants. Tenant A = main account 100 with sub-accounts 101 (department 10) and 102,
//! each with a WeChat account (1000 online, 1001 online, 1002 offline); tenant B = main
//! account 200 with WeChat account 1201. Tags 11, 12, 13 of A and 21 of B; contacts with
//! Chinese nick and remark names; customers with phones in several notations, remarks with
//! LIKE wildcards and two equal createTimes (3002 and 3003); a form of address on 2001; one
//! hand-entered manual entry. `call_document()` adds the call lists on top.

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use scrm_domain::contact::ContactRecord;
use scrm_domain::customer::{
    BinFilter, CustomerFilter, CustomerPatch, CustomerRecord, SaveOutcome, SaveTarget,
};
use scrm_domain::import::{ImportDocument, ImportPlan, KnownRefs, RefQuery, build_plan};
use scrm_domain::{AdminUserId, ContactId, CustomerId, Page, PageRequest, Scope};
use serde_json::json;

use super::{RelationalPorts, page};

/// The scope of `account` in the tenant of main account `tenant`.
const fn scope(account: i64, tenant: i64) -> Scope {
    Scope {
        account: AdminUserId(account),
        tenant: AdminUserId(tenant),
    }
}

/// Main account of tenant A.
pub const MAIN_A: Scope = scope(100, 100);
/// Sub-account 101 of tenant A (department 10, WeChat account 1001).
pub const SUB1: Scope = scope(101, 100);
/// Sub-account 102 of tenant A (WeChat account 1002, offline).
pub const SUB2: Scope = scope(102, 100);
/// Sub-account 103 of tenant A (department 11, pool entries only; `call_document()`).
pub const SUB3: Scope = scope(103, 100);
/// Main account of tenant B.
pub const MAIN_B: Scope = scope(200, 200);
/// Sub-account 201 of tenant B (`call_document()`).
pub const SUB_B: Scope = scope(201, 200);

/// The fixture's zone, +08:00.
pub fn zone() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap()
}

/// A local (+08:00) time.
pub fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    zone()
        .with_ymd_and_hms(y, mo, d, h, mi, s)
        .unwrap()
        .with_timezone(&Utc)
}

/// The base fixture (see the module docs).
pub fn document() -> ImportDocument {
    serde_json::from_value(json!({
        "adminUsers": [
            {"id": 100, "loginName": "a_main", "realName": "甲公司"},
            {"id": 101, "loginName": "a_sub1", "realName": "銷售一", "parentId": 100, "departId": 10},
            {"id": 102, "loginName": "a_sub2", "realName": "銷售二", "parentId": 100, "isOpenAfterCall": 1},
            {"id": 200, "loginName": "b_main", "realName": "乙公司"}
        ],
        "departments": [{"id": 10, "tenantAdminUserId": 100, "name": "電銷一部"}],
        "wechatUsers": [
            {"id": 1000, "adminUserId": 100, "uin": "u1000", "userName": "wxid_main", "nickName": "總號", "isOnline": 1},
            {"id": 1001, "adminUserId": 101, "uin": "u1001", "userName": "wxid_s1", "nickName": "銷售一號", "isOnline": 1},
            {"id": 1002, "adminUserId": 102, "uin": "u1002", "userName": "wxid_s2", "nickName": "銷售二號", "isOnline": 0},
            {"id": 1201, "adminUserId": 200, "uin": "u1201", "userName": "wxid_b", "nickName": "乙號", "isOnline": 1}
        ],
        "tags": [
            {"id": 11, "tenantAdminUserId": 100, "name": "VIP"},
            {"id": 12, "tenantAdminUserId": 100, "name": "新客"},
            {"id": 13, "tenantAdminUserId": 100, "name": "50%折扣"},
            {"id": 21, "tenantAdminUserId": 200, "name": "乙標籤"}
        ],
        "wechatContacts": [
            {"id": 2001, "wechatUserId": 1001, "nickName": "王小明", "remarkName": "小明_銷售", "tagIds": [11], "createTime": "2025-12-01 09:00:00", "sex": "1"},
            {"id": 2002, "wechatUserId": 1001, "nickName": "李華", "remarkName": "華哥", "tagIds": [12, 11], "createTime": "2025-12-02 09:00:00"},
            {"id": 2003, "wechatUserId": 1002, "nickName": "張偉", "remarkName": "偉%哥", "tagIds": [12], "createTime": "2025-12-03 09:00:00"},
            {"id": 2004, "wechatUserId": 1002, "nickName": "陳佳", "tagIds": [], "createTime": "2025-12-04 09:00:00"},
            {"id": 2005, "wechatUserId": 1000, "nickName": "趙敏", "remarkName": "敏敏", "createTime": "2025-12-05 09:00:00"},
            {"id": 2006, "wechatUserId": 1001, "nickName": "孫悟空", "createTime": "2025-12-06 09:00:00"},
            {"id": 2201, "wechatUserId": 1201, "nickName": "王五", "remarkName": "乙客戶", "tagIds": [21], "createTime": "2025-12-07 09:00:00"}
        ],
        "customers": [
            {"id": 3001, "wechatContactId": 2001, "customerName": "王先生", "customerPhone": "13800001111", "remarks": "重要客戶 100%滿意", "xfield1": "甲", "createTime": "2026-01-01 10:00:00"},
            {"id": 3002, "wechatContactId": 2002, "customerName": "李女士", "customerPhone": "13900002222", "remarks": "普通", "createTime": "2026-01-02 10:00:00"},
            {"id": 3003, "wechatContactId": 2003, "customerName": "張三", "customerPhone": "+86 137-0000-3333", "remarks": "50_off", "createTime": "2026-01-02 10:00:00"},
            {"id": 3004, "wechatContactId": 2004, "customerName": "陳小姐", "createTime": "2026-01-03 10:00:00"},
            {"id": 3005, "wechatContactId": 2005, "customerName": "趙老闆", "customerPhone": "020-8888-6666", "createTime": "2026-01-04 10:00:00"},
            {"id": 3201, "wechatContactId": 2201, "customerName": "王乙", "customerPhone": "13800001111", "createTime": "2026-01-05 10:00:00"}
        ],
        "nickNames": [{"wechatContactId": 2001, "custName": "王總", "nickName": "明哥"}],
        "manualEntries": [
            {"id": 5001, "adminUserId": 101, "customerName": "手工", "customerPhone": "13511112222", "xfield2": "二", "createTime": "2026-01-01 08:00:00"}
        ]
    }))
    .unwrap()
}

/// Added on top of `document()` for the call lists and the call pop-up: sub-accounts 103
/// (department 11, pool entries only) and 201 (tenant B), manual entries of 100, 101, 102, 103
/// and 200, hand-entered (taskId -1) and from pool tasks (taskId > 0), and more customers
/// with the phone 13800001111 (3006 of 101, 3007 of 102; 3001 of 101 and 3201 of B had it).
///
/// Live hand-entered entries of 101, by orderNum then id: 5001 (0), 5102 (1), 5103 (1),
/// 5104 (2), 5101 (3); totals 5 entries, 2 dialled, 3 friend requests sent, 1 added.
pub fn call_document() -> ImportDocument {
    serde_json::from_value(json!({
        "adminUsers": [
            {"id": 103, "loginName": "a_sub3", "realName": "銷售三", "parentId": 100, "departId": 11},
            {"id": 201, "loginName": "b_sub1", "realName": "乙銷售", "parentId": 200}
        ],
        "departments": [{"id": 11, "tenantAdminUserId": 100, "name": "電銷二部"}],
        "wechatContacts": [
            {"id": 2007, "wechatUserId": 1002, "nickName": "周七", "createTime": "2025-12-08 09:00:00"}
        ],
        "customers": [
            {"id": 3006, "wechatContactId": 2006, "customerName": "孫先生", "customerPhone": "138-0000-1111", "createTime": "2026-01-06 10:00:00"},
            {"id": 3007, "wechatContactId": 2007, "customerName": "周先生", "customerPhone": "+86 13800001111", "createTime": "2026-01-03 10:00:00"}
        ],
        "manualEntries": [
            {"id": 5101, "adminUserId": 101, "orderNum": 3, "company": "甲公司科技", "customerName": "王一", "userName": "wxid_a", "customerPhone": "13600000001", "dialStatus": 1, "addStatus": 2},
            {"id": 5102, "adminUserId": 101, "orderNum": 1, "company": "乙%商行", "customerName": "李二", "userName": "wxid_b", "customerPhone": "13600000002", "dialStatus": 1, "addStatus": 1},
            {"id": 5103, "adminUserId": 101, "orderNum": 1, "company": "甲公司", "customerName": "王三", "userName": "wxid_ab", "customerPhone": "13600000003"},
            {"id": 5104, "adminUserId": 101, "orderNum": 2, "customerName": "趙四", "customerPhone": "13600000004", "addStatus": 1},
            {"id": 5105, "adminUserId": 101, "taskId": 7, "orderNum": 50, "customerName": "池子", "customerPhone": "13600000001", "dialStatus": 1},
            {"id": 5201, "adminUserId": 102, "orderNum": 1, "customerName": "錢五", "customerPhone": "13700000001", "dialStatus": 1},
            {"id": 5202, "adminUserId": 102, "orderNum": 2, "customerName": "王一", "customerPhone": "13600000001"},
            {"id": 5203, "adminUserId": 102, "taskId": 9, "customerName": "池子二", "customerPhone": "13700000001"},
            {"id": 5301, "adminUserId": 100, "orderNum": 5, "customerName": "總號客", "customerPhone": "13800000009"},
            {"id": 5401, "adminUserId": 103, "taskId": 3, "customerName": "池子三", "customerPhone": "13900000003"},
            {"id": 5501, "adminUserId": 200, "orderNum": 1, "customerName": "乙客", "customerPhone": "13600000001"}
        ]
    }))
    .unwrap()
}

/// A plan of `doc` against what the store holds.
pub async fn plan_of(ports: &RelationalPorts, doc: &ImportDocument) -> ImportPlan {
    let known: KnownRefs = ports.import.known(&RefQuery::of(doc)).await.unwrap();
    build_plan(doc, &known, zone()).unwrap()
}

/// Imports `doc` into the store.
pub async fn import(ports: &RelationalPorts, doc: &ImportDocument) {
    let plan = plan_of(ports, doc).await;
    ports.import.apply(&plan).await.unwrap();
}

/// The contact `id` as `scope` sees it (`ContactRepository::find`).
async fn find_contact(ctx: &RelationalPorts, scope: &Scope, id: i64) -> Option<ContactRecord> {
    ctx.contacts.find(scope, ContactId(id)).await.unwrap()
}

/// The contact `id` as `scope` sees it; panics when it does not.
pub async fn contact(ctx: &RelationalPorts, scope: &Scope, id: i64) -> ContactRecord {
    find_contact(ctx, scope, id).await.unwrap()
}

/// Whether `scope` sees the contact `id`.
pub async fn visible(ctx: &RelationalPorts, scope: &Scope, id: i64) -> bool {
    find_contact(ctx, scope, id).await.is_some()
}

/// A fresh store from `factory` with `document()` loaded.
pub async fn loaded(factory: impl AsyncFn() -> RelationalPorts) -> RelationalPorts {
    let ports = factory().await;
    import(&ports, &document()).await;
    ports
}

/// A fresh store from `factory` with `document()` and `call_document()` loaded.
pub async fn with_call_lists(factory: impl AsyncFn() -> RelationalPorts) -> RelationalPorts {
    let ports = loaded(factory).await;
    import(&ports, &call_document()).await;
    ports
}

/// A page of customers.
pub async fn customers(
    ports: &RelationalPorts,
    scope: &Scope,
    filter: &CustomerFilter,
    no: u32,
    limit: u32,
) -> Page<CustomerRecord> {
    ports
        .customers
        .page(scope, filter, page(no, limit))
        .await
        .unwrap()
}

/// The customer ids of the first 100 matches, and the total.
pub async fn customer_ids(
    ports: &RelationalPorts,
    scope: &Scope,
    filter: &CustomerFilter,
) -> (Vec<i64>, u64) {
    let page = customers(ports, scope, filter, 1, 100).await;
    (page.items.iter().map(|r| r.id.0).collect(), page.total)
}

/// One live customer of the scope.
pub async fn customer(ports: &RelationalPorts, scope: &Scope, id: i64) -> Option<CustomerRecord> {
    ports.customers.find(scope, CustomerId(id)).await.unwrap()
}

/// `CustomerRepository::save`, its error unwrapped.
pub async fn save(
    ports: &RelationalPorts,
    scope: &Scope,
    target: SaveTarget,
    patch: &CustomerPatch,
    now: DateTime<Utc>,
) -> SaveOutcome {
    ports
        .customers
        .save(scope, target, patch, now)
        .await
        .unwrap()
}

/// `CustomerRepository::soft_delete`: whether a live customer of the scope went to the bin.
pub async fn soft_delete(
    ports: &RelationalPorts,
    scope: &Scope,
    id: CustomerId,
    now: DateTime<Utc>,
) -> bool {
    ports.customers.soft_delete(scope, id, now).await.unwrap()
}

/// `CustomerRepository::restore`: whether a customer came back from the scope's bin.
pub async fn restore(
    ports: &RelationalPorts,
    scope: &Scope,
    id: CustomerId,
    now: DateTime<Utc>,
) -> bool {
    ports.customers.restore(scope, id, now).await.unwrap()
}

/// A page of the scope's recycle bin.
pub async fn recycle_bin(
    ports: &RelationalPorts,
    scope: &Scope,
    filter: &BinFilter,
    page: PageRequest,
) -> Page<CustomerRecord> {
    ports
        .customers
        .recycle_bin(scope, filter, page)
        .await
        .unwrap()
}
