//! Assembles `CustomerRecord`s for a list of ids: the rows joined to their contact in one
//! query, then tags, forms of address and WeChat nick names in one query each.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
use scrm_domain::customer::CustomerRecord;
use scrm_domain::{AdminUserId, ContactId, CustomerId, Scope, TagId, WechatUserId};

use crate::db_time::from_db;
use crate::expr::ids_in;
use crate::rows::Xfields;
use crate::schema::{customer, wechat_contact};
use crate::scope::customer_scope;
use crate::tags_and_nick_names::{nick_names_of, tags_of, wechat_user_nicks};

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

/// The records of `ids` (within the scope), in the order of `ids`.
pub(super) async fn load_records(
    conn: &mut AsyncMysqlConnection,
    scope: &Scope,
    ids: &[i64],
) -> QueryResult<Vec<CustomerRecord>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: Vec<CustomerRow> = customer::table
        .inner_join(wechat_contact::table)
        .filter(customer_scope(scope))
        .filter(ids_in(customer::id, ids))
        .select(CustomerRow::as_select())
        .load(conn)
        .await?;
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
                xfields: r.xfields.into_array(),
                is_cust: r.is_cust,
                create_time: from_db(r.create_time),
                last_update_time: from_db(r.last_update_time),
                tags: tag_set.ids.into_iter().map(TagId).collect(),
                tag_names: tag_set.names,
                contact_nick_name: r.contact.nick_name,
                remark_name: r.contact.remark_name,
                head_img_url: r.contact.head_img_url,
                is_star: r.contact.is_star,
                wechat_user_nick_name: wechat_nicks.get(&r.wechat_user_id).cloned().flatten(),
                customer_nick_name: nicks.remove(&r.wechat_contact_id).flatten(),
                deleted_at: r.deleted_at.map(from_db),
            }
        })
        .collect())
}
