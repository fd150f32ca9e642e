//! `ContactRepository` in memory: contacts with their WeChat account (a contact whose account
//! is missing is never shown, as with the MySQL inner join), lookup by tags and by ids, the forms of
//! address (all or nothing) and the conversations of a scope.

use async_trait::async_trait;
use scrm_domain::contact::{ContactRecord, ContactRepository, ContactTagQuery, NickNameInput};
use scrm_domain::import::NickNameRow;
use scrm_domain::message::Conversation;
use scrm_domain::{AdminUserId, ContactId, Scope, StoreError, TagId, WechatUserId};

use crate::Memory;
use crate::state::{Contact, Tables, unique};

fn in_scope(scope: &Scope, c: &Contact) -> bool {
    scope.sees(AdminUserId(c.tenant_id), AdminUserId(c.admin_user_id))
}

/// The record of a contact of the scope; `None` when its WeChat account is missing.
fn record(t: &Tables, scope: &Scope, c: &Contact) -> Option<ContactRecord> {
    let w = t.wechat_users.get(&c.wechat_user_id)?;
    let (tags, _) = t.tags_of(scope, c);
    Some(ContactRecord {
        id: ContactId(c.id),
        wechat_user_id: WechatUserId(c.wechat_user_id),
        admin_user_id: AdminUserId(c.admin_user_id),
        profile: c.profile.clone(),
        tags: tags.into_iter().map(TagId).collect(),
        create_time: c.create_time,
        wechat_user_name: w.user_name.clone(),
        wechat_user_nick_name: w.nick_name.clone(),
        wechat_user_uin: w.uin.clone(),
        customer_nick_name: t.nick_name_of(scope, c.id),
    })
}

#[async_trait]
impl ContactRepository for Memory {
    async fn find(
        &self,
        scope: &Scope,
        id: ContactId,
    ) -> Result<Option<ContactRecord>, StoreError> {
        let t = self.read()?;
        Ok(find_in(&t, scope, id))
    }

    async fn find_by_tags(
        &self,
        scope: &Scope,
        query: &ContactTagQuery,
    ) -> Result<Vec<ContactRecord>, StoreError> {
        let t = self.read()?;
        let tags = unique(query.tag_ids.iter().map(|t| t.0));
        Ok(t.contacts
            .values()
            .filter(|c| in_scope(scope, c))
            .filter(|c| query.tag_mode.holds(&tags, |tag| c.tags.contains(&tag)))
            .filter(|c| query.wechat_user_id.is_none_or(|w| c.wechat_user_id == w.0))
            .filter(|c| {
                query.include_offline
                    || t.wechat_users
                        .get(&c.wechat_user_id)
                        .is_some_and(|w| w.is_online == 1)
            })
            .filter_map(|c| record(&t, scope, c))
            .collect())
    }

    async fn by_ids(
        &self,
        scope: &Scope,
        ids: &[ContactId],
    ) -> Result<Vec<ContactRecord>, StoreError> {
        let t = self.read()?;
        let mut seen = std::collections::HashSet::new();
        Ok(ids
            .iter()
            .filter(|id| seen.insert(id.0))
            .filter_map(|id| t.contacts.get(&id.0))
            .filter(|c| in_scope(scope, c))
            .filter_map(|c| record(&t, scope, c))
            .collect())
    }

    async fn save_nick_names(
        &self,
        scope: &Scope,
        items: &[NickNameInput],
    ) -> Result<Option<ContactId>, StoreError> {
        if items.is_empty() {
            return Ok(None);
        }
        let mut t = self.write()?;
        let mut rows = Vec::with_capacity(items.len());
        for item in items {
            let id = item.wechat_contact_id;
            let Some(contact) = t.contacts.get(&id.0).filter(|c| in_scope(scope, c)) else {
                return Ok(Some(id));
            };
            rows.push(NickNameRow {
                wechat_contact_id: id.0,
                tenant_id: contact.tenant_id,
                cust_name: item.cust_name.clone(),
                nick_name: item.nick_name.clone(),
            });
        }
        for row in rows {
            t.nick_names.insert(row.wechat_contact_id, row);
        }
        Ok(None)
    }

    async fn conversations(
        &self,
        scope: &Scope,
        wechat_user_ids: &[WechatUserId],
        contact_ids: &[ContactId],
    ) -> Result<Vec<Conversation>, StoreError> {
        let t = self.read()?;
        let users = unique(wechat_user_ids.iter().map(|w| w.0));
        let mut out: Vec<Conversation> = unique(contact_ids.iter().map(|c| c.0))
            .into_iter()
            .filter_map(|id| t.contacts.get(&id))
            .filter(|c| in_scope(scope, c))
            .filter(|c| users.is_empty() || users.binary_search(&c.wechat_user_id).is_ok())
            .map(|c| Conversation {
                wechat_user_id: WechatUserId(c.wechat_user_id),
                wechat_contact_id: ContactId(c.id),
            })
            .collect();
        out.sort_unstable();
        Ok(out)
    }
}

/// The contact `id` as the scope sees it (`ContactRepository::find`), in tables already
/// locked: also by a customer's save.
pub(crate) fn find_in(t: &Tables, scope: &Scope, id: ContactId) -> Option<ContactRecord> {
    t.contacts
        .get(&id.0)
        .filter(|c| in_scope(scope, c))
        .and_then(|c| record(t, scope, c))
}
