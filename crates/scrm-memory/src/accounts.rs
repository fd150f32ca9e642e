//! `AccountRepository` in memory: accounts by login name (compared as MySQL's
//! `utf8mb4_general_ci` does) or id, and the after-call switch.

use async_trait::async_trait;
use scrm_domain::account::{Account, AccountRepository, login_key};
use scrm_domain::import::AccountRow;
use scrm_domain::{AdminUserId, DepartmentId, StoreError};

use crate::Memory;

fn account(row: &AccountRow) -> Account {
    Account {
        id: AdminUserId(row.id),
        login_name: row.login_name.clone(),
        real_name: row.real_name.clone().unwrap_or_default(),
        parent_id: row.parent_id.map(AdminUserId),
        depart_id: row.depart_id.map(DepartmentId),
        password_hash: row.password_hash.clone(),
        is_open_after_call: row.is_open_after_call != 0,
    }
}

#[async_trait]
impl AccountRepository for Memory {
    async fn find_by_login(&self, login_name: &str) -> Result<Option<Account>, StoreError> {
        let t = self.read()?;
        let wanted = login_key(login_name);
        Ok(t.accounts
            .values()
            .find(|a| login_key(&a.login_name) == wanted)
            .map(account))
    }

    async fn find_by_id(&self, id: AdminUserId) -> Result<Option<Account>, StoreError> {
        Ok(self.read()?.accounts.get(&id.0).map(account))
    }

    async fn set_open_after_call(&self, id: AdminUserId, open: bool) -> Result<bool, StoreError> {
        let mut t = self.write()?;
        Ok(match t.accounts.get_mut(&id.0) {
            Some(a) => {
                a.is_open_after_call = i32::from(open);
                true
            }
            None => false,
        })
    }

    async fn set_password_hash(&self, id: AdminUserId, hash: &str) -> Result<bool, StoreError> {
        let mut t = self.write()?;
        Ok(match t.accounts.get_mut(&id.0) {
            Some(a) => {
                a.password_hash = Some(hash.to_owned());
                true
            }
            None => false,
        })
    }
}
