//! `GET /wechat_api/customer/getManualTaskDetail`: one assignee's hand-entered entries, as
//! `data: {"count", "data": [..], "pageNo", "limit"}`; without `adminUserId` the spec's 400
//! `指定查詢的任務詳情不能為空`.

use actix_web::HttpResponse;
use chrono::FixedOffset;
use scrm_domain::manual::DetailQuery;
use scrm_domain::{AdminUserId, PageRequest};
use serde::Deserialize;
use utoipa::IntoParams;

use super::manual_dto::{ManualEntryItem, ManualPage};
use crate::envelope;
use crate::error::ApiError;
use crate::lenient::{LenientInt, Limit, PageNo, page, trimmed};
use crate::params::{Scoped, WireRequest};

/// The spec's 400 text when getManualTaskDetail has no `adminUserId`.
pub const MSG_DETAIL_NEEDS_ASSIGNEE: &str = "指定查詢的任務詳情不能為空";

/// Rows per page when `limit` is not given.
pub const DEFAULT_LIMIT: u32 = 20;

/// The query of getManualTaskDetail.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct TaskDetailQuery {
    /// The assignee (required: without it the spec's 400 `指定查詢的任務詳情不能為空`).
    #[param(required = true)]
    pub admin_user_id: Option<LenientInt>,
    /// Contained in the company.
    pub company: Option<String>,
    /// Contained in the customer name.
    pub customer_name: Option<String>,
    /// Contained in the WeChat user name.
    pub user_name: Option<String>,
    /// 0 not dialled, 1 dialled (exact).
    pub dial_status: Option<LenientInt>,
    /// 0 none, 1 friend request sent, 2 added (exact).
    pub add_status: Option<LenientInt>,
    /// The page, from 1 (default 1).
    pub page_no: Option<PageNo>,
    /// Rows per page, 1 to 100 (default 20).
    pub limit: Option<Limit>,
}

/// A status filter as the domain's `i32`.
fn status(value: Option<LenientInt>, param: &str) -> Result<Option<i32>, ApiError> {
    value
        .map(|v| i32::try_from(v.0).map_err(|_| ApiError::invalid(param, "is out of range")))
        .transpose()
}

impl WireRequest for TaskDetailQuery {
    type Domain = (DetailQuery, PageRequest);

    fn try_into_domain(self, _zone: FixedOffset) -> Result<Self::Domain, ApiError> {
        let admin_user_id = self
            .admin_user_id
            .ok_or_else(|| ApiError::BadRequest(MSG_DETAIL_NEEDS_ASSIGNEE.to_owned()))?;
        let query = DetailQuery {
            admin_user_id: AdminUserId(admin_user_id.0),
            company: trimmed(self.company),
            customer_name: trimmed(self.customer_name),
            user_name: trimmed(self.user_name),
            dial_status: status(self.dial_status, "dialStatus")?,
            add_status: status(self.add_status, "addStatus")?,
        };
        Ok((query, page(self.page_no, self.limit, DEFAULT_LIMIT)?))
    }
}

/// The handler.
///
/// # Errors
/// 400, 401, 503.
#[utoipa::path(
    get,
    path = "/wechat_api/customer/getManualTaskDetail",
    tag = "manual",
    operation_id = "getManualTaskDetail",
    summary = "Call list entries",
    description = "The live hand-entered entries of one assignee, ordered by `orderNum`. An assignee outside your scope gives an empty page.",
    params(TaskDetailQuery),
    responses(
        (status = 200, description = "A page of entries",
            body = crate::envelope::Envelope<ManualPage<ManualEntryItem>>),
        crate::openapi::responses::SessionErrors,
    ),
)]
pub async fn handle(scoped: Scoped<TaskDetailQuery>) -> Result<HttpResponse, ApiError> {
    let (state, scope, (query, page)) = scoped.into_parts()?;
    let found = state.manual.entries(&scope, &query, page).await?;
    Ok(envelope::ok(ManualPage {
        count: found.total,
        data: ManualEntryItem::list(found.items, state.zone),
        page_no: page.page_no(),
        limit: page.limit(),
    }))
}
