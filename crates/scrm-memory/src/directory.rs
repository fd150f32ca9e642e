//! `DirectoryRepository` in memory: the accounts, departments, WeChat accounts and tags a
//! scope can pick from, each ordered by id.

use async_trait::async_trait;
use scrm_domain::directory::{
    AccountSummary, Department, Directory, DirectoryRepository, Tag, WechatAccount,
};
use scrm_domain::import::AccountRow;
use scrm_domain::{AdminUserId, DepartmentId, Scope, StoreError, TagId, WechatUserId};

use crate::Memory;

fn summary(row: &AccountRow) -> AccountSummary {
    AccountSummary {
        id: AdminUserId(row.id),
        login_name: row.login_name.clone(),
        real_name: row.real_name.clone().unwrap_or_default(),
        parent_id: row.parent_id.map(AdminUserId),
        depart_id: row.depart_id.map(DepartmentId),
    }
}

#[async_trait]
impl DirectoryRepository for Memory {
    async fn directory(&self, scope: &Scope) -> Result<Option<Directory>, StoreError> {
        let t = self.read()?;
        let Some(tenant) = t
            .accounts
            .get(&scope.tenant.0)
            .filter(|a| a.tenant_id == scope.tenant.0)
        else {
            return Ok(None);
        };
        let accounts: Vec<AccountSummary> = t
            .accounts
            .values()
            .filter(|a| scope.sees(AdminUserId(a.tenant_id), AdminUserId(a.id)))
            .map(summary)
            .collect();
        let own_department = accounts
            .iter()
            .find(|a| a.id == scope.account)
            .and_then(|a| a.depart_id);
        let departments = t
            .departments
            .values()
            .filter(|d| d.tenant_id == scope.tenant.0)
            .filter(|d| scope.is_main() || own_department == Some(DepartmentId(d.id)))
            .map(|d| Department {
                id: DepartmentId(d.id),
                name: d.name.clone(),
            })
            .collect();
        let wechat_users = t
            .wechat_users
            .values()
            .filter(|w| {
                scope.sees(
                    AdminUserId(w.owner.tenant_id),
                    AdminUserId(w.owner.admin_user_id),
                )
            })
            .map(|w| WechatAccount {
                id: WechatUserId(w.id),
                admin_user_id: AdminUserId(w.owner.admin_user_id),
                uin: w.uin.clone(),
                user_name: w.user_name.clone(),
                nick_name: w.nick_name.clone(),
                alias: w.alias.clone(),
                is_online: w.is_online != 0,
            })
            .collect();
        let tags = t
            .tags
            .values()
            .filter(|tag| tag.tenant_id == scope.tenant.0)
            .map(|tag| Tag {
                id: TagId(tag.id),
                name: tag.name.clone(),
            })
            .collect();
        Ok(Some(Directory {
            tenant: summary(tenant),
            accounts,
            departments,
            wechat_users,
            tags,
        }))
    }
}
