//! Data scope: who the caller is and which rows they may see. Every repository method takes a
//! `Scope`, so no query can leave it out.

use crate::AdminUserId;

/// The caller's scope, built only from the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    /// The calling account.
    pub account: AdminUserId,
    /// The tenant: the id of the main account.
    pub tenant: AdminUserId,
}

/// How a repository restricts rows to a scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerFilter {
    /// Every row of the tenant (a main account).
    Tenant(AdminUserId),
    /// Only the rows owned by this account (a sub-account).
    Account(AdminUserId),
}

impl Scope {
    /// The scope of an account given its parent (None for a main account).
    pub fn for_account(account: AdminUserId, parent: Option<AdminUserId>) -> Self {
        Self {
            account,
            tenant: parent.unwrap_or(account),
        }
    }

    /// Whether the caller is a main account.
    pub fn is_main(&self) -> bool {
        self.account == self.tenant
    }

    /// The row filter of this scope.
    pub fn owner_filter(&self) -> OwnerFilter {
        if self.is_main() {
            OwnerFilter::Tenant(self.tenant)
        } else {
            OwnerFilter::Account(self.account)
        }
    }

    /// Whether a row owned by `owner` in tenant `tenant` is visible.
    pub fn sees(&self, tenant: AdminUserId, owner: AdminUserId) -> bool {
        match self.owner_filter() {
            OwnerFilter::Tenant(t) => t == tenant,
            OwnerFilter::Account(a) => a == owner,
        }
    }
}

impl Scope {
    /// The scope of `account` (whose parent is `parent`) as selected by this caller through a
    /// parameter such as `adminUserId`: the caller itself, or one of a main account's
    /// sub-accounts. `None` when the account is outside this scope.
    pub fn select(&self, account: AdminUserId, parent: Option<AdminUserId>) -> Option<Scope> {
        if account == self.account {
            Some(*self)
        } else if self.is_main() && parent == Some(self.tenant) {
            Some(Scope::for_account(account, parent))
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn main_sees_tenant_sub_sees_own() {
        let main = Scope::for_account(AdminUserId(1), None);
        let sub = Scope::for_account(AdminUserId(2), Some(AdminUserId(1)));
        assert_eq!(main.owner_filter(), OwnerFilter::Tenant(AdminUserId(1)));
        assert_eq!(sub.owner_filter(), OwnerFilter::Account(AdminUserId(2)));
        assert!(main.sees(AdminUserId(1), AdminUserId(3)));
        assert!(!main.sees(AdminUserId(9), AdminUserId(9)));
        assert!(sub.sees(AdminUserId(1), AdminUserId(2)));
        assert!(!sub.sees(AdminUserId(1), AdminUserId(3)));
    }

    #[test]
    fn select_narrows_within_the_scope_only() {
        let main = Scope::for_account(AdminUserId(1), None);
        let sub = Scope::for_account(AdminUserId(2), Some(AdminUserId(1)));
        assert_eq!(main.select(AdminUserId(1), None), Some(main));
        assert_eq!(main.select(AdminUserId(2), Some(AdminUserId(1))), Some(sub));
        assert_eq!(main.select(AdminUserId(9), Some(AdminUserId(8))), None);
        assert_eq!(main.select(AdminUserId(8), None), None);
        assert_eq!(sub.select(AdminUserId(2), Some(AdminUserId(1))), Some(sub));
        assert_eq!(sub.select(AdminUserId(3), Some(AdminUserId(1))), None);
        assert_eq!(sub.select(AdminUserId(1), None), None);
    }
}
