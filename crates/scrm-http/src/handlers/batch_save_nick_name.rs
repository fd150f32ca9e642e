//! `POST /wechat_api/customer/batchSaveNickName`: saves personal forms of address (個性稱呼).
//! `nickNames` is one object `{"wechatContactId","custName","nickName"}` or an array of them,
//! as a JSON value or as a (form) string holding JSON; a JSON body that is itself such an
//! object or array is accepted too. Answers `{"msg":"保存成功!","code":200,"data":null}`.

use actix_web::{HttpResponse, web};
use scrm_domain::ContactId;
use scrm_domain::contact::NickNameInput;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::lenient::{LenientInt, Text, present};
use crate::params::{Params, wire};

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

/// One item or a list of them.
// The shapes of `nickNames` as the document shows them: `items` reads them, naming the bad
// item (serde's untagged enum could not), so nothing deserializes into these three types.
#[expect(
    dead_code,
    reason = "a shape of the body for the document; the handler's reader takes it apart"
)]
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum NickNames {
    One(NickNameItem),
    Many(Vec<NickNameItem>),
}

/// batchSaveNickName as JSON: `nickNames` is one item or an array (the body may also be the
/// item or the array itself).
#[expect(
    dead_code,
    reason = "a shape of the body for the document; the handler's reader takes it apart"
)]
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "nickNames": {"wechatContactId": 47666822, "custName": "陳佳", "nickName": "陳佳"}
}))]
pub struct NickNamesBody {
    #[schema(inline)]
    pub nick_names: NickNames,
}

/// batchSaveNickName as a form: `nickNames` holds the JSON of one item or an array.
#[expect(
    dead_code,
    reason = "a shape of the body for the document; the handler's reader takes it apart"
)]
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "nickNames": "{\"wechatContactId\":47666822,\"custName\":\"陳佳\",\"nickName\":\"陳佳\"}"
}))]
pub struct NickNamesForm {
    pub nick_names: String,
}

/// A JSON value, or a (form) string holding JSON; blank or absent is `None`.
///
/// # Errors
/// 400 naming `name` when a string does not hold JSON.
pub fn json_param(params: &Params, name: &str) -> Result<Option<Value>, ApiError> {
    match params.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => serde_json::from_str(s)
            .map(Some)
            .map_err(|_| ApiError::invalid(name, "must be JSON")),
        Some(v) => Ok(Some(v.clone())),
    }
}

/// The items of the request: `nickNames`, else a JSON body that is an array or an item, else
/// the parameters themselves when they hold `wechatContactId`.
///
/// # Errors
/// 400 naming `nickNames` or the field of an item (`nickNames[i].wechatContactId`).
pub fn items(params: &Params) -> Result<Vec<NickNameInput>, ApiError> {
    let value = match json_param(params, "nickNames")? {
        Some(v) => v,
        None => match params.body_root() {
            Some(root) => root.clone(),
            None if params.get("wechatContactId").is_some() => {
                Value::Object(params.as_object().clone())
            }
            None => return Err(ApiError::invalid("nickNames", "is required")),
        },
    };
    let list = match value {
        list @ Value::Array(_) => list,
        obj @ Value::Object(_) => Value::Array(vec![obj]),
        _ => {
            return Err(ApiError::invalid(
                "nickNames",
                "must be an object or an array of objects",
            ));
        }
    };
    let items: Vec<NickNameItem> = wire::from_value(&list).map_err(|e| e.into_api("nickNames"))?;
    Ok(items.into_iter().map(NickNameInput::from).collect())
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
    request_body(content((NickNamesBody = "application/json"), (NickNamesForm = "application/x-www-form-urlencoded"))),
    responses(
        (status = 200, description = "Saved",
            body = Saved,
            example = json!({"msg": "保存成功!", "code": 200, "data": null})),
        (status = 404, description = "A contact is outside your scope (nothing is saved)",
            body = crate::openapi::responses::ErrorEnvelope),
        crate::openapi::responses::RequestErrors,
        crate::openapi::responses::BodyErrors,
        crate::openapi::responses::EdgeErrors,
    ),
)]
pub async fn handle(
    state: web::Data<AppState>,
    caller: Caller,
    params: Params,
) -> Result<HttpResponse, ApiError> {
    let items = items(&params)?;
    state
        .contacts
        .save_nick_names(&caller.scope, &items)
        .await?;
    Ok(HttpResponse::Ok().json(Saved {
        msg: MSG_SAVED,
        code: 200,
        data: (),
    }))
}
