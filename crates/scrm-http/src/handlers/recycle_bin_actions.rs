//! The recycle-bin actions: delete and restore of a customer
//! (`POST /wechat_api/customer/delete`, `restore`, `{"customerId": 3063253}`), of a hand-entered
//! call list entry (`delManualTaskDetail`, `restoreManualTaskDetail`, whose id is also
//! `customerId`) and of an assignee's whole call list (`delManualTask`, `restoreManualTask`,
//! `{"adminUserId": 12206}`). A missing id is the spec's 400 `customerId為空` /
//! `adminUserId為空`. delete answers the spec's legacy empty page
//! `{"code":200,"msg":"操作成功!","data":[],"pageNo":1,"count":0}`, the others `data: null`.
//! (The listing of the bin is `recycle_bin`.)

use actix_web::HttpResponse;
use chrono::{FixedOffset, Utc};
use scrm_domain::ServiceError;
use scrm_domain::{AdminUserId, CustomerId, ManualEntryId};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::envelope;
use crate::error::ApiError;
use crate::lenient::LenientInt;
use crate::params::{Scoped, WireRequest};

/// The spec's 400 text when `customerId` is missing.
pub const MSG_NO_CUSTOMER_ID: &str = "customerId為空";

/// The spec's 400 text when `adminUserId` is missing.
pub const MSG_ADMIN_USER_ID_EMPTY: &str = "adminUserId為空";

/// `customerId` of delete, restore, delManualTaskDetail and restoreManualTaskDetail.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"customerId": "3063253"}))]
pub struct CustomerIdBody {
    /// Missing or empty: the spec's 400 `customerId為空`.
    #[schema(value_type = LenientInt, required = true)]
    pub customer_id: Option<LenientInt>,
}

impl WireRequest for CustomerIdBody {
    /// The id of the customer or of the entry.
    type Domain = i64;

    fn try_into_domain(self, _zone: FixedOffset) -> Result<i64, ApiError> {
        self.customer_id
            .map(|id| id.0)
            .ok_or_else(|| ApiError::BadRequest(MSG_NO_CUSTOMER_ID.to_owned()))
    }
}

/// `adminUserId` of delManualTask and restoreManualTask.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"adminUserId": 12206}))]
pub struct AdminUserIdBody {
    /// Missing or empty: the spec's 400 `adminUserId為空`.
    #[schema(value_type = LenientInt, required = true)]
    pub admin_user_id: Option<LenientInt>,
}

impl WireRequest for AdminUserIdBody {
    type Domain = AdminUserId;

    fn try_into_domain(self, _zone: FixedOffset) -> Result<AdminUserId, ApiError> {
        self.admin_user_id
            .map(|id| AdminUserId(id.0))
            .ok_or_else(|| ApiError::BadRequest(MSG_ADMIN_USER_ID_EMPTY.to_owned()))
    }
}

/// Waits for an action and answers `data: null` (what it returns, a count, is not shown).
async fn done<T>(
    action: impl Future<Output = Result<T, ServiceError>>,
) -> Result<HttpResponse, ApiError> {
    action.await?;
    Ok(envelope::ok(()))
}

/// `delete`: moves a customer's profile to the recycle bin.
///
/// # Errors
/// 400, 401, 404 when not a live customer of the scope, 503.
#[utoipa::path(
    post,
    path = "/wechat_api/customer/delete",
    tag = "customer",
    operation_id = "delete",
    summary = "Delete a customer",
    description = "Moves the profile to the recycle bin (restorable).",
    request_body(content((CustomerIdBody = "application/json"), (CustomerIdBody = "application/x-www-form-urlencoded"))),
    responses(
        (status = 200, description = "Deleted; the spec's legacy empty page",
            body = crate::envelope::PagedEnvelope<crate::openapi::responses::Null>,
            example = json!({"code": 200, "msg": "操作成功!", "data": [], "pageNo": 1, "count": 0})),
        (status = 404, description = "Unknown, deleted already, or outside your scope",
            body = crate::openapi::responses::ErrorEnvelope),
        crate::openapi::responses::WriteErrors,
    ),
)]
pub async fn delete(scoped: Scoped<CustomerIdBody>) -> Result<HttpResponse, ApiError> {
    let (state, scope, id) = scoped.into_parts()?;
    state
        .customers
        .delete(&scope, CustomerId(id), Utc::now())
        .await?;
    Ok(envelope::paged::<()>(Vec::new(), 1, 0))
}

/// `restore`: brings a customer's profile back from the recycle bin.
///
/// # Errors
/// 400 `customerId為空`, 401, 404 when not in the scope's recycle bin, 503.
#[utoipa::path(
    post,
    path = "/wechat_api/customer/restore",
    tag = "customer",
    operation_id = "restore",
    summary = "Restore a customer",
    description = "Brings a profile back from the recycle bin.",
    request_body(content((CustomerIdBody = "application/json"), (CustomerIdBody = "application/x-www-form-urlencoded"))),
    responses(
        crate::openapi::responses::Done,
        (status = 404, description = "Not in your recycle bin",
            body = crate::openapi::responses::ErrorEnvelope),
        crate::openapi::responses::WriteErrors,
    ),
)]
pub async fn restore(scoped: Scoped<CustomerIdBody>) -> Result<HttpResponse, ApiError> {
    let (state, scope, id) = scoped.into_parts()?;
    done(state.customers.restore(&scope, CustomerId(id), Utc::now())).await
}

/// `delManualTask`: moves every live hand-entered entry of an assignee to the recycle bin.
///
/// # Errors
/// 400, 401, 404 when the assignee has no live entries in the scope, 503.
#[utoipa::path(
    post,
    path = "/wechat_api/customer/delManualTask",
    tag = "manual",
    operation_id = "delManualTask",
    summary = "Delete a call list",
    description = "Moves every live hand-entered entry of the assignee to the recycle bin.",
    request_body(content((AdminUserIdBody = "application/json"), (AdminUserIdBody = "application/x-www-form-urlencoded"))),
    responses(
        crate::openapi::responses::Done,
        (status = 404, description = "Nothing to delete in your scope",
            body = crate::openapi::responses::ErrorEnvelope),
        crate::openapi::responses::WriteErrors,
    ),
)]
pub async fn delete_list(scoped: Scoped<AdminUserIdBody>) -> Result<HttpResponse, ApiError> {
    let (state, scope, assignee) = scoped.into_parts()?;
    done(state.manual.delete_assignee(&scope, assignee, Utc::now())).await
}

/// `restoreManualTask`: brings every deleted hand-entered entry of an assignee back.
///
/// # Errors
/// 400, 401, 404 when nothing of the assignee is in the recycle bin, 409 when a restored
/// phone is on the live list again, 503.
#[utoipa::path(
    post,
    path = "/wechat_api/customer/restoreManualTask",
    tag = "manual",
    operation_id = "restoreManualTask",
    summary = "Restore a call list",
    description = "Brings back every deleted hand-entered entry of the assignee.",
    request_body(content((AdminUserIdBody = "application/json"), (AdminUserIdBody = "application/x-www-form-urlencoded"))),
    responses(
        crate::openapi::responses::Done,
        (status = 404, description = "Nothing of yours in the recycle bin",
            body = crate::openapi::responses::ErrorEnvelope),
        (status = 409, description = "A restored phone is on the live list again; the message names the live entry",
            body = crate::openapi::responses::ErrorEnvelope),
        crate::openapi::responses::WriteErrors,
    ),
)]
pub async fn restore_list(scoped: Scoped<AdminUserIdBody>) -> Result<HttpResponse, ApiError> {
    let (state, scope, assignee) = scoped.into_parts()?;
    done(state.manual.restore_assignee(&scope, assignee, Utc::now())).await
}

/// `delManualTaskDetail`: moves one hand-entered entry (its id is `customerId`) to the
/// recycle bin.
///
/// # Errors
/// 400, 401, 404 when not a live entry of the scope, 503.
#[utoipa::path(
    post,
    path = "/wechat_api/customer/delManualTaskDetail",
    tag = "manual",
    operation_id = "delManualTaskDetail",
    summary = "Delete a call list entry",
    description = "Moves one hand-entered entry to the recycle bin.",
    request_body(content((CustomerIdBody = "application/json"), (CustomerIdBody = "application/x-www-form-urlencoded"))),
    responses(
        crate::openapi::responses::Done,
        (status = 404, description = "Nothing to delete in your scope",
            body = crate::openapi::responses::ErrorEnvelope),
        crate::openapi::responses::WriteErrors,
    ),
)]
pub async fn delete_entry(scoped: Scoped<CustomerIdBody>) -> Result<HttpResponse, ApiError> {
    let (state, scope, id) = scoped.into_parts()?;
    done(
        state
            .manual
            .delete_entry(&scope, ManualEntryId(id), Utc::now()),
    )
    .await
}

/// `restoreManualTaskDetail`: brings one deleted hand-entered entry back.
///
/// # Errors
/// 400, 401, 404 when it is not in the recycle bin, 409 when its phone is on the live list
/// again, 503.
#[utoipa::path(
    post,
    path = "/wechat_api/customer/restoreManualTaskDetail",
    tag = "manual",
    operation_id = "restoreManualTaskDetail",
    summary = "Restore a call list entry",
    description = "Brings one deleted hand-entered entry back.",
    request_body(content((CustomerIdBody = "application/json"), (CustomerIdBody = "application/x-www-form-urlencoded"))),
    responses(
        crate::openapi::responses::Done,
        (status = 404, description = "Not in your recycle bin",
            body = crate::openapi::responses::ErrorEnvelope),
        (status = 409, description = "Its phone is on the live list again",
            body = crate::openapi::responses::ErrorEnvelope),
        crate::openapi::responses::WriteErrors,
    ),
)]
pub async fn restore_entry(scoped: Scoped<CustomerIdBody>) -> Result<HttpResponse, ApiError> {
    let (state, scope, id) = scoped.into_parts()?;
    done(
        state
            .manual
            .restore_entry(&scope, ManualEntryId(id), Utc::now()),
    )
    .await
}
