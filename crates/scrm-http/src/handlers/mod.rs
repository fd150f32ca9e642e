//! One handler per endpoint, each file holding its own DTOs; `customer_filter`,
//! `customer_dto`, `contact_dto` and `manual_dto` hold what several endpoints share.

pub mod add_manual_task;
pub mod add_manual_task_before_add_friend;
pub mod batch_save_nick_name;
pub mod contact_dto;
pub mod customer_dto;
pub mod customer_filter;
pub mod customer_info_by_call;
pub mod customer_page;
pub mod del_manual_task;
pub mod del_manual_task_detail;
pub mod delete;
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
pub mod redis_message_record;
pub mod restore;
pub mod restore_manual_task;
pub mod restore_manual_task_detail;
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
