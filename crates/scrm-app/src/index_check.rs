//! `scrm index check`: loads the customer index for tenants and compares what it answers
//! with what the SQL plans answer (`CustomerRepository`), for a set of filters in every scope
//! of each tenant (the main account and each sub-account): the exact count and the first
//! page's ids. Differences are printed (none expected); the command fails when there is one.
//! A case the index declines (a needle over a text it is unsure of, a catch-up past its
//! bound: SQL answers those in the server) is counted apart and is not a difference.
//!
//! The filters: none; each of the tenant's tags; a few name needles (one, two and three
//! characters) and phone needles (3 and 4 digits) taken from the tenant's own customers; a
//! creation-time range around the middle of the list; and the recycle bin. The manual
//! lists' totals and counts (`manual`) and findcontactbytagAll's selections (`contacts`) are
//! compared too.

mod contacts;
mod manual;

use std::fmt;

use chrono::{DateTime, Utc};
use scrm_domain::contact::{ContactIndex, ContactRepository};
use scrm_domain::customer::{CustomerFilter, CustomerIndex, CustomerRecord, CustomerRepository};
use scrm_domain::directory::DirectoryRepository;
use scrm_domain::manual::{ManualEntryRepository, ManualIndex};
use std::sync::Arc;

use anyhow::Context;
use scrm_domain::{AdminUserId, CustomerId, PageRequest, Scope};
use scrm_index::{IndexSettings, RoaringIndex};
use scrm_mysql::{MySql, PoolSettings};

use crate::Config;

/// The page compared (the first, of this size).
const PAGE_SIZE: u32 = 20;

/// One comparison that did not agree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub scope: Scope,
    /// The filter, readably.
    pub case: String,
    /// What the index answered: the count and the first page's ids.
    pub index: (u64, Vec<i64>),
    pub sql: (u64, Vec<i64>),
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "tenant {} account {}, {}: ",
            self.scope.tenant.0, self.scope.account.0, self.case
        )?;
        write!(
            f,
            "index {} {:?}; SQL {} {:?}",
            self.index.0, self.index.1, self.sql.0, self.sql.1
        )
    }
}

/// What a check found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub tenants: usize,
    /// Comparisons made.
    pub cases: usize,
    /// Cases the index declined (SQL answers them).
    pub declined: usize,
    pub differences: Vec<Difference>,
}

impl Report {
    /// Whether the index agreed with SQL everywhere.
    pub fn is_clean(&self) -> bool {
        self.differences.is_empty()
    }
}

/// What a check needs: SQL, the tenant's directory, and the index (loaded or loading).
pub struct Checker<'a> {
    pub repo: &'a dyn CustomerRepository,
    pub directory: &'a dyn DirectoryRepository,
    pub index: &'a dyn CustomerIndex,
    /// The manual lists, in SQL and in the index.
    pub manual: &'a dyn ManualEntryRepository,
    pub manual_index: &'a dyn ManualIndex,
    /// findcontactbytagAll's selection, in SQL and in the index.
    pub contacts: &'a dyn ContactRepository,
    pub contact_index: &'a dyn ContactIndex,
}

fn ids(ids: &[CustomerId]) -> Vec<i64> {
    ids.iter().map(|i| i.0).collect()
}

fn record_ids(rows: &[CustomerRecord]) -> Vec<i64> {
    rows.iter().map(|r| r.id.0).collect()
}

/// The first `n` characters of a text, when it has that many.
fn prefix(text: Option<&String>, n: usize) -> Option<String> {
    let t = text?;
    (t.chars().count() >= n).then(|| t.chars().take(n).collect())
}

/// Name, phone and time filters taken from the tenant's own customers (`rows`: a page of
/// the main account's list).
fn sampled(rows: &[CustomerRecord]) -> Vec<(String, CustomerFilter)> {
    let mut cases = Vec::new();
    let mut needles: Vec<String> = Vec::new();
    for r in rows.iter().take(4) {
        needles.extend(prefix(r.customer_name.as_ref(), 1));
        needles.extend(prefix(r.contact_nick_name.as_ref(), 2));
        needles.extend(prefix(r.remark_name.as_ref(), 3));
    }
    needles.sort();
    needles.dedup();
    for n in needles.into_iter().take(6) {
        cases.push((
            format!("name contains {n:?}"),
            CustomerFilter {
                name: Some(n),
                ..CustomerFilter::default()
            },
        ));
    }
    let mut digits: Vec<String> = Vec::new();
    for r in rows.iter().take(3) {
        let d: String = r
            .customer_phone
            .iter()
            .flat_map(|p| p.chars())
            .filter(char::is_ascii_digit)
            .collect();
        if d.len() >= 7 {
            digits.push(d[3..6].to_owned());
            digits.push(d[d.len() - 4..].to_owned());
        }
    }
    digits.sort();
    digits.dedup();
    for d in digits {
        cases.push((
            format!("phone contains {d}"),
            CustomerFilter {
                phone_digits: Some(d),
                ..CustomerFilter::default()
            },
        ));
    }
    let times: Vec<DateTime<Utc>> = rows.iter().map(|r| r.create_time).collect();
    if let (Some(first), Some(last)) = (times.first(), times.last()) {
        // The list is newest first: a range from the last row's time to the middle row's.
        let middle = times.get(times.len() / 2).unwrap_or(first);
        cases.push((
            format!("created {last} ..= {middle}"),
            CustomerFilter {
                begin: Some(*last),
                end: Some(*middle),
                ..CustomerFilter::default()
            },
        ));
        cases.push((
            format!("created from {middle}"),
            CustomerFilter {
                begin: Some(*middle),
                ..CustomerFilter::default()
            },
        ));
    }
    cases
}

impl Checker<'_> {
    /// Compares the index with SQL for every scope of `tenant`; `Ok(None)` when there is no
    /// such tenant.
    ///
    /// # Errors
    /// When SQL fails.
    pub async fn tenant(&self, tenant: AdminUserId) -> anyhow::Result<Option<Report>> {
        let main = Scope {
            account: tenant,
            tenant,
        };
        let Some(directory) = self.directory.directory(&main).await? else {
            return Ok(None);
        };
        let sample = self
            .repo
            .page(&main, &CustomerFilter::default(), PageRequest::new(1, 100)?)
            .await?;
        let mut cases = vec![("no filter".to_owned(), CustomerFilter::default())];
        for tag in &directory.tags {
            cases.push((
                format!("tag {}", tag.id.0),
                CustomerFilter {
                    tag_ids: vec![tag.id],
                    ..CustomerFilter::default()
                },
            ));
        }
        cases.extend(sampled(&sample.items));
        let scopes: Vec<Scope> = std::iter::once(main)
            .chain(
                directory
                    .accounts
                    .iter()
                    .filter(|a| a.id != tenant)
                    .map(|a| Scope::for_account(a.id, Some(tenant))),
            )
            .collect();
        let mut report = Report {
            tenants: 1,
            ..Report::default()
        };
        let first = PageRequest::new(1, PAGE_SIZE)?;
        for scope in &scopes {
            for (case, filter) in &cases {
                let sql = self.repo.page(scope, filter, first).await?;
                let index = self.index.page(scope, filter, first).await;
                compare(&mut report, scope, case, index, &sql);
            }
            let all = Default::default();
            let sql = self.repo.recycle_bin(scope, &all, first).await?;
            let index = self.index.recycle_bin(scope, &all, first).await;
            compare(&mut report, scope, "recycle bin", index, &sql);
            self.manual_lists(scope, &mut report).await?;
            self.contact_selections(scope, &directory, &mut report)
                .await?;
        }
        Ok(Some(report))
    }
}

/// Records one comparison in the report.
fn compare(
    report: &mut Report,
    scope: &Scope,
    case: &str,
    index: Option<scrm_domain::customer::IndexedPage>,
    sql: &scrm_domain::Page<CustomerRecord>,
) {
    let sql = (sql.total, record_ids(&sql.items));
    record(
        report,
        scope,
        case,
        index.map(|p| (p.total, ids(&p.ids))),
        sql,
    );
}

/// Records one comparison of a count and a list of numbers (`None`: the index declined).
fn record(
    report: &mut Report,
    scope: &Scope,
    case: &str,
    index: Option<(u64, Vec<i64>)>,
    sql: (u64, Vec<i64>),
) {
    report.cases += 1;
    let Some(index) = index else {
        report.declined += 1;
        return;
    };
    if index != sql {
        report.differences.push(Difference {
            scope: *scope,
            case: case.to_owned(),
            index,
            sql,
        });
    }
}

/// `scrm index check [--tenant ID]`: loads each tenant (every tenant without `--tenant`) into
/// a fresh index without a memory budget and compares it with SQL.
///
/// # Errors
/// When the store is `memory`, the tenant does not exist or cannot be indexed, or MariaDB
/// fails.
pub async fn run(config: &Config, tenant: Option<AdminUserId>) -> anyhow::Result<Report> {
    if config.store == crate::StoreKind::Memory {
        anyhow::bail!("the index is built from MariaDB: nothing to check with the memory store");
    }
    let pool = scrm_mysql::build_pool(&config.database_url, &PoolSettings::default())
        .context("SCRM_DATABASE_URL")?;
    let mysql = Arc::new(MySql::new(pool));
    let index = RoaringIndex::new(
        mysql.clone(),
        IndexSettings {
            max_bytes: usize::MAX,
            ..IndexSettings::default()
        },
    );
    let tenants = match tenant {
        Some(t) => vec![t],
        None => scrm_domain::customer::IndexSource::tenants(mysql.as_ref()).await?,
    };
    let checker = Checker {
        repo: mysql.as_ref(),
        directory: mysql.as_ref(),
        index: &index,
        manual: mysql.as_ref(),
        manual_index: &index,
        contacts: mysql.as_ref(),
        contact_index: &index,
    };
    let mut report = Report::default();
    for t in tenants {
        if !index.load_tenant(t).await? {
            anyhow::bail!("tenant {} could not be loaded into the index", t.0);
        }
        let Some(one) = checker.tenant(t).await? else {
            anyhow::bail!("no tenant (main account) {}", t.0);
        };
        report.tenants += one.tenants;
        report.cases += one.cases;
        report.declined += one.declined;
        report.differences.extend(one.differences);
    }
    Ok(report)
}
