//! The documented request bodies of the POST endpoints: JSON objects and forms alike (the
//! `Params` extractor reads both; a form's values are text). These types exist for the
//! document only (their `Serialize` carries the serde attributes utoipa reads); nothing is
//! deserialized into them.

use serde::Serialize;
use utoipa::ToSchema;

use super::lenient::{Flag, IdList, LenientInt, Text};

/// The login.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"loginName": "demo_admin", "password": "demo-pass-123"}))]
pub struct LoginBody {
    pub login_name: Text,
    pub password: Text,
}

/// `customerId` of delete, restore, delManualTaskDetail and restoreManualTaskDetail.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"customerId": "3063253"}))]
pub struct CustomerIdBody {
    /// Missing or empty: the spec's 400 `customerId為空`.
    pub customer_id: LenientInt,
}

/// `adminUserId` of delManualTask and restoreManualTask.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"adminUserId": 12206}))]
pub struct AdminUserIdBody {
    /// Missing or empty: the spec's 400 `adminUserId為空`.
    pub admin_user_id: LenientInt,
}

/// updateIsOpenAfterCall.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"isOpen": 1}))]
pub struct IsOpenBody {
    pub is_open: Flag,
}

/// `xfield1`..`xfield10`, the custom fields (text).
#[derive(Debug, Serialize, ToSchema)]
pub struct XFieldsIn {
    pub xfield1: Option<Text>,
    pub xfield2: Option<Text>,
    pub xfield3: Option<Text>,
    pub xfield4: Option<Text>,
    pub xfield5: Option<Text>,
    pub xfield6: Option<Text>,
    pub xfield7: Option<Text>,
    pub xfield8: Option<Text>,
    pub xfield9: Option<Text>,
    pub xfield10: Option<Text>,
}

/// updateCustomer: a partial update. Absent fields are kept; for the text fields an empty
/// string clears the value; `customerId`, `wechatContactId`, `isStar` empty are not given.
/// Without `customerId` but with `wechatContactId` it creates that contact's profile.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "customerPhone": "11111122222", "customerName": "售前-紅海", "nickName": "售前紅海",
    "xfield1": "", "remarks": "售前-紅海哥", "tags": "", "customerId": "3063060",
    "wechatContactId": "19564131", "isStar": ""
}))]
pub struct UpdateCustomerBody {
    pub customer_id: Option<LenientInt>,
    pub wechat_contact_id: Option<LenientInt>,
    pub customer_name: Option<Text>,
    /// 5 to 20 digits (blanks, dashes, `+86`/`0086` allowed).
    pub customer_phone: Option<Text>,
    /// The WeChat nickname of the customer.
    pub nick_name: Option<Text>,
    pub remarks: Option<Text>,
    /// Replaces the contact's tag set (`""` empties it); tags of your tenant only.
    pub tags: Option<IdList>,
    /// Stars the contact (1) or not (0); empty is not given.
    pub is_star: Option<Flag>,
    #[serde(flatten)]
    pub xfields: XFieldsIn,
}

/// One personal form of address (個性稱呼).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NickNameItem {
    pub wechat_contact_id: LenientInt,
    /// The customer's nickname; empty or absent clears it.
    pub cust_name: Option<Text>,
    /// The form of address; empty or absent clears it.
    pub nick_name: Option<Text>,
}

/// One item or a list of them.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum NickNames {
    One(NickNameItem),
    Many(Vec<NickNameItem>),
}

/// batchSaveNickName as JSON: `nickNames` is one item or an array (the body may also be the
/// item or the array itself).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "nickNames": {"wechatContactId": 47666822, "custName": "陳佳", "nickName": "陳佳"}
}))]
pub struct NickNamesBody {
    #[schema(inline)]
    pub nick_names: NickNames,
}

/// batchSaveNickName as a form: `nickNames` holds the JSON of one item or an array.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "nickNames": "{\"wechatContactId\":47666822,\"custName\":\"陳佳\",\"nickName\":\"陳佳\"}"
}))]
pub struct NickNamesForm {
    pub nick_names: String,
}

/// addManualTask: `customerPhone`, `customerName` and `phoneGeo` are required (the spec's 400
/// text names the missing ones); the rest is optional text.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "customerName": "ceshi", "customerPhone": 18750928186_i64, "phoneGeo": "廈門"
}))]
pub struct AddManualTaskBody {
    /// 5 to 20 digits.
    pub customer_phone: Text,
    pub customer_name: Text,
    pub phone_geo: Text,
    pub address: Option<Text>,
    pub nick_name: Option<Text>,
    pub user_name: Option<Text>,
    pub company: Option<Text>,
    pub tags: Option<Text>,
    pub remarks: Option<Text>,
    pub v1: Option<Text>,
    #[serde(flatten)]
    pub xfields: XFieldsIn,
}

/// addManualTaskBeforeAddFriend: `customerPhone` and `uin` are required.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "customerPhone": "18756666666", "uin": "496768729", "userName": 18756666666_i64
}))]
pub struct AddBeforeFriendBody {
    /// 5 to 20 digits.
    pub customer_phone: Text,
    /// A WeChat account of your scope.
    pub uin: Text,
    /// Whom to add (defaults to the phone).
    pub user_name: Option<Text>,
    pub v1: Option<Text>,
}

/// One chat message pushed by the WeChat connector.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessageIn {
    /// Unique within its conversation (idempotency key).
    pub msg_id: Text,
    pub wechat_user_id: LenientInt,
    pub wechat_contact_id: LenientInt,
    /// 1 sent by the account, 0 received.
    pub is_send: LenientInt,
    pub msg_type: LenientInt,
    pub content: Option<Text>,
    /// Epoch milliseconds.
    pub create_time: LenientInt,
}

/// message/record as JSON: an array of at most 1,000 messages, or `{"messages": [..]}`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!([{
    "msgId": "7301", "wechatUserId": 13806, "wechatContactId": 19564131, "isSend": 1,
    "msgType": 1, "content": "您好,我是售前紅海", "createTime": 1565164517924_i64
}]))]
#[serde(untagged)]
pub enum MessagesBody {
    /// The messages (more than 1,000 are a 413).
    List(Vec<MessageIn>),
    Wrapped(MessagesWrapped),
}

/// `{"messages": [..]}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessagesWrapped {
    /// The messages (more than 1,000 are a 413).
    pub messages: Vec<MessageIn>,
}

/// message/record as a form: `messages` holds the JSON array.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessagesForm {
    pub messages: String,
}
