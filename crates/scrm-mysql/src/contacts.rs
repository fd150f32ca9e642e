//! `ContactRepository` on MySQL: contacts with their WeChat account, form of address and
//! tags (one statement), lookup by tags, the forms of address (upserted all or nothing) and
//! the conversations of a scope.

use async_trait::async_trait;
use diesel::mysql::Mysql;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use scrm_domain::contact::{
    ContactProfile, ContactRecord, ContactRepository, ContactTagQuery, NickNameInput,
};
use scrm_domain::message::Conversation;
use scrm_domain::search::TagMode;
use scrm_domain::{AdminUserId, ContactId, Scope, StoreError, TagId, WechatUserId};

use crate::MySql;
use crate::db_time::from_db;
use crate::expr::{ids_in, renew};
use crate::id_lists::{IN_CHUNK, unique};
use crate::schema::{contact_nick_name, contact_tag, wechat_contact, wechat_user};
use crate::scope::{contact_scope, contact_tag_scope};
use crate::tags_json::{TagsOf, decode, tags_json};

/// A stored contact with what the lookups show of its WeChat account.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = wechat_contact, check_for_backend(diesel::mysql::Mysql))]
struct ContactRow {
    id: i64,
    wechat_user_id: i64,
    admin_user_id: i64,
    create_time: chrono::NaiveDateTime,
    uin: Option<String>,
    user_name: Option<String>,
    nick_name: Option<String>,
    remark_name: Option<String>,
    alias: Option<String>,
    sex: Option<String>,
    head_img_url: Option<String>,
    province: Option<String>,
    city: Option<String>,
    py_initial: Option<String>,
    py_quan_pin: Option<String>,
    remark_py_initial: Option<String>,
    remark_py_quan_pin: Option<String>,
    verify_flag: Option<String>,
    contact_flag: Option<String>,
    contact_type: i32,
    is_delete: i32,
    is_saving: i32,
    is_star: i32,
    #[diesel(embed)]
    account: AccountNames,
}

/// The names of a contact's WeChat account.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = wechat_user, check_for_backend(diesel::mysql::Mysql))]
struct AccountNames {
    user_name: Option<String>,
    nick_name: Option<String>,
    uin: Option<String>,
}

/// A contact with its WeChat account, and its form of address in the scope's tenant.
type Source = diesel::dsl::LeftJoinOn<
    diesel::dsl::InnerJoin<wechat_contact::table, wechat_user::table>,
    contact_nick_name::table,
    diesel::dsl::And<
        diesel::dsl::Eq<contact_nick_name::wechat_contact_id, wechat_contact::id>,
        diesel::dsl::Eq<contact_nick_name::tenant_id, i64>,
    >,
>;

fn in_scope<'a>(scope: &Scope) -> diesel::dsl::IntoBoxed<'a, Source, Mysql> {
    wechat_contact::table
        .inner_join(wechat_user::table)
        .left_join(
            contact_nick_name::table.on(contact_nick_name::wechat_contact_id
                .eq(wechat_contact::id)
                .and(contact_nick_name::tenant_id.eq(scope.tenant.0))),
        )
        .into_boxed::<Mysql>()
        .filter(contact_scope(scope))
}

/// A contact as read: the row, its form of address, its tags as a JSON array of
/// `[id, name]`.
type Joined = (ContactRow, Option<String>, Option<String>);

/// Reads the contacts of a query of [`in_scope`] with their forms of address and tags, in
/// one statement (the tags a correlated subquery, as for customers' records).
/// The contact `id` as the scope sees it (`ContactRepository::find`), on `conn`: also inside
/// a customer's save transaction.
pub(crate) async fn find_in(
    conn: &mut AsyncMysqlConnection,
    scope: &Scope,
    id: ContactId,
) -> QueryResult<Option<ContactRecord>> {
    let found = load(
        conn,
        scope,
        in_scope(scope).filter(wechat_contact::id.eq(id.0)),
    )
    .await?;
    Ok(found.into_iter().next())
}

async fn load<'a>(
    conn: &mut AsyncMysqlConnection,
    scope: &Scope,
    query: diesel::dsl::IntoBoxed<'a, Source, Mysql>,
) -> QueryResult<Vec<ContactRecord>> {
    let rows: Vec<Joined> = query
        .select((
            ContactRow::as_select(),
            contact_nick_name::nick_name.nullable(),
            tags_json(scope, TagsOf::Contact),
        ))
        .load(conn)
        .await?;
    rows.into_iter().map(record).collect()
}

/// A joined row as a record; its tags decoded.
fn record((r, form_of_address, tags): Joined) -> QueryResult<ContactRecord> {
    Ok(ContactRecord {
        id: ContactId(r.id),
        wechat_user_id: WechatUserId(r.wechat_user_id),
        admin_user_id: AdminUserId(r.admin_user_id),
        profile: ContactProfile {
            uin: r.uin,
            user_name: r.user_name,
            nick_name: r.nick_name,
            remark_name: r.remark_name,
            alias: r.alias,
            sex: r.sex,
            head_img_url: r.head_img_url,
            province: r.province,
            city: r.city,
            py_initial: r.py_initial,
            py_quan_pin: r.py_quan_pin,
            remark_py_initial: r.remark_py_initial,
            remark_py_quan_pin: r.remark_py_quan_pin,
            verify_flag: r.verify_flag,
            contact_flag: r.contact_flag,
            contact_type: r.contact_type,
            is_delete: r.is_delete,
            is_saving: r.is_saving,
            is_star: r.is_star,
        },
        tags: decode(tags)?.into_iter().map(|(id, _)| TagId(id)).collect(),
        create_time: from_db(r.create_time),
        wechat_user_name: r.account.user_name,
        wechat_user_nick_name: r.account.nick_name,
        wechat_user_uin: r.account.uin,
        customer_nick_name: form_of_address,
    })
}

/// The contacts of the scope that `query` asks for.
fn by_tags<'a>(
    scope: &Scope,
    query: &ContactTagQuery,
) -> diesel::dsl::IntoBoxed<'a, Source, Mysql> {
    let mut q = in_scope(scope);
    let tags = unique(query.tag_ids.iter().map(|t| t.0));
    let tagged = |ids: Vec<i64>| {
        contact_tag::table
            .filter(contact_tag_scope(scope))
            .filter(contact_tag::tag_id.eq_any(ids))
            .select(contact_tag::contact_id)
    };
    if !tags.is_empty() {
        match query.tag_mode {
            TagMode::Any => q = q.filter(wechat_contact::id.eq_any(tagged(tags))),
            TagMode::All => {
                for tag in tags {
                    q = q.filter(wechat_contact::id.eq_any(tagged(vec![tag])));
                }
            }
            TagMode::None => {
                q = q.filter(diesel::dsl::not(wechat_contact::id.eq_any(tagged(tags))));
            }
        }
    }
    if !query.include_offline {
        q = q.filter(wechat_user::is_online.eq(1));
    }
    if let Some(w) = query.wechat_user_id {
        q = q.filter(wechat_contact::wechat_user_id.eq(w.0));
    }
    q
}

#[async_trait]
impl ContactRepository for MySql {
    async fn find(
        &self,
        scope: &Scope,
        id: ContactId,
    ) -> Result<Option<ContactRecord>, StoreError> {
        self.read("find contact", async |c| find_in(c, scope, id).await)
            .await
    }

    async fn find_by_tags(
        &self,
        scope: &Scope,
        query: &ContactTagQuery,
    ) -> Result<Vec<ContactRecord>, StoreError> {
        self.read("contacts by tags", async |c| {
            load(c, scope, by_tags(scope, query).order(wechat_contact::id)).await
        })
        .await
    }

    async fn by_ids(
        &self,
        scope: &Scope,
        ids: &[ContactId],
    ) -> Result<Vec<ContactRecord>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let wanted: Vec<i64> = ids.iter().map(|i| i.0).collect();
        let mut found = self
            .read("contacts by id", async |c| {
                let mut found = Vec::with_capacity(wanted.len());
                for chunk in unique(wanted.iter().copied()).chunks(IN_CHUNK) {
                    let chunk = in_scope(scope).filter(ids_in(wechat_contact::id, chunk));
                    found.extend(load(c, scope, chunk).await?);
                }
                Ok(found)
            })
            .await?;
        // In the order given.
        let position: std::collections::HashMap<i64, usize> = wanted
            .iter()
            .enumerate()
            .map(|(i, id)| (*id, i))
            .rev()
            .collect();
        found.sort_by_key(|r| position.get(&r.id.0).copied());
        Ok(found)
    }

    async fn save_nick_names(
        &self,
        scope: &Scope,
        items: &[NickNameInput],
    ) -> Result<Option<ContactId>, StoreError> {
        if items.is_empty() {
            return Ok(None);
        }
        self.write("save nick names", async |c| {
            c.transaction(async |c| save_nick_names_in(c, scope, items).await)
                .await
        })
        .await
    }

    async fn conversations(
        &self,
        scope: &Scope,
        wechat_user_ids: &[WechatUserId],
        contact_ids: &[ContactId],
    ) -> Result<Vec<Conversation>, StoreError> {
        if contact_ids.is_empty() {
            return Ok(Vec::new());
        }
        self.read("conversations", async |c| {
            conversations_in(c, scope, wechat_user_ids, contact_ids).await
        })
        .await
    }
}

/// The (WeChat account, contact) pairs of the scope among `contact_ids`, restricted to
/// `wechat_user_ids` when not empty, ordered. Long lists go in chunks of `IN_CHUNK`; a list
/// of accounts longer than that is applied here rather than in SQL.
async fn conversations_in(
    conn: &mut AsyncMysqlConnection,
    scope: &Scope,
    wechat_user_ids: &[WechatUserId],
    contact_ids: &[ContactId],
) -> QueryResult<Vec<Conversation>> {
    let users = unique(wechat_user_ids.iter().map(|w| w.0));
    let contacts = unique(contact_ids.iter().map(|c| c.0));
    let mut out = Vec::new();
    for chunk in contacts.chunks(IN_CHUNK) {
        let mut q = wechat_contact::table
            .into_boxed::<Mysql>()
            .filter(contact_scope(scope))
            .filter(ids_in(wechat_contact::id, chunk));
        if !users.is_empty() && users.len() <= IN_CHUNK {
            q = q.filter(ids_in(wechat_contact::wechat_user_id, &users));
        }
        let rows: Vec<(i64, i64)> = q
            .select((wechat_contact::wechat_user_id, wechat_contact::id))
            .load(conn)
            .await?;
        out.extend(
            rows.into_iter()
                .filter(|(user, _)| users.is_empty() || users.binary_search(user).is_ok())
                .map(|(user, contact)| Conversation {
                    wechat_user_id: WechatUserId(user),
                    wechat_contact_id: ContactId(contact),
                }),
        );
    }
    out.sort_unstable();
    Ok(out)
}

#[derive(Insertable)]
#[diesel(table_name = contact_nick_name)]
struct NickNameRow<'a> {
    wechat_contact_id: i64,
    tenant_id: i64,
    cust_name: Option<&'a str>,
    nick_name: Option<&'a str>,
}

async fn save_nick_names_in(
    c: &mut AsyncMysqlConnection,
    scope: &Scope,
    items: &[NickNameInput],
) -> QueryResult<Option<ContactId>> {
    let ids = unique(items.iter().map(|i| i.wechat_contact_id.0));
    let mut tenants = std::collections::HashMap::new();
    for chunk in ids.chunks(IN_CHUNK) {
        let rows: Vec<(i64, i64)> = wechat_contact::table
            .filter(contact_scope(scope))
            .filter(wechat_contact::id.eq_any(chunk))
            .select((wechat_contact::id, wechat_contact::tenant_id))
            .load(c)
            .await?;
        tenants.extend(rows);
    }
    let mut rows = Vec::with_capacity(items.len());
    for item in items {
        let Some(tenant) = tenants.get(&item.wechat_contact_id.0) else {
            return Ok(Some(item.wechat_contact_id));
        };
        rows.push(NickNameRow {
            wechat_contact_id: item.wechat_contact_id.0,
            tenant_id: *tenant,
            cust_name: item.cust_name.as_deref(),
            nick_name: item.nick_name.as_deref(),
        });
    }
    for chunk in rows.chunks(500) {
        diesel::insert_into(contact_nick_name::table)
            .values(chunk)
            .on_conflict(diesel::dsl::DuplicatedKeys)
            .do_update()
            .set((
                renew(contact_nick_name::tenant_id),
                renew(contact_nick_name::cust_name),
                renew(contact_nick_name::nick_name),
            ))
            .execute(c)
            .await?;
    }
    Ok(None)
}
