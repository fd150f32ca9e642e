//! The floors of the benchmark cases: the SQL and Redis commands scrm's adapters run for
//! each request, sent straight from a native client.
//!
//! The SQL mirrors the diesel queries of `crates/scrm-mysql/src` (customers/query.rs,
//! counts.rs and records.rs, tags_json.rs, manual/query.rs, contacts.rs) and the pipelines of
//! `crates/scrm-redis/src/messages/page.rs`, statement for statement and with the same bind
//! parameters (prepared statements, as diesel-async sends them). When those queries change,
//! change them here: `customers` (customerPage, the records, the export), `call`
//! (getCustomerInfoByCall), `manual` (the call lists), `messages` (getRedisMessageRecord).

mod call;
mod customers;
mod manual;
mod messages;

use deadpool_redis::redis;
use mysql_async::prelude::Queryable as _;
use mysql_async::{Conn, Row, Value};

pub use call::{Caller, call_by_phone};
pub use customers::{Records, export_sql};
pub use messages::chat_keys;

use crate::cases::{Floor, Login};
use crate::params::Params;

/// The scope predicate and its bind value for a table alias.
fn scope(p: &Params, login: Login, table: &str) -> (String, Value) {
    match login {
        Login::Main => (format!("{table}.tenant_id = ?"), Value::from(p.tenant)),
        Login::Sub => (format!("{table}.admin_user_id = ?"), Value::from(p.sub_id)),
    }
}

fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

async fn rows(conn: &mut Conn, sql: &str, binds: Vec<Value>) -> mysql_async::Result<Vec<Row>> {
    conn.exec(sql, binds).await
}

/// Runs one operation of a floor; returns the rows (or messages) it produced.
///
/// # Errors
/// A failed statement or Redis command.
pub async fn run_once(
    floor: &Floor,
    login: Login,
    p: &Params,
    conn: &mut Conn,
    redis: &mut redis::aio::MultiplexedConnection,
) -> anyhow::Result<usize> {
    Ok(match floor {
        Floor::CallByPhone { digits } => call_by_phone(conn, p, digits).await?.len(),
        Floor::CustomerPage { filter, page_no } => {
            customers::customer_page(conn, p, login, filter, *page_no).await?
        }
        Floor::ManualList => manual::manual_list(conn, p).await?,
        Floor::ManualDetail { assignee } => manual::manual_detail(conn, p, *assignee).await?,
        Floor::MessagePage { conversations } => {
            messages::message_page(conn, redis, p, conversations).await?
        }
        Floor::Export => anyhow::bail!("the export floor runs `mariadb --batch`, not this"),
    })
}
