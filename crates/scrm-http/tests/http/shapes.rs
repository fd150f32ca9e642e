//! The wire shapes of what the handlers answer: every key with its JSON type. The DTOs are
//! built from shared parts (`CustomerDto` inside `CustomerItem`, `ContactBase` inside both
//! contact objects, `XFields` inside customers and entries), and so are their shapes here.

use serde_json::Value;

use crate::support::{Kind, assert_shape};

/// A shape: keys and their types.
pub type Shape = Vec<(&'static str, Kind)>;

/// `xfield1`..`xfield10`, each a string or null.
fn with_xfields(mut shape: Shape) -> Shape {
    for key in [
        "xfield1", "xfield2", "xfield3", "xfield4", "xfield5", "xfield6", "xfield7", "xfield8",
        "xfield9", "xfield10",
    ] {
        shape.push((key, Kind::StrOrNull));
    }
    shape
}

/// `CustomerDto`: updateCustomer's `customer`, with every field set.
pub fn customer_shape() -> Shape {
    with_xfields(vec![
        ("customerId", Kind::Num),
        ("customerName", Kind::Str),
        ("customerPhone", Kind::Str),
        ("remarks", Kind::Str),
        ("wechatContactId", Kind::Num),
        ("lastUpdateTime", Kind::Num),
        ("createTime", Kind::Num),
        ("tags", Kind::Str),
        ("isCust", Kind::Num),
        ("nickName", Kind::Str),
    ])
}

/// `CustomerItem`: a customerPage item, the customer and what the list shows of its contact.
pub fn customer_item_shape() -> Shape {
    let mut shape = customer_shape();
    shape.extend([
        ("wechatUserId", Kind::Num),
        ("adminUserId", Kind::Num),
        ("tagNames", Kind::Arr),
        ("contactNickName", Kind::Str),
        ("remarkName", Kind::Str),
        ("headImgUrl", Kind::Str),
        ("isStar", Kind::Num),
        ("wechatUserNickName", Kind::Str),
        ("customerNickName", Kind::Str),
    ]);
    shape
}

/// `ContactBase`: the keys of both contact objects, with every field set.
pub fn contact_base_shape() -> Shape {
    vec![
        ("wechatContactId", Kind::Num),
        ("wechatUserId", Kind::Num),
        ("uin", Kind::Str),
        ("userName", Kind::Str),
        ("nickName", Kind::Str),
        ("headImgUrl", Kind::Str),
        ("remarkName", Kind::Str),
        ("remarkPYInitial", Kind::Str),
        ("remarkPYQuanPin", Kind::Str),
        ("sex", Kind::Str),
        ("verifyFlag", Kind::Str),
        ("isDelete", Kind::Num),
        ("isSaving", Kind::Num),
        ("wechatUserName", Kind::Str),
        ("alias", Kind::Str),
        ("contactFlag", Kind::Str),
        ("province", Kind::Str),
        ("city", Kind::Str),
        ("wechatUserUin", Kind::Str),
        ("chatRoomSettings", Kind::Num),
        ("contactType", Kind::Num),
        ("seq", Kind::Str),
        ("pyinitial", Kind::Str),
        ("pyquanPin", Kind::Str),
    ]
}

/// Every key of a manual entry item; `strings` is the kind of the optional text fields.
pub fn entry_shape(strings: Kind) -> Shape {
    let mut shape = vec![
        ("customerId", Kind::Num),
        ("customerPhone", Kind::Str),
        ("createTime", Kind::Str),
        ("lastUpdateTime", Kind::Str),
        ("adminUserId", Kind::Num),
        ("syn", Kind::Num),
        ("dialStatus", Kind::Num),
        ("addStatus", Kind::Num),
        ("taskId", Kind::Num),
        ("orderNum", Kind::Num),
    ];
    for key in [
        "customerName",
        "address",
        "company",
        "nickName",
        "uin",
        "userName",
        "tags",
        "remarks",
        "phoneGeo",
        "v1",
        "assignTime",
    ] {
        shape.push((key, strings));
    }
    with_xfields(shape)
}

/// `ContactItem`: a findcontactbytagAll item.
pub fn contact_item_shape() -> Shape {
    let mut shape = contact_base_shape();
    shape.extend([
        ("memberCount", Kind::Null),
        ("groupId", Kind::Null),
        ("op", Kind::Null),
        ("groupName", Kind::Null),
        ("adminUserId", Kind::Num),
        ("wechatUserNickName", Kind::Str),
        ("customerNickName", Kind::StrOrNull),
    ]);
    shape
}

/// `WechatContactDto`: updateCustomer's `wechatContact`.
pub fn wechat_contact_shape() -> Shape {
    let mut shape = contact_base_shape();
    shape.extend([
        ("pYInitial", Kind::Str),
        ("pYQuanPin", Kind::Str),
        ("isStar", Kind::Num),
        ("sqlMap", Kind::Obj),
    ]);
    shape
}

/// A getManualTaskList item; `name` is the kind of `realName`.
pub fn assignee_shape(name: Kind) -> Shape {
    vec![
        ("adminUserId", Kind::Num),
        ("realName", name),
        ("entries", Kind::Num),
        ("dialled", Kind::Num),
        ("friendRequestsSent", Kind::Num),
        ("added", Kind::Num),
    ]
}

/// A chat message of getRedisMessageRecord.
pub fn message_shape() -> Shape {
    vec![
        ("msgId", Kind::Str),
        ("wechatUserId", Kind::Num),
        ("wechatContactId", Kind::Num),
        ("isSend", Kind::Num),
        ("msgType", Kind::Num),
        ("content", Kind::Str),
        ("createTime", Kind::Num),
    ]
}

/// Asserts the envelope of a success: `code` 200, `msg` `操作成功!`, `data` of this kind and
/// exactly the `extra` keys besides.
pub fn assert_ok(body: &Value, data: Kind, extra: &[(&'static str, Kind)]) {
    let mut shape = vec![("code", Kind::Num), ("msg", Kind::Str), ("data", data)];
    shape.extend_from_slice(extra);
    assert_shape(body, &shape);
    assert_eq!(body["code"], 200);
    assert_eq!(body["msg"], "操作成功!");
}

/// Asserts the legacy paged envelope (`pageNo`, `count` beside `data`) of a success.
pub fn assert_paged(body: &Value, page_no: u64, count: u64) {
    assert_ok(
        body,
        Kind::Arr,
        &[("pageNo", Kind::Num), ("count", Kind::Num)],
    );
    assert_eq!(body["pageNo"], page_no);
    assert_eq!(body["count"], count);
}

/// Asserts the manual-task page inside `data` (`count`, `data`, `pageNo`, `limit`).
pub fn assert_manual_page(body: &Value, count: u64, page_no: u64, limit: u64) {
    assert_ok(body, Kind::Obj, &[]);
    assert_shape(
        &body["data"],
        &[
            ("count", Kind::Num),
            ("data", Kind::Arr),
            ("pageNo", Kind::Num),
            ("limit", Kind::Num),
        ],
    );
    assert_eq!(body["data"]["count"], count);
    assert_eq!(body["data"]["pageNo"], page_no);
    assert_eq!(body["data"]["limit"], limit);
}
