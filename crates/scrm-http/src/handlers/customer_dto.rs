//! The customer objects of the wire: `CustomerDto` (updateCustomer's `customer`) and
//! `CustomerItem` (a row of customerPage: the same plus what the lists show of the contact),
//! `DeletedCustomerItem` (a row of recycleBin); and `XFields`, the custom fields of these, of
//! the manual entries and of updateCustomer's and addManualTask's requests.

use std::fmt;
use std::marker::PhantomData;

use scrm_domain::customer::{CustomerRecord, XFIELDS};
use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::ToSchema;
use utoipa::openapi::schema::{Object, ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type};
use utoipa::openapi::{Ref, RefOr};

use super::{epoch_ms, join_ids};
use crate::lenient::Text;

/// `xfield1`..`xfield10`, the custom fields, flattened into their object: `XFields<Text>` in
/// updateCustomer's and addManualTask's requests (read with `lenient::flat`, as typed: a key
/// that is there is `Some`, `Some("")` when given empty), `XFields<String>` in the customers
/// and manual entries answered. Each is `xfield{n}`, the n-th of the array.
#[derive(Debug)]
pub struct XFields<T>(pub [Option<T>; XFIELDS]);

/// The keys of the fields, in order (a key formatted per field was a tenth of a customer
/// list's serialization).
const XFIELD_KEYS: [&str; XFIELDS] = [
    "xfield1", "xfield2", "xfield3", "xfield4", "xfield5", "xfield6", "xfield7", "xfield8",
    "xfield9", "xfield10",
];

impl<T: Serialize> Serialize for XFields<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(XFIELDS))?;
        for (key, value) in XFIELD_KEYS.iter().zip(&self.0) {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for XFields<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(XFieldsVisitor(PhantomData))
    }
}

/// Reads the `xfield{n}` keys of an object; every other key is left to its owner.
struct XFieldsVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for XFieldsVisitor<T> {
    type Value = XFields<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with xfield1..xfield10")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<XFields<T>, A::Error> {
        let mut fields = [const { None }; XFIELDS];
        while let Some(key) = map.next_key::<String>()? {
            match XFIELD_KEYS.iter().position(|k| *k == key) {
                Some(i) => fields[i] = Some(map.next_value()?),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(XFields(fields))
    }
}

/// The object of the ten fields, each `field` (set with `#[schema(schema_with = ..)]` on the
/// flattened field: utoipa's composition of a generic struct would lose their `null`).
fn xfields_schema(description: &str, field: impl Fn() -> RefOr<Schema>) -> Object {
    XFIELD_KEYS
        .iter()
        .fold(
            ObjectBuilder::new().description(Some(description)),
            |object, key| object.property(*key, field()),
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
                xfields: XFields(r.xfields),
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
