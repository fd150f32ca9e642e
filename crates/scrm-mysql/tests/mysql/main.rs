//! Integration tests of the MySQL adapter against the real MariaDB: each test owns a fresh
//! database, migrates it and loads its own fixture through `ImportRepository::apply`.

#![expect(
    clippy::unwrap_used,
    reason = "tests: a failure should stop the test loudly"
)]

mod calls;
mod contacts;
mod customers_list;
mod customers_save;
mod fixture;
mod import;
mod manual_add;
mod manual_bin;
mod manual_list;
mod migrations;
mod scope;
mod store;
