//! `GET /healthz` (the process answers; no store touched) and `GET /readyz` (every backing
//! store answers its probe; 503 naming the ones that are down).

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
#[derive(Debug, Serialize)]
pub struct Status {
    pub status: &'static str,
}

/// The liveness handler.
pub async fn healthz() -> HttpResponse {
    envelope::ok(Status { status: "up" })
}

/// The readiness handler: `data` maps each probe's name to `up` or `down`.
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
