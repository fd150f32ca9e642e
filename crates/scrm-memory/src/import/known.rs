//! `known`: what the tables hold of the ids an import document refers to.

use std::collections::HashMap;

use scrm_domain::import::{AccountRow, KnownAccount, KnownContact, KnownRefs, Owner, RefQuery};

use crate::state::{Tables, ci_key};

pub(super) fn known(t: &Tables, refs: &RefQuery) -> KnownRefs {
    let mut k = KnownRefs::default();
    for id in &refs.account_ids {
        if let Some(a) = t.accounts.get(id) {
            k.accounts.insert(
                *id,
                KnownAccount {
                    parent_id: a.parent_id,
                },
            );
        }
    }
    if !refs.login_names.is_empty() {
        // As MySQL answers `login_name IN (...)` under its collation: the stored names.
        let stored: HashMap<String, &AccountRow> = t
            .accounts
            .values()
            .map(|a| (ci_key(&a.login_name), a))
            .collect();
        for name in &refs.login_names {
            if let Some(a) = stored.get(&ci_key(name)) {
                k.logins.insert(a.login_name.clone(), a.id);
            }
        }
    }
    for id in &refs.department_ids {
        if let Some(d) = t.departments.get(id) {
            k.departments.insert(*id, d.tenant_id);
        }
    }
    for id in &refs.wechat_user_ids {
        if let Some(w) = t.wechat_users.get(id) {
            k.wechat_users.insert(*id, w.owner);
        }
    }
    for id in &refs.contact_ids {
        if let Some(c) = t.contacts.get(id) {
            let owner = Owner {
                tenant_id: c.tenant_id,
                admin_user_id: c.admin_user_id,
            };
            k.contacts.insert(
                *id,
                KnownContact {
                    owner,
                    wechat_user_id: c.wechat_user_id,
                },
            );
        }
        if let Some(customer) = t.customer_of_contact.get(id) {
            k.customers_by_contact.insert(*id, *customer);
        }
    }
    for id in &refs.tag_ids {
        if let Some(tag) = t.tags.get(id) {
            k.tags.insert(*id, tag.tenant_id);
        }
    }
    k
}
