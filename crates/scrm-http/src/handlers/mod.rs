//! One handler per endpoint, each file holding its DTOs; `customer_filter` and
//! `customer_item` are shared by the customer lists and the export.

pub mod batch_save_nick_name;
pub mod customer_filter;
pub mod customer_item;
pub mod customer_page;
pub mod delete;
pub mod download;
pub mod download_csv;
pub mod find_contact_by_tag;
pub mod health;
pub mod login;
pub mod logout;
pub mod recycle_bin;
pub mod restore;
pub mod update_customer;
pub mod update_customer_dto;

use chrono::{DateTime, Utc};

/// Epoch milliseconds, as the wire shows `createTime`/`lastUpdateTime` of customers.
pub fn epoch_ms(time: DateTime<Utc>) -> i64 {
    time.timestamp_millis()
}

/// Ids as the legacy `tags` string: comma-joined, `""` when none.
pub fn join_ids<T: ToString>(ids: &[T]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}
