//! Handler tests of scrm-http: the real routes, extractors and services over the domain's
//! mockall mocks, one module per endpoint plus the error envelope and the lenient parameters.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on broken fixtures"
)]

mod expecting;
mod fixtures;
mod hardened;
mod shapes;
mod support;

mod auth_first;
mod call;
mod contacts;
mod cors;
mod customer_page;
mod delete_restore;
mod download;
mod errors;
mod health;
mod list_params;
mod login;
mod manual_add;
mod manual_add_friend;
mod manual_tasks;
mod manual_writes;
mod me;
mod message_history;
mod message_record;
mod metrics;
mod nick_names;
mod openapi;
mod params;
mod query_limit;
mod request_id;
mod search_params;
mod security_headers;
mod update_customer;
