//! `save`: the update or creation of a customer profile with its contact's tags and star, in
//! one transaction (a creation counts in its account's `customer_count` there too, and a
//! creation, a new name or a new phone rewrites the customer's name and phone grams). The
//! saved profile and its contact are read last in the same transaction (`records::load`,
//! `contacts::find_in`). Outcomes other than `Saved` roll the transaction back.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use scrm_domain::customer::{CustomerPatch, FieldChange, SaveOutcome, SaveTarget, SavedCustomer};
use scrm_domain::{CustomerId, Scope, TagId};

use super::records::{Which, load};
use crate::contacts;
use crate::db_time::to_db;
use crate::id_lists::unique;
use crate::rows::{ContactOwner, ContactTagRow, Xfields, last_insert_id};
use crate::schema::{contact_tag, customer, tag, wechat_contact};
use crate::scope::{contact_scope, customer_scope};

/// Why a save transaction ended early.
enum Stop {
    /// An outcome other than `Saved`; the transaction is rolled back.
    Outcome(SaveOutcome),
    Db(DieselError),
}

impl From<DieselError> for Stop {
    fn from(e: DieselError) -> Self {
        Self::Db(e)
    }
}

/// The changed columns of a customer but its xfields ([`xfield_changes`]); `None` leaves a
/// column alone, `Some(None)` clears it.
#[derive(AsChangeset)]
#[diesel(table_name = customer)]
struct CustomerChanges<'a> {
    customer_name: Option<Option<&'a str>>,
    customer_phone: Option<Option<&'a str>>,
    phone_digits: Option<Option<String>>,
    nick_name: Option<Option<&'a str>>,
    remarks: Option<Option<&'a str>>,
    last_update_time: NaiveDateTime,
}

impl<'a> CustomerChanges<'a> {
    fn of(patch: &'a CustomerPatch, now: NaiveDateTime) -> Self {
        let digits = match &patch.customer_phone {
            FieldChange::Keep => None,
            FieldChange::Clear => Some(None),
            FieldChange::Set(raw) => Some(Some(
                patch
                    .phone_digits
                    .clone()
                    .unwrap_or_else(|| scrm_domain::phone::digits(raw)),
            )),
        };
        Self {
            customer_name: patch.customer_name.new_value(),
            customer_phone: patch.customer_phone.new_value(),
            phone_digits: digits,
            nick_name: patch.nick_name.new_value(),
            remarks: patch.remarks.new_value(),
            last_update_time: now,
        }
    }
}

/// The changed xfields of a customer.
fn xfield_changes(patch: &CustomerPatch) -> Xfields<Option<&str>> {
    Xfields::from_fn(|i| patch.xfields.get(i).and_then(FieldChange::new_value))
}

pub(super) async fn save(
    conn: &mut AsyncMysqlConnection,
    scope: &Scope,
    target: SaveTarget,
    patch: &CustomerPatch,
    now: DateTime<Utc>,
) -> QueryResult<SaveOutcome> {
    let now = to_db(now);
    let result = conn
        .transaction(async |c| {
            let id = save_in(c, scope, target, patch, now).await?;
            // Read before the commit: once it is sent, the profile is saved and must be
            // answered, so nothing may fail after it (a separate read could).
            let Some(customer) = load(c, scope, Which::Ids(&[id])).await?.into_iter().next() else {
                return Err(Stop::Outcome(SaveOutcome::NotFound));
            };
            let Some(contact) = contacts::find_in(c, scope, customer.wechat_contact_id).await?
            else {
                return Err(Stop::Outcome(SaveOutcome::NotFound));
            };
            Ok(SavedCustomer { customer, contact })
        })
        .await;
    match result {
        Ok(saved) => Ok(SaveOutcome::Saved(Box::new(saved))),
        Err(Stop::Outcome(outcome)) => Ok(outcome),
        Err(Stop::Db(e)) => Err(e),
    }
}

async fn save_in(
    c: &mut AsyncMysqlConnection,
    scope: &Scope,
    target: SaveTarget,
    patch: &CustomerPatch,
    now: NaiveDateTime,
) -> Result<i64, Stop> {
    let created = matches!(target, SaveTarget::NewFor(_));
    let (id, contact) = match target {
        SaveTarget::Existing(id, given) => existing(c, scope, id, given.map(|g| g.0)).await?,
        SaveTarget::NewFor(contact) => create(c, scope, contact.0, now).await?,
    };
    if let Some(tags) = &patch.tags {
        replace_tags(c, scope, contact, tags).await?;
    }
    diesel::update(customer::table.find(id))
        .set((CustomerChanges::of(patch, now), xfield_changes(patch)))
        .execute(c)
        .await?;
    let renamed = !matches!(patch.customer_name, FieldChange::Keep);
    let rephoned = !matches!(patch.customer_phone, FieldChange::Keep);
    if created || renamed || rephoned {
        super::grams::refresh(c, &[id]).await?;
    }
    if let Some(star) = patch.is_star {
        diesel::update(wechat_contact::table.find(contact.id))
            .set(wechat_contact::is_star.eq(i32::from(star)))
            .execute(c)
            .await?;
    }
    Ok(id)
}

/// The live customer `id` of the scope (locked) and its contact.
async fn existing(
    c: &mut AsyncMysqlConnection,
    scope: &Scope,
    id: CustomerId,
    given_contact: Option<i64>,
) -> Result<(i64, ContactOwner), Stop> {
    let found: Option<(i64, i64)> = customer::table
        .filter(customer::id.eq(id.0))
        .filter(customer::deleted_at.is_null())
        .filter(customer_scope(scope))
        .select((customer::id, customer::wechat_contact_id))
        .for_update()
        .first(c)
        .await
        .optional()?;
    let Some((id, contact_id)) = found else {
        return Err(Stop::Outcome(SaveOutcome::NotFound));
    };
    if given_contact.is_some_and(|g| g != contact_id) {
        return Err(Stop::Outcome(SaveOutcome::ContactMismatch));
    }
    let contact: Option<ContactOwner> = wechat_contact::table
        .find(contact_id)
        .select(ContactOwner::as_select())
        .first(c)
        .await
        .optional()?;
    contact
        .map(|contact| (id, contact))
        .ok_or(Stop::Outcome(SaveOutcome::NotFound))
}

/// A new customer for a contact of the scope that has none (live or in the recycle bin).
async fn create(
    c: &mut AsyncMysqlConnection,
    scope: &Scope,
    contact_id: i64,
    now: NaiveDateTime,
) -> Result<(i64, ContactOwner), Stop> {
    let contact: Option<ContactOwner> = wechat_contact::table
        .filter(wechat_contact::id.eq(contact_id))
        .filter(contact_scope(scope))
        .select(ContactOwner::as_select())
        .for_update()
        .first(c)
        .await
        .optional()?;
    let Some(contact) = contact else {
        return Err(Stop::Outcome(SaveOutcome::NotFound));
    };
    if let Some(other) = customer_of(c, contact_id).await? {
        return Err(Stop::Outcome(SaveOutcome::AlreadyExists(CustomerId(other))));
    }
    let inserted = diesel::insert_into(customer::table)
        .values((
            customer::tenant_id.eq(contact.tenant_id),
            customer::admin_user_id.eq(contact.admin_user_id),
            customer::wechat_user_id.eq(contact.wechat_user_id),
            customer::wechat_contact_id.eq(contact.id),
            customer::create_time.eq(now),
            customer::last_update_time.eq(now),
        ))
        .execute(c)
        .await;
    match inserted {
        Ok(_) => {}
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
            // A concurrent save created it first.
            return match customer_of(c, contact_id).await? {
                Some(other) => Err(Stop::Outcome(SaveOutcome::AlreadyExists(CustomerId(other)))),
                None => Err(Stop::Outcome(SaveOutcome::NotFound)),
            };
        }
        Err(e) => return Err(e.into()),
    }
    let id: u64 = diesel::select(last_insert_id()).get_result(c).await?;
    let id =
        i64::try_from(id).map_err(|e| Stop::Db(DieselError::DeserializationError(Box::new(e))))?;
    super::counts::adjust(c, contact.tenant_id, contact.admin_user_id, 1, 0).await?;
    Ok((id, contact))
}

async fn customer_of(c: &mut AsyncMysqlConnection, contact_id: i64) -> QueryResult<Option<i64>> {
    customer::table
        .filter(customer::wechat_contact_id.eq(contact_id))
        .select(customer::id)
        .first(c)
        .await
        .optional()
}

/// Replaces the contact's tag set; every id must be a tag of the scope's tenant.
async fn replace_tags(
    c: &mut AsyncMysqlConnection,
    scope: &Scope,
    contact: ContactOwner,
    tags: &[TagId],
) -> Result<(), Stop> {
    let wanted = unique(tags.iter().map(|t| t.0));
    if !wanted.is_empty() {
        let known: Vec<i64> = tag::table
            .filter(tag::tenant_id.eq(scope.tenant.0))
            .filter(tag::id.eq_any(&wanted))
            .select(tag::id)
            .load(c)
            .await?;
        let unknown: Vec<TagId> = wanted
            .iter()
            .filter(|t| !known.contains(t))
            .map(|t| TagId(*t))
            .collect();
        if !unknown.is_empty() {
            return Err(Stop::Outcome(SaveOutcome::UnknownTags(unknown)));
        }
    }
    diesel::delete(contact_tag::table.filter(contact_tag::contact_id.eq(contact.id)))
        .execute(c)
        .await?;
    if !wanted.is_empty() {
        let rows: Vec<ContactTagRow> = wanted
            .iter()
            .map(|t| ContactTagRow {
                contact_id: contact.id,
                tag_id: *t,
                tenant_id: contact.tenant_id,
                admin_user_id: contact.admin_user_id,
            })
            .collect();
        diesel::insert_into(contact_tag::table)
            .values(&rows)
            .execute(c)
            .await?;
    }
    Ok(())
}
