//! Chat messages between a company WeChat account and a contact, kept in Redis: ingest from
//! the WeChat connector, and the newest-first record of one or several conversations.
//!
//! `model` holds the message, conversation, range and query; `ports` the `MessageStore`;
//! `service` the `ChatService`. Everything is re-exported here.

mod model;
mod ports;
mod service;

pub use model::{ChatMessage, Conversation, MAX_INGEST, RecordQuery, StoredMessage, TimeRange};
pub use ports::MessageStore;
#[cfg(any(test, feature = "mocks"))]
pub use ports::MockMessageStore;
pub use service::ChatService;

#[cfg(test)]
mod tests;
