//! `GET /healthz` (the process answers; no store touched) and `GET /readyz` (every backing
//! store answers its probe; 503 naming the ones that are down).

use std::collections::BTreeMap;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web;
use futures_util::future::join_all;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::AppState;
use crate::envelope;
use crate::error::MSG_UNAVAILABLE;

/// `data` of /healthz.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Status {
    pub status: &'static str,
}

/// The liveness handler.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "ops",
    operation_id = "healthz",
    summary = "Liveness",
    description = "The process answers; no store is touched.",
    security(()),
    responses(
        (status = 200, description = "Up",
            body = crate::envelope::Envelope<Status>,
            example = json!({"code": 200, "msg": "操作成功!", "data": {"status": "up"}})),
        crate::openapi::responses::EdgeErrors,
    ),
)]
pub async fn healthz() -> HttpResponse {
    envelope::ok(Status { status: "up" })
}

/// The readiness handler: `data` maps each probe's name to `up` or `down`.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "ops",
    operation_id = "readyz",
    summary = "Readiness",
    description = "Pings every backing store (MariaDB and Redis; none with the memory store); `data` maps each to `up` or `down`.",
    security(()),
    responses(
        (status = 200, description = "Every store is up",
            body = crate::envelope::Envelope<BTreeMap<String, String>>,
            example = json!({"code": 200, "msg": "操作成功!", "data": {"mysql": "up", "redis": "up"}})),
        (status = 414, description = "A query string over 8 KiB",
            body = crate::openapi::responses::ErrorEnvelope),
        (status = 503, description = "A store is down (`data` names it), or the request deadline passed (`data` is null)",
            body = crate::envelope::Envelope<Option<BTreeMap<String, String>>>,
            example = json!({"code": 503, "msg": "服務暫時不可用,請稍後重試", "data": {"mysql": "up",
                "redis": "down"}})),
    ),
)]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let results = join_all(state.probes.iter().map(|probe| async move {
        let result = probe.ping().await;
        (probe.name(), result)
    }))
    .await;
    let mut data = Map::new();
    let mut all_up = true;
    for (name, result) in results {
        let status = match result {
            Ok(()) => "up",
            Err(err) => {
                tracing::warn!(store = name, error = %err, "readiness probe failed");
                all_up = false;
                "down"
            }
        };
        data.insert(name.to_owned(), Value::String(status.to_owned()));
    }
    if all_up {
        envelope::ok(data)
    } else {
        envelope::respond(StatusCode::SERVICE_UNAVAILABLE, MSG_UNAVAILABLE, data)
    }
}
