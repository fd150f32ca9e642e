//! `apply`: every row of a plan upserted by id, in the order and with the rules of the MySQL
//! adapter (a missing password hash keeps the stored one, a contact's tags are replaced only
//! when given, recycle-bin state survives an upsert), then the owners copied down again so an
//! account or WeChat account that changed owner leaves nothing stale. Runs on a copy of the
//! tables; an error leaves the copy to be dropped.

use std::collections::{BTreeSet, HashMap, HashSet};

use scrm_domain::StoreError;
use scrm_domain::import::{ContactRow, ImportPlan, Owner};

use crate::state::{Contact, Customer, Entry, Tables, bump_id, ci_key, to_db};

fn conflict(table: &str, id: i64, what: String) -> StoreError {
    StoreError::Unexpected(format!("import: {table} {id}: {what}"))
}

fn contact(r: &ContactRow, tags: BTreeSet<i64>) -> Contact {
    Contact {
        id: r.id,
        tenant_id: r.owner.tenant_id,
        admin_user_id: r.owner.admin_user_id,
        wechat_user_id: r.wechat_user_id,
        profile: r.doc.profile(),
        create_time: to_db(r.create_time),
        tags,
    }
}

fn accounts(t: &mut Tables, plan: &ImportPlan) -> Result<(), StoreError> {
    // The unique key on login names (case-insensitive, as the column's collation).
    let mut logins: HashMap<String, i64> = t
        .accounts
        .values()
        .map(|a| (ci_key(&a.login_name), a.id))
        .collect();
    for a in &plan.accounts {
        let key = ci_key(&a.login_name);
        if let Some(other) = logins.get(&key).filter(|other| **other != a.id) {
            let why = format!("login_name {} is taken by account {other}", a.login_name);
            return Err(conflict("admin_user", a.id, why));
        }
        let mut row = a.clone();
        if let Some(old) = t.accounts.get(&a.id) {
            logins.remove(&ci_key(&old.login_name));
            if row.password_hash.is_none() {
                row.password_hash.clone_from(&old.password_hash);
            }
        }
        logins.insert(key, a.id);
        t.accounts.insert(a.id, row);
    }
    Ok(())
}

fn customers(t: &mut Tables, plan: &ImportPlan) -> Result<(), StoreError> {
    for c in &plan.customers {
        if let Some(other) = t
            .customer_of_contact
            .get(&c.wechat_contact_id)
            .filter(|other| **other != c.id)
        {
            let why = format!(
                "contact {} already has customer {other}",
                c.wechat_contact_id
            );
            return Err(conflict("customer", c.id, why));
        }
        let mut row = c.clone();
        row.create_time = to_db(row.create_time);
        row.last_update_time = to_db(row.last_update_time);
        let deleted_at = match t.customers.get(&c.id) {
            Some(old) => {
                t.customer_of_contact.remove(&old.row.wechat_contact_id);
                old.deleted_at
            }
            None => None,
        };
        t.customer_of_contact.insert(c.wechat_contact_id, c.id);
        t.customers.insert(c.id, Customer { row, deleted_at });
        bump_id(&mut t.next_customer_id, c.id);
    }
    Ok(())
}

pub(super) fn apply(t: &mut Tables, plan: &ImportPlan) -> Result<(), StoreError> {
    accounts(t, plan)?;
    for d in &plan.departments {
        t.departments.insert(d.id, d.clone());
    }
    for w in &plan.wechat_users {
        t.wechat_users.insert(w.id, w.clone());
    }
    for tag in &plan.tags {
        t.tags.insert(tag.id, tag.clone());
    }
    for c in &plan.contacts {
        let tags = match &c.tag_ids {
            Some(ids) => ids.iter().copied().collect(),
            None => t
                .contacts
                .get(&c.id)
                .map(|old| old.tags.clone())
                .unwrap_or_default(),
        };
        t.contacts.insert(c.id, contact(c, tags));
    }
    customers(t, plan)?;
    for n in &plan.nick_names {
        t.nick_names.insert(n.wechat_contact_id, n.clone());
    }
    for m in &plan.manual_entries {
        let mut entry = m.clone();
        entry.create_time = to_db(entry.create_time);
        entry.last_update_time = to_db(entry.last_update_time);
        entry.assign_time = entry.assign_time.map(crate::state::to_db);
        let deleted_at = t.manual.get(&m.id.0).and_then(|old| old.deleted_at);
        t.manual.insert(m.id.0, Entry { entry, deleted_at });
        bump_id(&mut t.next_manual_id, m.id.0);
    }
    recopy_owners(t, plan);
    Ok(())
}

/// Accounts -> their WeChat accounts' and manual entries' tenant; then WeChat accounts (of
/// the plan, or owned by its accounts) -> their contacts' and customers' owners, and those
/// contacts -> their forms of address' tenant (a contact's tags follow the contact).
fn recopy_owners(t: &mut Tables, plan: &ImportPlan) {
    let accounts: HashSet<i64> = plan.accounts.iter().map(|a| a.id).collect();
    let tenant_of = |t: &Tables, id: i64| t.accounts.get(&id).map(|a| a.tenant_id);
    let mut users: HashSet<i64> = plan.wechat_users.iter().map(|w| w.id).collect();
    let owned: Vec<(i64, Option<i64>)> = t
        .wechat_users
        .values()
        .filter(|w| accounts.contains(&w.owner.admin_user_id))
        .map(|w| (w.id, tenant_of(t, w.owner.admin_user_id)))
        .collect();
    for (id, tenant) in owned {
        users.insert(id);
        if let (Some(w), Some(tenant)) = (t.wechat_users.get_mut(&id), tenant) {
            w.owner.tenant_id = tenant;
        }
    }
    let entries: Vec<(i64, i64)> = t
        .manual
        .values()
        .filter(|e| accounts.contains(&e.entry.admin_user_id.0))
        .filter_map(|e| Some((e.entry.id.0, tenant_of(t, e.entry.admin_user_id.0)?)))
        .collect();
    for (id, tenant) in entries {
        if let Some(e) = t.manual.get_mut(&id) {
            e.entry.tenant_id.0 = tenant;
        }
    }
    let owners: HashMap<i64, Owner> = users
        .iter()
        .filter_map(|id| Some((*id, t.wechat_users.get(id)?.owner)))
        .collect();
    for c in t.contacts.values_mut() {
        if let Some(o) = owners.get(&c.wechat_user_id) {
            c.tenant_id = o.tenant_id;
            c.admin_user_id = o.admin_user_id;
            if let Some(n) = t.nick_names.get_mut(&c.id) {
                n.tenant_id = o.tenant_id;
            }
        }
    }
    for c in t.customers.values_mut() {
        if let Some(o) = owners.get(&c.row.wechat_user_id) {
            c.row.owner = *o;
        }
    }
}
