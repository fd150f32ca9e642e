//! One handler per endpoint, each file holding its own request struct and DTOs (customerPage's
//! `CustomerQuery` serves downLoad too; `recycle_bin_actions` holds the six delete and restore
//! handlers); `customer_dto`, `contact_dto` and `manual_dto` hold what several endpoints share.

pub mod add_manual_task;
pub mod add_manual_task_before_add_friend;
pub mod batch_save_nick_name;
pub mod contact_dto;
pub mod customer_dto;
pub mod customer_info_by_call;
pub mod customer_page;
pub mod download;
pub mod download_csv;
pub mod find_contact_by_tag;
pub mod health;
pub mod is_open_after_call;
pub mod login;
pub mod logout;
pub mod manual_dto;
pub mod manual_task_detail;
pub mod manual_task_list;
pub mod me;
pub mod message_record;
pub mod metrics;
pub mod recycle_bin;
pub mod recycle_bin_actions;
pub mod redis_message_record;
pub mod update_customer;
pub mod update_is_open_after_call;

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
