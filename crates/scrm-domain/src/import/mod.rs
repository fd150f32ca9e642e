//! Import: a document checked whole (references, tenants, values) and turned into a plan of
//! rows that the store writes in one transaction, all or nothing.
//!
//! `document` is the input, `plan` the checked rows (built by `planner` and `planner_rows`),
//! `ports` the `ImportRepository`, `service` the `ImportService`. Everything is re-exported
//! here.

mod document;
mod plan;
mod planner;
mod planner_rows;
mod ports;
mod service;

pub use document::*;
pub use plan::*;
pub use ports::ImportRepository;
#[cfg(any(test, feature = "mocks"))]
pub use ports::MockImportRepository;
pub use service::{ImportService, ImportSummary};

#[cfg(test)]
mod tests;
