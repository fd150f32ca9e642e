//! The domain of scrm: entities, value objects, ports (traits the adapters implement) and the
//! services that hold the rules of the customer query module. No database, HTTP or Redis here.

pub mod account;
pub mod call;
pub mod contact;
pub mod customer;
pub mod directory;
pub mod error;
pub mod health;
pub mod ids;
pub mod import;
pub mod manual;
pub mod message;
pub mod paging;
pub mod per_thread;
pub mod phone;
pub mod scope;
pub mod search;
pub mod session;
pub mod text;
pub mod throttle;
pub mod time;

pub use error::{ServiceError, StoreError};
pub use ids::{
    AdminUserId, ContactId, CustomerId, DepartmentId, ManualEntryId, TagId, WechatUserId,
};
pub use paging::{Page, PageRequest};
pub use scope::{OwnerFilter, Scope};
