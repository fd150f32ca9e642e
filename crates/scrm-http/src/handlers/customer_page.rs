//! `GET /wechat_api/customer/customerPage`: a page of customers matching the filters, in the
//! legacy shape `{"code","msg","data":[..],"pageNo","count"}`. Its request, `CustomerQuery`,
//! is downLoad's too.

use actix_web::HttpResponse;
use chrono::FixedOffset;
use scrm_domain::customer::CustomerFilter;
use scrm_domain::phone::digits;
use scrm_domain::text::{check_len, limits};
use scrm_domain::time::DateBound;
use scrm_domain::{PageRequest, TagId, WechatUserId};
use serde::Deserialize;
use utoipa::IntoParams;

use super::customer_dto::CustomerItem;
use crate::envelope;
use crate::error::ApiError;
use crate::lenient::{
    IdList, LenientInt, Limit, PageNo, WireTagMode, WireTime, page, tag_mode, terms, trimmed,
};
use crate::params::{Scoped, WireRequest};

/// Rows per page when `limit` is not given.
pub const DEFAULT_LIMIT: u32 = 10;

/// The filters and the page of customerPage and downLoad.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct CustomerQuery {
    /// Search as people type (at most 100 characters): whitespace-separated terms that must
    /// all match. A term matches a customer when one of its three names (its own, its
    /// contact's nickname or remark name) contains it (case-insensitive), when the full pinyin
    /// or the initials of one of those names contain it (lower case, no tones; every reading
    /// of a polyphonic character: `zhangweiming`, `zwm`), or, for a term of 3 or more digits
    /// once `+ - ( )` are dropped, when the phone's digits contain it (`+86`/`0086` ignored).
    pub q: Option<String>,
    /// Contained in the customer name, the contact's nickname or remark name.
    pub customer_name: Option<String>,
    /// Contained in the phone, compared by digits (`+86`/`0086`, blanks and dashes ignored);
    /// must hold a digit.
    #[param(pattern = r"^(.*[0-9].*)?$")]
    pub customer_phone: Option<String>,
    /// Tags, combined by `tagMode` (any of them by default).
    #[serde(default)]
    pub tag_ids: IdList,
    /// How `tagIds` combine: `any` (default), `all`, `none`.
    pub tag_mode: Option<WireTagMode>,
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
    /// The page, from 1 (default 1).
    pub page_no: Option<PageNo>,
    /// Rows per page, 1 to 100 (default 10).
    pub limit: Option<Limit>,
}

/// A checked `CustomerQuery`.
#[derive(Debug, Clone)]
pub struct CustomerSearch {
    pub filter: CustomerFilter,
    pub page: PageRequest,
    /// Whether `pageNo` or `limit` was given (downLoad then exports that page only).
    pub paged: bool,
}

impl WireRequest for CustomerQuery {
    type Domain = CustomerSearch;

    fn try_into_domain(self, zone: FixedOffset) -> Result<CustomerSearch, ApiError> {
        let phone_digits = match trimmed(self.customer_phone) {
            None => None,
            Some(raw) => {
                let d = digits(&raw);
                if d.is_empty() {
                    return Err(ApiError::invalid("customerPhone", "must contain digits"));
                }
                check_len("customerPhone", &d, limits::PHONE)?;
                Some(d)
            }
        };
        let begin = self.begin_time.map(|t| t.at(zone, DateBound::Start));
        let end = self.end_time.map(|t| t.at(zone, DateBound::End));
        if let (Some(b), Some(e)) = (begin, end)
            && b > e
        {
            return Err(ApiError::invalid("beginTime", "must not be after endTime"));
        }
        let (name, remarks, remark_name) = (
            trimmed(self.customer_name),
            trimmed(self.remarks),
            trimmed(self.remark_name),
        );
        for (param, value) in [
            ("customerName", &name),
            ("remarks", &remarks),
            ("remarkName", &remark_name),
        ] {
            if let Some(v) = value {
                check_len(param, v, limits::REMARKS)?;
            }
        }
        Ok(CustomerSearch {
            filter: CustomerFilter {
                terms: terms(self.q.as_deref())?,
                name,
                phone_digits,
                tag_ids: self.tag_ids.into_ids(TagId),
                tag_mode: tag_mode(self.tag_mode),
                begin,
                end,
                remarks,
                remark_name,
                wechat_user_id: self.wechat_user_id.map(|id| WechatUserId(id.0)),
            },
            paged: self.page_no.is_some() || self.limit.is_some(),
            page: page(self.page_no, self.limit, DEFAULT_LIMIT)?,
        })
    }
}

/// The handler.
///
/// # Errors
/// 400 naming a bad parameter, 401, 503 when the store is down.
#[utoipa::path(
    get,
    path = "/wechat_api/customer/customerPage",
    tag = "customer",
    operation_id = "customerPage",
    summary = "Customers",
    description = "A page of the customers of your scope matching the filters, newest first (createTime, then id).",
    params(CustomerQuery),
    responses(
        (status = 200, description = "A page; `count` is the exact number of matches",
            body = crate::envelope::PagedEnvelope<CustomerItem>,
            example = json!({"code": 200, "msg": "操作成功!", "pageNo": 1, "count": 1,
                "data": [{"customerId": 3063060, "wechatContactId": 19564131,
                "wechatUserId": 13806, "adminUserId": 12206, "customerName": "售前-紅海",
                "customerPhone": "11111122222", "nickName": "售前紅海", "remarks": "售前-紅海哥",
                "xfield1": "", "xfield2": null, "xfield3": null, "xfield4": null,
                "xfield5": null, "xfield6": null, "xfield7": null, "xfield8": null,
                "xfield9": null, "xfield10": null, "isCust": 0, "createTime": 1565164517000_i64,
                "lastUpdateTime": 1565164517924_i64, "tags": "81100608", "tagNames": ["意向客戶"],
                "contactNickName": "售前-紅海", "remarkName": "",
                "headImgUrl": "http://wx.qlogo.cn/mmhead/ver_1/x/132", "isStar": 0,
                "wechatUserNickName": "你看那茶樹滿山", "customerNickName": "海哥"}]})),
        crate::openapi::responses::SessionErrors,
    ),
)]
pub async fn handle(scoped: Scoped<CustomerQuery>) -> Result<HttpResponse, ApiError> {
    let (state, scope, search) = scoped.into_parts()?;
    let found = state
        .customers
        .page(&scope, &search.filter, search.page)
        .await?;
    let items = found.items.into_iter().map(CustomerItem::from).collect();
    Ok(envelope::paged(items, search.page.page_no(), found.total))
}
