//! The tables a seed at scale fills, with the columns it gives, in load order.

use super::TableSpec;

pub const ADMIN_USER: TableSpec = TableSpec {
    table: "admin_user",
    columns: &[
        "id",
        "tenant_id",
        "login_name",
        "real_name",
        "parent_id",
        "depart_id",
        "password_hash",
        "is_open_after_call",
    ],
};
pub const DEPARTMENT: TableSpec = TableSpec {
    table: "department",
    columns: &["id", "tenant_id", "name"],
};
pub const WECHAT_USER: TableSpec = TableSpec {
    table: "wechat_user",
    columns: &[
        "id",
        "tenant_id",
        "admin_user_id",
        "uin",
        "user_name",
        "nick_name",
        "alias",
        "head_img_url",
        "is_online",
    ],
};
pub const TAG: TableSpec = TableSpec {
    table: "tag",
    columns: &["id", "tenant_id", "name"],
};
pub const WECHAT_CONTACT: TableSpec = TableSpec {
    table: "wechat_contact",
    columns: &[
        "id",
        "tenant_id",
        "admin_user_id",
        "wechat_user_id",
        "uin",
        "user_name",
        "nick_name",
        "remark_name",
        "sex",
        "province",
        "city",
        "py_initial",
        "py_quan_pin",
        "remark_py_initial",
        "remark_py_quan_pin",
        "verify_flag",
        "contact_flag",
        "is_star",
        "create_time",
    ],
};
pub const CONTACT_TAG: TableSpec = TableSpec {
    table: "contact_tag",
    columns: &["contact_id", "tag_id", "tenant_id", "admin_user_id"],
};
pub const CUSTOMER: TableSpec = TableSpec {
    table: "customer",
    columns: &[
        "id",
        "tenant_id",
        "admin_user_id",
        "wechat_user_id",
        "wechat_contact_id",
        "customer_name",
        "customer_phone",
        "phone_digits",
        "nick_name",
        "remarks",
        "xfield1",
        "is_cust",
        "create_time",
        "last_update_time",
        "deleted_at",
    ],
};
/// The name grams of each customer, from [`super::name_grams`].
pub const CUSTOMER_NAME_GRAM: TableSpec = TableSpec {
    table: "customer_name_gram",
    columns: &["customer_id", "gram", "tenant_id"],
};
/// The phone grams of each customer, from [`super::phone_grams`].
pub const CUSTOMER_PHONE_GRAM: TableSpec = TableSpec {
    table: "customer_phone_gram",
    columns: &["customer_id", "gram", "tenant_id"],
};
/// The pinyin spellings of each customer's names, from [`super::spellings`], numbered
/// from 0 (`seq`).
pub const CUSTOMER_SPELLING: TableSpec = TableSpec {
    table: "customer_spelling",
    columns: &["customer_id", "seq", "spelling", "tenant_id"],
};
/// The grams of the spellings, from [`super::name_grams`] of the spellings.
pub const CUSTOMER_SPELLING_GRAM: TableSpec = TableSpec {
    table: "customer_spelling_gram",
    columns: &["customer_id", "gram", "tenant_id"],
};
pub const CONTACT_NICK_NAME: TableSpec = TableSpec {
    table: "contact_nick_name",
    columns: &["wechat_contact_id", "tenant_id", "cust_name", "nick_name"],
};
pub const MANUAL_ENTRY: TableSpec = TableSpec {
    table: "manual_entry",
    columns: &[
        "id",
        "tenant_id",
        "admin_user_id",
        "task_id",
        "order_num",
        "customer_name",
        "customer_phone",
        "phone_digits",
        "company",
        "phone_geo",
        "dial_status",
        "add_status",
        "syn",
        "create_time",
        "last_update_time",
    ],
};

/// Every table of a seed at scale.
pub const ALL: [TableSpec; 13] = [
    ADMIN_USER,
    DEPARTMENT,
    WECHAT_USER,
    TAG,
    WECHAT_CONTACT,
    CONTACT_TAG,
    CUSTOMER,
    CUSTOMER_NAME_GRAM,
    CUSTOMER_PHONE_GRAM,
    CUSTOMER_SPELLING,
    CUSTOMER_SPELLING_GRAM,
    CONTACT_NICK_NAME,
    MANUAL_ENTRY,
];
