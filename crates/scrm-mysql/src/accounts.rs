//! `AccountRepository` on MySQL: accounts by login name or id, and the after-call switch.

use async_trait::async_trait;
use diesel::dsl;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use scrm_domain::account::{Account, AccountRepository, login_key};
use scrm_domain::directory::AccountSummary;
use scrm_domain::{AdminUserId, StoreError};

use crate::MySql;
use crate::expr::Either;
use crate::schema::admin_user;

/// A stored account (every column but `tenant_id`): the directory's row and the rest.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = admin_user, check_for_backend(diesel::mysql::Mysql))]
struct AccountRow {
    #[diesel(embed)]
    shown: crate::directory::AccountRow,
    password_hash: Option<String>,
    is_open_after_call: i32,
}

impl From<AccountRow> for Account {
    fn from(r: AccountRow) -> Self {
        let shown = AccountSummary::from(r.shown);
        Self {
            id: shown.id,
            login_name: shown.login_name,
            real_name: shown.real_name,
            parent_id: shown.parent_id,
            depart_id: shown.depart_id,
            password_hash: r.password_hash,
            is_open_after_call: r.is_open_after_call != 0,
        }
    }
}

/// The account by login name or by id.
type Which<'a> = Either<dsl::Eq<admin_user::login_name, &'a str>, dsl::Eq<admin_user::id, i64>>;

impl MySql {
    async fn find_account(
        &self,
        what: &'static str,
        which: Which<'_>,
    ) -> Result<Option<Account>, StoreError> {
        let row: Option<AccountRow> = self
            .read(what, async |c| {
                admin_user::table
                    .filter(which)
                    .select(AccountRow::as_select())
                    .first(c)
                    .await
                    .optional()
            })
            .await?;
        Ok(row.map(Account::from))
    }
}

#[async_trait]
impl AccountRepository for MySql {
    async fn find_by_login(&self, login_name: &str) -> Result<Option<Account>, StoreError> {
        // The collation finds the one account whose name equals this one ignoring case and
        // accents (the unique key holds under it); the name must then be the same by the
        // domain's rule, which minds accents.
        let which = Either::Left(admin_user::login_name.eq(login_name));
        let found = self.find_account("find_by_login", which).await?;
        let wanted = login_key(login_name);
        Ok(found.filter(|a| login_key(&a.login_name) == wanted))
    }

    async fn find_by_id(&self, id: AdminUserId) -> Result<Option<Account>, StoreError> {
        let which = Either::Right(admin_user::id.eq(id.0));
        self.find_account("find account", which).await
    }

    async fn set_open_after_call(&self, id: AdminUserId, open: bool) -> Result<bool, StoreError> {
        // `client_found_rows` is on: the count is of matched rows, so setting the value the
        // account already has still answers true.
        let matched = self
            .write("set after-call switch", async |c| {
                diesel::update(admin_user::table.find(id.0))
                    .set(admin_user::is_open_after_call.eq(i32::from(open)))
                    .execute(c)
                    .await
            })
            .await?;
        Ok(matched > 0)
    }

    async fn set_password_hash(&self, id: AdminUserId, hash: &str) -> Result<bool, StoreError> {
        let matched = self
            .write("set password", async |c| {
                diesel::update(admin_user::table.find(id.0))
                    .set(admin_user::password_hash.eq(hash))
                    .execute(c)
                    .await
            })
            .await?;
        Ok(matched > 0)
    }
}
