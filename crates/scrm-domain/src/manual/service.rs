//! The manual-task use cases: the assignee list and detail, delete and restore, add by hand,
//! and the dial before adding a friend.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::index::{AssigneeTotals, ManualIndex};
use super::model::{
    AddBeforeFriend, AddManualTask, AddOutcome, AssigneeAccount, AssigneeQuery, AssigneeSummary,
    DetailQuery, DialOutcome, DialRequest, FriendRequest, ManualEntry, NewManualEntry,
    RestoreOutcome,
};
use super::ports::{FriendRequestQueue, ManualEntryRepository};
use crate::customer::NoIndex;
use crate::phone::Phone;
use crate::text::{check_len, limits};
use crate::{AdminUserId, ManualEntryId, Page, PageRequest, Scope, ServiceError};

/// The manual-task use cases.
pub struct ManualEntryService {
    repo: Arc<dyn ManualEntryRepository>,
    queue: Arc<dyn FriendRequestQueue>,
    index: Arc<dyn ManualIndex>,
}

impl ManualEntryService {
    /// The use cases over a repository alone (every total and count from its plans).
    pub fn new(repo: Arc<dyn ManualEntryRepository>, queue: Arc<dyn FriendRequestQueue>) -> Self {
        Self::with_index(repo, queue, Arc::new(NoIndex))
    }

    /// The use cases with an index that gives the lists' totals and counts when it can; the
    /// repository gives the rest, and the rows and names of every page.
    pub fn with_index(
        repo: Arc<dyn ManualEntryRepository>,
        queue: Arc<dyn FriendRequestQueue>,
        index: Arc<dyn ManualIndex>,
    ) -> Self {
        Self { repo, queue, index }
    }

    /// getManualTaskList.
    ///
    /// # Errors
    /// `Store` when the store fails.
    pub async fn assignees(
        &self,
        scope: &Scope,
        query: &AssigneeQuery,
        page: PageRequest,
    ) -> Result<Page<AssigneeSummary>, ServiceError> {
        match self.index.assignee_totals(scope, query.admin_user_id).await {
            Some(totals) => self.summaries(totals, query, page).await,
            None => Ok(self.repo.assignees(scope, query, page).await?),
        }
    }

    /// The page of an index's totals: the department filter and the names from the
    /// repository's accounts (all of them with a department filter, else the page's).
    async fn summaries(
        &self,
        mut totals: Vec<AssigneeTotals>,
        query: &AssigneeQuery,
        page: PageRequest,
    ) -> Result<Page<AssigneeSummary>, ServiceError> {
        let mut accounts = HashMap::new();
        if let Some(depart) = query.depart_id {
            accounts = self.accounts(&totals).await?;
            totals.retain(|t| {
                accounts
                    .get(&t.admin_user_id)
                    .is_some_and(|a| a.depart_id == Some(depart))
            });
        }
        let total = u64::try_from(totals.len()).unwrap_or(u64::MAX);
        let skip = usize::try_from(page.offset()).unwrap_or(usize::MAX);
        let take = usize::try_from(page.limit()).unwrap_or(usize::MAX);
        let shown: Vec<AssigneeTotals> = totals.into_iter().skip(skip).take(take).collect();
        if query.depart_id.is_none() {
            accounts = self.accounts(&shown).await?;
        }
        let items = shown
            .into_iter()
            .map(|t| AssigneeSummary {
                admin_user_id: t.admin_user_id,
                real_name: accounts
                    .get(&t.admin_user_id)
                    .and_then(|a| a.real_name.clone()),
                entries: t.entries,
                dialled: t.dialled,
                friend_requests_sent: t.friend_requests_sent,
                added: t.added,
            })
            .collect();
        Ok(Page { items, total })
    }

    /// The accounts of these assignees, by id.
    async fn accounts(
        &self,
        of: &[AssigneeTotals],
    ) -> Result<HashMap<AdminUserId, AssigneeAccount>, ServiceError> {
        if of.is_empty() {
            return Ok(HashMap::new());
        }
        let ids: Vec<AdminUserId> = of.iter().map(|t| t.admin_user_id).collect();
        let found = self.repo.assignee_accounts(&ids).await?;
        Ok(found.into_iter().map(|a| (a.admin_user_id, a)).collect())
    }

    /// getManualTaskDetail. An assignee outside the scope gives an empty page.
    ///
    /// # Errors
    /// `Invalid` for a status out of range or too long text, `Store` when the store fails.
    pub async fn entries(
        &self,
        scope: &Scope,
        query: &DetailQuery,
        page: PageRequest,
    ) -> Result<Page<ManualEntry>, ServiceError> {
        for (param, value) in [
            ("company", &query.company),
            ("customerName", &query.customer_name),
            ("userName", &query.user_name),
        ] {
            if let Some(v) = value {
                check_len(param, v, limits::NAME)?;
            }
        }
        check_status("dialStatus", query.dial_status, 1)?;
        check_status("addStatus", query.add_status, 2)?;
        let Some(total) = self.index.entry_count(scope, query).await else {
            return Ok(self.repo.entries(scope, query, page).await?);
        };
        let items = if page.offset() >= total {
            Vec::new()
        } else {
            self.repo.entry_rows(scope, query, page).await?
        };
        Ok(Page { items, total })
    }

    /// delManualTask.
    ///
    /// # Errors
    /// `NotFound` when the assignee has no live entries in the scope.
    pub async fn delete_assignee(
        &self,
        scope: &Scope,
        assignee: AdminUserId,
        now: DateTime<Utc>,
    ) -> Result<u64, ServiceError> {
        match self.repo.delete_assignee(scope, assignee, now).await? {
            0 => Err(ServiceError::NotFound("manual entries")),
            n => Ok(n),
        }
    }

    /// delManualTaskDetail.
    ///
    /// # Errors
    /// `NotFound` when it is not a live entry of the scope.
    pub async fn delete_entry(
        &self,
        scope: &Scope,
        id: ManualEntryId,
        now: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        if self.repo.delete_entry(scope, id, now).await? {
            Ok(())
        } else {
            Err(ServiceError::NotFound("manual entry"))
        }
    }

    /// restoreManualTask.
    ///
    /// # Errors
    /// `NotFound` when nothing of the assignee is in the scope's recycle bin, `Conflict` when a
    /// restored phone is on the live list again.
    pub async fn restore_assignee(
        &self,
        scope: &Scope,
        assignee: AdminUserId,
        now: DateTime<Utc>,
    ) -> Result<u64, ServiceError> {
        restored(
            self.repo.restore_assignee(scope, assignee, now).await?,
            "manual entries",
        )
    }

    /// restoreManualTaskDetail.
    ///
    /// # Errors
    /// As `restore_assignee`.
    pub async fn restore_entry(
        &self,
        scope: &Scope,
        id: ManualEntryId,
        now: DateTime<Utc>,
    ) -> Result<u64, ServiceError> {
        restored(
            self.repo.restore_entry(scope, id, now).await?,
            "manual entry",
        )
    }

    /// addManualTask: the spec's message for exactly the missing required fields.
    ///
    /// # Errors
    /// `Invalid` (missing fields, bad phone, too long values), `Conflict` for a phone already on
    /// the caller's list.
    pub async fn add(
        &self,
        scope: &Scope,
        cmd: &AddManualTask,
        now: DateTime<Utc>,
    ) -> Result<ManualEntry, ServiceError> {
        let missing: String = [
            (cmd.customer_phone.is_none(), "聯系方式不能為空"),
            (cmd.customer_name.is_none(), "客戶姓名不能為空"),
            (cmd.phone_geo.is_none(), "所在地區不能為空"),
        ]
        .iter()
        .filter(|(absent, _)| *absent)
        .map(|(_, msg)| *msg)
        .collect();
        let (Some(raw_phone), Some(name), Some(geo)) =
            (&cmd.customer_phone, &cmd.customer_name, &cmd.phone_geo)
        else {
            return Err(ServiceError::Invalid(missing));
        };
        let phone = Phone::parse("customerPhone", raw_phone)?;
        for (param, value, max) in [
            ("customerName", Some(name), limits::NAME),
            ("phoneGeo", Some(geo), limits::NAME),
            ("address", cmd.address.as_ref(), limits::REMARKS),
            ("nickName", cmd.nick_name.as_ref(), limits::NAME),
            ("userName", cmd.user_name.as_ref(), limits::NAME),
            ("company", cmd.company.as_ref(), limits::NAME),
            ("tags", cmd.tags.as_ref(), limits::REMARKS),
            ("remarks", cmd.remarks.as_ref(), limits::REMARKS),
            ("v1", cmd.v1.as_ref(), limits::REMARKS),
        ] {
            if let Some(v) = value {
                check_len(param, v, max)?;
            }
        }
        for (i, x) in cmd.xfields.iter().enumerate() {
            if let Some(v) = x {
                check_len(&format!("xfield{}", i + 1), v, limits::XFIELD)?;
            }
        }
        let entry = NewManualEntry {
            customer_name: name.clone(),
            customer_phone: phone.as_str().to_owned(),
            phone_digits: phone.digits().to_owned(),
            phone_geo: geo.clone(),
            address: cmd.address.clone(),
            nick_name: cmd.nick_name.clone(),
            user_name: cmd.user_name.clone(),
            company: cmd.company.clone(),
            tags: cmd.tags.clone(),
            remarks: cmd.remarks.clone(),
            v1: cmd.v1.clone(),
            xfields: cmd.xfields.clone(),
        };
        match self.repo.add(scope, &entry, now).await? {
            AddOutcome::Added(entry) => Ok(*entry),
            AddOutcome::DuplicatePhone(existing) => Err(duplicate_phone(existing)),
        }
    }

    /// addManualTaskBeforeAddFriend: records the dial and queues the friend request.
    ///
    /// # Errors
    /// `Invalid` (the spec's message for missing fields, bad phone), `NotFound` when `uin` is
    /// not a WeChat account of the scope, `Store` when a store fails.
    pub async fn add_before_friend(
        &self,
        scope: &Scope,
        cmd: &AddBeforeFriend,
        now: DateTime<Utc>,
    ) -> Result<ManualEntry, ServiceError> {
        let missing: String = [
            (cmd.customer_phone.is_none(), "聯系方式"),
            (cmd.uin.is_none(), "目標微信號"),
        ]
        .iter()
        .filter(|(absent, _)| *absent)
        .map(|(_, what)| *what)
        .collect();
        let (Some(raw_phone), Some(uin)) = (&cmd.customer_phone, &cmd.uin) else {
            return Err(ServiceError::Invalid(format!("{missing}不能為空")));
        };
        let phone = Phone::parse("customerPhone", raw_phone)?;
        check_len("uin", uin, 64)?;
        let user_name = cmd
            .user_name
            .clone()
            .unwrap_or_else(|| phone.as_str().to_owned());
        check_len("userName", &user_name, limits::NAME)?;
        if let Some(v1) = &cmd.v1 {
            check_len("v1", v1, limits::REMARKS)?;
        }
        let dial = DialRequest {
            customer_phone: phone.as_str().to_owned(),
            phone_digits: phone.digits().to_owned(),
            uin: uin.clone(),
            user_name: user_name.clone(),
            v1: cmd.v1.clone(),
        };
        let entry = match self.repo.record_dial(scope, &dial, now).await? {
            DialOutcome::Saved(entry) => *entry,
            DialOutcome::UnknownWechatAccount => return Err(ServiceError::NotFound("wechatUser")),
        };
        self.queue
            .enqueue(&FriendRequest {
                entry_id: entry.id,
                uin: uin.clone(),
                user_name,
                v1: cmd.v1.clone(),
                account: scope.account,
                time: now.timestamp_millis(),
            })
            .await?;
        Ok(entry)
    }
}

fn check_status(param: &str, value: Option<i32>, max: i32) -> Result<(), ServiceError> {
    match value {
        Some(v) if !(0..=max).contains(&v) => Err(ServiceError::invalid(
            param,
            &format!("must be between 0 and {max}"),
        )),
        _ => Ok(()),
    }
}

/// The 409 for a phone already on the assignee's live list, naming the entry.
fn duplicate_phone(existing: ManualEntryId) -> ServiceError {
    ServiceError::Conflict(format!(
        "customerPhone: already on this call list as entry {existing}"
    ))
}

fn restored(outcome: RestoreOutcome, what: &'static str) -> Result<u64, ServiceError> {
    match outcome {
        RestoreOutcome::Restored(n) => Ok(n),
        RestoreOutcome::NotFound => Err(ServiceError::NotFound(what)),
        RestoreOutcome::DuplicatePhone(existing) => Err(duplicate_phone(existing)),
    }
}
