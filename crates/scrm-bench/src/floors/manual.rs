//! The call lists' floors: getManualTaskList and getManualTaskDetail.

use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Value};

use super::rows;
use crate::cases::PAGE_LIMIT;
use crate::params::Params;

pub(super) const MANUAL_COLUMNS: &str = "manual_entry.id, manual_entry.tenant_id, manual_entry.admin_user_id, \
     manual_entry.task_id, manual_entry.order_num, manual_entry.customer_name, \
     manual_entry.customer_phone, manual_entry.phone_digits, manual_entry.address, \
     manual_entry.company, manual_entry.nick_name, manual_entry.user_name, manual_entry.uin, \
     manual_entry.phone_geo, manual_entry.tags, manual_entry.remarks, manual_entry.v1, \
     manual_entry.xfields, manual_entry.dial_status, manual_entry.add_status, manual_entry.syn, \
     manual_entry.assign_time, manual_entry.create_time, manual_entry.last_update_time";
const MANUAL_FROM: &str = "FROM (manual_entry LEFT OUTER JOIN admin_user ON (admin_user.id = \
     manual_entry.admin_user_id)) WHERE ((manual_entry.tenant_id = ? AND manual_entry.task_id = \
     -1) AND manual_entry.deleted_at IS NULL)";

pub(super) async fn manual_list(conn: &mut Conn, p: &Params) -> mysql_async::Result<usize> {
    let total: Option<i64> = conn
        .exec_first(
            format!("SELECT COUNT(DISTINCT manual_entry.admin_user_id) {MANUAL_FROM}"),
            vec![Value::from(p.tenant)],
        )
        .await?;
    if total.unwrap_or(0) == 0 {
        return Ok(0);
    }
    let found = rows(
        conn,
        &format!(
            "SELECT manual_entry.admin_user_id, max(admin_user.real_name), COUNT(*), \
             count(CASE WHEN (manual_entry.dial_status = ?) THEN manual_entry.id END), \
             count(CASE WHEN (manual_entry.add_status >= ?) THEN manual_entry.id END), \
             count(CASE WHEN (manual_entry.add_status = ?) THEN manual_entry.id END) \
             {MANUAL_FROM} GROUP BY manual_entry.admin_user_id ORDER BY \
             manual_entry.admin_user_id LIMIT ? OFFSET ?"
        ),
        vec![
            Value::from(1),
            Value::from(1),
            Value::from(2),
            Value::from(p.tenant),
            Value::from(PAGE_LIMIT),
            Value::from(0),
        ],
    )
    .await?;
    Ok(found.len())
}

pub(super) async fn manual_detail(
    conn: &mut Conn,
    p: &Params,
    assignee: i64,
) -> mysql_async::Result<usize> {
    let filter = "WHERE (((manual_entry.tenant_id = ? AND manual_entry.admin_user_id = ?) AND \
                  manual_entry.task_id = ?) AND manual_entry.deleted_at IS NULL)";
    let binds = vec![
        Value::from(p.tenant),
        Value::from(assignee),
        Value::from(-1),
    ];
    let total: Option<i64> = conn
        .exec_first(
            format!("SELECT COUNT(*) FROM manual_entry {filter}"),
            binds.clone(),
        )
        .await?;
    if total.unwrap_or(0) == 0 {
        return Ok(0);
    }
    let mut binds = binds;
    binds.extend([Value::from(PAGE_LIMIT), Value::from(0)]);
    let found = rows(
        conn,
        &format!(
            "SELECT {MANUAL_COLUMNS} FROM manual_entry {filter} ORDER BY manual_entry.order_num \
             ASC, manual_entry.id ASC LIMIT ? OFFSET ?"
        ),
        binds,
    )
    .await?;
    Ok(found.len())
}
