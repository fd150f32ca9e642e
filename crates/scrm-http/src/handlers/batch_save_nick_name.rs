//! `POST /wechat_api/customer/batchSaveNickName`: saves personal forms of address (個性稱呼).
//! `nickNames` is one object `{"wechatContactId","custName","nickName"}` or an array of them,
//! as a JSON value or as a (form) string holding JSON; a JSON body that is itself such an
//! object or array is accepted too. Answers `{"msg":"保存成功!","code":200,"data":null}`.

use actix_web::{HttpResponse, web};
use scrm_domain::ContactId;
use scrm_domain::contact::NickNameInput;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::params::{Params, int_value, scalar_text};

/// The spec's success message of this endpoint.
pub const MSG_SAVED: &str = "保存成功!";

/// The spec's response, keys in its order.
#[derive(Debug, Serialize, ToSchema)]
pub struct Saved {
    pub msg: &'static str,
    pub code: u16,
    #[schema(value_type = crate::openapi::lenient::Null)]
    pub data: (),
}

/// The items of the request.
///
/// # Errors
/// 400 naming `nickNames` or the field of an item (`nickNames[i].wechatContactId`).
pub fn items(params: &Params) -> Result<Vec<NickNameInput>, ApiError> {
    let value = match params.json_value("nickNames")? {
        Some(v) => v,
        None => match params.body_root() {
            Some(root) => root.clone(),
            None if params.contains("wechatContactId") => Value::Object(params.as_object().clone()),
            None => return Err(ApiError::invalid("nickNames", "is required")),
        },
    };
    let list = match value {
        Value::Array(list) => list,
        obj @ Value::Object(_) => vec![obj],
        _ => {
            return Err(ApiError::invalid(
                "nickNames",
                "must be an object or an array of objects",
            ));
        }
    };
    list.iter().enumerate().map(|(i, v)| item(i, v)).collect()
}

fn item(i: usize, value: &Value) -> Result<NickNameInput, ApiError> {
    let param = |field: &str| format!("nickNames[{i}].{field}");
    let Value::Object(obj) = value else {
        return Err(ApiError::invalid(
            &format!("nickNames[{i}]"),
            "must be an object",
        ));
    };
    let id = match obj.get("wechatContactId").map(int_value) {
        None | Some(Ok(None)) => {
            return Err(ApiError::invalid(&param("wechatContactId"), "is required"));
        }
        Some(Ok(Some(id))) => id,
        Some(Err(())) => {
            return Err(ApiError::invalid(
                &param("wechatContactId"),
                "must be an integer",
            ));
        }
    };
    let text = |field: &str| -> Result<Option<String>, ApiError> {
        match obj.get(field) {
            None => Ok(None),
            Some(v) => scalar_text(v)
                .map(|s| Some(s).filter(|s| !s.is_empty()))
                .ok_or_else(|| ApiError::invalid(&param(field), "must be a string")),
        }
    };
    Ok(NickNameInput {
        wechat_contact_id: ContactId(id),
        cust_name: text("custName")?,
        nick_name: text("nickName")?,
    })
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
    request_body(content((crate::openapi::bodies::NickNamesBody = "application/json"), (crate::openapi::bodies::NickNamesForm = "application/x-www-form-urlencoded"))),
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
