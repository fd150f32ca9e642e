//! `DirectoryRepository` on MySQL: the accounts, departments, WeChat accounts and tags a scope
//! can pick from, each read by tenant and ordered by id.

use async_trait::async_trait;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use scrm_domain::directory::{
    AccountSummary, Department, Directory, DirectoryRepository, Tag, WechatAccount,
};
use scrm_domain::{AdminUserId, DepartmentId, Scope, StoreError, TagId, WechatUserId};

use crate::MySql;
use crate::schema::{admin_user, department, tag, wechat_user};
use crate::scope::wechat_user_scope;

/// An account as the directory shows it (and the part of a stored account that is not
/// secret: `accounts` embeds it).
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = admin_user, check_for_backend(diesel::mysql::Mysql))]
pub(crate) struct AccountRow {
    pub id: i64,
    pub login_name: String,
    pub real_name: Option<String>,
    pub parent_id: Option<i64>,
    pub depart_id: Option<i64>,
}

impl From<AccountRow> for AccountSummary {
    fn from(row: AccountRow) -> Self {
        Self {
            id: AdminUserId(row.id),
            login_name: row.login_name,
            real_name: row.real_name.unwrap_or_default(),
            parent_id: row.parent_id.map(AdminUserId),
            depart_id: row.depart_id.map(DepartmentId),
        }
    }
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = department, check_for_backend(diesel::mysql::Mysql))]
struct DepartmentRow {
    id: i64,
    name: Option<String>,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = wechat_user, check_for_backend(diesel::mysql::Mysql))]
struct WechatUserRow {
    id: i64,
    admin_user_id: i64,
    uin: Option<String>,
    user_name: Option<String>,
    nick_name: Option<String>,
    alias: Option<String>,
    is_online: i32,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = tag, check_for_backend(diesel::mysql::Mysql))]
struct TagRow {
    id: i64,
    name: Option<String>,
}

#[async_trait]
impl DirectoryRepository for MySql {
    async fn directory(&self, scope: &Scope) -> Result<Option<Directory>, StoreError> {
        let tenant = scope.tenant.0;
        let found = self
            .read("directory", async |c| {
                let mut accounts = admin_user::table
                    .filter(admin_user::tenant_id.eq(tenant))
                    .select(AccountRow::as_select())
                    .order(admin_user::id)
                    .into_boxed();
                if !scope.is_main() {
                    accounts = accounts.filter(admin_user::id.eq(scope.account.0));
                }
                let accounts: Vec<AccountRow> = accounts.load(c).await?;
                let main: Option<AccountRow> = admin_user::table
                    .filter(admin_user::tenant_id.eq(tenant))
                    .filter(admin_user::id.eq(tenant))
                    .select(AccountRow::as_select())
                    .first(c)
                    .await
                    .optional()?;
                let Some(main) = main else {
                    return Ok(None);
                };
                let mut departments = department::table
                    .filter(department::tenant_id.eq(tenant))
                    .select(DepartmentRow::as_select())
                    .order(department::id)
                    .into_boxed();
                if !scope.is_main() {
                    let own = accounts.iter().find_map(|a| a.depart_id);
                    departments = departments.filter(department::id.nullable().eq(own));
                }
                let departments: Vec<DepartmentRow> = departments.load(c).await?;
                let wechat_users: Vec<WechatUserRow> = wechat_user::table
                    .filter(wechat_user_scope(scope))
                    .select(WechatUserRow::as_select())
                    .order(wechat_user::id)
                    .load(c)
                    .await?;
                let tags: Vec<TagRow> = tag::table
                    .filter(tag::tenant_id.eq(tenant))
                    .select(TagRow::as_select())
                    .order(tag::id)
                    .load(c)
                    .await?;
                Ok(Some((main, accounts, departments, wechat_users, tags)))
            })
            .await?;
        let Some((main, accounts, departments, wechat_users, tags)) = found else {
            return Ok(None);
        };
        Ok(Some(Directory {
            tenant: main.into(),
            accounts: accounts.into_iter().map(Into::into).collect(),
            departments: departments
                .into_iter()
                .map(|d| Department {
                    id: DepartmentId(d.id),
                    name: d.name,
                })
                .collect(),
            wechat_users: wechat_users
                .into_iter()
                .map(|w| WechatAccount {
                    id: WechatUserId(w.id),
                    admin_user_id: AdminUserId(w.admin_user_id),
                    uin: w.uin,
                    user_name: w.user_name,
                    nick_name: w.nick_name,
                    alias: w.alias,
                    is_online: w.is_online != 0,
                })
                .collect(),
            tags: tags
                .into_iter()
                .map(|t| Tag {
                    id: TagId(t.id),
                    name: t.name,
                })
                .collect(),
        }))
    }
}
