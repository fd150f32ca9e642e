//! `GET /wechat_api/customer/recycleBin`: deleted customers, most recently deleted first, in
//! the customerPage shape plus `deletedTime`.

use actix_web::HttpResponse;
use chrono::FixedOffset;
use scrm_domain::customer::BinFilter;
use scrm_domain::{PageRequest, TagId};
use serde::Deserialize;
use utoipa::IntoParams;

use super::customer_dto::DeletedCustomerItem;
use crate::envelope;
use crate::error::ApiError;
use crate::lenient::{IdList, Limit, PageNo, WireTagMode, page, tag_mode, terms};
use crate::params::{Scoped, WireRequest};

/// Rows per page when `limit` is not given.
pub const DEFAULT_LIMIT: u32 = 10;

/// The query of recycleBin.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct RecycleBinQuery {
    /// Search as people type, as on customerPage (at most 100 characters).
    pub q: Option<String>,
    /// Tags, combined by `tagMode` (any of them by default).
    #[serde(default)]
    pub tag_ids: IdList,
    /// How `tagIds` combine: `any` (default), `all`, `none`.
    pub tag_mode: Option<WireTagMode>,
    /// The page, from 1 (default 1).
    pub page_no: Option<PageNo>,
    /// Rows per page, 1 to 100 (default 10).
    pub limit: Option<Limit>,
}

impl WireRequest for RecycleBinQuery {
    type Domain = (BinFilter, PageRequest);

    fn try_into_domain(self, _zone: FixedOffset) -> Result<(BinFilter, PageRequest), ApiError> {
        let filter = BinFilter {
            terms: terms(self.q.as_deref())?,
            tag_ids: self.tag_ids.into_ids(TagId),
            tag_mode: tag_mode(self.tag_mode),
        };
        Ok((filter, page(self.page_no, self.limit, DEFAULT_LIMIT)?))
    }
}

/// The handler.
///
/// # Errors
/// 400 for bad paging, 401, 503 when the store is down.
#[utoipa::path(
    get,
    path = "/wechat_api/customer/recycleBin",
    tag = "customer",
    operation_id = "recycleBin",
    summary = "Recycle bin",
    description = "The deleted profiles of your scope matching `q` and the tags, most recently deleted first.",
    params(RecycleBinQuery),
    responses(
        (status = 200, description = "A page of deleted customers",
            body = crate::envelope::PagedEnvelope<DeletedCustomerItem>),
        crate::openapi::responses::SessionErrors,
    ),
)]
pub async fn handle(scoped: Scoped<RecycleBinQuery>) -> Result<HttpResponse, ApiError> {
    let (state, scope, (filter, page)) = scoped.into_parts()?;
    let found = state.customers.recycle_bin(&scope, &filter, page).await?;
    let items = found
        .items
        .into_iter()
        .map(DeletedCustomerItem::from)
        .collect();
    Ok(envelope::paged(items, page.page_no(), found.total))
}
