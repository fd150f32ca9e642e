//! `apply`: every row of a plan upserted by id (multi-row `INSERT ... ON DUPLICATE KEY
//! UPDATE`, in chunks), contact tags replaced, then the owners copied into the denormalised
//! columns again, so an account or WeChat account that changed owner leaves nothing stale,
//! and the name and phone grams of the customers it may have renamed rewritten. Runs inside
//! the caller's transaction.

use diesel::prelude::*;
use diesel::sql_types::{Nullable, Varchar};
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
use scrm_domain::import::ImportPlan;

use super::rows::*;
use crate::customers::{grams, spellings};
use crate::expr::{NewValue, renew};
use crate::id_lists::{IN_CHUNK, run_for_ids, unique};
use crate::rows::ContactTagRow;
use crate::schema::{
    admin_user, contact_nick_name, contact_tag, customer, department, manual_entry, tag,
    wechat_contact, wechat_user,
};

/// Rows per multi-row INSERT.
const ROWS: usize = 500;

diesel::define_sql_function! {
    /// `COALESCE(a, b)` of two nullable strings.
    fn coalesce(a: Nullable<Varchar>, b: Nullable<Varchar>) -> Nullable<Varchar>;
}

/// Upserts `$rows` (converted with `$insert::from`) into `$table`, renewing `$col`s.
macro_rules! upsert {
    ($c:expr, $table:ident, $rows:expr, $insert:ident, [$($col:ident),+ $(,)?]) => {
        for chunk in $rows.chunks(ROWS) {
            let values: Vec<$insert<'_>> = chunk.iter().map($insert::from).collect();
            diesel::insert_into($table::table)
                .values(&values)
                .on_conflict(diesel::dsl::DuplicatedKeys)
                .do_update()
                .set(($(renew($table::$col),)+))
                .execute($c)
                .await?;
        }
    };
}

pub(super) async fn apply(c: &mut AsyncMysqlConnection, plan: &ImportPlan) -> QueryResult<()> {
    for chunk in plan.accounts.chunks(ROWS) {
        let values: Vec<AccountInsert<'_>> = chunk.iter().map(AccountInsert::from).collect();
        diesel::insert_into(admin_user::table)
            .values(&values)
            .on_conflict(diesel::dsl::DuplicatedKeys)
            .do_update()
            .set((
                renew(admin_user::tenant_id),
                renew(admin_user::login_name),
                renew(admin_user::real_name),
                renew(admin_user::parent_id),
                renew(admin_user::depart_id),
                admin_user::password_hash.eq(coalesce(
                    NewValue(admin_user::password_hash),
                    admin_user::password_hash,
                )),
                renew(admin_user::is_open_after_call),
            ))
            .execute(c)
            .await?;
    }
    upsert!(
        c,
        department,
        plan.departments,
        DepartmentInsert,
        [tenant_id, name]
    );
    upsert!(
        c,
        wechat_user,
        plan.wechat_users,
        WechatUserInsert,
        [
            tenant_id,
            admin_user_id,
            uin,
            user_name,
            nick_name,
            alias,
            head_img_url,
            is_online
        ]
    );
    upsert!(c, tag, plan.tags, TagInsert, [tenant_id, name]);
    upsert!(
        c,
        wechat_contact,
        plan.contacts,
        ContactInsert,
        [
            tenant_id,
            admin_user_id,
            wechat_user_id,
            uin,
            user_name,
            nick_name,
            remark_name,
            alias,
            sex,
            head_img_url,
            province,
            city,
            py_initial,
            py_quan_pin,
            remark_py_initial,
            remark_py_quan_pin,
            verify_flag,
            contact_flag,
            contact_type,
            is_delete,
            is_saving,
            is_star,
            create_time,
        ]
    );
    replace_contact_tags(c, plan).await?;
    upsert!(
        c,
        customer,
        plan.customers,
        CustomerInsert,
        [
            tenant_id,
            admin_user_id,
            wechat_user_id,
            wechat_contact_id,
            customer_name,
            customer_phone,
            phone_digits,
            nick_name,
            remarks,
            xfield1,
            xfield2,
            xfield3,
            xfield4,
            xfield5,
            xfield6,
            xfield7,
            xfield8,
            xfield9,
            xfield10,
            is_cust,
            create_time,
            last_update_time,
        ]
    );
    upsert!(
        c,
        contact_nick_name,
        plan.nick_names,
        NickNameInsert,
        [tenant_id, cust_name, nick_name]
    );
    upsert!(
        c,
        manual_entry,
        plan.manual_entries,
        ManualInsert,
        [
            tenant_id,
            admin_user_id,
            task_id,
            order_num,
            customer_name,
            customer_phone,
            phone_digits,
            address,
            company,
            nick_name,
            user_name,
            uin,
            phone_geo,
            tags,
            remarks,
            v1,
            xfields,
            dial_status,
            add_status,
            syn,
            assign_time,
            create_time,
            last_update_time,
        ]
    );
    recopy_owners(c, plan).await?;
    refresh_grams(c, plan).await
}

/// Rewrites the name and phone grams of the plan's customers and of the customers of its
/// contacts (whose nickname or remark name it may have changed).
async fn refresh_grams(c: &mut AsyncMysqlConnection, plan: &ImportPlan) -> QueryResult<()> {
    let mut ids: Vec<i64> = plan.customers.iter().map(|r| r.id).collect();
    let contacts: Vec<i64> = plan.contacts.iter().map(|r| r.id).collect();
    for chunk in contacts.chunks(IN_CHUNK) {
        let theirs: Vec<i64> = customer::table
            .filter(customer::wechat_contact_id.eq_any(chunk))
            .select(customer::id)
            .load(c)
            .await?;
        ids.extend(theirs);
    }
    grams::refresh(c, &unique(ids)).await
}

/// The customers an apply of `plan` may add, move or re-own: its own (by id) and those of
/// the WeChat accounts of [`wechat_users_of`] (by WeChat account id).
pub(super) async fn touched(
    c: &mut AsyncMysqlConnection,
    plan: &ImportPlan,
) -> QueryResult<(Vec<i64>, Vec<i64>)> {
    let ids = unique(plan.customers.iter().map(|r| r.id));
    Ok((ids, wechat_users_of(c, plan).await?))
}

/// The plan's WeChat accounts and those of its accounts: the ones whose rows take owners
/// from the plan.
async fn wechat_users_of(c: &mut AsyncMysqlConnection, plan: &ImportPlan) -> QueryResult<Vec<i64>> {
    let accounts = unique(plan.accounts.iter().map(|a| a.id));
    let mut wechat_users: Vec<i64> = plan.wechat_users.iter().map(|w| w.id).collect();
    for chunk in accounts.chunks(IN_CHUNK) {
        let owned: Vec<i64> = wechat_user::table
            .filter(wechat_user::admin_user_id.eq_any(chunk))
            .select(wechat_user::id)
            .load(c)
            .await?;
        wechat_users.extend(owned);
    }
    Ok(unique(wechat_users))
}

/// Replaces the tag sets of the plan's contacts that carry one.
async fn replace_contact_tags(c: &mut AsyncMysqlConnection, plan: &ImportPlan) -> QueryResult<()> {
    let tagged: Vec<_> = plan
        .contacts
        .iter()
        .filter(|r| r.tag_ids.is_some())
        .collect();
    let ids: Vec<i64> = tagged.iter().map(|r| r.id).collect();
    for chunk in ids.chunks(IN_CHUNK) {
        diesel::delete(contact_tag::table.filter(contact_tag::contact_id.eq_any(chunk)))
            .execute(c)
            .await?;
    }
    let rows: Vec<ContactTagRow> = tagged
        .iter()
        .flat_map(|r| {
            unique(r.tag_ids.iter().flatten().copied())
                .into_iter()
                .map(|tag_id| ContactTagRow {
                    contact_id: r.id,
                    tag_id,
                    tenant_id: r.owner.tenant_id,
                    admin_user_id: r.owner.admin_user_id,
                })
        })
        .collect();
    for chunk in rows.chunks(ROWS) {
        diesel::insert_into(contact_tag::table)
            .values(chunk)
            .execute(c)
            .await?;
    }
    Ok(())
}

/// Statements copying owners down, each with a `{}` for a list of `?`: accounts -> WeChat
/// accounts and manual entries; then WeChat accounts -> contacts, customers; contacts ->
/// contact tags and forms of address.
const FROM_ACCOUNTS: [&str; 2] = [
    "UPDATE wechat_user u JOIN admin_user a ON u.admin_user_id = a.id \
     SET u.tenant_id = a.tenant_id WHERE a.id IN ({})",
    "UPDATE manual_entry m JOIN admin_user a ON m.admin_user_id = a.id \
     SET m.tenant_id = a.tenant_id WHERE a.id IN ({})",
];
const FROM_WECHAT_USERS: [&str; 8] = [
    "UPDATE wechat_contact c JOIN wechat_user u ON c.wechat_user_id = u.id \
     SET c.tenant_id = u.tenant_id, c.admin_user_id = u.admin_user_id WHERE u.id IN ({})",
    "UPDATE customer c JOIN wechat_user u ON c.wechat_user_id = u.id \
     SET c.tenant_id = u.tenant_id, c.admin_user_id = u.admin_user_id WHERE u.id IN ({})",
    "UPDATE contact_tag t JOIN wechat_contact c ON t.contact_id = c.id \
     SET t.tenant_id = c.tenant_id, t.admin_user_id = c.admin_user_id \
     WHERE c.wechat_user_id IN ({})",
    "UPDATE contact_nick_name n JOIN wechat_contact c ON n.wechat_contact_id = c.id \
     SET n.tenant_id = c.tenant_id WHERE c.wechat_user_id IN ({})",
    grams::RETENANT[0],
    grams::RETENANT[1],
    spellings::RETENANT[0],
    spellings::RETENANT[1],
];

async fn recopy_owners(c: &mut AsyncMysqlConnection, plan: &ImportPlan) -> QueryResult<()> {
    let accounts = unique(plan.accounts.iter().map(|a| a.id));
    run_for_ids(c, &FROM_ACCOUNTS, &accounts).await?;
    let wechat_users = wechat_users_of(c, plan).await?;
    run_for_ids(c, &FROM_WECHAT_USERS, &wechat_users).await
}
