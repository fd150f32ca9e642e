//! `GET /wechat_api/customer/getManualTaskList`: the assignees of hand-entered entries with
//! their totals, as `data: {"count", "data": [..], "pageNo", "limit"}`. The department is
//! `pepartId` (the spec's spelling) or `departId`.

use actix_web::HttpResponse;
use chrono::FixedOffset;
use scrm_domain::manual::{AssigneeQuery, AssigneeSummary};
use scrm_domain::{AdminUserId, DepartmentId, PageRequest};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::manual_dto::ManualPage;
use crate::envelope;
use crate::error::ApiError;
use crate::lenient::{LenientInt, Limit, PageNo, page};
use crate::params::{Scoped, WireRequest};

/// Rows per page when `limit` is not given.
pub const DEFAULT_LIMIT: u32 = 20;

/// One assignee and the totals of their live hand-entered entries.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AssigneeItem {
    pub admin_user_id: i64,
    pub real_name: Option<String>,
    pub entries: u64,
    pub dialled: u64,
    pub friend_requests_sent: u64,
    pub added: u64,
}

impl From<AssigneeSummary> for AssigneeItem {
    fn from(s: AssigneeSummary) -> Self {
        Self {
            admin_user_id: s.admin_user_id.0,
            real_name: s.real_name,
            entries: s.entries,
            dialled: s.dialled,
            friend_requests_sent: s.friend_requests_sent,
            added: s.added,
        }
    }
}

/// The query of getManualTaskList.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct TaskListQuery {
    /// Only this assignee.
    pub admin_user_id: Option<LenientInt>,
    /// Only assignees of this department (the spec's spelling).
    pub pepart_id: Option<LenientInt>,
    /// The same as `pepartId`; when both are given they must agree.
    pub depart_id: Option<LenientInt>,
    /// The page, from 1 (default 1).
    pub page_no: Option<PageNo>,
    /// Rows per page, 1 to 100 (default 20).
    pub limit: Option<Limit>,
}

impl WireRequest for TaskListQuery {
    type Domain = (AssigneeQuery, PageRequest);

    fn try_into_domain(self, _zone: FixedOffset) -> Result<Self::Domain, ApiError> {
        let depart_id = match (self.pepart_id, self.depart_id) {
            (Some(a), Some(b)) if a != b => {
                return Err(ApiError::invalid(
                    "pepartId",
                    "differs from departId (give one of them)",
                ));
            }
            (a, b) => a.or(b).map(|id| DepartmentId(id.0)),
        };
        let query = AssigneeQuery {
            admin_user_id: self.admin_user_id.map(|id| AdminUserId(id.0)),
            depart_id,
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
    path = "/wechat_api/customer/getManualTaskList",
    tag = "manual",
    operation_id = "getManualTaskList",
    summary = "Call lists",
    description = "The hand-entered call lists of your scope, one row per assignee with live entries, ordered by account id, with their totals.",
    params(TaskListQuery),
    responses(
        (status = 200, description = "A page of assignees",
            body = crate::envelope::Envelope<ManualPage<AssigneeItem>>,
            example = json!({"code": 200, "msg": "操作成功!", "data": {"count": 2, "pageNo": 1,
                "limit": 20, "data": [{"adminUserId": 11855, "realName": "hhhaaa", "entries": 3,
                "dialled": 1, "friendRequestsSent": 1, "added": 0}, {"adminUserId": 12206,
                "realName": "李小琳e", "entries": 12, "dialled": 4, "friendRequestsSent": 3,
                "added": 2}]}})),
        crate::openapi::responses::SessionErrors,
    ),
)]
pub async fn handle(scoped: Scoped<TaskListQuery>) -> Result<HttpResponse, ApiError> {
    let (state, scope, (query, page)) = scoped.into_parts()?;
    let found = state.manual.assignees(&scope, &query, page).await?;
    Ok(envelope::ok(ManualPage {
        count: found.total,
        data: found
            .items
            .into_iter()
            .map(AssigneeItem::from)
            .collect::<Vec<_>>(),
        page_no: page.page_no(),
        limit: page.limit(),
    }))
}
