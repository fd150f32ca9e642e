//! The documented query parameters of the GET endpoints. Handlers read their parameters through the lenient
//! `Params` extractor, which utoipa cannot look into, so each parameter set and body is
//! described here with the spec's names and the types `Params` really accepts. These types
//! exist for the document only; nothing deserializes into them.

use utoipa::IntoParams;

use super::lenient::{IdList, LenientInt, Limit, PageNo, WireTime};

/// `pageNo` and `limit` of every paged list.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct PagingQuery {
    /// The page, from 1 (default 1).
    pub page_no: Option<PageNo>,
    /// Rows per page, 1 to 100 (default 10; 20 for the call lists and the chat record).
    pub limit: Option<Limit>,
}

/// The customer filters of customerPage and downLoad.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct CustomerFilterQuery {
    /// Contained in the customer name, the contact's nickname or remark name.
    pub customer_name: Option<String>,
    /// Contained in the phone, compared by digits (`+86`/`0086`, blanks and dashes ignored);
    /// must hold a digit.
    #[param(pattern = r"^(.*[0-9].*)?$")]
    pub customer_phone: Option<String>,
    /// Tags, any of.
    pub tag_ids: Option<IdList>,
    /// Customer createTime from (inclusive).
    pub begin_time: Option<WireTime>,
    /// Customer createTime to (inclusive; a bare date is the end of that day).
    pub end_time: Option<WireTime>,
    /// Contained in the customer's remarks.
    pub remarks: Option<String>,
    /// Contained in the contact's remark name.
    pub remark_name: Option<String>,
    /// Only the contacts of this WeChat account.
    pub wechat_user_id: Option<LenientInt>,
}

/// The query of findcontactbytagAll.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct ContactTagQuery {
    /// Only the contacts of this WeChat account.
    pub wechat_user_id: Option<LenientInt>,
    /// Tags, any of (every contact when absent).
    pub tag_ids: Option<IdList>,
    /// Any non-empty value includes the contacts of offline WeChat accounts.
    #[param(rename = "isOffLine")]
    pub is_off_line: Option<String>,
}

/// The query of getCustomerInfoByCall.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallQuery {
    /// The caller's number, compared by its digits (`+86`, `0086`, blanks, dashes ignored).
    #[param(
        pattern = r"^\s*\+?[0-9][0-9 -]{4,30}\s*$",
        example = "+86 187-5092-8186"
    )]
    pub phone: String,
}

/// The query of getManualTaskList.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct ManualTaskListQuery {
    /// Only this assignee.
    pub admin_user_id: Option<LenientInt>,
    /// Only assignees of this department (the spec's spelling).
    pub pepart_id: Option<LenientInt>,
    /// The same as `pepartId`; when both are given they must agree.
    pub depart_id: Option<LenientInt>,
}

/// The query of getManualTaskDetail.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct ManualTaskDetailQuery {
    /// The assignee (required: without it the spec's 400 `指定查詢的任務詳情不能為空`).
    pub admin_user_id: LenientInt,
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
}

/// The query of getRedisMessageRecord.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct MessageRecordQuery {
    /// Whose conversations (the caller when absent; outside the scope: an empty page).
    pub admin_user_id: Option<LenientInt>,
    /// WeChat accounts of the conversations.
    pub wechat_user_ids: Option<IdList>,
    /// Contacts of the conversations.
    pub wechat_contact_ids: Option<IdList>,
    /// createTime from (inclusive).
    pub begin_time: Option<WireTime>,
    /// createTime to (inclusive).
    pub end_time: Option<WireTime>,
}
