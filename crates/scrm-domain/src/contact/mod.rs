//! Contacts (friends of a company WeChat account): lookup by tags and the personal form of
//! address (個性稱呼). A contact's CRM profile is its customer (`crate::customer`).
//!
//! `model` holds the contact (its record and its own WeChat fields), the tag query and the form of address; `ports` the
//! `ContactRepository`; `index` the `ContactIndex` that answers findcontactbytagAll's
//! selection from bitmaps; `service` the `ContactService`. Everything is re-exported here.

mod index;
mod model;
mod ports;
mod service;

#[cfg(any(test, feature = "mocks"))]
pub use index::MockContactIndex;
pub use index::{AccountState, ContactIndex, IndexedContact};
pub use model::{ContactProfile, ContactRecord, ContactTagQuery, NickNameInput};
pub use ports::ContactRepository;
#[cfg(any(test, feature = "mocks"))]
pub use ports::MockContactRepository;
pub use service::{ContactService, MAX_NICK_NAMES};

#[cfg(test)]
pub(crate) mod tests;
