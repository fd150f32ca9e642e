//! Customer lists: the filter of customerPage and downLoad, list order, and the assembly of a
//! `CustomerRecord` with its contact's side data. A customer whose contact is missing is never
//! listed (the MySQL adapter's inner join).

use std::cmp::Reverse;

use chrono::{DateTime, Utc};
use scrm_domain::customer::{BinFilter, CustomerFilter, CustomerRecord};
use scrm_domain::search::{SearchTerm, TagMode, term_matches};
use scrm_domain::{
    AdminUserId, ContactId, CustomerId, Page, PageRequest, Scope, TagId, WechatUserId,
};

use crate::state::{Contact, Customer, Needle, Tables, page_of, to_db, unique};

/// A `CustomerFilter` prepared for matching rows.
pub(super) struct Matcher {
    terms: Vec<SearchTerm>,
    name: Option<Needle>,
    phone: Option<Needle>,
    tags: Vec<i64>,
    tag_mode: TagMode,
    begin: Option<DateTime<Utc>>,
    end: Option<DateTime<Utc>>,
    remarks: Option<Needle>,
    remark_name: Option<Needle>,
    wechat_user_id: Option<i64>,
}

impl Matcher {
    pub(super) fn new(f: &CustomerFilter) -> Self {
        Self {
            terms: f.terms.clone(),
            name: Needle::of(f.name.as_ref()),
            phone: Needle::of(f.phone_digits.as_ref()),
            tags: unique(f.tag_ids.iter().map(|t| t.0)),
            tag_mode: f.tag_mode,
            begin: f.begin.map(to_db),
            end: f.end.map(to_db),
            remarks: Needle::of(f.remarks.as_ref()),
            remark_name: Needle::of(f.remark_name.as_ref()),
            wechat_user_id: f.wechat_user_id.map(|w| w.0),
        }
    }

    /// The recycle bin's filter (`q` and the tags).
    pub(super) fn bin(f: &BinFilter) -> Self {
        Self::new(&CustomerFilter {
            terms: f.terms.clone(),
            tag_ids: f.tag_ids.clone(),
            tag_mode: f.tag_mode,
            ..CustomerFilter::default()
        })
    }

    pub(super) fn matches(&self, scope: &Scope, c: &Customer, contact: &Contact) -> bool {
        let r = &c.row;
        let found =
            |n: &Option<Needle>, hay: Option<&str>| n.as_ref().is_none_or(|n| n.found_in(hay));
        let named = self.name.as_ref().is_none_or(|n| {
            n.found_in(r.customer_name.as_deref())
                || n.found_in(contact.profile.nick_name.as_deref())
                || n.found_in(contact.profile.remark_name.as_deref())
        });
        // The contact's tag rows carry the contact's owner and are read within the scope.
        let seen = scope.sees(
            AdminUserId(contact.tenant_id),
            AdminUserId(contact.admin_user_id),
        );
        let tagged = self
            .tag_mode
            .holds(&self.tags, |t| seen && contact.tags.contains(&t));
        let names = [
            r.customer_name.as_deref(),
            contact.profile.nick_name.as_deref(),
            contact.profile.remark_name.as_deref(),
        ];
        let searched = self
            .terms
            .iter()
            .all(|term| term_matches(term, names, r.phone_digits.as_deref()));
        searched
            && named
            && found(&self.phone, r.phone_digits.as_deref())
            && tagged
            && self.begin.is_none_or(|b| r.create_time >= b)
            && self.end.is_none_or(|e| r.create_time <= e)
            && found(&self.remarks, r.remarks.as_deref())
            && found(&self.remark_name, contact.profile.remark_name.as_deref())
            && self.wechat_user_id.is_none_or(|w| r.wechat_user_id == w)
    }
}

/// Whether a customer row is in the scope.
pub(super) fn in_scope(scope: &Scope, c: &Customer) -> bool {
    scope.sees(
        AdminUserId(c.row.owner.tenant_id),
        AdminUserId(c.row.owner.admin_user_id),
    )
}

/// List order: newest createTime first, then id descending.
pub(super) fn list_order(c: &Customer) -> (Reverse<DateTime<Utc>>, Reverse<i64>) {
    (Reverse(c.row.create_time), Reverse(c.row.id))
}

/// Live customers of the scope (with a contact) matching the filter, in list order.
pub(super) fn live_filtered<'t>(t: &'t Tables, scope: &Scope, m: &Matcher) -> Vec<&'t Customer> {
    let mut rows: Vec<&Customer> = t
        .customers
        .values()
        .filter(|c| c.live() && in_scope(scope, c))
        .filter(|c| {
            t.contacts
                .get(&c.row.wechat_contact_id)
                .is_some_and(|contact| m.matches(scope, c, contact))
        })
        .collect();
    rows.sort_by_key(|c| list_order(c));
    rows
}

/// The record of a customer as the lists show it; `None` when its contact is missing.
/// The page `page` of `rows`, each as `scope` sees it.
pub(super) fn records_page(
    t: &Tables,
    scope: &Scope,
    rows: Vec<&Customer>,
    page: PageRequest,
) -> Page<CustomerRecord> {
    let page = page_of(rows, page, |c| record(t, scope, c));
    Page {
        items: page.items.into_iter().flatten().collect(),
        total: page.total,
    }
}

pub(super) fn record(t: &Tables, scope: &Scope, c: &Customer) -> Option<CustomerRecord> {
    let contact = t.contacts.get(&c.row.wechat_contact_id)?;
    let r = &c.row;
    let (tags, tag_names) = t.tags_of(scope, contact);
    Some(CustomerRecord {
        id: CustomerId(r.id),
        wechat_contact_id: ContactId(r.wechat_contact_id),
        wechat_user_id: WechatUserId(r.wechat_user_id),
        admin_user_id: AdminUserId(r.owner.admin_user_id),
        customer_name: r.customer_name.clone(),
        customer_phone: r.customer_phone.clone(),
        nick_name: r.nick_name.clone(),
        remarks: r.remarks.clone(),
        xfields: r.xfields.clone(),
        is_cust: r.is_cust,
        create_time: r.create_time,
        last_update_time: r.last_update_time,
        tags: tags.into_iter().map(TagId).collect(),
        tag_names,
        contact_nick_name: contact.profile.nick_name.clone(),
        remark_name: contact.profile.remark_name.clone(),
        head_img_url: contact.profile.head_img_url.clone(),
        is_star: contact.profile.is_star,
        wechat_user_nick_name: t.wechat_user_nick(scope, r.wechat_user_id),
        customer_nick_name: t.nick_name_of(scope, r.wechat_contact_id),
        deleted_at: c.deleted_at,
    })
}
