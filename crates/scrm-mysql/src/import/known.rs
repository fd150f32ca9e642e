//! `known`: what the store holds of the ids an import document refers to, one query per kind
//! (chunked `IN` lists).

use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
use scrm_domain::import::{KnownAccount, KnownContact, KnownRefs, Owner, RefQuery};

use crate::id_lists::IN_CHUNK;
use crate::rows::ContactOwner;
use crate::schema::{admin_user, customer, department, tag, wechat_contact, wechat_user};

pub(super) async fn known(c: &mut AsyncMysqlConnection, refs: &RefQuery) -> QueryResult<KnownRefs> {
    let mut k = KnownRefs::default();
    for ids in refs.account_ids.chunks(IN_CHUNK) {
        let rows: Vec<(i64, Option<i64>)> = admin_user::table
            .filter(admin_user::id.eq_any(ids))
            .select((admin_user::id, admin_user::parent_id))
            .load(c)
            .await?;
        k.accounts.extend(
            rows.into_iter()
                .map(|(id, parent_id)| (id, KnownAccount { parent_id })),
        );
    }
    for names in refs.login_names.chunks(IN_CHUNK) {
        let rows: Vec<(String, i64)> = admin_user::table
            .filter(admin_user::login_name.eq_any(names))
            .select((admin_user::login_name, admin_user::id))
            .load(c)
            .await?;
        k.logins.extend(rows);
    }
    for ids in refs.department_ids.chunks(IN_CHUNK) {
        let rows: Vec<(i64, i64)> = department::table
            .filter(department::id.eq_any(ids))
            .select((department::id, department::tenant_id))
            .load(c)
            .await?;
        k.departments.extend(rows);
    }
    for ids in refs.wechat_user_ids.chunks(IN_CHUNK) {
        let rows: Vec<(i64, i64, i64)> = wechat_user::table
            .filter(wechat_user::id.eq_any(ids))
            .select((
                wechat_user::id,
                wechat_user::tenant_id,
                wechat_user::admin_user_id,
            ))
            .load(c)
            .await?;
        k.wechat_users
            .extend(rows.into_iter().map(|(id, tenant_id, admin_user_id)| {
                (
                    id,
                    Owner {
                        tenant_id,
                        admin_user_id,
                    },
                )
            }));
    }
    for ids in refs.contact_ids.chunks(IN_CHUNK) {
        let rows: Vec<ContactOwner> = wechat_contact::table
            .filter(wechat_contact::id.eq_any(ids))
            .select(ContactOwner::as_select())
            .load(c)
            .await?;
        k.contacts.extend(rows.into_iter().map(|r| {
            let owner = Owner {
                tenant_id: r.tenant_id,
                admin_user_id: r.admin_user_id,
            };
            (
                r.id,
                KnownContact {
                    owner,
                    wechat_user_id: r.wechat_user_id,
                },
            )
        }));
        let customers: Vec<(i64, i64)> = customer::table
            .filter(customer::wechat_contact_id.eq_any(ids))
            .select((customer::wechat_contact_id, customer::id))
            .load(c)
            .await?;
        k.customers_by_contact.extend(customers);
    }
    for ids in refs.tag_ids.chunks(IN_CHUNK) {
        let rows: Vec<(i64, i64)> = tag::table
            .filter(tag::id.eq_any(ids))
            .select((tag::id, tag::tenant_id))
            .load(c)
            .await?;
        k.tags.extend(rows);
    }
    Ok(k)
}
