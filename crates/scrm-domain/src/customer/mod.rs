//! Customers: the CRM profile of a contact, its search, export, update, recycle bin.
//!
//! `model` holds the record, filter, patch and command; `ports` the `CustomerRepository`;
//! `index` the `CustomerIndex` that answers lists from bitmaps and its `IndexSource`;
//! `service` the `CustomerService`. Everything is re-exported here, so callers name
//! `scrm_domain::customer::X` whatever file `X` lives in.

mod index;
mod model;
mod ports;
mod service;

pub use index::{
    ChangeSubject, CustomerIndex, IndexChange, IndexSource, IndexStatus, IndexedCustomer,
    IndexedPage, LaneChange, LaneHead, NoIndex,
};
#[cfg(any(test, feature = "mocks"))]
pub use index::{MockCustomerIndex, MockIndexSource};
pub use model::{
    BinFilter, CustomerFilter, CustomerPatch, CustomerRecord, ExportCursor, FieldChange,
    SaveOutcome, SaveTarget, SavedCustomer, UpdateCustomer, XFIELDS,
};
pub use ports::CustomerRepository;
#[cfg(any(test, feature = "mocks"))]
pub use ports::MockCustomerRepository;
pub use service::{CustomerService, EXPORT_BATCH};

#[cfg(test)]
pub(crate) mod tests;
