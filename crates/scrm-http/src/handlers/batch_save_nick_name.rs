//! `POST /wechat_api/customer/batchSaveNickName`: saves personal forms of address (個性稱呼).
//! `nickNames` is one object `{"wechatContactId","custName","nickName"}` or an array of them,
//! as a JSON value or as a (form) string holding JSON; a JSON body that is itself such an
//! object or array is accepted too (`NickNamesBody`). Answers `{"msg":"保存成功!","code":200,"data":null}`.

use actix_web::HttpResponse;
use chrono::FixedOffset;
use scrm_domain::ContactId;
use scrm_domain::contact::NickNameInput;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

use crate::error::ApiError;
use crate::lenient::{ArrayOr, JsonText, LenientInt, OneOrMany, Text, array_of, present};
use crate::params::{Scoped, WireRequest, wire};

/// The spec's success message of this endpoint.
pub const MSG_SAVED: &str = "保存成功!";

/// The spec's response, keys in its order.
#[derive(Debug, Serialize, ToSchema)]
pub struct Saved {
    pub msg: &'static str,
    pub code: u16,
    #[schema(value_type = crate::openapi::responses::Null)]
    pub data: (),
}

/// One personal form of address (個性稱呼).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NickNameItem {
    pub wechat_contact_id: LenientInt,
    /// The customer's nickname; empty or absent clears it.
    #[serde(default, deserialize_with = "present")]
    pub cust_name: Option<Text>,
    /// The form of address; empty or absent clears it.
    #[serde(default, deserialize_with = "present")]
    pub nick_name: Option<Text>,
}

impl From<NickNameItem> for NickNameInput {
    fn from(item: NickNameItem) -> Self {
        let text = |t: Option<Text>| t.map(|t| t.0).filter(|s| !s.is_empty());
        Self {
            wechat_contact_id: ContactId(item.wechat_contact_id.0),
            cust_name: text(item.cust_name),
            nick_name: text(item.nick_name),
        }
    }
}

/// The parameters themselves as one item, when they hold a `wechatContactId`.
fn bare_item<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NickNameItem>, D::Error> {
    let params = Map::<String, Value>::deserialize(d)?;
    if !params.contains_key("wechatContactId") {
        return Ok(None);
    }
    wire::from_map(&params).map(Some).map_err(de::Error::custom)
}

/// batchSaveNickName's parameters (a JSON object or a form): `nickNames`, else the item's own
/// fields.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NickNamesParams {
    pub nick_names: Option<JsonText<OneOrMany<NickNameItem>>>,
    #[serde(flatten, deserialize_with = "bare_item")]
    pub item: Option<NickNameItem>,
}

type NickNamesJson = JsonText<OneOrMany<NickNameItem>>;

impl PartialSchema for NickNamesParams {
    fn schema() -> RefOr<Schema> {
        let listed = ObjectBuilder::new()
            .property("nickNames", NickNamesJson::schema())
            .required("nickNames");
        OneOfBuilder::new()
            .item(listed)
            .item(RefOr::Ref(Ref::from_schema_name(NickNameItem::name())))
            .description(Some(
                "batchSaveNickName's parameters: `nickNames`, one item or an array (as JSON, or \
                 as text holding it: a form field), or the item's own fields.",
            ))
            .examples([
                json!({"nickNames": {"wechatContactId": 47666822, "custName": "陳佳", "nickName": "陳佳"}}),
                json!({"nickNames": "{\"wechatContactId\":47666822,\"custName\":\"陳佳\",\"nickName\":\"陳佳\"}"}),
            ])
            .into()
    }
}

impl ToSchema for NickNamesParams {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        NickNamesJson::schemas(schemas);
    }
}

/// batchSaveNickName's body: a JSON array of items, or its parameters.
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub struct NickNamesBody(ArrayOr<Vec<NickNameItem>, NickNamesParams>);

impl PartialSchema for NickNamesBody {
    fn schema() -> RefOr<Schema> {
        ArrayOr::<Vec<NickNameItem>, NickNamesParams>::schema_of(
            array_of::<NickNameItem>("The items.").into(),
            "batchSaveNickName as JSON: an array of items, or the parameters (`nickNames`, or \
             the item's own fields).",
            json!({"nickNames": {"wechatContactId": 47666822, "custName": "陳佳", "nickName": "陳佳"}}),
        )
    }
}

impl ToSchema for NickNamesBody {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        ArrayOr::<Vec<NickNameItem>, NickNamesParams>::schemas_of(schemas);
    }
}

impl WireRequest for NickNamesBody {
    type Domain = Vec<NickNameInput>;

    const ARRAY_NAME: &'static str = "nickNames";

    fn try_into_domain(self, _zone: FixedOffset) -> Result<Vec<NickNameInput>, ApiError> {
        let items = match self.0 {
            ArrayOr::Array(items)
            | ArrayOr::Params(NickNamesParams {
                nick_names: Some(JsonText(OneOrMany(items))),
                ..
            }) => items,
            ArrayOr::Params(NickNamesParams {
                item: Some(item), ..
            }) => vec![item],
            ArrayOr::Params(_) => return Err(ApiError::invalid("nickNames", "is required")),
        };
        Ok(items.into_iter().map(NickNameInput::from).collect())
    }
}

/// The handler.
///
/// # Errors
/// 400, 401, 404 when a contact is outside the scope (nothing is saved then), 503.
#[utoipa::path(
    post,
    path = "/wechat_api/customer/batchSaveNickName",
    tag = "contact",
    operation_id = "batchSaveNickName",
    summary = "Save forms of address",
    description = "Saves personal forms of address (個性稱呼), all or nothing.",
    request_body(content((NickNamesBody = "application/json"), (NickNamesParams = "application/x-www-form-urlencoded"))),
    responses(
        (status = 200, description = "Saved",
            body = Saved,
            example = json!({"msg": "保存成功!", "code": 200, "data": null})),
        (status = 404, description = "A contact is outside your scope (nothing is saved)",
            body = crate::openapi::responses::ErrorEnvelope),
        crate::openapi::responses::WriteErrors,
    ),
)]
pub async fn handle(scoped: Scoped<NickNamesBody>) -> Result<HttpResponse, ApiError> {
    let (state, scope, items) = scoped.into_parts()?;
    state.contacts.save_nick_names(&scope, &items).await?;
    Ok(HttpResponse::Ok().json(Saved {
        msg: MSG_SAVED,
        code: 200,
        data: (),
    }))
}
