//! What the customer index (crates/scrm-index) reads of contacts for findcontactbytagAll's
//! selection: every contact of a tenant or of some ids, with its owner, WeChat account and
//! tags (`IndexSource::contact_tenant` and `contacts`), and the WeChat accounts' existence and
//! online flag, read at the request (`IndexSource::wechat_accounts`).
//!
//! A contact's tags are its `contact_tag` rows of its own tenant and owner: the rows the
//! tag filter of each scope (`tenant_id = ?` for a main account, `admin_user_id = ?` for a
//! sub-account) finds for it when the copies agree, as every writer keeps them (the customer
//! index reads a customer's tags alike).

use std::collections::HashMap;

use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
use scrm_domain::contact::{AccountState, IndexedContact};
use scrm_domain::{AdminUserId, ContactId, TagId, WechatUserId};

use crate::expr::{Either, IdsIn, ids_in};
use crate::id_lists::{IN_CHUNK, unique};
use crate::index_source::LOAD_CHUNK;
use crate::schema::{contact_tag, wechat_contact, wechat_user};

/// The contacts of a tenant in a range of ids (`Left`) or among some ids (`Right`).
type Which = Either<
    diesel::dsl::And<
        diesel::dsl::And<
            diesel::dsl::Eq<wechat_contact::tenant_id, i64>,
            diesel::dsl::Gt<wechat_contact::id, i64>,
        >,
        diesel::dsl::LtEq<wechat_contact::id, i64>,
    >,
    IdsIn<wechat_contact::id>,
>;

/// The contacts `which` selects, then their tags (the caller reads them in one transaction).
async fn read(
    c: &mut AsyncMysqlConnection,
    which: impl Fn() -> Which,
) -> QueryResult<Vec<IndexedContact>> {
    let rows: Vec<(i64, i64, i64, i64)> = wechat_contact::table
        .filter(which())
        .select((
            wechat_contact::id,
            wechat_contact::tenant_id,
            wechat_contact::admin_user_id,
            wechat_contact::wechat_user_id,
        ))
        .load(c)
        .await?;
    let tags: Vec<(i64, i64)> = contact_tag::table
        .inner_join(wechat_contact::table)
        .filter(which())
        .filter(contact_tag::tenant_id.eq(wechat_contact::tenant_id))
        .filter(contact_tag::admin_user_id.eq(wechat_contact::admin_user_id))
        .select((contact_tag::contact_id, contact_tag::tag_id))
        .load(c)
        .await?;
    let mut by_contact: HashMap<i64, Vec<TagId>> = HashMap::new();
    for (contact, tag) in tags {
        by_contact.entry(contact).or_default().push(TagId(tag));
    }
    Ok(rows
        .into_iter()
        .map(|(id, tenant, owner, wechat)| IndexedContact {
            id: ContactId(id),
            tenant: AdminUserId(tenant),
            owner: AdminUserId(owner),
            wechat_user: WechatUserId(wechat),
            tags: by_contact.remove(&id).unwrap_or_default(),
        })
        .collect())
}

/// Every contact of a tenant (the caller reads it in one transaction), in chunks of
/// [`LOAD_CHUNK`] by id as its customers are: each statement stays well inside the statement
/// time limit on a busy server.
pub(crate) async fn of_tenant(
    c: &mut AsyncMysqlConnection,
    tenant: AdminUserId,
) -> QueryResult<Vec<IndexedContact>> {
    let mut out = Vec::new();
    let mut after = 0_i64;
    loop {
        // The chunk's last id (none: the rest is shorter than a chunk).
        let last: Option<i64> = wechat_contact::table
            .filter(wechat_contact::tenant_id.eq(tenant.0))
            .filter(wechat_contact::id.gt(after))
            .order(wechat_contact::id)
            .offset(i64::try_from(LOAD_CHUNK - 1).unwrap_or(i64::MAX))
            .select(wechat_contact::id)
            .first(c)
            .await
            .optional()?;
        let upto = last.unwrap_or(i64::MAX);
        out.extend(
            read(c, || {
                Either::Left(
                    wechat_contact::tenant_id
                        .eq(tenant.0)
                        .and(wechat_contact::id.gt(after))
                        .and(wechat_contact::id.le(upto)),
                )
            })
            .await?,
        );
        match last {
            Some(l) => after = l,
            None => return Ok(out),
        }
    }
}

/// The contacts among `ids`.
pub(crate) async fn of_ids(
    c: &mut AsyncMysqlConnection,
    ids: &[ContactId],
) -> QueryResult<Vec<IndexedContact>> {
    let ids = unique(ids.iter().map(|i| i.0));
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IN_CHUNK) {
        out.extend(read(c, || Either::Right(ids_in(wechat_contact::id, chunk))).await?);
    }
    Ok(out)
}

/// The WeChat accounts among `ids` that exist, with their online flag.
pub(crate) async fn accounts(
    c: &mut AsyncMysqlConnection,
    ids: &[WechatUserId],
) -> QueryResult<Vec<AccountState>> {
    let ids = unique(ids.iter().map(|i| i.0));
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IN_CHUNK) {
        let rows: Vec<(i64, i32)> = wechat_user::table
            .filter(ids_in(wechat_user::id, chunk))
            .select((wechat_user::id, wechat_user::is_online))
            .load(c)
            .await?;
        out.extend(rows.into_iter().map(|(id, online)| AccountState {
            id: WechatUserId(id),
            online: online == 1,
        }));
    }
    Ok(out)
}
