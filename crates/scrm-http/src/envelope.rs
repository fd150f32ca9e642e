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
