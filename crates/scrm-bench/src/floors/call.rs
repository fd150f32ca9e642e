//! getCustomerInfoByCall's floor: customers by phone, then pool entries, then hand-entered
//! ones.

use mysql_async::{Conn, Row, Value};

use super::customers::{Records, load_records};
use super::manual::MANUAL_COLUMNS;
use super::rows;
use crate::cases::Login;
use crate::params::Params;

/// Who is calling: the matches of the first source that has any.
pub enum Caller {
    /// Source 1: customers of the tenant.
    Customers(Records),
    /// Source 2 (from a pool task) or 3 (entered by hand): the main account's entries.
    Entries { source: i32, rows: Vec<Row> },
    /// Source 0.
    None,
}

impl Caller {
    /// How many matches.
    pub fn len(&self) -> usize {
        match self {
            Self::Customers(r) => r.customers.len(),
            Self::Entries { rows, .. } => rows.len(),
            Self::None => 0,
        }
    }
}

/// The statements of a pop-up for the phone `digits`, in the tenant of `p`.
///
/// # Errors
/// A failed statement.
pub async fn call_by_phone(
    conn: &mut Conn,
    p: &Params,
    digits: &str,
) -> mysql_async::Result<Caller> {
    let ids = rows(
        conn,
        "SELECT customer.id FROM customer WHERE ((customer.tenant_id = ? AND \
         customer.phone_digits = ?) AND customer.deleted_at IS NULL) ORDER BY \
         customer.create_time DESC, customer.id DESC",
        vec![Value::from(p.tenant), Value::from(digits)],
    )
    .await?;
    if !ids.is_empty() {
        let ids: Vec<i64> = ids.iter().filter_map(|r| r.get::<i64, _>(0)).collect();
        return Ok(Caller::Customers(
            load_records(conn, p, Login::Main, &ids).await?,
        ));
    }
    for (source, kind) in [
        (2, "manual_entry.task_id > 0"),
        (3, "manual_entry.task_id = -1"),
    ] {
        let found = rows(
            conn,
            &format!(
                "SELECT {MANUAL_COLUMNS} FROM manual_entry WHERE ((((manual_entry.admin_user_id \
                 = ? AND manual_entry.tenant_id = ?) AND manual_entry.phone_digits = ?) AND \
                 manual_entry.deleted_at IS NULL) AND {kind}) ORDER BY manual_entry.id"
            ),
            vec![
                Value::from(p.tenant),
                Value::from(p.tenant),
                Value::from(digits),
            ],
        )
        .await?;
        if !found.is_empty() {
            return Ok(Caller::Entries {
                source,
                rows: found,
            });
        }
    }
    Ok(Caller::None)
}
