//! Black-box tests of the real server over HTTP: one binary, one module per area.

#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

/// Runs each test against both stores: `async fn name(store: Store) { .. }` becomes the tests
/// `mysql::name` (MariaDB + Redis) and `memory::name` (the in-memory adapters).
macro_rules! both_stores {
    ($(async fn $name:ident($store:ident: Store) $body:block)*) => {
        $(async fn $name($store: scrm_e2e::Store) $body)*

        mod mysql {
            $(
                #[actix_web::test]
                async fn $name() {
                    super::$name(scrm_e2e::Store::MySql).await
                }
            )*
        }

        mod memory {
            $(
                #[actix_web::test]
                async fn $name() {
                    super::$name(scrm_e2e::Store::Memory).await
                }
            )*
        }
    };
}

mod auth;
mod calls;
mod chat;
mod console;
mod customer_page;
mod delete_restore;
mod demo;
mod download;
mod find_contact;
mod health;
mod instances;
mod nick_names;
mod update_customer;
