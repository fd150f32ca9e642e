//! `GET /healthz` (the process answers; no store touched) and `GET /readyz` (every backing
//! store answers its probe; 503 naming the ones that are down; with the customer index on,
//! also its state, which never fails the probe: SQL answers while it is cold or behind).

use std::collections::BTreeMap;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web;
use futures_util::future::join_all;
use scrm_domain::customer::IndexStatus;
use serde::Serialize;

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

/// `data.index` of /readyz: the index's state (`cold` before any tenant is loaded, then
/// `warm`), what is loaded, its size and its lag (`null` when unknown).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IndexReadiness {
    pub state: &'static str,
    pub tenants: u64,
    pub customers: u64,
    /// Contacts of the loaded tenants (findcontactbytagAll's selection), with a customer or
    /// not.
    pub contacts: u64,
    pub bytes: u64,
    pub since_catch_up_secs: Option<f64>,
    pub applied_seq: Option<i64>,
    pub head_seq: Option<i64>,
    pub behind: Option<i64>,
}

impl From<&IndexStatus> for IndexReadiness {
    fn from(s: &IndexStatus) -> Self {
        Self {
            state: if s.tenants == 0 { "cold" } else { "warm" },
            tenants: s.tenants,
            customers: s.customers,
            contacts: s.contacts,
            bytes: s.bytes,
            since_catch_up_secs: s.since_catch_up,
            applied_seq: s.applied_seq,
            head_seq: s.head_seq,
            behind: crate::metrics::behind(s),
        }
    }
}

/// `data` of /readyz: each store's name mapped to `up` or `down`, and the index's state.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Readiness {
    #[serde(flatten)]
    pub stores: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<IndexReadiness>,
}

/// The readiness handler: `data` maps each probe's name to `up` or `down`, and `index` to the
/// index's state when there is one.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "ops",
    operation_id = "readyz",
    summary = "Readiness",
    description = "Pings every backing store (MariaDB and Redis; none with the memory store); `data` maps each to `up` or `down`. With the customer index on, `data.index` reports it (`state` `cold` or `warm`, `tenants`, `customers`, `bytes`, `sinceCatchUpSecs`, `appliedSeq`, `headSeq`, `behind`: null when unknown); a cold or lagging index never makes the probe fail (SQL answers meanwhile).",
    security(()),
    responses(
        (status = 200, description = "Every store is up",
            body = crate::envelope::Envelope<Readiness>,
            example = json!({"code": 200, "msg": "操作成功!", "data": {"mysql": "up", "redis": "up",
                "index": {"state": "warm", "tenants": 3, "customers": 120_000, "bytes": 9_400_000,
                    "sinceCatchUpSecs": 0.8, "appliedSeq": 5120, "headSeq": 5120, "behind": 0}}})),
        (status = 414, description = "A query string over 8 KiB",
            body = crate::openapi::responses::ErrorEnvelope),
        (status = 503, description = "A store is down (`data` names it), or the request deadline passed (`data` is null)",
            body = crate::envelope::Envelope<Option<Readiness>>,
            example = json!({"code": 503, "msg": "服務暫時不可用,請稍後重試", "data": {"mysql": "up",
                "redis": "down"}})),
    ),
)]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let (results, index) = futures_util::future::join(
        join_all(state.probes.iter().map(|probe| async move {
            let result = probe.ping().await;
            (probe.name(), result)
        })),
        state.customers.index_status(),
    )
    .await;
    let mut stores = BTreeMap::new();
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
        stores.insert(name.to_owned(), status.to_owned());
    }
    let data = Readiness {
        stores,
        index: index.as_ref().map(IndexReadiness::from),
    };
    if all_up {
        envelope::ok(data)
    } else {
        envelope::respond(StatusCode::SERVICE_UNAVAILABLE, MSG_UNAVAILABLE, data)
    }
}
