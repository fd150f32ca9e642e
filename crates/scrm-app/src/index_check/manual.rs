//! The manual lists in `scrm index check`: in one scope, getManualTaskList's totals of every
//! assignee (compared as the number of assignees and each one's id and four totals), and for
//! up to [`ASSIGNEES`] of them getManualTaskDetail's count with no filter, each status
//! filter, and a customer-name and a company needle taken from the assignee's first entry.

use scrm_domain::manual::{AssigneeQuery, AssigneeTotals, DetailQuery, ManualEntry};
use scrm_domain::{AdminUserId, PageRequest, Scope};

use super::{Checker, Report, prefix, record};

/// Assignees whose detail counts are compared, per scope.
const ASSIGNEES: usize = 10;

/// The totals as numbers: per assignee its id and four totals.
fn flat(totals: &[AssigneeTotals]) -> (u64, Vec<i64>) {
    let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    let numbers = totals
        .iter()
        .flat_map(|t| {
            [
                t.admin_user_id.0,
                n(t.entries),
                n(t.dialled),
                n(t.friend_requests_sent),
                n(t.added),
            ]
        })
        .collect();
    (u64::try_from(totals.len()).unwrap_or(u64::MAX), numbers)
}

fn detail(assignee: AdminUserId) -> DetailQuery {
    DetailQuery {
        admin_user_id: assignee,
        company: None,
        customer_name: None,
        user_name: None,
        dial_status: None,
        add_status: None,
    }
}

/// The detail queries compared for one assignee (`first`: its first entry, if any).
fn detail_cases(assignee: AdminUserId, first: Option<&ManualEntry>) -> Vec<(String, DetailQuery)> {
    let all = detail(assignee);
    let mut cases = vec![
        ("all".to_owned(), all.clone()),
        (
            "dialled".to_owned(),
            DetailQuery {
                dial_status: Some(1),
                ..all.clone()
            },
        ),
        (
            "not dialled, no request".to_owned(),
            DetailQuery {
                dial_status: Some(0),
                add_status: Some(0),
                ..all.clone()
            },
        ),
        (
            "added".to_owned(),
            DetailQuery {
                add_status: Some(2),
                ..all.clone()
            },
        ),
    ];
    if let Some(name) = first.and_then(|e| prefix(e.customer_name.as_ref(), 1)) {
        cases.push((
            format!("customer name contains {name:?}"),
            DetailQuery {
                customer_name: Some(name),
                ..all.clone()
            },
        ));
    }
    if let Some(company) = first.and_then(|e| prefix(e.company.as_ref(), 2)) {
        cases.push((
            format!("company contains {company:?}"),
            DetailQuery {
                company: Some(company),
                ..all
            },
        ));
    }
    cases
}

impl Checker<'_> {
    /// Compares the manual lists' totals and counts of one scope.
    pub(super) async fn manual_lists(
        &self,
        scope: &Scope,
        report: &mut Report,
    ) -> anyhow::Result<()> {
        let one = PageRequest::new(1, 1)?;
        let mut assignees = Vec::new();
        // Every assignee, page after page.
        for no in 1.. {
            let page = self
                .manual
                .assignees(scope, &AssigneeQuery::default(), PageRequest::new(no, 100)?)
                .await?;
            let last = page.items.len() < 100;
            assignees.extend(page.items.into_iter().map(|a| AssigneeTotals {
                admin_user_id: a.admin_user_id,
                entries: a.entries,
                dialled: a.dialled,
                friend_requests_sent: a.friend_requests_sent,
                added: a.added,
            }));
            if last {
                break;
            }
        }
        let index = self.manual_index.assignee_totals(scope, None).await;
        record(
            report,
            scope,
            "manual totals",
            index.map(|t| flat(&t)),
            flat(&assignees),
        );
        for a in assignees.iter().take(ASSIGNEES) {
            let all = detail(a.admin_user_id);
            let first = self.manual.entries(scope, &all, one).await?;
            for (case, q) in detail_cases(a.admin_user_id, first.items.first()) {
                let sql = self.manual.entries(scope, &q, one).await?.total;
                let index = self.manual_index.entry_count(scope, &q).await;
                record(
                    report,
                    scope,
                    &format!("manual entries of {}: {case}", a.admin_user_id.0),
                    index.map(|n| (n, Vec::new())),
                    (sql, Vec::new()),
                );
            }
        }
        Ok(())
    }
}
