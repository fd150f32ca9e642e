//! getCustomerInfoByCall's floor: customers by phone, then pool entries, then hand-entered
//! ones.

use mysql_async::{Conn, Value};

use super::customers::load_records;
use super::manual::MANUAL_COLUMNS;
use super::rows;
use crate::cases::Login;
use crate::params::Params;

pub(super) async fn call_by_phone(
    conn: &mut Conn,
    p: &Params,
    digits: &str,
) -> mysql_async::Result<usize> {
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
        return load_records(conn, p, Login::Main, &ids).await;
    }
    for kind in ["manual_entry.task_id > 0", "manual_entry.task_id = -1"] {
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
            return Ok(found.len());
        }
    }
    Ok(0)
}
