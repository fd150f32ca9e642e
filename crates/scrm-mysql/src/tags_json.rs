//! A contact's tags in scope as one JSON column beside its row: a correlated
//! `JSON_ARRAYAGG` subquery, so that customers' records (`customers/records.rs`) and the
//! contact lists (`contacts.rs`) come with their tags in the statement that reads them.

use diesel::expression::{
    AppearsOnTable, Expression, SelectableExpression, ValidGrouping, is_aggregate,
};
use diesel::mysql::Mysql;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::result::QueryResult;
use diesel::sql_types::{BigInt, Nullable, Text};
use scrm_domain::{OwnerFilter, Scope};

/// The row whose contact's tags are aggregated.
#[derive(Debug, Clone, Copy)]
pub(crate) enum TagsOf {
    /// A `customer` row: its `wechat_contact_id`.
    Customer,
    /// A `wechat_contact` row: its `id`.
    Contact,
}

/// The contact's tags within the scope, ascending by id, as `[[id, name], ..]` (`NULL` when
/// it has none): a correlated subquery of the row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TagsJson {
    tenant: i64,
    /// `contact_tag.tenant_id` or `contact_tag.admin_user_id`, and its value.
    owner: (&'static str, i64),
    /// The outer row's column holding the contact's id.
    contact: &'static str,
}

pub(crate) fn tags_json(scope: &Scope, of: TagsOf) -> TagsJson {
    let owner = match scope.owner_filter() {
        OwnerFilter::Tenant(t) => ("tenant_id", t.0),
        OwnerFilter::Account(a) => ("admin_user_id", a.0),
    };
    TagsJson {
        tenant: scope.tenant.0,
        owner,
        contact: match of {
            TagsOf::Customer => "customer.wechat_contact_id",
            TagsOf::Contact => "wechat_contact.id",
        },
    }
}

impl Expression for TagsJson {
    type SqlType = Nullable<Text>;
}

impl<QS> AppearsOnTable<QS> for TagsJson {}

impl<QS> SelectableExpression<QS> for TagsJson {}

impl<GB> ValidGrouping<GB> for TagsJson {
    type IsAggregate = is_aggregate::No;
}

impl QueryFragment<Mysql> for TagsJson {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Mysql>) -> QueryResult<()> {
        out.push_sql(
            "(SELECT JSON_ARRAYAGG(JSON_ARRAY(tag.id, tag.name) ORDER BY tag.id) FROM \
             contact_tag INNER JOIN tag ON tag.id = contact_tag.tag_id WHERE \
             contact_tag.contact_id = ",
        );
        out.push_sql(self.contact);
        out.push_sql(" AND tag.tenant_id = ");
        out.push_bind_param::<BigInt, _>(&self.tenant)?;
        out.push_sql(" AND contact_tag.");
        out.push_sql(self.owner.0);
        out.push_sql(" = ");
        out.push_bind_param::<BigInt, _>(&self.owner.1)?;
        out.push_sql(")");
        Ok(())
    }
}

impl QueryId for TagsJson {
    type QueryId = ();
    // The owner and contact columns differ between uses: never cache by type.
    const HAS_STATIC_QUERY_ID: bool = false;
}

/// The tags a [`TagsJson`] column holds, as `(id, name)` in its order (none for `NULL`).
pub(crate) fn decode(json: Option<String>) -> QueryResult<Vec<(i64, Option<String>)>> {
    match json {
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e))),
        None => Ok(Vec::new()),
    }
}
