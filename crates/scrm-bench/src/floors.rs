//! Every benchmark case in one place: the request scrm gets, and its floor, the SQL and Redis
//! commands scrm's adapters run for that request, sent straight from a native client.
//!
//! The SQL mirrors the diesel queries of `crates/scrm-mysql/src` (customers/query.rs,
//! counts.rs and records.rs, side.rs, manual/query.rs, contacts.rs) and the pipelines of
//! `crates/scrm-redis/src/messages/page.rs`, statement for statement and with the same bind
//! parameters (prepared statements, as diesel-async sends them). When those queries change,
//! change them here.

use deadpool_redis::redis;
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Row, Value};

use scrm_mysql::search::{Plan, of_needle, of_phone_needle};

use crate::params::{Conversation, Params};

/// Rows per page in every paged case.
pub const PAGE_LIMIT: u64 = 20;

/// Who sends the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Login {
    /// The main account of the big tenant: scope `tenant_id = ?`.
    Main,
    /// Its sub-account with the most customers: scope `admin_user_id = ?`.
    Sub,
}

/// One filter of customerPage.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    None,
    /// `customerName`: contained in one of three columns.
    Name(String),
    /// `customerPhone`: digits contained in the phone digits.
    PhoneDigits(String),
    /// `tagIds` with one tag.
    Tag(i64),
}

/// The work of one floor operation.
#[derive(Debug, Clone, PartialEq)]
pub enum Floor {
    /// getCustomerInfoByCall: customers by phone, then pool entries, then hand-entered ones.
    CallByPhone { digits: String },
    /// customerPage: count, the page's ids, then the records of those ids.
    CustomerPage { filter: Filter, page_no: u64 },
    /// getManualTaskList: the distinct count and the grouped page.
    ManualList,
    /// getManualTaskDetail: count and page of one assignee's entries.
    ManualDetail { assignee: i64 },
    /// getRedisMessageRecord: the conversations of the scope (SQL), then three pipelines.
    MessagePage { conversations: Vec<Conversation> },
    /// downLoad: `mariadb --batch` of `EXPORT_SQL`, rows per second.
    Export,
}

/// One case variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// Its name in the table and results.json.
    pub name: String,
    /// The case number of the issue (1 to 10); its target ratio follows from it.
    pub group: u8,
    pub login: Login,
    /// Path and query of the request to scrm.
    pub path: String,
    pub floor: Floor,
}

fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// A `LIKE` pattern for values containing `needle` (the escape character is `!`, as in
/// scrm-mysql's `contains`).
pub fn contains(needle: &str) -> String {
    let mut p = String::from("%");
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '!') {
            p.push('!');
        }
        p.push(c);
    }
    p.push('%');
    p
}

fn page_case(name: &str, group: u8, login: Login, filter: Filter, page_no: u64) -> Case {
    let query = match &filter {
        Filter::None => String::new(),
        Filter::Name(n) => format!("customerName={}&", enc(n)),
        Filter::PhoneDigits(d) => format!("customerPhone={}&", enc(d)),
        Filter::Tag(t) => format!("tagIds={t}&"),
    };
    Case {
        name: name.to_owned(),
        group,
        login,
        path: format!(
            "/wechat_api/customer/customerPage?{query}pageNo={page_no}&limit={PAGE_LIMIT}"
        ),
        floor: Floor::CustomerPage { filter, page_no },
    }
}

fn call_case(name: &str, raw: &str, digits: &str) -> Case {
    Case {
        name: name.to_owned(),
        group: 1,
        login: Login::Main,
        path: format!(
            "/wechat_api/customer/getCustomerInfoByCall?phone={}",
            enc(raw)
        ),
        floor: Floor::CallByPhone {
            digits: digits.to_owned(),
        },
    }
}

fn message_case(name: &str, conversations: &[Conversation]) -> Case {
    let join = |f: fn(&Conversation) -> i64| {
        conversations
            .iter()
            .map(|c| f(c).to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    Case {
        name: name.to_owned(),
        group: 10,
        login: Login::Main,
        path: format!(
            "/wechat_api/message/getRedisMessageRecord?wechatUserIds={}&wechatContactIds={}&pageNo=1&limit={PAGE_LIMIT}",
            enc(&join(|c| c.wechat_user_id)),
            enc(&join(|c| c.wechat_contact_id)),
        ),
        floor: Floor::MessagePage {
            conversations: conversations.to_vec(),
        },
    }
}

/// The cases of the issue for the resolved parameters, in order.
pub fn cases(p: &Params) -> Vec<Case> {
    let formatted = format_cn(&p.phone_hit);
    let deep = format!("customerPage page {}", p.deep_page);
    let main_pages = [
        ("customerPage + count", 2, Filter::None, 1),
        (
            "name: common surname",
            3,
            Filter::Name(p.surname.clone()),
            1,
        ),
        ("name: rare name", 3, Filter::Name(p.rare_name.clone()), 1),
        (
            "name: two characters",
            3,
            Filter::Name(p.two_char_name.clone()),
            1,
        ),
        ("tag: most popular", 4, Filter::Tag(p.tag_popular), 1),
        ("tag: rare", 4, Filter::Tag(p.tag_rare), 1),
        (
            "phone suffix (4 digits)",
            5,
            Filter::PhoneDigits(p.phone_suffix.clone()),
            1,
        ),
        (deep.as_str(), 6, Filter::None, p.deep_page),
    ];
    let mut cases = vec![
        call_case("call: phone hits", &p.phone_hit, &p.phone_hit),
        call_case("call: phone misses", &p.phone_miss, &p.phone_miss),
        call_case("call: +86 formatted", &formatted, &p.phone_hit),
    ];
    cases.extend(
        main_pages
            .into_iter()
            .map(|(name, group, filter, page_no)| {
                page_case(name, group, Login::Main, filter, page_no)
            }),
    );
    cases.push(page_case(
        "customerPage as sub-account",
        7,
        Login::Sub,
        Filter::None,
        1,
    ));
    cases.extend([
        Case {
            name: "downLoad whole tenant (rows/s)".to_owned(),
            group: 8,
            login: Login::Main,
            path: "/wechat_api/customer/downLoad".to_owned(),
            floor: Floor::Export,
        },
        Case {
            name: "getManualTaskList".to_owned(),
            group: 9,
            login: Login::Main,
            path: format!("/wechat_api/customer/getManualTaskList?pageNo=1&limit={PAGE_LIMIT}"),
            floor: Floor::ManualList,
        },
        Case {
            name: "getManualTaskDetail".to_owned(),
            group: 9,
            login: Login::Main,
            path: format!(
                "/wechat_api/customer/getManualTaskDetail?adminUserId={}&pageNo=1&limit={PAGE_LIMIT}",
                p.manual_assignee
            ),
            floor: Floor::ManualDetail {
                assignee: p.manual_assignee,
            },
        },
        message_case(
            "messages: 1 conversation",
            &p.conversations[..1.min(p.conversations.len())],
        ),
        message_case("messages: merged over 10", &p.conversations),
    ]);
    cases
}

/// `13912345678` as `+86 139 1234 5678`.
pub fn format_cn(digits: &str) -> String {
    if digits.len() != 11 || !digits.is_ascii() {
        return format!("+86 {digits}");
    }
    format!("+86 {} {} {}", &digits[..3], &digits[3..7], &digits[7..])
}

/// The scope predicate and its bind value for a table alias.
fn scope(p: &Params, login: Login, table: &str) -> (String, Value) {
    match login {
        Login::Main => (format!("{table}.tenant_id = ?"), Value::from(p.tenant)),
        Login::Sub => (format!("{table}.admin_user_id = ?"), Value::from(p.sub_id)),
    }
}

fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

async fn rows(conn: &mut Conn, sql: &str, binds: Vec<Value>) -> mysql_async::Result<Vec<Row>> {
    conn.exec(sql, binds).await
}

fn column(rows: &[Row], i: usize) -> Vec<i64> {
    let mut v: Vec<i64> = rows.iter().filter_map(|r| r.get::<i64, _>(i)).collect();
    v.sort_unstable();
    v.dedup();
    v
}

const CUSTOMER_FROM: &str =
    "FROM (customer INNER JOIN wechat_contact ON (wechat_contact.id = customer.wechat_contact_id))";

const RECORD_COLUMNS: &str = "customer.id, customer.wechat_contact_id, customer.wechat_user_id, \
     customer.admin_user_id, customer.customer_name, customer.customer_phone, customer.nick_name, \
     customer.remarks, customer.xfield1, customer.xfield2, customer.xfield3, customer.xfield4, \
     customer.xfield5, customer.xfield6, customer.xfield7, customer.xfield8, customer.xfield9, \
     customer.xfield10, customer.is_cust, customer.create_time, customer.last_update_time, \
     customer.deleted_at, wechat_contact.nick_name, wechat_contact.remark_name, \
     wechat_contact.head_img_url, wechat_contact.is_star";

/// `load_records`: the joined rows, then tags, forms of address and WeChat nick names.
async fn load_records(
    conn: &mut Conn,
    p: &Params,
    login: Login,
    ids: &[i64],
) -> mysql_async::Result<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    let (pred, bind) = scope(p, login, "customer");
    let mut binds = vec![bind];
    binds.extend(ids.iter().map(|i| Value::from(*i)));
    let records = rows(
        conn,
        &format!(
            "SELECT {RECORD_COLUMNS} {CUSTOMER_FROM} WHERE ({pred} AND customer.id IN ({}))",
            marks(ids.len())
        ),
        binds,
    )
    .await?;
    let contacts = column(&records, 1);
    let wechat_users = column(&records, 2);
    let (pred, bind) = scope(p, login, "contact_tag");
    let mut binds = vec![bind, Value::from(p.tenant)];
    binds.extend(contacts.iter().map(|i| Value::from(*i)));
    rows(
        conn,
        &format!(
            "SELECT contact_tag.contact_id, tag.id, tag.name FROM (contact_tag INNER JOIN tag ON \
             (tag.id = contact_tag.tag_id)) WHERE (({pred} AND tag.tenant_id = ?) AND \
             contact_tag.contact_id IN ({})) ORDER BY contact_tag.contact_id, tag.id",
            marks(contacts.len())
        ),
        binds,
    )
    .await?;
    let mut binds = vec![Value::from(p.tenant)];
    binds.extend(contacts.iter().map(|i| Value::from(*i)));
    rows(
        conn,
        &format!(
            "SELECT contact_nick_name.wechat_contact_id, contact_nick_name.nick_name FROM \
             contact_nick_name WHERE (contact_nick_name.tenant_id = ? AND \
             contact_nick_name.wechat_contact_id IN ({}))",
            marks(contacts.len())
        ),
        binds,
    )
    .await?;
    let (pred, bind) = scope(p, login, "wechat_user");
    let mut binds = vec![bind];
    binds.extend(wechat_users.iter().map(|i| Value::from(*i)));
    rows(
        conn,
        &format!(
            "SELECT wechat_user.id, wechat_user.nick_name FROM wechat_user WHERE ({pred} AND \
             wechat_user.id IN ({}))",
            marks(wechat_users.len())
        ),
        binds,
    )
    .await?;
    Ok(records.len())
}

/// `Listed::of` (scrm-mysql `customers/listed.rs`): the FROM and WHERE clauses and binds of
/// customerPage for a plan: on `customer` alone, or joined to `wechat_contact` when the names'
/// `LIKE` must be read (a walk, or name grams that do not decide alone).
fn live_filtered(p: &Params, login: Login, filter: &Filter, plan: Plan) -> (String, Vec<Value>) {
    let (pred, bind) = scope(p, login, "customer");
    let grams = match filter {
        Filter::Name(name) if plan == Plan::Narrow => Some(of_needle(name)),
        _ => None,
    };
    let like = match (filter, &grams) {
        (Filter::Name(_), Some(g)) if g.exact => None,
        (Filter::Name(name), _) => Some(contains(name)),
        _ => None,
    };
    let from = if like.is_some() {
        CUSTOMER_FROM
    } else {
        "FROM customer"
    };
    let mut sql = format!("{from} WHERE ({pred} AND customer.deleted_at IS NULL");
    let mut binds = vec![bind];
    match filter {
        Filter::None | Filter::Name(_) => {}
        Filter::PhoneDigits(digits) => {
            let grams = of_phone_needle(digits).filter(|_| plan == Plan::Narrow);
            if let Some(g) = &grams {
                for gram in &g.equal {
                    sql.push_str(
                        " AND customer.id IN (SELECT customer_phone_gram.customer_id FROM \
                         customer_phone_gram WHERE (customer_phone_gram.tenant_id = ? AND \
                         customer_phone_gram.gram = ?))",
                    );
                    binds.extend([Value::from(p.tenant), Value::from(gram.as_str())]);
                }
            }
            if !grams.is_some_and(|g| g.exact) {
                sql.push_str(" AND customer.phone_digits LIKE ? ESCAPE '!'");
                binds.push(Value::from(contains(digits)));
            }
        }
        Filter::Tag(tag) if plan == Plan::Walk => {
            sql.push_str(&format!(
                " AND (SELECT COUNT(*) FROM contact_tag WHERE contact_tag.contact_id = \
                 customer.wechat_contact_id AND contact_tag.tag_id IN ({tag})) > 0"
            ));
        }
        Filter::Tag(tag) => {
            let (tag_pred, tag_bind) = scope(p, login, "contact_tag");
            sql.push_str(&format!(
                " AND customer.wechat_contact_id IN (SELECT contact_tag.contact_id FROM \
                 contact_tag WHERE ({tag_pred} AND contact_tag.tag_id IN (?)))"
            ));
            binds.extend([tag_bind, Value::from(*tag)]);
        }
    }
    if let Some(g) = &grams {
        let gram_ids = "customer.id IN (SELECT customer_name_gram.customer_id FROM \
             customer_name_gram WHERE (customer_name_gram.tenant_id = ? AND customer_name_gram.gram";
        if let Some(prefix) = &g.prefix {
            sql.push_str(&format!(" AND {gram_ids} LIKE ? ESCAPE '!'))"));
            binds.extend([Value::from(p.tenant), Value::from(prefix.as_str())]);
        }
        for gram in &g.equal {
            sql.push_str(&format!(" AND {gram_ids} = ?))"));
            binds.extend([Value::from(p.tenant), Value::from(gram.as_str())]);
        }
    }
    if let Some(pattern) = like {
        sql.push_str(
            " AND ((customer.customer_name LIKE ? ESCAPE '!' OR wechat_contact.nick_name \
             LIKE ? ESCAPE '!') OR wechat_contact.remark_name LIKE ? ESCAPE '!')",
        );
        binds.extend([
            Value::from(pattern.as_str()),
            Value::from(pattern.as_str()),
            Value::from(pattern.as_str()),
        ]);
    }
    sql.push(')');
    (sql, binds)
}

/// The live customers of the scope (`customer_count`, customers/counts.rs).
async fn live_count(conn: &mut Conn, p: &Params, login: Login) -> mysql_async::Result<u64> {
    let (pred, bind) = scope(p, login, "customer_count");
    let n: Option<i64> = conn
        .exec_first(
            format!(
                "SELECT CAST(COALESCE(SUM(live), 0) AS SIGNED) FROM customer_count WHERE {pred}"
            ),
            vec![bind],
        )
        .await?;
    Ok(u64::try_from(n.unwrap_or(0)).unwrap_or(0))
}

async fn customer_page(
    conn: &mut Conn,
    p: &Params,
    login: Login,
    filter: &Filter,
    page_no: u64,
) -> mysql_async::Result<usize> {
    let total = if *filter == Filter::None {
        // An unfiltered list reads the per-account counters (customers/counts.rs).
        live_count(conn, p, login).await?
    } else {
        let (filter_sql, binds) = live_filtered(p, login, filter, Plan::Narrow);
        let n: Option<i64> = conn
            .exec_first(format!("SELECT COUNT(*) {filter_sql}"), binds)
            .await?;
        u64::try_from(n.unwrap_or(0)).unwrap_or(0)
    };
    let offset = (page_no - 1) * PAGE_LIMIT;
    if offset >= total {
        return Ok(0);
    }
    // customers/query.rs `page`: a name, phone or tag filter picks its plan by the count, and
    // reads the live count only when the count alone does not decide.
    let plannable = match filter {
        Filter::Name(_) | Filter::Tag(_) => true,
        Filter::PhoneDigits(digits) => of_phone_needle(digits).is_some(),
        Filter::None => false,
    };
    let wanted = offset + PAGE_LIMIT;
    let plan = match Plan::by_count(wanted, total) {
        _ if !plannable => Plan::Narrow,
        Some(plan) => plan,
        None => Plan::choose(wanted, total, live_count(conn, p, login).await?),
    };
    let (filter_sql, mut binds) = live_filtered(p, login, filter, plan);
    binds.extend([Value::from(PAGE_LIMIT), Value::from(offset)]);
    let ids = rows(
        conn,
        &format!(
            "SELECT customer.id {filter_sql} ORDER BY customer.create_time DESC, \
             customer.id DESC LIMIT ? OFFSET ?"
        ),
        binds,
    )
    .await?;
    let ids: Vec<i64> = ids.iter().filter_map(|r| r.get::<i64, _>(0)).collect();
    load_records(conn, p, login, &ids).await
}

const MANUAL_COLUMNS: &str = "manual_entry.id, manual_entry.tenant_id, manual_entry.admin_user_id, \
     manual_entry.task_id, manual_entry.order_num, manual_entry.customer_name, \
     manual_entry.customer_phone, manual_entry.phone_digits, manual_entry.address, \
     manual_entry.company, manual_entry.nick_name, manual_entry.user_name, manual_entry.uin, \
     manual_entry.phone_geo, manual_entry.tags, manual_entry.remarks, manual_entry.v1, \
     manual_entry.xfields, manual_entry.dial_status, manual_entry.add_status, manual_entry.syn, \
     manual_entry.assign_time, manual_entry.create_time, manual_entry.last_update_time";

async fn call_by_phone(conn: &mut Conn, p: &Params, digits: &str) -> mysql_async::Result<usize> {
    let ids = rows(
        conn,
        "SELECT customer.id FROM customer WHERE ((customer.tenant_id = ? AND \
         customer.phone_digits = ?) AND customer.deleted_at IS NULL) ORDER BY \
         customer.create_time DESC, customer.id DESC",
        vec![Value::from(p.tenant), Value::from(digits)],
    )
    .await?;
    if !ids.is_empty() {
        let ids: Vec<i64> = ids.iter().filter_map(|r| r.get::<i64, _>(0)).collect();
        return load_records(conn, p, Login::Main, &ids).await;
    }
    for kind in ["manual_entry.task_id > 0", "manual_entry.task_id = -1"] {
        let found = rows(
            conn,
            &format!(
                "SELECT {MANUAL_COLUMNS} FROM manual_entry WHERE ((((manual_entry.admin_user_id \
                 = ? AND manual_entry.tenant_id = ?) AND manual_entry.phone_digits = ?) AND \
                 manual_entry.deleted_at IS NULL) AND {kind}) ORDER BY manual_entry.id"
            ),
            vec![
                Value::from(p.tenant),
                Value::from(p.tenant),
                Value::from(digits),
            ],
        )
        .await?;
        if !found.is_empty() {
            return Ok(found.len());
        }
    }
    Ok(0)
}

const MANUAL_FROM: &str = "FROM (manual_entry LEFT OUTER JOIN admin_user ON (admin_user.id = \
     manual_entry.admin_user_id)) WHERE ((manual_entry.tenant_id = ? AND manual_entry.task_id = \
     -1) AND manual_entry.deleted_at IS NULL)";

async fn manual_list(conn: &mut Conn, p: &Params) -> mysql_async::Result<usize> {
    let total: Option<i64> = conn
        .exec_first(
            format!("SELECT COUNT(DISTINCT manual_entry.admin_user_id) {MANUAL_FROM}"),
            vec![Value::from(p.tenant)],
        )
        .await?;
    if total.unwrap_or(0) == 0 {
        return Ok(0);
    }
    let found = rows(
        conn,
        &format!(
            "SELECT manual_entry.admin_user_id, max(admin_user.real_name), COUNT(*), \
             count(CASE WHEN (manual_entry.dial_status = ?) THEN manual_entry.id END), \
             count(CASE WHEN (manual_entry.add_status >= ?) THEN manual_entry.id END), \
             count(CASE WHEN (manual_entry.add_status = ?) THEN manual_entry.id END) \
             {MANUAL_FROM} GROUP BY manual_entry.admin_user_id ORDER BY \
             manual_entry.admin_user_id LIMIT ? OFFSET ?"
        ),
        vec![
            Value::from(1),
            Value::from(1),
            Value::from(2),
            Value::from(p.tenant),
            Value::from(PAGE_LIMIT),
            Value::from(0),
        ],
    )
    .await?;
    Ok(found.len())
}

async fn manual_detail(conn: &mut Conn, p: &Params, assignee: i64) -> mysql_async::Result<usize> {
    let filter = "WHERE (((manual_entry.tenant_id = ? AND manual_entry.admin_user_id = ?) AND \
                  manual_entry.task_id = ?) AND manual_entry.deleted_at IS NULL)";
    let binds = vec![
        Value::from(p.tenant),
        Value::from(assignee),
        Value::from(-1),
    ];
    let total: Option<i64> = conn
        .exec_first(
            format!("SELECT COUNT(*) FROM manual_entry {filter}"),
            binds.clone(),
        )
        .await?;
    if total.unwrap_or(0) == 0 {
        return Ok(0);
    }
    let mut binds = binds;
    binds.extend([Value::from(PAGE_LIMIT), Value::from(0)]);
    let found = rows(
        conn,
        &format!(
            "SELECT {MANUAL_COLUMNS} FROM manual_entry {filter} ORDER BY manual_entry.order_num \
             ASC, manual_entry.id ASC LIMIT ? OFFSET ?"
        ),
        binds,
    )
    .await?;
    Ok(found.len())
}

/// The chat keys of scrm-redis (`keys.rs`): the index and the bodies of a conversation.
fn chat_keys(prefix: &str, c: &Conversation) -> (String, String) {
    let tag = format!("{{{}:{}}}", c.wechat_user_id, c.wechat_contact_id);
    (
        format!("{prefix}:chat:{tag}:idx"),
        format!("{prefix}:chat:{tag}:msg"),
    )
}

async fn message_page(
    conn: &mut Conn,
    redis: &mut redis::aio::MultiplexedConnection,
    p: &Params,
    conversations: &[Conversation],
) -> anyhow::Result<usize> {
    let mut users: Vec<i64> = conversations.iter().map(|c| c.wechat_user_id).collect();
    let mut contacts: Vec<i64> = conversations.iter().map(|c| c.wechat_contact_id).collect();
    users.sort_unstable();
    users.dedup();
    contacts.sort_unstable();
    contacts.dedup();
    let mut binds = vec![Value::from(p.tenant)];
    binds.extend(contacts.iter().map(|i| Value::from(*i)));
    binds.extend(users.iter().map(|i| Value::from(*i)));
    let found = rows(
        conn,
        &format!(
            "SELECT wechat_contact.wechat_user_id, wechat_contact.id FROM wechat_contact WHERE \
             ((wechat_contact.tenant_id = ? AND wechat_contact.id IN ({})) AND \
             wechat_contact.wechat_user_id IN ({}))",
            marks(contacts.len()),
            marks(users.len())
        ),
        binds,
    )
    .await?;
    let convs: Vec<Conversation> = found
        .iter()
        .filter_map(|r| {
            Some(Conversation {
                wechat_user_id: r.get(0)?,
                wechat_contact_id: r.get(1)?,
            })
        })
        .collect();
    let keys: Vec<(String, String)> = convs
        .iter()
        .map(|c| chat_keys(&p.redis_prefix, c))
        .collect();
    let mut pipe = redis::pipe();
    for (index, _) in &keys {
        pipe.cmd("ZCOUNT").arg(index).arg("-inf").arg("+inf");
    }
    let counts: Vec<u64> = pipe.query_async(redis).await?;
    let mut pipe = redis::pipe();
    let mut fetched = Vec::new();
    for (conv, ((index, _), count)) in keys.iter().zip(&counts).enumerate() {
        if *count == 0 {
            continue;
        }
        pipe.cmd("ZRANGE")
            .arg(index)
            .arg("+inf")
            .arg("-inf")
            .arg("BYSCORE")
            .arg("REV")
            .arg("LIMIT")
            .arg(0)
            .arg(PAGE_LIMIT.min(*count))
            .arg("WITHSCORES");
        fetched.push(conv);
    }
    let ids: Vec<Vec<(String, f64)>> = pipe.query_async(redis).await?;
    let mut candidates: Vec<(i64, String, usize)> = fetched
        .into_iter()
        .zip(ids)
        .flat_map(|(conv, ids)| ids.into_iter().map(move |(id, s)| (s as i64, id, conv)))
        .collect();
    candidates.sort_unstable_by(|a, b| b.cmp(a));
    candidates.truncate(usize::try_from(PAGE_LIMIT).unwrap_or(usize::MAX));
    let mut pipe = redis::pipe();
    for (conv, (_, bodies)) in keys.iter().enumerate() {
        let wanted: Vec<&str> = candidates
            .iter()
            .filter(|c| c.2 == conv)
            .map(|c| c.1.as_str())
            .collect();
        if !wanted.is_empty() {
            pipe.cmd("HMGET").arg(bodies).arg(wanted);
        }
    }
    let bodies: Vec<Vec<Option<Vec<u8>>>> = pipe.query_async(redis).await?;
    Ok(bodies.iter().flatten().flatten().count())
}

/// Runs one operation of a floor; returns the rows (or messages) it produced.
///
/// # Errors
/// A failed statement or Redis command.
pub async fn run_once(
    floor: &Floor,
    login: Login,
    p: &Params,
    conn: &mut Conn,
    redis: &mut redis::aio::MultiplexedConnection,
) -> anyhow::Result<usize> {
    Ok(match floor {
        Floor::CallByPhone { digits } => call_by_phone(conn, p, digits).await?,
        Floor::CustomerPage { filter, page_no } => {
            customer_page(conn, p, login, filter, *page_no).await?
        }
        Floor::ManualList => manual_list(conn, p).await?,
        Floor::ManualDetail { assignee } => manual_detail(conn, p, *assignee).await?,
        Floor::MessagePage { conversations } => message_page(conn, redis, p, conversations).await?,
        Floor::Export => anyhow::bail!("the export floor runs `mariadb --batch`, not this"),
    })
}

/// The export's query for `mariadb --batch`: every live customer of the tenant with what the
/// CSV shows (contact, WeChat account, form of address, tag names), newest first.
pub fn export_sql(p: &Params) -> String {
    format!(
        "SELECT {RECORD_COLUMNS}, wechat_user.nick_name, contact_nick_name.nick_name, \
         (SELECT GROUP_CONCAT(tag.name ORDER BY tag.id) FROM contact_tag INNER JOIN tag ON \
         tag.id = contact_tag.tag_id WHERE contact_tag.tenant_id = {t} AND tag.tenant_id = {t} \
         AND contact_tag.contact_id = customer.wechat_contact_id) \
         {CUSTOMER_FROM} LEFT JOIN wechat_user ON wechat_user.id = customer.wechat_user_id \
         LEFT JOIN contact_nick_name ON contact_nick_name.tenant_id = {t} AND \
         contact_nick_name.wechat_contact_id = customer.wechat_contact_id \
         WHERE customer.tenant_id = {t} AND customer.deleted_at IS NULL \
         ORDER BY customer.create_time DESC, customer.id DESC",
        t = p.tenant
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_and_patterns() {
        assert_eq!(format_cn("13912345678"), "+86 139 1234 5678");
        assert_eq!(contains("王_1%!"), "%王!_1!%!!%");
        assert_eq!(enc("+86 王-1"), "%2B86%20%E7%8E%8B%2D1");
    }

    #[test]
    fn every_case_number_is_covered_with_main_and_sub_scopes() {
        let p = Params::example();
        let cases = cases(&p);
        let mut groups: Vec<u8> = cases.iter().map(|c| c.group).collect();
        groups.dedup();
        assert_eq!(groups, (1..=10).collect::<Vec<u8>>());
        let sub = cases.iter().filter(|c| c.login == Login::Sub).count();
        assert_eq!(sub, 1);
        let deep = cases.iter().find(|c| c.group == 6).map(|c| c.path.clone());
        assert_eq!(
            deep.as_deref(),
            Some("/wechat_api/customer/customerPage?pageNo=7&limit=20")
        );
    }

    #[test]
    fn filters_bind_one_value_per_placeholder() {
        let p = Params::example();
        for f in [
            Filter::None,
            Filter::Name("王".into()),
            Filter::Name("諸葛亮".into()),
            Filter::PhoneDigits("1234".into()),
            Filter::Tag(5),
        ] {
            for login in [Login::Main, Login::Sub] {
                for plan in [Plan::Narrow, Plan::Walk] {
                    let (sql, binds) = live_filtered(&p, login, &f, plan);
                    assert_eq!(sql.matches('?').count(), binds.len(), "{sql}");
                }
            }
        }
        let (sql, _) = live_filtered(&p, Login::Sub, &Filter::Tag(5), Plan::Narrow);
        assert!(sql.contains("customer.admin_user_id = ?"), "{sql}");
        assert!(sql.contains("contact_tag.admin_user_id = ?"), "{sql}");
        assert!(sql.starts_with("FROM customer WHERE"), "{sql}");
        let (sql, _) = live_filtered(&p, Login::Sub, &Filter::Tag(5), Plan::Walk);
        assert!(sql.contains("contact_tag.tag_id IN (5)) > 0"), "{sql}");
        // A walk reads the names; one character of grams decides alone; three do not.
        let (sql, _) = live_filtered(&p, Login::Sub, &Filter::Name("王".into()), Plan::Walk);
        assert!(sql.starts_with(CUSTOMER_FROM), "{sql}");
        assert!(sql.contains("wechat_contact.remark_name LIKE ?"), "{sql}");
        let (sql, _) = live_filtered(&p, Login::Main, &Filter::Name("王".into()), Plan::Narrow);
        assert!(sql.starts_with("FROM customer WHERE"), "{sql}");
        assert!(sql.contains("customer_name_gram.gram LIKE ?"), "{sql}");
        let phone = Filter::PhoneDigits("5678".into());
        let (sql, _) = live_filtered(&p, Login::Main, &phone, Plan::Narrow);
        assert_eq!(
            sql.matches("customer_phone_gram.gram = ?").count(),
            2,
            "{sql}"
        );
        assert!(sql.contains("customer.phone_digits LIKE ?"), "{sql}");
        let (sql, _) = live_filtered(&p, Login::Main, &phone, Plan::Walk);
        assert!(!sql.contains("customer_phone_gram"), "{sql}");
        let (sql, _) = live_filtered(
            &p,
            Login::Main,
            &Filter::Name("諸葛亮".into()),
            Plan::Narrow,
        );
        assert!(sql.starts_with(CUSTOMER_FROM), "{sql}");
        assert_eq!(
            sql.matches("customer_name_gram.gram = ?").count(),
            2,
            "{sql}"
        );
    }
}
