//! A bare HTTP service for the call pop-up (`getCustomerInfoByCall`): about the least any
//! service has to do for it on top of its floor's statements, measured beside scrm to tell
//! what scrm itself costs from what HTTP and the session cost whoever answers.
//!
//! Each connection (wrk keeps its 16 open) gets a MariaDB and a Redis connection of its own
//! when it is accepted: no pool, no checks, no retries. Each request (a GET: a body is not
//! read): its head parsed with `httparse`, the bearer token's session read with `GETEX` under
//! the key scrm gives it (the token's SHA-256), the phone's digits
//! (`scrm_domain::phone::digits`), the floor's statements (`floors::call`) in the session's
//! tenant, and the rows written as JSON in the envelope (every column by its name, qualified
//! by its table outside the first table; a customer's tags, form of address and WeChat nick
//! name beside it). Nothing else: no routing, no log line, no request deadline or watchdog, no
//! validation beyond what the statements need, an error is a status and a fixed body. The
//! floor's statements are a main account's (the bench's call cases log in as one): a
//! sub-account's session is refused (403) rather than answered with its tenant's entries. It
//! runs in `scrm-floor`'s runtime (two worker threads, as scrm has two actix workers).

use std::io::Write as _;
use std::sync::Arc;

use deadpool_redis::redis;
use mysql_async::{Conn, Row, Value};
use scrm_domain::session::SessionData;
use sha2::{Digest as _, Sha256};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

use crate::floors::{Caller, Records, call_by_phone};
use crate::native::Servers;
use crate::params::Params;

/// What every connection shares.
struct Shared {
    servers: Servers,
    redis_prefix: String,
    session_ttl_secs: u64,
    params: Params,
}

/// Starts the service on a free local port; its base URL (`http://127.0.0.1:PORT`).
///
/// # Errors
/// When no port can be bound.
pub async fn start(
    servers: Servers,
    redis_prefix: &str,
    session_ttl_secs: u64,
    params: &Params,
) -> anyhow::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let shared = Arc::new(Shared {
        servers,
        redis_prefix: redis_prefix.to_owned(),
        session_ttl_secs,
        params: params.clone(),
    });
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let shared = Arc::clone(&shared);
            tokio::spawn(async move {
                if let Err(e) = connection(stream, &shared).await {
                    eprintln!("  bare service: {e:#}");
                }
            });
        }
    });
    Ok(format!("http://{addr}"))
}

/// Answers the requests of one client connection until it closes.
async fn connection(mut stream: TcpStream, shared: &Shared) -> anyhow::Result<()> {
    stream.set_nodelay(true)?;
    let mut mysql = shared.servers.mysql().await?;
    let mut redis = shared.servers.redis().await?;
    let mut params = shared.params.clone();
    let mut input = Vec::with_capacity(4096);
    let mut output = Vec::with_capacity(16 * 1024);
    loop {
        while let Some((len, target, token)) = request(&input)? {
            input.drain(..len);
            let (status, body) = match answer(
                shared,
                &target,
                token.as_deref(),
                &mut params,
                &mut mysql,
                &mut redis,
            )
            .await
            {
                Ok(Ok(body)) => ("200 OK", body),
                Ok(Err(Refusal::Unauthorized)) => (
                    "401 Unauthorized",
                    br#"{"code":401,"msg":"unauthorized","data":null}"#.to_vec(),
                ),
                Ok(Err(Refusal::Forbidden)) => (
                    "403 Forbidden",
                    br#"{"code":403,"msg":"main accounts only","data":null}"#.to_vec(),
                ),
                Err(e) => {
                    eprintln!("  bare service: {e:#}");
                    (
                        "503 Service Unavailable",
                        br#"{"code":503,"msg":"unavailable","data":null}"#.to_vec(),
                    )
                }
            };
            output.clear();
            write!(
                output,
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                body.len()
            )?;
            output.extend_from_slice(&body);
            stream.write_all(&output).await?;
        }
        match stream.read_buf(&mut input).await {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return Ok(()),
            Err(e) => return Err(e.into()),
        }
    }
}

/// The first complete request head in `input`: its length, its target and its bearer token.
fn request(input: &[u8]) -> anyhow::Result<Option<(usize, String, Option<String>)>> {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut req = httparse::Request::new(&mut headers);
    let httparse::Status::Complete(len) = req.parse(input)? else {
        return Ok(None);
    };
    let token = req
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("authorization"))
        .and_then(|h| std::str::from_utf8(h.value).ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    Ok(Some((len, req.path.unwrap_or("/").to_owned(), token)))
}

/// How a request was answered, short of a 200.
enum Refusal {
    /// No live session for the token.
    Unauthorized,
    /// A sub-account's session: the floor's statements are a main account's.
    Forbidden,
}

/// The body of a 200, or why not.
async fn answer(
    shared: &Shared,
    target: &str,
    token: Option<&str>,
    params: &mut Params,
    mysql: &mut Conn,
    redis: &mut redis::aio::MultiplexedConnection,
) -> anyhow::Result<Result<Vec<u8>, Refusal>> {
    let Some(token) = token else {
        return Ok(Err(Refusal::Unauthorized));
    };
    let key = format!(
        "{}:session:{}",
        shared.redis_prefix,
        hex::encode(Sha256::digest(token.as_bytes()))
    );
    let stored: Option<String> = redis::cmd("GETEX")
        .arg(&key)
        .arg("EX")
        .arg(shared.session_ttl_secs)
        .query_async(redis)
        .await?;
    let Some(stored) = stored else {
        return Ok(Err(Refusal::Unauthorized));
    };
    let session: SessionData = serde_json::from_str(&stored)?;
    if session.admin_user_id != session.tenant_id {
        return Ok(Err(Refusal::Forbidden));
    }
    // The floor's statements read the tenant (the main account's id) from the params.
    params.tenant = session.tenant_id.0;
    let phone = query_param(target, "phone").unwrap_or_default();
    let caller = call_by_phone(mysql, params, &scrm_domain::phone::digits(&phone)).await?;
    let mut body = Vec::with_capacity(4096);
    envelope(&mut body, &caller)?;
    Ok(Ok(body))
}

/// A query parameter of `target`, decoded (`+` is a space).
fn query_param(target: &str, name: &str) -> Option<String> {
    let query = target.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| {
            percent_encoding::percent_decode_str(&v.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned()
        })
    })
}

/// `{"code":200,"msg":..,"data":{"source":..,"customerList":..}}`.
fn envelope(out: &mut Vec<u8>, caller: &Caller) -> std::io::Result<()> {
    out.extend_from_slice(r#"{"code":200,"msg":"操作成功!","data":{"source":"#.as_bytes());
    match caller {
        Caller::None => out.extend_from_slice(br#"0,"customerList":null}}"#),
        Caller::Customers(records) => {
            out.extend_from_slice(br#"1,"customerList":["#);
            customers(out, records)?;
            out.extend_from_slice(b"]}}");
        }
        Caller::Entries { source, rows } => {
            write!(out, r#"{source},"customerList":["#)?;
            for (i, row) in rows.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                object(out, row, &[])?;
                out.push(b'}');
            }
            out.extend_from_slice(b"]}}");
        }
    }
    Ok(())
}

/// Each customer row with its tags (ids and names), its form of address and its WeChat
/// account's nick name (the row's last three columns).
fn customers(out: &mut Vec<u8>, r: &Records) -> std::io::Result<()> {
    for (i, row) in r.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let n = row.len();
        object(out, row, &[0, n - 3, n - 2, n - 1])?;
        let tags: Vec<(i64, Option<String>)> = match row.as_ref(n - 1) {
            Some(Value::Bytes(json)) => serde_json::from_slice(json)?,
            _ => Vec::new(),
        };
        out.extend_from_slice(br#","tags":["#);
        for (k, (id, _)) in tags.iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            write!(out, "{id}")?;
        }
        out.extend_from_slice(br#"],"tagNames":"#);
        let names: Vec<&str> = tags
            .iter()
            .map(|(_, n)| n.as_deref().unwrap_or(""))
            .collect();
        serde_json::to_writer(&mut *out, &names)?;
        out.extend_from_slice(br#","customerNickName":"#);
        value(out, row.as_ref(n - 2).unwrap_or(&Value::NULL))?;
        out.extend_from_slice(br#","wechatUserNickName":"#);
        value(out, row.as_ref(n - 3).unwrap_or(&Value::NULL))?;
        out.push(b'}');
    }
    Ok(())
}

/// `{"column":value,..` (left open) of every column but those in `skip`; a column of
/// another table than the first column's is `"table.column"` (the customer and its contact
/// both have a `nick_name`).
fn object(out: &mut Vec<u8>, row: &Row, skip: &[usize]) -> std::io::Result<()> {
    out.push(b'{');
    let columns = row.columns_ref();
    let own = columns.first().map(|c| c.table_ref());
    let mut first = true;
    for (i, column) in columns.iter().enumerate() {
        if skip.contains(&i) {
            continue;
        }
        if !first {
            out.push(b',');
        }
        first = false;
        if Some(column.table_ref()) == own {
            serde_json::to_writer(&mut *out, &*column.name_str())?;
        } else {
            let key = format!("{}.{}", column.table_str(), column.name_str());
            serde_json::to_writer(&mut *out, &key)?;
        }
        out.push(b':');
        value(out, row.as_ref(i).unwrap_or(&Value::NULL))?;
    }
    Ok(())
}

/// One value as JSON: text as a string, numbers as numbers, times as `yyyy-MM-dd HH:mm:ss`.
fn value(out: &mut Vec<u8>, v: &Value) -> std::io::Result<()> {
    match v {
        Value::NULL => out.extend_from_slice(b"null"),
        Value::Bytes(b) => serde_json::to_writer(&mut *out, &*String::from_utf8_lossy(b))?,
        Value::Int(n) => write!(out, "{n}")?,
        Value::UInt(n) => write!(out, "{n}")?,
        Value::Float(n) => write!(out, "{n}")?,
        Value::Double(n) => write!(out, "{n}")?,
        Value::Date(y, mo, d, h, mi, s, _) => {
            write!(out, r#""{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}""#)?;
        }
        Value::Time(neg, d, h, mi, s, _) => {
            let sign = if *neg { "-" } else { "" };
            write!(out, r#""{sign}{}:{mi:02}:{s:02}""#, u32::from(*h) + d * 24)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_head_gives_its_target_and_token() {
        let head =
            b"GET /x?phone=%2B86%20138 HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer abc\r\n\r\nGET";
        let (len, target, token) = request(head).unwrap().unwrap();
        assert_eq!(&head[len..], b"GET");
        assert_eq!(target, "/x?phone=%2B86%20138");
        assert_eq!(token.as_deref(), Some("abc"));
        assert_eq!(query_param(&target, "phone").as_deref(), Some("+86 138"));
        assert_eq!(query_param("/x?a=1+2&phone=9", "a").as_deref(), Some("1 2"));
        assert!(request(b"GET / HTTP/1.1\r\nHost").unwrap().is_none());
    }

    #[test]
    fn values_are_written_as_json() {
        let mut out = Vec::new();
        for v in [
            Value::NULL,
            Value::Bytes("王\"1".as_bytes().to_vec()),
            Value::Int(-3),
            Value::Date(2026, 12, 7, 9, 5, 1, 0),
        ] {
            value(&mut out, &v).unwrap();
            out.push(b' ');
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"null "王\"1" -3 "2026-12-07 09:05:01" "#
        );
    }

    /// A text column `name` of `table`.
    fn column(table: &str, name: &str) -> mysql_async::Column {
        mysql_async::Column::new(mysql_async::consts::ColumnType::MYSQL_TYPE_VAR_STRING)
            .with_table(table.as_bytes())
            .with_name(name.as_bytes())
    }

    #[test]
    fn a_column_of_another_table_is_qualified_by_it() {
        let row = mysql_common::row::new_row(
            vec![Value::Int(7), Value::from("a"), Value::from("b")],
            vec![
                column("customer", "id"),
                column("customer", "nick_name"),
                column("wechat_contact", "nick_name"),
            ]
            .into(),
        );
        let mut out = Vec::new();
        object(&mut out, &row, &[0]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"nick_name":"a","wechat_contact.nick_name":"b""#
        );
    }

    #[test]
    fn a_customer_s_tags_and_names_come_from_its_last_three_columns() {
        let row = |tags: Value| {
            mysql_common::row::new_row(
                vec![
                    Value::Int(7),
                    Value::from("王"),
                    Value::from("銷售一號"),
                    Value::NULL,
                    tags,
                ],
                vec![
                    column("customer", "id"),
                    column("customer", "customer_name"),
                    column("wechat_user", "nick_name"),
                    column("contact_nick_name", "nick_name"),
                    column("", "tags"),
                ]
                .into(),
            )
        };
        let mut out = Vec::new();
        customers(
            &mut out,
            &vec![
                row(Value::from(r#"[[11, "VIP"], [13, "a\"b"], [14, null]]"#)),
                row(Value::NULL),
            ],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            concat!(
                r#"{"customer_name":"王","tags":[11,13,14],"tagNames":["VIP","a\"b",""],"#,
                r#""customerNickName":null,"wechatUserNickName":"銷售一號"},"#,
                r#"{"customer_name":"王","tags":[],"tagNames":[],"#,
                r#""customerNickName":null,"wechatUserNickName":"銷售一號"}"#
            )
        );
    }

    /// One GET of `target` from the service at `base` (`http://host:port`), with a bearer
    /// token or none: the answer's status and body.
    async fn get(base: &str, target: &str, token: Option<&str>) -> (u16, String) {
        let mut stream = TcpStream::connect(base.trim_start_matches("http://"))
            .await
            .unwrap();
        let auth = token
            .map(|t| format!("Authorization: Bearer {t}\r\n"))
            .unwrap_or_default();
        let head = format!("GET {target} HTTP/1.1\r\nHost: bare\r\n{auth}\r\n");
        stream.write_all(head.as_bytes()).await.unwrap();
        let mut buf = Vec::new();
        loop {
            assert!(stream.read_buf(&mut buf).await.unwrap() > 0, "closed early");
            let mut headers = [httparse::EMPTY_HEADER; 8];
            let mut answer = httparse::Response::new(&mut headers);
            let httparse::Status::Complete(start) = answer.parse(&buf).unwrap() else {
                continue;
            };
            let len: usize = answer
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case("content-length"))
                .map(|h| std::str::from_utf8(h.value).unwrap().parse().unwrap())
                .unwrap();
            if buf.len() >= start + len {
                let body = String::from_utf8(buf[start..start + len].to_vec()).unwrap();
                return (answer.code.unwrap(), body);
            }
        }
    }

    #[tokio::test]
    async fn it_answers_a_main_account_and_refuses_a_sub_account_or_no_session() {
        use scrm_domain::AdminUserId;
        use scrm_test_support::{TestDatabase, TestRedis};

        let db = TestDatabase::create().await;
        scrm_mysql::migrate(db.url()).await.unwrap();
        let redis = TestRedis::new();
        let servers = Servers {
            mysql_url: db.url().to_owned(),
            redis_url: redis.url(),
        };
        let mut conn = servers.redis().await.unwrap();
        let key = |token: &str| {
            let hash = hex::encode(Sha256::digest(token.as_bytes()));
            format!("{}:session:{hash}", redis.prefix())
        };
        for (token, account) in [("main-token", 100), ("sub-token", 101)] {
            let session = SessionData {
                admin_user_id: AdminUserId(account),
                tenant_id: AdminUserId(100),
            };
            let () = redis::cmd("SET")
                .arg(key(token))
                .arg(serde_json::to_string(&session).unwrap())
                .arg("EX")
                .arg(60)
                .query_async(&mut conn)
                .await
                .unwrap();
        }
        let base = start(servers, redis.prefix(), 600, &Params::example())
            .await
            .unwrap();
        let path = "/scrm/customer/getCustomerInfoByCall?phone=138%2000001111";
        let unauthorized = (
            401,
            r#"{"code":401,"msg":"unauthorized","data":null}"#.to_owned(),
        );
        assert_eq!(get(&base, path, None).await, unauthorized);
        assert_eq!(get(&base, path, Some("unknown")).await, unauthorized);
        let (status, body) = get(&base, path, Some("sub-token")).await;
        assert_eq!(
            (status, body.contains(r#""code":403"#)),
            (403, true),
            "{body}"
        );
        // A main account's pop-up for a number nobody has: the statements ran in its tenant.
        let answered = get(&base, path, Some("main-token")).await;
        let none = r#"{"code":200,"msg":"操作成功!","data":{"source":0,"customerList":null}}"#;
        assert_eq!(answered, (200, none.to_owned()));
        // Read with GETEX, the session now lives the service's whole TTL.
        let ttl: i64 = redis::cmd("TTL")
            .arg(key("main-token"))
            .query_async(&mut conn)
            .await
            .unwrap();
        assert!(ttl > 60, "{ttl}");
    }
}
