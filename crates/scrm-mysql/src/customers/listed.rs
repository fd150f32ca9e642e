//! The live customers of a scope matching a filter, in one of two shapes chosen by the filter:
//! on `customer` alone when no filter reads a contact, so counts and deep pages stay on
//! `customer`'s own indexes (`idx_customer_tenant_list`, `idx_customer_admin_list`, index
//! only), or joined to `wechat_contact` when a filter reads the contact's names, so a page of
//! a "contains" search walks the list index newest first and stops after the page.

use diesel::dsl::{InnerJoin, IntoBoxed};
use diesel::mysql::Mysql;
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
use scrm_domain::customer::{CustomerFilter, ExportCursor};
use scrm_domain::{CustomerId, Scope};

use crate::schema::{contact_tag, customer, wechat_contact};
use crate::support::{LIKE_ESCAPE, contact_tag_scope, contains, customer_scope, to_db, unique};

fn given(value: Option<&String>) -> Option<String> {
    value.filter(|v| !v.is_empty()).map(|v| contains(v))
}

/// Whether the filter selects every live customer of the scope (its count is counted).
pub(super) fn unfiltered(f: &CustomerFilter) -> bool {
    let CustomerFilter {
        name,
        phone_digits,
        tag_ids,
        begin,
        end,
        remarks,
        remark_name,
        wechat_user_id,
    } = f;
    [name, phone_digits, remarks, remark_name]
        .iter()
        .all(|v| given(v.as_ref()).is_none())
        && tag_ids.is_empty()
        && begin.is_none()
        && end.is_none()
        && wechat_user_id.is_none()
}

/// The filters on `customer`'s own columns (and its tags), for either shape.
macro_rules! customer_filters {
    ($q:expr, $scope:expr, $f:expr) => {{
        let (scope, f) = ($scope, $f);
        let mut q = $q
            .filter(customer_scope(scope))
            .filter(customer::deleted_at.is_null());
        if let Some(p) = given(f.phone_digits.as_ref()) {
            q = q.filter(customer::phone_digits.like(p).escape(LIKE_ESCAPE));
        }
        if !f.tag_ids.is_empty() {
            let tags = unique(f.tag_ids.iter().map(|t| t.0));
            let tagged = contact_tag::table
                .filter(contact_tag_scope(scope))
                .filter(contact_tag::tag_id.eq_any(tags))
                .select(contact_tag::contact_id);
            q = q.filter(customer::wechat_contact_id.eq_any(tagged));
        }
        if let Some(b) = f.begin {
            q = q.filter(customer::create_time.ge(to_db(b)));
        }
        if let Some(e) = f.end {
            q = q.filter(customer::create_time.le(to_db(e)));
        }
        if let Some(p) = given(f.remarks.as_ref()) {
            q = q.filter(customer::remarks.like(p).escape(LIKE_ESCAPE));
        }
        if let Some(w) = f.wechat_user_id {
            q = q.filter(customer::wechat_user_id.eq(w.0));
        }
        q
    }};
}

/// Newest first (createTime, then id, descending), after a keyset cursor, one id only.
macro_rules! ids_of {
    ($q:expr, $conn:expr, $sel:expr) => {{
        let sel: &Select = $sel;
        let mut q = $q;
        if let Some(c) = sel.after {
            let t = to_db(c.create_time);
            q = q.filter(
                customer::create_time
                    .lt(t)
                    .or(customer::create_time.eq(t).and(customer::id.lt(c.id.0))),
            );
        }
        if let Some(id) = sel.only {
            q = q.filter(customer::id.eq(id.0));
        }
        q.select(customer::id)
            .order((customer::create_time.desc(), customer::id.desc()))
            .limit(sel.limit)
            .offset(sel.offset)
            .load($conn)
            .await
    }};
}

/// Which ids of a list to read.
#[derive(Debug, Clone, Copy)]
pub(super) struct Select {
    pub after: Option<ExportCursor>,
    pub only: Option<CustomerId>,
    pub limit: i64,
    pub offset: i64,
}

/// A filtered list in its shape.
pub(super) enum Listed<'a> {
    Own(IntoBoxed<'a, customer::table, Mysql>),
    Joined(IntoBoxed<'a, InnerJoin<customer::table, wechat_contact::table>, Mysql>),
}

impl Listed<'_> {
    /// Live customers of the scope matching the filter.
    pub(super) fn of(scope: &Scope, f: &CustomerFilter) -> Self {
        let name = given(f.name.as_ref());
        let remark_name = given(f.remark_name.as_ref());
        if name.is_none() && remark_name.is_none() {
            return Self::Own(customer_filters!(customer::table.into_boxed(), scope, f));
        }
        let joined = customer::table
            .inner_join(wechat_contact::table)
            .into_boxed();
        let mut q = customer_filters!(joined, scope, f);
        if let Some(p) = name {
            q = q.filter(
                customer::customer_name
                    .like(p.clone())
                    .escape(LIKE_ESCAPE)
                    .or(wechat_contact::nick_name
                        .like(p.clone())
                        .escape(LIKE_ESCAPE))
                    .or(wechat_contact::remark_name.like(p).escape(LIKE_ESCAPE)),
            );
        }
        if let Some(p) = remark_name {
            q = q.filter(wechat_contact::remark_name.like(p).escape(LIKE_ESCAPE));
        }
        Self::Joined(q)
    }

    /// `COUNT(*)` of the list.
    pub(super) async fn count(self, conn: &mut AsyncMysqlConnection) -> QueryResult<i64> {
        match self {
            Self::Own(q) => q.count().get_result(conn).await,
            Self::Joined(q) => q.count().get_result(conn).await,
        }
    }

    /// The ids `sel` names.
    pub(super) async fn ids(
        self,
        conn: &mut AsyncMysqlConnection,
        sel: &Select,
    ) -> QueryResult<Vec<i64>> {
        match self {
            Self::Own(q) => ids_of!(q, conn, sel),
            Self::Joined(q) => ids_of!(q, conn, sel),
        }
    }
}
