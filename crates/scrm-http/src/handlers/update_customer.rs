//! `POST /wechat_api/customer/updateCustomer`: a partial update of a customer and its contact
//! (or the creation of a contact's profile). Answers the legacy shape with `wechatContact` and
//! `customer` beside `data: null`.

use actix_web::HttpResponse;
use chrono::{FixedOffset, Utc};
use scrm_domain::customer::{CustomerPatch, FieldChange, UpdateCustomer};
use scrm_domain::{ContactId, CustomerId, TagId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::contact_dto::WechatContactDto;
use super::customer_dto::{CustomerDto, XFields};
use crate::envelope::OK_MSG;
use crate::error::ApiError;
use crate::lenient::{Flag, IdList, LenientInt, Text, flat, present};
use crate::params::{Scoped, WireRequest};

/// The response: fields the spec shows outside `data` stay there.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Updated {
    pub code: u16,
    pub msg: &'static str,
    #[schema(value_type = crate::openapi::responses::Null)]
    pub data: (),
    pub wechat_contact: WechatContactDto,
    pub customer: UpdatedCustomerDto,
}

/// The customer in the updateCustomer response: as customerPage shows it, with the spec's
/// empty `sqlMap` beside (as `wechatContact` has it).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdatedCustomerDto {
    #[serde(flatten)]
    pub record: CustomerDto,
    /// Always `{}`.
    #[schema(value_type = Object)]
    pub sql_map: serde_json::Map<String, serde_json::Value>,
}

/// updateCustomer: a partial update. Absent fields are kept; for the text fields an empty
/// string clears the value; `customerId`, `wechatContactId`, `isStar` empty are not given.
/// Without `customerId` but with `wechatContactId` it creates that contact's profile.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "customerPhone": "11111122222", "customerName": "售前-紅海", "nickName": "售前紅海",
    "xfield1": "", "remarks": "售前-紅海哥", "tags": "", "customerId": "3063060",
    "wechatContactId": "19564131", "isStar": ""
}))]
pub struct UpdateCustomerBody {
    pub customer_id: Option<LenientInt>,
    pub wechat_contact_id: Option<LenientInt>,
    #[serde(default, deserialize_with = "present")]
    pub customer_name: Option<Text>,
    /// 5 to 20 digits (blanks, dashes, `+86`/`0086` allowed).
    #[serde(default, deserialize_with = "present")]
    pub customer_phone: Option<Text>,
    /// The WeChat nickname of the customer.
    #[serde(default, deserialize_with = "present")]
    pub nick_name: Option<Text>,
    #[serde(default, deserialize_with = "present")]
    pub remarks: Option<Text>,
    /// Replaces the contact's tag set (`""` empties it); tags of your tenant only.
    #[serde(default, deserialize_with = "present")]
    pub tags: Option<IdList>,
    /// Stars the contact (1) or not (0); empty is not given.
    pub is_star: Option<Flag>,
    #[serde(flatten, deserialize_with = "flat")]
    #[schema(schema_with = XFields::<Text>::schema)]
    pub xfields: XFields<Text>,
}

/// A text field's change: absent keeps it, empty (or `null`) clears it.
fn change(value: Option<Text>) -> FieldChange {
    FieldChange::from_wire(value.as_ref().map(|t| t.0.as_str()))
}

impl WireRequest for UpdateCustomerBody {
    type Domain = UpdateCustomer;

    fn try_into_domain(self, _zone: FixedOffset) -> Result<UpdateCustomer, ApiError> {
        Ok(UpdateCustomer {
            customer_id: self.customer_id.map(|id| CustomerId(id.0)),
            wechat_contact_id: self.wechat_contact_id.map(|id| ContactId(id.0)),
            patch: CustomerPatch {
                customer_name: change(self.customer_name),
                customer_phone: change(self.customer_phone),
                phone_digits: None,
                nick_name: change(self.nick_name),
                remarks: change(self.remarks),
                xfields: self.xfields.0.map(change),
                tags: self.tags.map(|tags| tags.into_ids(TagId)),
                is_star: self.is_star.map(|flag| flag.0),
            },
        })
    }
}

/// The handler.
///
/// # Errors
/// 400, 401, 404 for a customer or contact outside the scope, 409 when the contact already
/// has a profile, 503.
#[utoipa::path(
    post,
    path = "/wechat_api/customer/updateCustomer",
    tag = "customer",
    operation_id = "updateCustomer",
    summary = "Update a customer",
    description = "A partial update of a customer and its contact, or (without `customerId`, with `wechatContactId`) the creation of the contact's profile. Answers the legacy shape: `wechatContact` and `customer` beside `data: null`.",
    request_body(content((UpdateCustomerBody = "application/json"), (UpdateCustomerBody = "application/x-www-form-urlencoded"))),
    responses(
        (status = 200, description = "The customer and its contact as saved", body = Updated),
        (status = 404, description = "The customer or contact is not one of your scope",
            body = crate::openapi::responses::ErrorEnvelope),
        (status = 409, description = "The contact already has a profile",
            body = crate::openapi::responses::ErrorEnvelope),
        crate::openapi::responses::WriteErrors,
    ),
)]
pub async fn handle(scoped: Scoped<UpdateCustomerBody>) -> Result<HttpResponse, ApiError> {
    let (state, scope, cmd) = scoped.into_parts()?;
    // The profile and its contact as saved, read in the save's transaction.
    let saved = state.customers.update(&scope, &cmd, Utc::now()).await?;
    Ok(HttpResponse::Ok().json(Updated {
        code: 200,
        msg: OK_MSG,
        data: (),
        wechat_contact: saved.contact.into(),
        customer: UpdatedCustomerDto {
            record: saved.customer.into(),
            sql_map: serde_json::Map::new(),
        },
    }))
}
