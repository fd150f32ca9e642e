//! The call pop-up: who is calling (customers first, then the caller's pool entries, then
//! their hand-entered entries) and the per-account switch that opens it after a call.
//!
//! `model` holds `CallerInfo` and the rule that picks the source (`CallerStep`);
//! `ports` the `CallerLookup` port (the three lookups in one go, on one connection);
//! `service` the `CallService`, which also reads the account port for the switch.

mod model;
mod ports;
mod service;

pub use model::{CallerInfo, CallerSource, CallerStep, SourceMatches};
pub use ports::CallerLookup;
#[cfg(any(test, feature = "mocks"))]
pub use ports::MockCallerLookup;
pub use service::CallService;

#[cfg(test)]
mod tests;
