//! The call pop-up: who is calling (customers first, then the caller's pool entries, then
//! their hand-entered entries) and the per-account switch that opens it after a call.
//!
//! `model` holds `CallerInfo`; `service` the `CallService`. The area has no port of its own:
//! it reads through the account, customer and manual-entry ports.

mod model;
mod service;

pub use model::CallerInfo;
pub use service::CallService;

#[cfg(test)]
mod tests;
