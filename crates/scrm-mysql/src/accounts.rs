//! `AccountRepository` on MySQL: accounts by login name or id, and the after-call switch.

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

const ACCOUNT_COLUMNS: (
    admin_user::id,
    admin_user::login_name,
    admin_user::real_name,
    admin_user::parent_id,
    admin_user::depart_id,
    admin_user::password_hash,
    admin_user::is_open_after_call,
) = (
    admin_user::id,
    admin_user::login_name,
    admin_user::real_name,
    admin_user::parent_id,
    admin_user::depart_id,
    admin_user::password_hash,
    admin_user::is_open_after_call,
);

fn account((id, login, real, parent, depart, hash, after_call): AccountTuple) -> Account {
    Account {
        id: AdminUserId(id),
        login_name: login,
        real_name: real.unwrap_or_default(),
        parent_id: parent.map(AdminUserId),
        depart_id: depart.map(DepartmentId),
        password_hash: hash,
        is_open_after_call: after_call != 0,
    }
}

#[async_trait]
impl AccountRepository for MySql {
    async fn find_by_login(&self, login_name: &str) -> Result<Option<Account>, StoreError> {
        let mut conn = self.conn("find_by_login").await?;
        let row: Option<AccountTuple> = admin_user::table
            .filter(admin_user::login_name.eq(login_name))
            .select(ACCOUNT_COLUMNS)
            .first(&mut conn)
            .await
            .optional()
            .map_err(|e| error::query(e, "find_by_login"))?;
        Ok(row.map(account))
    }

    async fn find_by_id(&self, id: AdminUserId) -> Result<Option<Account>, StoreError> {
        let mut conn = self.conn("find account").await?;
        let row: Option<AccountTuple> = admin_user::table
            .find(id.0)
            .select(ACCOUNT_COLUMNS)
            .first(&mut conn)
            .await
            .optional()
            .map_err(|e| error::query(e, "find account"))?;
        Ok(row.map(account))
    }

    async fn set_open_after_call(&self, id: AdminUserId, open: bool) -> Result<bool, StoreError> {
        let mut conn = self.conn("set after-call switch").await?;
        // `client_found_rows` is on: the count is of matched rows, so setting the value the
        // account already has still answers true.
        diesel::update(admin_user::table.find(id.0))
            .set(admin_user::is_open_after_call.eq(i32::from(open)))
            .execute(&mut conn)
            .await
            .map(|n| n > 0)
            .map_err(|e| error::query(e, "set after-call switch"))
    }

    async fn set_password_hash(&self, id: AdminUserId, hash: &str) -> Result<bool, StoreError> {
        let mut conn = self.conn("set password").await?;
        diesel::update(admin_user::table.find(id.0))
            .set(admin_user::password_hash.eq(hash))
            .execute(&mut conn)
            .await
            .map(|n| n > 0)
            .map_err(|e| error::query(e, "set password"))
    }
}
