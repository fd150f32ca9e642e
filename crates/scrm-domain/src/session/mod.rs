//! Sessions: login (throttled by `LoginThrottle`), logout and turning a bearer token into the
//! caller's scope.
//!
//! `model` holds the session data, the login outcome and the password rule; `ports` the
//! `SessionStore`; `service` the `AuthService`. Everything is re-exported here.

mod model;
mod ports;
mod service;

pub use model::{
    LoginOutcome, MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS, SessionData, check_password,
};
#[cfg(any(test, feature = "mocks"))]
pub use ports::MockSessionStore;
pub use ports::SessionStore;
pub use service::AuthService;

#[cfg(test)]
mod tests;
