//! getCustomerInfoByCall's floor: customers by phone with their records (one statement), then
//! pool and hand-entered entries (one statement).

use mysql_async::{Conn, Row, Value};

use super::customers::{Records, records_by_phone};
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
            Self::Customers(rows) | Self::Entries { rows, .. } => rows.len(),
            Self::None => 0,
        }
    }
}

/// The statements of a pop-up for the phone `digits`, in the tenant of `p`: the customers
/// with their records, and when there is none, the entries of both kinds.
///
/// # Errors
/// A failed statement.
pub async fn call_by_phone(
    conn: &mut Conn,
    p: &Params,
    digits: &str,
) -> mysql_async::Result<Caller> {
    let found = records_by_phone(conn, p, Login::Main, digits).await?;
    if !found.is_empty() {
        return Ok(Caller::Customers(found));
    }
    let entries = rows(
        conn,
        &format!(
            "SELECT {MANUAL_COLUMNS} FROM manual_entry WHERE ((((manual_entry.admin_user_id = ? AND \
             manual_entry.tenant_id = ?) AND manual_entry.phone_digits = ?) AND \
             manual_entry.deleted_at IS NULL) AND ((manual_entry.task_id > 0) OR \
             (manual_entry.task_id = -1))) ORDER BY manual_entry.id"
        ),
        vec![
            Value::from(p.tenant),
            Value::from(p.tenant),
            Value::from(digits),
        ],
    )
    .await?;
    // The task id is the entries' fourth column.
    let (pool, hand): (Vec<Row>, Vec<Row>) = entries
        .into_iter()
        .partition(|r| r.get::<i64, _>(3).is_some_and(|t| t > 0));
    Ok(match (pool.is_empty(), hand.is_empty()) {
        (false, _) => Caller::Entries {
            source: 2,
            rows: pool,
        },
        (true, false) => Caller::Entries {
            source: 3,
            rows: hand,
        },
        (true, true) => Caller::None,
    })
}
