//! The filter parameters shared by customerPage and downLoad.

use scrm_domain::customer::CustomerFilter;
use scrm_domain::phone::digits;
use scrm_domain::time::DateBound;
use scrm_domain::{TagId, WechatUserId};

use crate::error::ApiError;
use crate::params::Params;

/// `customerName`, `customerPhone` (compared by digits), `tagIds`, `beginTime`, `endTime`
/// (a bare date is the end of that day), `remarks`, `remarkName`, `wechatUserId`.
///
/// # Errors
/// 400 naming the first parameter that cannot be read.
pub fn customer_filter(params: &Params) -> Result<CustomerFilter, ApiError> {
    let phone_digits = match params.opt_str("customerPhone")? {
        None => None,
        Some(raw) => {
            let d = digits(&raw);
            if d.is_empty() {
                return Err(ApiError::invalid("customerPhone", "must contain digits"));
            }
            Some(d)
        }
    };
    Ok(CustomerFilter {
        name: params.opt_str("customerName")?,
        phone_digits,
        tag_ids: params.id_list("tagIds")?.into_iter().map(TagId).collect(),
        begin: params.opt_time("beginTime", DateBound::Start)?,
        end: params.opt_time("endTime", DateBound::End)?,
        remarks: params.opt_str("remarks")?,
        remark_name: params.opt_str("remarkName")?,
        wechat_user_id: params.opt_i64("wechatUserId")?.map(WechatUserId),
    })
}
