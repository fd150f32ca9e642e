//! The response envelope `{"code", "msg", "data"}` and the legacy paged shape with `pageNo`
//! and `count` beside `data`.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

/// The message of every successful response unless the spec shows another.
pub const OK_MSG: &str = "操作成功!";

/// `{"code": <status>, "msg": <msg>, "data": <data>}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Envelope<'a, T: Serialize> {
    pub code: u16,
    pub msg: &'a str,
    pub data: T,
}

/// The legacy paged list: `{"code", "msg", "data": [..], "pageNo", "count"}`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PagedEnvelope<T: Serialize> {
    pub code: u16,
    pub msg: &'static str,
    pub data: Vec<T>,
    pub page_no: u32,
    pub count: u64,
}

/// A response with this status whose body is the envelope.
pub fn respond<T: Serialize>(status: StatusCode, msg: &str, data: T) -> HttpResponse {
    HttpResponse::build(status).json(Envelope {
        code: status.as_u16(),
        msg,
        data,
    })
}

/// 200 with `data`.
pub fn ok<T: Serialize>(data: T) -> HttpResponse {
    respond(StatusCode::OK, OK_MSG, data)
}

/// 200 with the legacy paged shape.
pub fn paged<T: Serialize>(items: Vec<T>, page_no: u32, count: u64) -> HttpResponse {
    HttpResponse::Ok().json(PagedEnvelope {
        code: StatusCode::OK.as_u16(),
        msg: OK_MSG,
        data: items,
        page_no,
        count,
    })
}

/// 200 with the legacy paged shape whose items are JSON texts written as they are (each a
/// valid JSON value: the caller checked them): the bytes [`paged`] writes for the same items
/// (`PagedEnvelope`'s fields in its order; `OK_MSG` needs no escape), without decoding them
/// into values to encode them again.
pub fn paged_json<'a>(
    items: impl IntoIterator<Item = &'a str>,
    page_no: u32,
    count: u64,
) -> HttpResponse {
    let mut body = format!(
        r#"{{"code":{},"msg":"{OK_MSG}","data":["#,
        StatusCode::OK.as_u16()
    );
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(item);
    }
    body.push_str(&format!(r#"],"pageNo":{page_no},"count":{count}}}"#));
    HttpResponse::Ok()
        .content_type(actix_web::http::header::ContentType::json())
        .body(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::MessageBody;

    fn bytes(r: HttpResponse) -> (Option<String>, Vec<u8>) {
        let ct = r
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = r
            .into_body()
            .try_into_bytes()
            .map(|b| b.to_vec())
            .unwrap_or_default();
        (ct, body)
    }

    /// Spliced JSON texts give the bytes and the content type of the same items encoded.
    #[test]
    fn paged_json_writes_what_paged_writes() {
        let items = [
            serde_json::json!({"msgId": "a\"b", "content": "您好\n", "createTime": 5}),
            serde_json::json!({"msgId": "2", "content": "", "createTime": -1}),
        ];
        let texts: Vec<String> = items.iter().map(ToString::to_string).collect();
        for n in 0..=items.len() {
            let want = bytes(paged(items[..n].to_vec(), 3, 42));
            let got = bytes(paged_json(texts[..n].iter().map(String::as_str), 3, 42));
            assert_eq!(got, want, "{n} items");
        }
    }
}
