//! The tables of the in-memory store, laid out like the MySQL schema (owners denormalised onto
//! rows, AUTO_INCREMENT counters, the unique index of one customer per contact), and the
//! helpers every repository shares: scope checks, LIKE-style matching, times and paging.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, SubsecRound, Utc};
use scrm_domain::contact::ContactProfile;
use scrm_domain::import::{
    AccountRow, CustomerRow, DepartmentRow, NickNameRow, TagRow, WechatUserRow,
};
use scrm_domain::manual::ManualEntry;
use scrm_domain::{AdminUserId, Page, PageRequest, Scope};

/// A contact (`wechat_contact`) with its tag set (`contact_tag`, whose owner is the contact's).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Contact {
    pub id: i64,
    pub tenant_id: i64,
    pub admin_user_id: i64,
    pub wechat_user_id: i64,
    pub profile: ContactProfile,
    pub create_time: DateTime<Utc>,
    pub tags: BTreeSet<i64>,
}

/// A customer row and its place in the recycle bin.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Customer {
    pub row: CustomerRow,
    pub deleted_at: Option<DateTime<Utc>>,
}

impl Customer {
    pub fn live(&self) -> bool {
        self.deleted_at.is_none()
    }
}

/// A manual entry and its place in the recycle bin.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub entry: ManualEntry,
    pub deleted_at: Option<DateTime<Utc>>,
}

impl Entry {
    pub fn live(&self) -> bool {
        self.deleted_at.is_none()
    }
}

/// Every relational table.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tables {
    pub accounts: BTreeMap<i64, AccountRow>,
    pub departments: BTreeMap<i64, DepartmentRow>,
    pub wechat_users: BTreeMap<i64, WechatUserRow>,
    pub tags: BTreeMap<i64, TagRow>,
    pub contacts: BTreeMap<i64, Contact>,
    pub customers: BTreeMap<i64, Customer>,
    /// The unique index `uk_customer_contact`: contact id -> its customer (live or deleted).
    pub customer_of_contact: HashMap<i64, i64>,
    /// Forms of address by contact id.
    pub nick_names: HashMap<i64, NickNameRow>,
    pub manual: BTreeMap<i64, Entry>,
    /// The AUTO_INCREMENT counters (0 = not used yet, i.e. 1).
    pub next_customer_id: i64,
    pub next_manual_id: i64,
}

/// Takes the next value of an AUTO_INCREMENT counter.
pub(crate) fn take_id(counter: &mut i64) -> i64 {
    let id = (*counter).max(1);
    *counter = id.saturating_add(1);
    id
}

/// Raises an AUTO_INCREMENT counter past an explicitly inserted id, as InnoDB does.
pub(crate) fn bump_id(counter: &mut i64, id: i64) {
    *counter = (*counter).max(id.saturating_add(1));
}

/// A UTC time as MySQL stores it (`DATETIME(3)`: truncated to milliseconds).
pub(crate) fn to_db(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(3)
}

/// The needle of a "contains" filter, as `LIKE '%needle%'` under `utf8mb4_general_ci` treats
/// it: case-insensitive, `%` and `_` literal. An absent or empty needle filters nothing.
#[derive(Debug, Clone)]
pub(crate) struct Needle(String);

impl Needle {
    /// `None` when the filter is not given (absent or empty).
    pub fn of(value: Option<&String>) -> Option<Self> {
        value
            .filter(|v| !v.is_empty())
            .map(|v| Self(v.to_lowercase()))
    }

    /// Whether `hay` contains the needle; a NULL column never does.
    pub fn found_in(&self, hay: Option<&str>) -> bool {
        hay.is_some_and(|h| h.to_lowercase().contains(&self.0))
    }
}

/// Equality of two strings under `utf8mb4_general_ci` as far as the store needs it (login
/// names, uins): case-insensitive, trailing spaces ignored (PAD SPACE).
pub(crate) fn eq_ci(a: &str, b: &str) -> bool {
    ci_key(a) == ci_key(b)
}

/// The form of a string that `eq_ci` compares (for indexes of unique keys).
pub(crate) fn ci_key(s: &str) -> String {
    s.trim_end_matches(' ').to_lowercase()
}

/// The slice of `all` a page asks for, and the total.
pub(crate) fn slice<T>(all: Vec<T>, page: PageRequest) -> (Vec<T>, u64) {
    let total = all.len() as u64;
    let offset = usize::try_from(page.offset()).unwrap_or(usize::MAX);
    let limit = usize::try_from(page.limit()).unwrap_or(usize::MAX);
    (all.into_iter().skip(offset).take(limit).collect(), total)
}

/// A page of `all` with each selected item mapped by `f` (so only the page is built).
pub(crate) fn page_of<T, U>(all: Vec<T>, page: PageRequest, f: impl FnMut(T) -> U) -> Page<U> {
    let (items, total) = slice(all, page);
    Page {
        items: items.into_iter().map(f).collect(),
        total,
    }
}

/// Sorted, deduplicated ids.
pub(crate) fn unique(ids: impl IntoIterator<Item = i64>) -> Vec<i64> {
    let mut v: Vec<i64> = ids.into_iter().collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Side data the lists show of a contact, read within a scope exactly as the MySQL adapter
/// joins it: tags (the contact's tag rows in the scope, tags of the scope's tenant) ascending
/// with their names, the form of address of the scope's tenant, the WeChat account's nick
/// name when that account is in the scope.
impl Tables {
    pub fn tags_of(&self, scope: &Scope, contact: &Contact) -> (Vec<i64>, Vec<String>) {
        if !scope.sees(
            AdminUserId(contact.tenant_id),
            AdminUserId(contact.admin_user_id),
        ) {
            return (Vec::new(), Vec::new());
        }
        contact
            .tags
            .iter()
            .filter_map(|id| self.tags.get(id))
            .filter(|tag| tag.tenant_id == scope.tenant.0)
            .map(|tag| (tag.id, tag.name.clone().unwrap_or_default()))
            .unzip()
    }

    pub fn nick_name_of(&self, scope: &Scope, contact_id: i64) -> Option<String> {
        self.nick_names
            .get(&contact_id)
            .filter(|n| n.tenant_id == scope.tenant.0)
            .and_then(|n| n.nick_name.clone())
    }

    pub fn wechat_user_nick(&self, scope: &Scope, wechat_user_id: i64) -> Option<String> {
        self.wechat_users
            .get(&wechat_user_id)
            .filter(|w| {
                scope.sees(
                    AdminUserId(w.owner.tenant_id),
                    AdminUserId(w.owner.admin_user_id),
                )
            })
            .and_then(|w| w.nick_name.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needles_are_literal_and_case_insensitive() {
        let n = Needle::of(Some(&"Ab%".to_owned())).unwrap();
        assert!(n.found_in(Some("xaB%y")));
        assert!(!n.found_in(Some("abc")));
        assert!(!n.found_in(None));
        assert!(Needle::of(Some(&String::new())).is_none());
        assert!(eq_ci("A_Sub1 ", "a_sub1"));
    }

    #[test]
    fn counters_behave_like_auto_increment() {
        let mut c = 0;
        assert_eq!(take_id(&mut c), 1);
        bump_id(&mut c, 10);
        bump_id(&mut c, 3);
        assert_eq!(take_id(&mut c), 11);
    }
}
