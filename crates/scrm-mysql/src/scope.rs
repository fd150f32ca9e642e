//! The scope predicate of each owned table: a main account sees its tenant
//! (`tenant_id = ?`), a sub-account its own rows (`admin_user_id = ?`). Every query of an
//! owned table filters by one of these.

use diesel::dsl;
use diesel::prelude::*;
use scrm_domain::{OwnerFilter, Scope};

use crate::expr::Either;

/// Defines `fn $name(scope)`: the predicate restricting `$table` to the scope.
macro_rules! owner_scope {
    ($name:ident, $table:ident) => {
        pub(crate) fn $name(
            scope: &Scope,
        ) -> Either<
            dsl::Eq<crate::schema::$table::tenant_id, i64>,
            dsl::Eq<crate::schema::$table::admin_user_id, i64>,
        > {
            use crate::schema::$table;
            match scope.owner_filter() {
                OwnerFilter::Tenant(t) => Either::Left($table::tenant_id.eq(t.0)),
                OwnerFilter::Account(a) => Either::Right($table::admin_user_id.eq(a.0)),
            }
        }
    };
}

owner_scope!(customer_scope, customer);
owner_scope!(customer_count_scope, customer_count);
owner_scope!(contact_scope, wechat_contact);
owner_scope!(contact_tag_scope, contact_tag);
owner_scope!(wechat_user_scope, wechat_user);
owner_scope!(manual_scope, manual_entry);
