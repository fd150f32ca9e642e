//! `GET /wechat_api/customer/getManualTaskList`: the assignees of hand-entered entries with
//! their totals, as `data: {"count", "data": [..], "pageNo", "limit"}`. The department is
//! `pepartId` (the spec's spelling) or `departId`.

use actix_web::{HttpResponse, web};
use scrm_domain::manual::{AssigneeQuery, AssigneeSummary};
use scrm_domain::{AdminUserId, DepartmentId};
use serde::Serialize;
use utoipa::ToSchema;

use super::manual_dto::ManualPage;
use crate::AppState;
use crate::auth::Caller;
use crate::envelope;
use crate::error::ApiError;
use crate::params::Params;

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

/// `adminUserId` and `pepartId`/`departId` (both given must agree).
///
/// # Errors
/// 400 naming the parameter that cannot be read, or both department spellings when they differ.
pub fn query(params: &Params) -> Result<AssigneeQuery, ApiError> {
    let pepart = params.opt_i64("pepartId")?;
    let depart = params.opt_i64("departId")?;
    let depart_id = match (pepart, depart) {
        (Some(a), Some(b)) if a != b => {
            return Err(ApiError::invalid(
                "pepartId",
                "differs from departId (give one of them)",
            ));
        }
        (a, b) => a.or(b).map(DepartmentId),
    };
    Ok(AssigneeQuery {
        admin_user_id: params.opt_i64("adminUserId")?.map(AdminUserId),
        depart_id,
    })
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
    params(crate::openapi::requests::ManualTaskListQuery, crate::openapi::requests::PagingQuery),
    responses(
        (status = 200, description = "A page of assignees",
            body = crate::envelope::Envelope<ManualPage<AssigneeItem>>,
            example = json!({"code": 200, "msg": "操作成功!", "data": {"count": 2, "pageNo": 1,
                "limit": 20, "data": [{"adminUserId": 11855, "realName": "hhhaaa", "entries": 3,
                "dialled": 1, "friendRequestsSent": 1, "added": 0}, {"adminUserId": 12206,
                "realName": "李小琳e", "entries": 12, "dialled": 4, "friendRequestsSent": 3,
                "added": 2}]}})),
        crate::openapi::responses::RequestErrors,
        crate::openapi::responses::EdgeErrors,
    ),
)]
pub async fn handle(
    state: web::Data<AppState>,
    caller: Caller,
    params: Params,
) -> Result<HttpResponse, ApiError> {
    let query = query(&params)?;
    let page = params.page(DEFAULT_LIMIT)?;
    let found = state.manual.assignees(&caller.scope, &query, page).await?;
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
