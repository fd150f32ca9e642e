//! The documented error answers: the envelope with `data: null`, and the sets of error
//! statuses the routes really return (see `crate::error::ApiError` and the middleware). An
//! operation lists the sets that apply to it: `EdgeErrors` (every route), `RequestErrors`
//! (every route behind a session), `BodyErrors` (every route reading a body); `SessionErrors`
//! is the first two together (every route behind a session that reads no body), `WriteErrors`
//! the three, the errors of every write route.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use serde::Serialize;
use utoipa::openapi::RefOr;
use utoipa::openapi::response::Response;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{IntoResponses, PartialSchema, ToSchema};

use crate::envelope::Envelope;

/// `null`: the `data` of an answer that carries nothing.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Null;

impl PartialSchema for Null {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new().schema_type(Type::Null).into()
    }
}

impl ToSchema for Null {}

/// `{"code": <status>, "msg": <why>, "data": null}`: every error, `code` equal to the status.
#[derive(Debug, ToSchema)]
#[schema(example = json!({"code": 400, "msg": "limit: must be between 1 and 100", "data": null}))]
pub struct ErrorEnvelope {
    /// The HTTP status.
    pub code: u16,
    /// The parameter and what is wrong with it, or the spec's own text.
    pub msg: String,
    pub data: Null,
}

/// 200 with nothing to say: `{"code": 200, "msg": "操作成功!", "data": null}`.
#[derive(Debug, IntoResponses)]
#[response(
    status = 200,
    description = "Done",
    example = json!({"code": 200, "msg": "操作成功!", "data": null})
)]
pub struct Done(#[to_schema] pub Envelope<'static, Null>);

/// What the middleware answers on any route.
#[derive(Debug, IntoResponses)]
pub enum EdgeErrors {
    /// A query string over 8 KiB.
    #[response(status = 414, example = json!({"code": 414, "msg": "query string: longer than 8192 bytes", "data": null}))]
    UriTooLong(ErrorEnvelope),
    /// A store is down, or the request deadline (`SCRM_REQUEST_TIMEOUT_MS`) passed.
    #[response(status = 503, example = json!({"code": 503, "msg": "服務暫時不可用,請稍後重試", "data": null}))]
    Unavailable(ErrorEnvelope),
}

/// The errors of every route behind a session.
#[derive(Debug, IntoResponses)]
pub enum RequestErrors {
    /// A parameter that cannot be read; `msg` names it (or is the spec's own text).
    #[response(status = 400, example = json!({"code": 400, "msg": "pageNo: must be an integer", "data": null}))]
    BadRequest(ErrorEnvelope),
    /// No, an unknown or an expired session.
    #[response(status = 401, example = json!({"code": 401, "msg": "未登錄或登錄已過期", "data": null}))]
    Unauthorized(ErrorEnvelope),
    /// A bug; the cause is only logged.
    #[response(status = 500, example = json!({"code": 500, "msg": "服務器內部錯誤", "data": null}))]
    Internal(ErrorEnvelope),
}

/// The errors of reading a body.
#[derive(Debug, IntoResponses)]
pub enum BodyErrors {
    /// A body over 64 KiB (1 MiB for message/record), or too many items.
    #[response(status = 413, example = json!({"code": 413, "msg": "請求體過大", "data": null}))]
    TooLarge(ErrorEnvelope),
    /// A body that is neither JSON nor a form.
    #[response(status = 415, example = json!({"code": 415, "msg": "Content-Type: must be application/json or application/x-www-form-urlencoded", "data": null}))]
    MediaType(ErrorEnvelope),
}

/// The responses of `A` and of `B` together (an operation's `responses(..)` takes one type
/// per set; this makes one set of two).
#[derive(Debug)]
pub struct Both<A, B>(PhantomData<(A, B)>);

impl<A: IntoResponses, B: IntoResponses> IntoResponses for Both<A, B> {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let mut all = A::responses();
        all.extend(B::responses());
        all
    }
}

/// The errors of every route behind a session that reads no body.
pub type SessionErrors = Both<RequestErrors, EdgeErrors>;

/// The errors of every route that reads a body behind a session.
pub type WriteErrors = Both<SessionErrors, BodyErrors>;
