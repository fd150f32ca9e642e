//! Insertable rows and SQL functions shared by the repositories.

use diesel::prelude::*;

use crate::schema::contact_tag;

diesel::define_sql_function! {
    /// `LAST_INSERT_ID()`: the id of the first row of the last INSERT on this connection.
    fn last_insert_id() -> diesel::sql_types::Unsigned<diesel::sql_types::BigInt>;
}

/// A row of `contact_tag`, with the contact's owner copied in.
#[derive(Debug, Clone, Copy, Insertable)]
#[diesel(table_name = contact_tag)]
pub(crate) struct ContactTagRow {
    pub contact_id: i64,
    pub tag_id: i64,
    pub tenant_id: i64,
    pub admin_user_id: i64,
}
