//! `AccountRepository` on MySQL: accounts by login name.

use async_trait::async_trait;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use scrm_domain::account::{Account, AccountRepository};
use scrm_domain::{AdminUserId, DepartmentId, StoreError};

use crate::MySql;
use crate::error;
use crate::schema::admin_user;

type AccountTuple = (
    i64,
    String,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<String>,
    i32,
);

#[async_trait]
impl AccountRepository for MySql {
    async fn find_by_login(&self, login_name: &str) -> Result<Option<Account>, StoreError> {
        let mut conn = self.conn("find_by_login").await?;
        let row: Option<AccountTuple> = admin_user::table
            .filter(admin_user::login_name.eq(login_name))
            .select((
                admin_user::id,
                admin_user::login_name,
                admin_user::real_name,
                admin_user::parent_id,
                admin_user::depart_id,
                admin_user::password_hash,
                admin_user::is_open_after_call,
            ))
            .first(&mut conn)
            .await
            .optional()
            .map_err(|e| error::query(e, "find_by_login"))?;
        Ok(row.map(
            |(id, login, real, parent, depart, hash, after_call)| Account {
                id: AdminUserId(id),
                login_name: login,
                real_name: real.unwrap_or_default(),
                parent_id: parent.map(AdminUserId),
                depart_id: depart.map(DepartmentId),
                password_hash: hash,
                is_open_after_call: after_call != 0,
            },
        ))
    }
}
