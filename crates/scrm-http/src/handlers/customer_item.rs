//! The customer of customerPage and recycleBin, with what the lists show of its contact.

use scrm_domain::customer::CustomerRecord;
use serde::Serialize;

use super::{epoch_ms, join_ids};

/// One row of customerPage (exactly these keys).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerItem {
    pub customer_id: i64,
    pub wechat_contact_id: i64,
    pub wechat_user_id: i64,
    pub admin_user_id: i64,
    pub customer_name: Option<String>,
    pub customer_phone: Option<String>,
    pub nick_name: Option<String>,
    pub remarks: Option<String>,
    pub xfield1: Option<String>,
    pub xfield2: Option<String>,
    pub xfield3: Option<String>,
    pub xfield4: Option<String>,
    pub xfield5: Option<String>,
    pub xfield6: Option<String>,
    pub xfield7: Option<String>,
    pub xfield8: Option<String>,
    pub xfield9: Option<String>,
    pub xfield10: Option<String>,
    pub is_cust: i32,
    pub create_time: i64,
    pub last_update_time: i64,
    /// Comma-joined tag ids, `""` when none.
    pub tags: String,
    pub tag_names: Vec<String>,
    pub contact_nick_name: Option<String>,
    pub remark_name: Option<String>,
    pub head_img_url: Option<String>,
    pub is_star: i32,
    pub wechat_user_nick_name: Option<String>,
    pub customer_nick_name: Option<String>,
}

impl From<CustomerRecord> for CustomerItem {
    fn from(r: CustomerRecord) -> Self {
        let [x1, x2, x3, x4, x5, x6, x7, x8, x9, x10] = r.xfields;
        Self {
            customer_id: r.id.0,
            wechat_contact_id: r.wechat_contact_id.0,
            wechat_user_id: r.wechat_user_id.0,
            admin_user_id: r.admin_user_id.0,
            customer_name: r.customer_name,
            customer_phone: r.customer_phone,
            nick_name: r.nick_name,
            remarks: r.remarks,
            xfield1: x1,
            xfield2: x2,
            xfield3: x3,
            xfield4: x4,
            xfield5: x5,
            xfield6: x6,
            xfield7: x7,
            xfield8: x8,
            xfield9: x9,
            xfield10: x10,
            is_cust: r.is_cust,
            create_time: epoch_ms(r.create_time),
            last_update_time: epoch_ms(r.last_update_time),
            tags: join_ids(&r.tags),
            tag_names: r.tag_names,
            contact_nick_name: r.contact_nick_name,
            remark_name: r.remark_name,
            head_img_url: r.head_img_url,
            is_star: r.is_star,
            wechat_user_nick_name: r.wechat_user_nick_name,
            customer_nick_name: r.customer_nick_name,
        }
    }
}

/// One row of recycleBin: the customer and when it was deleted.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeletedCustomerItem {
    #[serde(flatten)]
    pub customer: CustomerItem,
    /// Epoch ms; null only if the store lost it.
    pub deleted_time: Option<i64>,
}

impl From<CustomerRecord> for DeletedCustomerItem {
    fn from(r: CustomerRecord) -> Self {
        let deleted_time = r.deleted_at.map(epoch_ms);
        Self {
            customer: r.into(),
            deleted_time,
        }
    }
}
