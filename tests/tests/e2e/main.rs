//! Black-box tests of the real server over HTTP: one binary, one module per area.

#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

mod auth;
mod calls;
mod chat;
mod customer_page;
mod delete_restore;
mod demo;
mod download;
mod find_contact;
mod health;
mod nick_names;
mod update_customer;
