//! Assembles `CustomerRecord`s for a list of ids: the rows joined to their contact in one
//! query, then tags, forms of address and WeChat nick names in one query each.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
use scrm_domain::customer::CustomerRecord;
use scrm_domain::{AdminUserId, ContactId, CustomerId, Scope, TagId, WechatUserId};

use crate::expr::ids_in;
use crate::schema::{customer, wechat_contact};
use crate::side::{nick_names_of, tags_of, wechat_user_nicks};
use crate::support::{customer_scope, from_db};

/// A customer row with what the lists show of its contact.
struct CustomerJoined {
    id: i64,
    wechat_contact_id: i64,
    wechat_user_id: i64,
    admin_user_id: i64,
    customer_name: Option<String>,
    customer_phone: Option<String>,
    nick_name: Option<String>,
    remarks: Option<String>,
    xfields: [Option<String>; 10],
    is_cust: i32,
    create_time: chrono::NaiveDateTime,
    last_update_time: chrono::NaiveDateTime,
    deleted_at: Option<chrono::NaiveDateTime>,
    contact_nick_name: Option<String>,
    remark_name: Option<String>,
    head_img_url: Option<String>,
    is_star: i32,
}

type XfieldTuple = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

type JoinedTuple = (
    (i64, i64, i64, i64),
    (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ),
    XfieldTuple,
    (
        i32,
        chrono::NaiveDateTime,
        chrono::NaiveDateTime,
        Option<chrono::NaiveDateTime>,
    ),
    (Option<String>, Option<String>, Option<String>, i32),
);

impl From<JoinedTuple> for CustomerJoined {
    fn from(t: JoinedTuple) -> Self {
        let ((id, wechat_contact_id, wechat_user_id, admin_user_id), texts, x, times, contact) = t;
        Self {
            id,
            wechat_contact_id,
            wechat_user_id,
            admin_user_id,
            customer_name: texts.0,
            customer_phone: texts.1,
            nick_name: texts.2,
            remarks: texts.3,
            xfields: [x.0, x.1, x.2, x.3, x.4, x.5, x.6, x.7, x.8, x.9],
            is_cust: times.0,
            create_time: times.1,
            last_update_time: times.2,
            deleted_at: times.3,
            contact_nick_name: contact.0,
            remark_name: contact.1,
            head_img_url: contact.2,
            is_star: contact.3,
        }
    }
}

/// The records of `ids` (within the scope), in the order of `ids`.
pub(super) async fn load_records(
    conn: &mut AsyncMysqlConnection,
    scope: &Scope,
    ids: &[i64],
) -> QueryResult<Vec<CustomerRecord>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<JoinedTuple> = customer::table
        .inner_join(wechat_contact::table)
        .filter(customer_scope(scope))
        .filter(ids_in(customer::id, ids))
        .select((
            (
                customer::id,
                customer::wechat_contact_id,
                customer::wechat_user_id,
                customer::admin_user_id,
            ),
            (
                customer::customer_name,
                customer::customer_phone,
                customer::nick_name,
                customer::remarks,
            ),
            (
                customer::xfield1,
                customer::xfield2,
                customer::xfield3,
                customer::xfield4,
                customer::xfield5,
                customer::xfield6,
                customer::xfield7,
                customer::xfield8,
                customer::xfield9,
                customer::xfield10,
            ),
            (
                customer::is_cust,
                customer::create_time,
                customer::last_update_time,
                customer::deleted_at,
            ),
            (
                wechat_contact::nick_name,
                wechat_contact::remark_name,
                wechat_contact::head_img_url,
                wechat_contact::is_star,
            ),
        ))
        .load(conn)
        .await?;
    let mut rows: Vec<CustomerJoined> = rows.into_iter().map(CustomerJoined::from).collect();
    let order: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    rows.sort_by_key(|r| order.get(&r.id).copied());
    let contact_ids: Vec<i64> = rows.iter().map(|r| r.wechat_contact_id).collect();
    let wechat_ids: Vec<i64> = rows.iter().map(|r| r.wechat_user_id).collect();
    let mut tags = tags_of(conn, scope, &contact_ids).await?;
    let mut nicks = nick_names_of(conn, scope, &contact_ids).await?;
    let wechat_nicks = wechat_user_nicks(conn, scope, &wechat_ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let tag_set = tags.remove(&r.wechat_contact_id).unwrap_or_default();
            CustomerRecord {
                id: CustomerId(r.id),
                wechat_contact_id: ContactId(r.wechat_contact_id),
                wechat_user_id: WechatUserId(r.wechat_user_id),
                admin_user_id: AdminUserId(r.admin_user_id),
                customer_name: r.customer_name,
                customer_phone: r.customer_phone,
                nick_name: r.nick_name,
                remarks: r.remarks,
                xfields: r.xfields,
                is_cust: r.is_cust,
                create_time: from_db(r.create_time),
                last_update_time: from_db(r.last_update_time),
                tags: tag_set.ids.into_iter().map(TagId).collect(),
                tag_names: tag_set.names,
                contact_nick_name: r.contact_nick_name,
                remark_name: r.remark_name,
                head_img_url: r.head_img_url,
                is_star: r.is_star,
                wechat_user_nick_name: wechat_nicks.get(&r.wechat_user_id).cloned().flatten(),
                customer_nick_name: nicks.remove(&r.wechat_contact_id).flatten(),
                deleted_at: r.deleted_at.map(from_db),
            }
        })
        .collect())
}
