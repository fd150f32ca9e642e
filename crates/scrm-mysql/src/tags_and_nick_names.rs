//! The tags (with their names) and forms of address shown beside listed contacts: each
//! contact's tags and its form of address (`contact_nick_name`), loaded for a whole page in
//! one query each (chunked for very long lists). Customers read theirs in their records'
//! statement (`customers/records.rs`).

use std::collections::HashMap;

use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
use scrm_domain::Scope;

use crate::expr::ids_in;
use crate::id_lists::{IN_CHUNK, unique};
use crate::schema::{contact_nick_name, contact_tag, tag};
use crate::scope::contact_tag_scope;

/// A contact's tags, ascending by id, with their names.
#[derive(Debug, Clone, Default)]
pub(crate) struct TagSet {
    pub ids: Vec<i64>,
    pub names: Vec<String>,
}

/// Tags of the given contacts, within the scope.
pub(crate) async fn tags_of(
    conn: &mut AsyncMysqlConnection,
    scope: &Scope,
    contact_ids: &[i64],
) -> QueryResult<HashMap<i64, TagSet>> {
    let mut out: HashMap<i64, TagSet> = HashMap::new();
    for chunk in unique(contact_ids.iter().copied()).chunks(IN_CHUNK) {
        let rows: Vec<(i64, i64, Option<String>)> = contact_tag::table
            .inner_join(tag::table)
            .filter(contact_tag_scope(scope))
            .filter(tag::tenant_id.eq(scope.tenant.0))
            .filter(ids_in(contact_tag::contact_id, chunk))
            .select((contact_tag::contact_id, tag::id, tag::name))
            .order((contact_tag::contact_id, tag::id))
            .load(conn)
            .await?;
        for (contact, tag_id, name) in rows {
            let set = out.entry(contact).or_default();
            set.ids.push(tag_id);
            set.names.push(name.unwrap_or_default());
        }
    }
    Ok(out)
}

/// The form of address (`contact_nick_name.nick_name`) of the given contacts.
pub(crate) async fn nick_names_of(
    conn: &mut AsyncMysqlConnection,
    scope: &Scope,
    contact_ids: &[i64],
) -> QueryResult<HashMap<i64, Option<String>>> {
    let mut out = HashMap::new();
    for chunk in unique(contact_ids.iter().copied()).chunks(IN_CHUNK) {
        let rows: Vec<(i64, Option<String>)> = contact_nick_name::table
            .filter(contact_nick_name::tenant_id.eq(scope.tenant.0))
            .filter(ids_in(contact_nick_name::wechat_contact_id, chunk))
            .select((
                contact_nick_name::wechat_contact_id,
                contact_nick_name::nick_name,
            ))
            .load(conn)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}
