//! The contact use cases: one contact, contacts by tags, forms of address.

use std::sync::Arc;

use super::index::ContactIndex;
use super::model::{ContactRecord, ContactTagQuery, NickNameInput};
use super::ports::ContactRepository;
use crate::customer::NoIndex;
use crate::text::{check_len, limits};
use crate::{ContactId, Scope, ServiceError};

/// The contact use cases.
pub struct ContactService {
    repo: Arc<dyn ContactRepository>,
    index: Arc<dyn ContactIndex>,
}

/// Most forms of address in one call.
pub const MAX_NICK_NAMES: usize = 1000;

impl ContactService {
    /// The use cases over a repository alone (findcontactbytagAll from its SQL).
    pub fn new(repo: Arc<dyn ContactRepository>) -> Self {
        Self::with_index(repo, Arc::new(NoIndex))
    }

    /// The use cases with an index that selects findcontactbytagAll's contacts when it can;
    /// the repository selects the rest and loads the rows.
    pub fn with_index(repo: Arc<dyn ContactRepository>, index: Arc<dyn ContactIndex>) -> Self {
        Self { repo, index }
    }

    /// One contact of the scope.
    ///
    /// # Errors
    /// `NotFound` outside the scope.
    pub async fn find(&self, scope: &Scope, id: ContactId) -> Result<ContactRecord, ServiceError> {
        self.repo
            .find(scope, id)
            .await?
            .ok_or(ServiceError::NotFound("wechatContact"))
    }

    /// findcontactbytagAll: the index's selection loaded by id (in its order, the
    /// contact ids ascending) when it answers, else the repository's query.
    ///
    /// # Errors
    /// `Store` when the store fails.
    pub async fn find_by_tags(
        &self,
        scope: &Scope,
        query: &ContactTagQuery,
    ) -> Result<Vec<ContactRecord>, ServiceError> {
        match self.index.select(scope, query).await {
            Some(ids) if ids.is_empty() => Ok(Vec::new()),
            Some(ids) => Ok(self.repo.by_ids(scope, &ids).await?),
            None => Ok(self.repo.find_by_tags(scope, query).await?),
        }
    }

    /// batchSaveNickName.
    ///
    /// # Errors
    /// `Invalid` for an empty or too long list or values, `NotFound` when a contact is outside
    /// the scope (nothing is saved then).
    pub async fn save_nick_names(
        &self,
        scope: &Scope,
        items: &[NickNameInput],
    ) -> Result<(), ServiceError> {
        if items.is_empty() {
            return Err(ServiceError::invalid("nickNames", "is required"));
        }
        if items.len() > MAX_NICK_NAMES {
            return Err(ServiceError::invalid("nickNames", "at most 1000 entries"));
        }
        // Named as the wire names a bad item's field (`nickNames[2].nickName`), so that the
        // caller knows which of up to 1,000 it is.
        for (i, item) in items.iter().enumerate() {
            if let Some(v) = &item.cust_name {
                check_len(&format!("nickNames[{i}].custName"), v, limits::NAME)?;
            }
            if let Some(v) = &item.nick_name {
                check_len(&format!("nickNames[{i}].nickName"), v, limits::NAME)?;
            }
        }
        match self.repo.save_nick_names(scope, items).await? {
            None => Ok(()),
            Some(_) => Err(ServiceError::NotFound("wechatContact")),
        }
    }
}
