//! `POST /wechat_api/customer/addManualTask`: adds a hand-entered entry to the caller's call
//! list; answers `data: null`. Every field is text (a number is read as its digits, so the
//! spec's `"customerPhone": 18750928186` works); an empty string is not given. The domain
//! answers the spec's 400 text for exactly the missing required fields.

use actix_web::HttpResponse;
use chrono::{FixedOffset, Utc};
use scrm_domain::manual::AddManualTask;
use serde::Deserialize;
use utoipa::ToSchema;

use super::customer_dto::XFields;
use crate::envelope;
use crate::error::ApiError;
use crate::lenient::{Text, flat};
use crate::params::{Scoped, WireRequest};

/// addManualTask: `customerPhone`, `customerName` and `phoneGeo` are required (the spec's 400
/// text names the missing ones); the rest is optional text.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "customerName": "ceshi", "customerPhone": 18750928186_i64, "phoneGeo": "廈門"
}))]
pub struct AddManualTaskBody {
    /// 5 to 20 digits.
    #[serde(default)]
    #[schema(required = true)]
    pub customer_phone: Text,
    #[serde(default)]
    #[schema(required = true)]
    pub customer_name: Text,
    #[serde(default)]
    #[schema(required = true)]
    pub phone_geo: Text,
    pub address: Option<Text>,
    pub nick_name: Option<Text>,
    pub user_name: Option<Text>,
    pub company: Option<Text>,
    pub tags: Option<Text>,
    pub remarks: Option<Text>,
    pub v1: Option<Text>,
    #[serde(flatten, deserialize_with = "flat")]
    #[schema(schema_with = XFields::<Text>::schema)]
    pub xfields: XFields<Text>,
}

impl WireRequest for AddManualTaskBody {
    /// Every field trimmed, an empty one `None` (the domain names the missing required ones).
    type Domain = AddManualTask;

    fn try_into_domain(self, _zone: FixedOffset) -> Result<AddManualTask, ApiError> {
        let text = |t: Option<Text>| t.as_ref().and_then(Text::trimmed);
        Ok(AddManualTask {
            customer_name: self.customer_name.trimmed(),
            customer_phone: self.customer_phone.trimmed(),
            phone_geo: self.phone_geo.trimmed(),
            address: text(self.address),
            nick_name: text(self.nick_name),
            user_name: text(self.user_name),
            company: text(self.company),
            tags: text(self.tags),
            remarks: text(self.remarks),
            v1: text(self.v1),
            xfields: self.xfields.0.map(text),
        })
    }
}

/// The handler.
///
/// # Errors
/// 400 (the spec's text for missing fields, a bad phone, too long values), 401, 409 when the
/// phone is already on the caller's list, 503.
#[utoipa::path(
    post,
    path = "/wechat_api/customer/addManualTask",
    tag = "manual",
    operation_id = "addManualTask",
    summary = "Add a call list entry",
    description = "Adds a hand-entered entry (taskId -1, the next orderNum) to your call list.",
    request_body(content((AddManualTaskBody = "application/json"), (AddManualTaskBody = "application/x-www-form-urlencoded"))),
    responses(
        crate::openapi::responses::Done,
        (status = 409, description = "The phone is already on your call list",
            body = crate::openapi::responses::ErrorEnvelope),
        crate::openapi::responses::WriteErrors,
    ),
)]
pub async fn handle(scoped: Scoped<AddManualTaskBody>) -> Result<HttpResponse, ApiError> {
    let (state, scope, cmd) = scoped.into_parts()?;
    state.manual.add(&scope, &cmd, Utc::now()).await?;
    Ok(envelope::ok(()))
}
