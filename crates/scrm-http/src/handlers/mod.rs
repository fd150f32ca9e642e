//! One handler per endpoint, each file holding its own DTOs; `customer_filter`,
//! `customer_dto` and `contact_dto` hold what several endpoints share.

pub mod batch_save_nick_name;
pub mod contact_dto;
pub mod customer_dto;
pub mod customer_filter;
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
