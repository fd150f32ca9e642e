//! `save`: the update or creation of a customer profile with its contact's tags and star. The
//! target and the tags are checked before anything is written, so an outcome other than
//! `Saved` leaves the tables as they were (like the MySQL adapter's rolled-back transaction;
//! a creation refused for unknown tags still uses up an id, as a rolled-back AUTO_INCREMENT
//! insert does).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use scrm_domain::customer::{CustomerPatch, FieldChange, SaveOutcome, SaveTarget, SavedCustomer};
use scrm_domain::import::{CustomerRow, Owner};
use scrm_domain::{ContactId, CustomerId, Scope, TagId};

use super::query::{in_scope, record};
use crate::state::{Customer, Tables, take_id, to_db};

fn change(field: &mut Option<String>, value: &FieldChange) {
    match value {
        FieldChange::Keep => {}
        FieldChange::Clear => *field = None,
        FieldChange::Set(v) => *field = Some(v.clone()),
    }
}

/// Applies the text fields of a patch to a customer row.
fn apply_patch(r: &mut CustomerRow, patch: &CustomerPatch, now: DateTime<Utc>) {
    change(&mut r.customer_name, &patch.customer_name);
    change(&mut r.customer_phone, &patch.customer_phone);
    match &patch.customer_phone {
        FieldChange::Keep => {}
        FieldChange::Clear => r.phone_digits = None,
        FieldChange::Set(raw) => {
            r.phone_digits = Some(
                patch
                    .phone_digits
                    .clone()
                    .unwrap_or_else(|| scrm_domain::phone::digits(raw)),
            );
        }
    }
    change(&mut r.nick_name, &patch.nick_name);
    change(&mut r.remarks, &patch.remarks);
    for (field, value) in r.xfields.iter_mut().zip(&patch.xfields) {
        change(field, value);
    }
    r.last_update_time = now;
}

pub(super) fn save(
    t: &mut Tables,
    scope: &Scope,
    target: SaveTarget,
    patch: &CustomerPatch,
    now: DateTime<Utc>,
) -> SaveOutcome {
    let now = to_db(now);
    let (existing, contact_id) = match target {
        SaveTarget::Existing(id, given) => {
            let Some(c) = t
                .customers
                .get(&id.0)
                .filter(|c| c.live() && in_scope(scope, c))
            else {
                return SaveOutcome::NotFound;
            };
            if given.is_some_and(|g| g.0 != c.row.wechat_contact_id) {
                return SaveOutcome::ContactMismatch;
            }
            // The contact must be answered with the profile (checked before anything changes).
            if crate::contacts::find_in(t, scope, ContactId(c.row.wechat_contact_id)).is_none() {
                return SaveOutcome::NotFound;
            }
            (Some(c.row.id), c.row.wechat_contact_id)
        }
        SaveTarget::NewFor(contact) => {
            // In the scope, and answered with the profile (its WeChat account there).
            if crate::contacts::find_in(t, scope, contact).is_none() {
                return SaveOutcome::NotFound;
            }
            if let Some(other) = t.customer_of_contact.get(&contact.0) {
                return SaveOutcome::AlreadyExists(CustomerId(*other));
            }
            (None, contact.0)
        }
    };
    let tags: Option<BTreeSet<i64>> = patch
        .tags
        .as_ref()
        .map(|tags| tags.iter().map(|t| t.0).collect());
    if let Some(wanted) = &tags {
        let unknown: Vec<TagId> = wanted
            .iter()
            .filter(|id| {
                t.tags
                    .get(id)
                    .is_none_or(|tag| tag.tenant_id != scope.tenant.0)
            })
            .map(|id| TagId(*id))
            .collect();
        if !unknown.is_empty() {
            if existing.is_none() {
                take_id(&mut t.next_customer_id);
            }
            return SaveOutcome::UnknownTags(unknown);
        }
    }
    let Some(contact) = t.contacts.get_mut(&contact_id) else {
        return SaveOutcome::NotFound;
    };
    if let Some(tags) = tags {
        contact.tags = tags;
    }
    if let Some(star) = patch.is_star {
        contact.profile.is_star = i32::from(star);
    }
    let id = match existing {
        Some(id) => id,
        None => {
            let id = take_id(&mut t.next_customer_id);
            let row = CustomerRow {
                id,
                owner: Owner {
                    tenant_id: contact.tenant_id,
                    admin_user_id: contact.admin_user_id,
                },
                wechat_user_id: contact.wechat_user_id,
                wechat_contact_id: contact_id,
                customer_name: None,
                customer_phone: None,
                phone_digits: None,
                nick_name: None,
                remarks: None,
                xfields: Default::default(),
                is_cust: 0,
                create_time: now,
                last_update_time: now,
            };
            t.customers.insert(
                id,
                Customer {
                    row,
                    deleted_at: None,
                },
            );
            t.customer_of_contact.insert(contact_id, id);
            id
        }
    };
    if let Some(c) = t.customers.get_mut(&id) {
        apply_patch(&mut c.row, patch, now);
    }
    // The customer and its contact were found above and the lock is held: both are there.
    let Some(customer) = t.customers.get(&id).and_then(|c| record(t, scope, c)) else {
        return SaveOutcome::NotFound;
    };
    let Some(contact) = crate::contacts::find_in(t, scope, customer.wechat_contact_id) else {
        return SaveOutcome::NotFound;
    };
    SaveOutcome::Saved(Box::new(SavedCustomer { customer, contact }))
}
