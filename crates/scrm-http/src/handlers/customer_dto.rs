//! The customer objects of the wire: `CustomerDto` (updateCustomer's `customer`) and
//! `CustomerItem` (a row of customerPage: the same plus what the lists show of the contact),
//! `DeletedCustomerItem` (a row of recycleBin); and `XFields`, the custom fields of these, of
//! the manual entries and of updateCustomer's and addManualTask's requests.

use scrm_domain::customer::{CustomerRecord, XFIELDS};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::schema::{Object, ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type};
use utoipa::openapi::{Ref, RefOr};

use super::{epoch_ms, join_ids};
use crate::lenient::{Text, present};

/// `xfield1`..`xfield10`, the custom fields, flattened into their object.
// `XFields<Text>` in updateCustomer's and addManualTask's requests (read with `lenient::flat`,
// as typed: `Some("")` when given empty), `XFields<String>` in the customers and manual
// entries answered.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct XFields<T> {
    #[serde(default, deserialize_with = "present")]
    pub xfield1: Option<T>,
    #[serde(default, deserialize_with = "present")]
    pub xfield2: Option<T>,
    #[serde(default, deserialize_with = "present")]
    pub xfield3: Option<T>,
    #[serde(default, deserialize_with = "present")]
    pub xfield4: Option<T>,
    #[serde(default, deserialize_with = "present")]
    pub xfield5: Option<T>,
    #[serde(default, deserialize_with = "present")]
    pub xfield6: Option<T>,
    #[serde(default, deserialize_with = "present")]
    pub xfield7: Option<T>,
    #[serde(default, deserialize_with = "present")]
    pub xfield8: Option<T>,
    #[serde(default, deserialize_with = "present")]
    pub xfield9: Option<T>,
    #[serde(default, deserialize_with = "present")]
    pub xfield10: Option<T>,
}

/// The object of the ten fields, each `field` (set with `#[schema(schema_with = ..)]` on the
/// flattened field: utoipa's composition of a generic struct would lose their `null`).
fn xfields_schema(description: &str, field: impl Fn() -> RefOr<Schema>) -> Object {
    (1..=XFIELDS)
        .fold(
            ObjectBuilder::new().description(Some(description)),
            |object, i| object.property(format!("xfield{i}"), field()),
        )
        .build()
}

impl XFields<Text> {
    /// The schema of the fields in a request: text, or `null`.
    pub fn schema() -> Object {
        xfields_schema("`xfield1`..`xfield10`, the custom fields (text).", || {
            OneOfBuilder::new()
                .item(Ref::from_schema_name(Text::name()))
                .item(ObjectBuilder::new().schema_type(Type::Null))
                .into()
        })
    }
}

impl XFields<String> {
    /// The schema of the fields in an answer: a string or `null`.
    pub fn schema() -> Object {
        xfields_schema(
            "`xfield1`..`xfield10`, flattened into their object.",
            || {
                ObjectBuilder::new()
                    .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
                    .into()
            },
        )
    }
}

impl<T> XFields<T> {
    /// The fields in order, `xfield1` first.
    pub fn into_array(self) -> [Option<T>; XFIELDS] {
        [
            self.xfield1,
            self.xfield2,
            self.xfield3,
            self.xfield4,
            self.xfield5,
            self.xfield6,
            self.xfield7,
            self.xfield8,
            self.xfield9,
            self.xfield10,
        ]
    }
}

impl<T> From<[Option<T>; XFIELDS]> for XFields<T> {
    fn from(x: [Option<T>; XFIELDS]) -> Self {
        let [
            xfield1,
            xfield2,
            xfield3,
            xfield4,
            xfield5,
            xfield6,
            xfield7,
            xfield8,
            xfield9,
            xfield10,
        ] = x;
        Self {
            xfield1,
            xfield2,
            xfield3,
            xfield4,
            xfield5,
            xfield6,
            xfield7,
            xfield8,
            xfield9,
            xfield10,
        }
    }
}

/// The customer as updateCustomer answers it (the spec's keys).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomerDto {
    pub customer_id: i64,
    pub customer_name: Option<String>,
    pub customer_phone: Option<String>,
    pub remarks: Option<String>,
    pub wechat_contact_id: i64,
    pub last_update_time: i64,
    pub create_time: i64,
    /// Comma-joined tag ids, `""` when none.
    pub tags: String,
    pub is_cust: i32,
    pub nick_name: Option<String>,
    #[serde(flatten)]
    #[schema(schema_with = XFields::<String>::schema)]
    pub xfields: XFields<String>,
}

/// One row of customerPage: the customer and what the list shows of its contact.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomerItem {
    #[serde(flatten)]
    pub customer: CustomerDto,
    pub wechat_user_id: i64,
    pub admin_user_id: i64,
    pub tag_names: Vec<String>,
    pub contact_nick_name: Option<String>,
    pub remark_name: Option<String>,
    pub head_img_url: Option<String>,
    pub is_star: i32,
    pub wechat_user_nick_name: Option<String>,
    pub customer_nick_name: Option<String>,
}

impl CustomerItem {
    /// The list row, and what is left of the record (its deletion time).
    fn split(r: CustomerRecord) -> (Self, Option<i64>) {
        let deleted = r.deleted_at.map(epoch_ms);
        let item = Self {
            customer: CustomerDto {
                customer_id: r.id.0,
                customer_name: r.customer_name,
                customer_phone: r.customer_phone,
                remarks: r.remarks,
                wechat_contact_id: r.wechat_contact_id.0,
                last_update_time: epoch_ms(r.last_update_time),
                create_time: epoch_ms(r.create_time),
                tags: join_ids(&r.tags),
                is_cust: r.is_cust,
                nick_name: r.nick_name,
                xfields: r.xfields.into(),
            },
            wechat_user_id: r.wechat_user_id.0,
            admin_user_id: r.admin_user_id.0,
            tag_names: r.tag_names,
            contact_nick_name: r.contact_nick_name,
            remark_name: r.remark_name,
            head_img_url: r.head_img_url,
            is_star: r.is_star,
            wechat_user_nick_name: r.wechat_user_nick_name,
            customer_nick_name: r.customer_nick_name,
        };
        (item, deleted)
    }
}

impl From<CustomerRecord> for CustomerItem {
    fn from(r: CustomerRecord) -> Self {
        Self::split(r).0
    }
}

impl From<CustomerRecord> for CustomerDto {
    fn from(r: CustomerRecord) -> Self {
        CustomerItem::from(r).customer
    }
}

/// One row of recycleBin: the customer and when it was deleted.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeletedCustomerItem {
    #[serde(flatten)]
    pub customer: CustomerItem,
    /// Epoch ms; null only if the store lost it.
    pub deleted_time: Option<i64>,
}

impl From<CustomerRecord> for DeletedCustomerItem {
    fn from(r: CustomerRecord) -> Self {
        let (customer, deleted_time) = CustomerItem::split(r);
        Self {
            customer,
            deleted_time,
        }
    }
}
