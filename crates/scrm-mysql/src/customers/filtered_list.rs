//! The live customers of a scope matching a filter, in one of two shapes chosen by the filter:
//! on `customer` alone when no filter reads a contact, so counts and deep pages stay on
//! `customer`'s own indexes (`idx_customer_tenant_list`, `idx_customer_admin_list`, index
//! only), or joined to `wechat_contact` when a filter must read the contact's names.
//!
//! A name, phone or tag filter is answered by one of two plans ([`Plan`]): `Narrow` starts from
//! the matching customers (the grams of `customer_name_gram` and `customer_phone_gram`, the
//! tag's `contact_tag` rows), which costs what the matches cost; `Walk` reads the list index
//! newest first and checks each customer (the `LIKE`s, a probe of the contact's tags), which
//! stops after the page and costs the rows it passes. Counts always narrow; [`Plan::choose`]
//! picks the cheaper for a page.

use diesel::dsl::{InnerJoin, IntoBoxed};
use diesel::mysql::Mysql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
use scrm_domain::customer::{BinFilter, CustomerFilter, ExportCursor};
use scrm_domain::search::{SearchTerm, TagMode};
use scrm_domain::{CustomerId, Scope, TagId};

use super::grams::{self, NeedleGrams};
use crate::db_time::{Bound, since_bound, to_db, until_bound};
use crate::expr::{Uncached, ids_in};
use crate::id_lists::unique;
use crate::like::{LIKE_ESCAPE, contains, text_contains};
use crate::schema::{
    contact_tag, customer, customer_name_gram, customer_phone_gram, customer_spelling,
    customer_spelling_gram, wechat_contact,
};
use crate::scope::{contact_tag_scope, customer_scope};

fn given(value: Option<&String>) -> Option<String> {
    value.filter(|v| !v.is_empty()).map(|v| contains(v))
}

/// How a name, phone or tag filter finds its customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// From the matches: the name and phone grams, the tag's links.
    Narrow,
    /// Down the list index newest first, checking every customer.
    Walk,
}

impl Plan {
    /// The cheaper plan for the rows `wanted` (offset + limit) of a list of about `matches`
    /// customers out of the scope's `live`: a walk passes about `wanted * live / matches`
    /// rows, narrowing reads the `matches` (and sorts them); their costs per row are alike.
    pub fn choose(wanted: u64, matches: u64, live: u64) -> Self {
        if u128::from(wanted) * u128::from(live) < u128::from(matches) * u128::from(matches) {
            Self::Walk
        } else {
            Self::Narrow
        }
    }

    /// The plan when the count alone decides it, so the scope's live count need not be read:
    /// no more matches than rows wanted always narrows (`live` is at least `matches`).
    pub fn by_count(wanted: u64, matches: u64) -> Option<Self> {
        (matches <= wanted).then_some(Self::Narrow)
    }
}

/// Whether the filter has a part [`Plan`] applies to.
pub(super) fn plannable(f: &CustomerFilter) -> bool {
    f.name.as_deref().is_some_and(|n| !n.is_empty())
        || !f.tag_ids.is_empty()
        || f.phone_digits
            .as_deref()
            .is_some_and(|d| grams::of_phone_needle(d).is_some())
}

/// `customer.id IN (customers holding every gram of the needle)` in a gram table
/// (`customer_name_gram` or `customer_phone_gram`), for the scope's tenant.
macro_rules! having_grams {
    ($q:expr, $table:ident, $scope:expr, $g:expr) => {{
        let (tenant, g): (i64, &NeedleGrams) = ($scope.tenant.0, $g);
        let of_tenant = || {
            $table::table
                .filter($table::tenant_id.eq(tenant))
                .select($table::customer_id)
        };
        let mut q = $q;
        if let Some(p) = &g.prefix {
            q = q.filter(
                customer::id
                    .eq_any(of_tenant().filter($table::gram.like(p.clone()).escape(LIKE_ESCAPE))),
            );
        }
        for gram in &g.equal {
            q = q.filter(customer::id.eq_any(of_tenant().filter($table::gram.eq(gram.clone()))));
        }
        q
    }};
}

/// Whether the filter selects every live customer of the scope (its count is counted).
pub(super) fn unfiltered(f: &CustomerFilter) -> bool {
    let CustomerFilter {
        terms,
        name,
        phone_digits,
        tag_ids,
        tag_mode: _,
        begin,
        end,
        remarks,
        remark_name,
        wechat_user_id,
    } = f;
    [name, phone_digits, remarks, remark_name]
        .iter()
        .all(|v| given(v.as_ref()).is_none())
        && tag_ids.is_empty()
        && terms.is_empty()
        && begin.is_none()
        && end.is_none()
        && wechat_user_id.is_none()
}

/// The tags of a filter in their mode: `any` narrows to the contacts holding one of them (or
/// probes each customer's, walking), `all` to those holding each of them (or probes the
/// number of them held), `none` leaves out those holding one of them. The tag rows are read
/// within the scope.
macro_rules! tag_filter {
    ($q:expr, $scope:expr, $tags:expr, $mode:expr, $plan:expr) => {{
        let (scope, tags, mode, plan): (&Scope, &[TagId], TagMode, Plan) =
            ($scope, $tags, $mode, $plan);
        let mut q = $q;
        if !tags.is_empty() {
            let tags = unique(tags.iter().map(|t| t.0));
            let tagged = |ids: Vec<i64>| {
                contact_tag::table
                    .filter(contact_tag_scope(scope))
                    .filter(contact_tag::tag_id.eq_any(ids))
                    .select(contact_tag::contact_id)
            };
            match (plan, mode) {
                (Plan::Walk, _) => q = q.filter(tag_probe(&tags, mode)),
                (Plan::Narrow, TagMode::Any) => {
                    q = q.filter(customer::wechat_contact_id.eq_any(tagged(tags)));
                }
                (Plan::Narrow, TagMode::All) => {
                    for tag in tags {
                        q = q.filter(customer::wechat_contact_id.eq_any(tagged(vec![tag])));
                    }
                }
                (Plan::Narrow, TagMode::None) => {
                    q = q.filter(diesel::dsl::not(
                        customer::wechat_contact_id.eq_any(tagged(tags)),
                    ));
                }
            }
        }
        q
    }};
}

/// Every term of `q` on the joined shape: a term matches a customer whose names contain it
/// (`LIKE`, as `customerName`), whose pinyin spellings contain it lower-cased
/// ([`spelled_by`]), or, for a phone term, whose phone digits contain its digits.
macro_rules! term_filters {
    ($q:expr, $scope:expr, $terms:expr) => {{
        let (scope, terms): (&Scope, &[SearchTerm]) = ($scope, $terms);
        let mut q = $q;
        for term in terms {
            let names = contains(&term.text);
            let (is_phone, phone) = match &term.phone_digits {
                Some(d) => (true, contains(d)),
                None => (false, String::new()),
            };
            q = q.filter(
                text_contains(customer::customer_name, names.clone())
                    .or(text_contains(wechat_contact::nick_name, names.clone()))
                    .or(text_contains(wechat_contact::remark_name, names))
                    .or(customer::id.eq_any(spelled_by(scope.tenant.0, &term.lower)))
                    .or(is_phone
                        .into_sql::<diesel::sql_types::Bool>()
                        .and(customer::phone_digits.like(phone).escape(LIKE_ESCAPE))),
            );
        }
        q
    }};
}

/// The customers of the tenant one of whose spellings contains `lower`: starting from those
/// holding its grams (`customer_spelling_gram`), checked by the `LIKE` (exact).
fn spelled_by(tenant: i64, lower: &str) -> customer_spelling::BoxedQuery<'static, Mysql, BigInt> {
    let mut q = customer_spelling::table
        .filter(customer_spelling::tenant_id.eq(tenant))
        .filter(
            customer_spelling::spelling
                .like(contains(lower))
                .escape(LIKE_ESCAPE),
        )
        .select(customer_spelling::customer_id)
        .into_boxed();
    let g = grams::of_needle(lower);
    let of_tenant = || {
        customer_spelling_gram::table
            .filter(customer_spelling_gram::tenant_id.eq(tenant))
            .select(customer_spelling_gram::customer_id)
    };
    if let Some(p) = g.prefix {
        q =
            q.filter(customer_spelling::customer_id.eq_any(
                of_tenant().filter(customer_spelling_gram::gram.like(p).escape(LIKE_ESCAPE)),
            ));
    }
    for gram in g.equal {
        q = q.filter(
            customer_spelling::customer_id
                .eq_any(of_tenant().filter(customer_spelling_gram::gram.eq(gram))),
        );
    }
    q
}

/// The filters on `customer`'s own columns (and its tags), for either shape.
macro_rules! customer_filters {
    ($q:expr, $scope:expr, $f:expr, $plan:expr) => {{
        let (scope, f, plan): (&Scope, &CustomerFilter, Plan) = ($scope, $f, $plan);
        let mut q = $q
            .filter(customer_scope(scope))
            .filter(customer::deleted_at.is_null());
        let phone = f.phone_digits.as_ref().filter(|v| !v.is_empty());
        let phone_grams = phone
            .filter(|_| plan == Plan::Narrow)
            .and_then(|d| grams::of_phone_needle(d));
        if let Some(g) = &phone_grams {
            q = having_grams!(q, customer_phone_gram, scope, g);
        }
        if let Some(d) = phone.filter(|_| !phone_grams.as_ref().is_some_and(|g| g.exact)) {
            q = q.filter(customer::phone_digits.like(contains(d)).escape(LIKE_ESCAPE));
        }
        q = tag_filter!(q, scope, &f.tag_ids, f.tag_mode, plan);
        match f.begin.map(since_bound) {
            Some(Bound::At(t)) => q = q.filter(customer::create_time.ge(t)),
            Some(Bound::Never) => q = q.filter(ids_in(customer::id, &[])),
            Some(Bound::Always) | None => {}
        }
        match f.end.map(until_bound) {
            Some(Bound::At(t)) => q = q.filter(customer::create_time.le(t)),
            Some(Bound::Never) => q = q.filter(ids_in(customer::id, &[])),
            Some(Bound::Always) | None => {}
        }
        if let Some(p) = given(f.remarks.as_ref()) {
            q = q.filter(text_contains(customer::remarks, p));
        }
        if let Some(w) = f.wechat_user_id {
            q = q.filter(customer::wechat_user_id.eq(w.0));
        }
        q
    }};
}

/// Whether the customer's contact holds the tags as `mode` asks (one of them, each of them,
/// none of them), probed row by row (the contact_tag primary key): a scalar subquery, which
/// MariaDB evaluates per row where it would turn an `IN` or `EXISTS` into a semi-join that
/// reads every link of the tag first. The tag ids (distinct) and their number are integers
/// written into the SQL (no text reaches it).
fn tag_probe(
    tags: &[i64],
    mode: TagMode,
) -> diesel::expression::SqlLiteral<diesel::sql_types::Bool> {
    let list = tags
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
        "(SELECT COUNT(*) FROM contact_tag WHERE contact_tag.contact_id = \
         customer.wechat_contact_id AND contact_tag.tag_id IN ({list})) {}",
        match mode {
            TagMode::Any => "> 0".to_owned(),
            TagMode::All => format!("= {}", tags.len()),
            TagMode::None => "= 0".to_owned(),
        }
    ))
}

/// Newest first (createTime, then id, descending), after a keyset cursor, one id only.
macro_rules! ids_of {
    ($q:expr, $conn:expr, $sel:expr) => {{
        let sel: &Select = $sel;
        let mut q = $q;
        if let Some(c) = sel.after {
            let t = to_db(c.create_time);
            // Never cached: see `Uncached` for what a re-executed statement did.
            q = q.filter(Uncached(
                customer::create_time
                    .lt(t)
                    .or(customer::create_time.eq(t).and(customer::id.lt(c.id.0))),
            ));
        }
        if let Some(id) = sel.only {
            q = q.filter(customer::id.eq(id.0));
        }
        q.select(customer::id)
            .order((customer::create_time.desc(), customer::id.desc()))
            .limit(sel.limit)
            .offset(sel.offset)
            .load($conn)
            .await
    }};
}

/// Which ids of a list to read.
#[derive(Debug, Clone, Copy)]
pub(super) struct Select {
    pub after: Option<ExportCursor>,
    pub only: Option<CustomerId>,
    pub limit: i64,
    pub offset: i64,
}

/// A filtered list in its shape.
pub(super) enum FilteredList<'a> {
    Own(IntoBoxed<'a, customer::table, Mysql>),
    Joined(IntoBoxed<'a, InnerJoin<customer::table, wechat_contact::table>, Mysql>),
}

impl FilteredList<'_> {
    /// Live customers of the scope matching the filter, found by `plan`.
    pub(super) fn of(scope: &Scope, f: &CustomerFilter, plan: Plan) -> Self {
        let name = f.name.as_ref().filter(|v| !v.is_empty());
        let remark_name = given(f.remark_name.as_ref());
        let name_grams = name
            .filter(|_| plan == Plan::Narrow)
            .map(|n| grams::of_needle(n));
        let like_name = match &name_grams {
            Some(g) if g.exact => None,
            _ => name.map(|n| contains(n)),
        };
        if like_name.is_none() && remark_name.is_none() && f.terms.is_empty() {
            let mut q = customer_filters!(customer::table.into_boxed(), scope, f, plan);
            if let Some(g) = &name_grams {
                q = having_grams!(q, customer_name_gram, scope, g);
            }
            return Self::Own(q);
        }
        let joined = customer::table
            .inner_join(wechat_contact::table)
            .into_boxed();
        let mut q = customer_filters!(joined, scope, f, plan);
        if let Some(g) = &name_grams {
            q = having_grams!(q, customer_name_gram, scope, g);
        }
        if let Some(p) = like_name {
            q = q.filter(
                text_contains(customer::customer_name, p.clone())
                    .or(text_contains(wechat_contact::nick_name, p.clone()))
                    .or(text_contains(wechat_contact::remark_name, p)),
            );
        }
        if let Some(p) = remark_name {
            q = q.filter(text_contains(wechat_contact::remark_name, p));
        }
        Self::Joined(term_filters!(q, scope, &f.terms))
    }

    /// The binned customers of the scope matching the recycle bin's filter (joined).
    pub(super) fn binned(scope: &Scope, f: &BinFilter) -> Self {
        let q = customer::table
            .inner_join(wechat_contact::table)
            .into_boxed()
            .filter(customer_scope(scope))
            .filter(customer::deleted_at.is_not_null());
        let q = tag_filter!(q, scope, &f.tag_ids, f.tag_mode, Plan::Narrow);
        Self::Joined(term_filters!(q, scope, &f.terms))
    }

    /// `COUNT(*)` of the list.
    pub(super) async fn count(self, conn: &mut AsyncMysqlConnection) -> QueryResult<i64> {
        match self {
            Self::Own(q) => q.count().get_result(conn).await,
            Self::Joined(q) => q.count().get_result(conn).await,
        }
    }

    /// `COUNT(*)` of the list, counted no further than `cap`.
    pub(super) async fn count_upto(
        self,
        conn: &mut AsyncMysqlConnection,
        cap: i64,
    ) -> QueryResult<i64> {
        let ids: Vec<i64> = match self {
            Self::Own(q) => q.select(customer::id).limit(cap).load(conn).await?,
            Self::Joined(q) => q.select(customer::id).limit(cap).load(conn).await?,
        };
        Ok(i64::try_from(ids.len()).unwrap_or(i64::MAX))
    }

    /// The ids `sel` names.
    pub(super) async fn ids(
        self,
        conn: &mut AsyncMysqlConnection,
        sel: &Select,
    ) -> QueryResult<Vec<i64>> {
        match self {
            Self::Own(q) => ids_of!(q, conn, sel),
            Self::Joined(q) => ids_of!(q, conn, sel),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Plan;

    #[test]
    fn a_page_near_the_top_of_a_popular_match_walks_and_a_rare_one_narrows() {
        // The big tenant's 294,000 customers: 王 (31,549 matches) walks for page 1, a rare
        // name narrows, and so does a deep page of 王 (walking would pass most of the tenant).
        assert_eq!(Plan::choose(20, 31_549, 294_000), Plan::Walk);
        assert_eq!(Plan::choose(20, 21, 294_000), Plan::Narrow);
        assert_eq!(Plan::choose(30_000, 31_549, 294_000), Plan::Narrow);
        // No overflow at the extremes.
        assert_eq!(Plan::choose(u64::MAX, u64::MAX, u64::MAX), Plan::Narrow);
        assert_eq!(Plan::choose(1, u64::MAX, u64::MAX), Plan::Walk);
    }

    #[test]
    fn few_matches_decide_without_the_live_count() {
        assert_eq!(Plan::by_count(20, 20), Some(Plan::Narrow));
        assert_eq!(Plan::by_count(20, 0), Some(Plan::Narrow));
        assert_eq!(Plan::by_count(20, 21), None);
        // Whatever the live count (at least the matches), `choose` agrees.
        for live in [20, 1_000, u64::MAX] {
            assert_eq!(Plan::choose(20, 20, live), Plan::Narrow);
        }
    }
}
