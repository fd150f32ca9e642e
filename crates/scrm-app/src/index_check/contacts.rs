//! findcontactbytagAll's selection in `scrm index check`: in one scope, the contacts of online
//! accounts and of every account, those having each of the tenant's first tags, all of the
//! first two, none of the first, and those of one WeChat account of the scope. The whole
//! selection is compared (its length and its ids); a difference shows [`super::PAGE_SIZE`]
//! ids from the first position where the two differ.

use scrm_domain::contact::ContactTagQuery;
use scrm_domain::directory::Directory;
use scrm_domain::search::TagMode;
use scrm_domain::{ContactId, OwnerFilter, Scope, TagId};

use super::{Checker, PAGE_SIZE, Report, record};

/// Tags whose contacts are compared, per scope.
const TAGS: usize = 3;

/// The selections compared in `scope` (`directory`: the tenant's, as its main account sees
/// it).
fn cases(scope: &Scope, directory: &Directory) -> Vec<(String, ContactTagQuery)> {
    let every = ContactTagQuery {
        include_offline: true,
        ..ContactTagQuery::default()
    };
    let tagged = |tags: &[TagId], mode: TagMode| ContactTagQuery {
        tag_ids: tags.to_vec(),
        tag_mode: mode,
        ..every.clone()
    };
    let mut cases = vec![
        (
            "contacts on online accounts".to_owned(),
            ContactTagQuery::default(),
        ),
        ("contacts".to_owned(), every.clone()),
    ];
    let tags: Vec<TagId> = directory.tags.iter().take(TAGS).map(|t| t.id).collect();
    for t in &tags {
        cases.push((
            format!("contacts tagged {}", t.0),
            tagged(&[*t], TagMode::Any),
        ));
    }
    if let [a, b, ..] = tags[..] {
        cases.push((
            format!("contacts tagged {} and {}", a.0, b.0),
            tagged(&[a, b], TagMode::All),
        ));
    }
    if let Some(t) = tags.first() {
        cases.push((
            format!("contacts on online accounts not tagged {}", t.0),
            ContactTagQuery {
                include_offline: false,
                ..tagged(&[*t], TagMode::None)
            },
        ));
    }
    let mine = directory
        .wechat_users
        .iter()
        .find(|w| match scope.owner_filter() {
            OwnerFilter::Tenant(_) => true,
            OwnerFilter::Account(a) => w.admin_user_id == a,
        });
    if let Some(w) = mine {
        cases.push((
            format!("contacts of WeChat account {}", w.id.0),
            ContactTagQuery {
                wechat_user_id: Some(w.id),
                ..every
            },
        ));
    }
    cases
}

/// A selection as compared: its length and some of its ids.
type Window = (u64, Vec<i64>);

/// The selections as compared: their lengths, and [`PAGE_SIZE`] ids of each from the first
/// position where they differ (from the start when they agree), with that position.
fn windows(index: &[ContactId], sql: &[ContactId]) -> (usize, Window, Window) {
    let from = if index == sql {
        0
    } else {
        index.iter().zip(sql).take_while(|(a, b)| a == b).count()
    };
    let window = |ids: &[ContactId]| {
        let n = u64::try_from(ids.len()).unwrap_or(u64::MAX);
        let page = PAGE_SIZE as usize;
        (n, ids.iter().skip(from).take(page).map(|c| c.0).collect())
    };
    (from, window(index), window(sql))
}

impl Checker<'_> {
    /// Compares findcontactbytagAll's selections of one scope.
    pub(super) async fn contact_selections(
        &self,
        scope: &Scope,
        directory: &Directory,
        report: &mut Report,
    ) -> anyhow::Result<()> {
        for (case, q) in cases(scope, directory) {
            let sql: Vec<ContactId> = self
                .contacts
                .find_by_tags(scope, &q)
                .await?
                .iter()
                .map(|c| c.id)
                .collect();
            let Some(index) = self.contact_index.select(scope, &q).await else {
                record(report, scope, &case, None, (0, Vec::new()));
                continue;
            };
            let (from, index, sql) = windows(&index, &sql);
            let case = if from == 0 {
                case
            } else {
                format!("{case} (from #{from})")
            };
            record(report, scope, &case, Some(index), sql);
        }
        Ok(())
    }
}
