//! Assembles `CustomerRecord`s (for a list of ids, or a phone's live customers) in one
//! statement: the rows joined to their contact, WeChat account and form of address, the
//! contact's tags aggregated beside each row.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::mysql::Mysql;
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
use scrm_domain::customer::CustomerRecord;
use scrm_domain::{AdminUserId, ContactId, CustomerId, Scope, TagId, WechatUserId};

use crate::db_time::from_db;
use crate::expr::ids_in;
use crate::rows::Xfields;
use crate::schema::{contact_nick_name, customer, wechat_contact, wechat_user};
use crate::scope::{customer_scope, wechat_user_scope};
use crate::tags_json::{TagsOf, decode, tags_json};

/// A customer row with what the lists show of its contact.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = customer, check_for_backend(diesel::mysql::Mysql))]
struct CustomerRow {
    id: i64,
    wechat_contact_id: i64,
    wechat_user_id: i64,
    admin_user_id: i64,
    customer_name: Option<String>,
    customer_phone: Option<String>,
    nick_name: Option<String>,
    remarks: Option<String>,
    #[diesel(embed)]
    xfields: Xfields<String>,
    is_cust: i32,
    create_time: NaiveDateTime,
    last_update_time: NaiveDateTime,
    deleted_at: Option<NaiveDateTime>,
    #[diesel(embed)]
    contact: ContactShown,
}

/// What the lists show of a customer's contact.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = wechat_contact, check_for_backend(diesel::mysql::Mysql))]
struct ContactShown {
    nick_name: Option<String>,
    remark_name: Option<String>,
    head_img_url: Option<String>,
    is_star: i32,
}

/// Which customers to read.
pub(super) enum Which<'a> {
    /// These ids, in this order (rows of other scopes are left out).
    Ids(&'a [i64]),
    /// The live customers with these phone digits, newest first.
    Phone(&'a str),
}

/// A row as read: the customer and its contact, the WeChat account's nick name, the
/// contact's form of address, and its tags as a JSON array of `[id, name]`.
type Joined = (CustomerRow, Option<String>, Option<String>, Option<String>);

/// The records of `which` within the scope, in one statement: the customer joined to its
/// contact, its WeChat account's nick name and the contact's form of address, with the
/// contact's tags aggregated by a correlated subquery (`JSON_ARRAYAGG`, one row per
/// customer). Four round trips became one.
pub(super) async fn load(
    conn: &mut AsyncMysqlConnection,
    scope: &Scope,
    which: Which<'_>,
) -> QueryResult<Vec<CustomerRecord>> {
    if matches!(which, Which::Ids(ids) if ids.is_empty()) {
        return Ok(Vec::new());
    }
    let q = customer::table
        .inner_join(wechat_contact::table)
        .left_join(
            wechat_user::table.on(wechat_user::id
                .eq(customer::wechat_user_id)
                .and(wechat_user_scope(scope))),
        )
        .left_join(
            contact_nick_name::table.on(contact_nick_name::wechat_contact_id
                .eq(customer::wechat_contact_id)
                .and(contact_nick_name::tenant_id.eq(scope.tenant.0))),
        )
        .filter(customer_scope(scope))
        .select((
            CustomerRow::as_select(),
            wechat_user::nick_name.nullable(),
            contact_nick_name::nick_name.nullable(),
            tags_json(scope, TagsOf::Customer),
        ))
        .into_boxed::<Mysql>();
    let rows: Vec<Joined> = match which {
        Which::Ids(ids) => {
            let mut rows: Vec<Joined> = q.filter(ids_in(customer::id, ids)).load(conn).await?;
            let order: HashMap<i64, usize> =
                ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
            rows.sort_by_key(|r| order.get(&r.0.id).copied());
            rows
        }
        Which::Phone(digits) => {
            q.filter(customer::phone_digits.eq(digits))
                .filter(customer::deleted_at.is_null())
                .order((customer::create_time.desc(), customer::id.desc()))
                .load(conn)
                .await?
        }
    };
    rows.into_iter().map(record).collect()
}

/// A joined row as a record; its tags decoded.
fn record((r, wechat_nick, form_of_address, tags): Joined) -> QueryResult<CustomerRecord> {
    let (tags, tag_names) = decode(tags)?
        .into_iter()
        .map(|(id, name)| (TagId(id), name.unwrap_or_default()))
        .unzip();
    Ok(CustomerRecord {
        id: CustomerId(r.id),
        wechat_contact_id: ContactId(r.wechat_contact_id),
        wechat_user_id: WechatUserId(r.wechat_user_id),
        admin_user_id: AdminUserId(r.admin_user_id),
        customer_name: r.customer_name,
        customer_phone: r.customer_phone,
        nick_name: r.nick_name,
        remarks: r.remarks,
        xfields: r.xfields.into_array(),
        is_cust: r.is_cust,
        create_time: from_db(r.create_time),
        last_update_time: from_db(r.last_update_time),
        tags,
        tag_names,
        contact_nick_name: r.contact.nick_name,
        remark_name: r.contact.remark_name,
        head_img_url: r.contact.head_img_url,
        is_star: r.contact.is_star,
        wechat_user_nick_name: wechat_nick,
        customer_nick_name: form_of_address,
        deleted_at: r.deleted_at.map(from_db),
    })
}
