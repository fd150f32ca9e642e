//! Rows and SQL functions shared by the repositories.

use diesel::prelude::*;
use scrm_domain::customer::XFIELDS;

use crate::schema::{contact_tag, customer, wechat_contact};

diesel::define_sql_function! {
    /// `LAST_INSERT_ID()`: the id of the first row of the last INSERT on this connection.
    fn last_insert_id() -> diesel::sql_types::Unsigned<diesel::sql_types::BigInt>;
}

/// The owner columns of a contact, copied into the rows that hang off it.
#[derive(Debug, Clone, Copy, Queryable, Selectable)]
#[diesel(table_name = wechat_contact, check_for_backend(diesel::mysql::Mysql))]
pub(crate) struct ContactOwner {
    pub id: i64,
    pub tenant_id: i64,
    pub admin_user_id: i64,
    pub wechat_user_id: i64,
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

/// `xfield1`..`xfield10` of a customer, embedded in the rows that read, insert or change them:
/// `Xfields<String>` as read, `Xfields<&str>` as inserted, `Xfields<Option<&str>>` as changed
/// (`None` leaves a column alone, `Some(None)` clears it).
#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = customer, treat_none_as_default_value = false)]
pub(crate) struct Xfields<T> {
    xfield1: Option<T>,
    xfield2: Option<T>,
    xfield3: Option<T>,
    xfield4: Option<T>,
    xfield5: Option<T>,
    xfield6: Option<T>,
    xfield7: Option<T>,
    xfield8: Option<T>,
    xfield9: Option<T>,
    xfield10: Option<T>,
}

impl<T> Xfields<T> {
    /// The fields from their values in order (`value(0)` is `xfield1`).
    pub(crate) fn from_fn(mut value: impl FnMut(usize) -> Option<T>) -> Self {
        Self {
            xfield1: value(0),
            xfield2: value(1),
            xfield3: value(2),
            xfield4: value(3),
            xfield5: value(4),
            xfield6: value(5),
            xfield7: value(6),
            xfield8: value(7),
            xfield9: value(8),
            xfield10: value(9),
        }
    }

    /// The values in order.
    pub(crate) fn into_array(self) -> [Option<T>; XFIELDS] {
        [
            self.xfield1,
            self.xfield2,
            self.xfield3,
            self.xfield4,
            self.xfield5,
            self.xfield6,
            self.xfield7,
            self.xfield8,
            self.xfield9,
            self.xfield10,
        ]
    }
}

/// `Xfields<Option<&str>>` as a changeset: each `Some` sets its column.
macro_rules! xfield_changes {
    ($($col:ident),+) => {
        impl<'a> AsChangeset for Xfields<Option<&'a str>> {
            type Target = customer::table;
            type Changeset = <($(Option<diesel::dsl::Eq<customer::$col, Option<&'a str>>>,)+)
                as AsChangeset>::Changeset;

            fn as_changeset(self) -> Self::Changeset {
                ($(self.$col.map(|v| customer::$col.eq(v)),)+).as_changeset()
            }
        }
    };
}

xfield_changes!(
    xfield1, xfield2, xfield3, xfield4, xfield5, xfield6, xfield7, xfield8, xfield9, xfield10
);
