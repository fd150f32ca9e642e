//! The `CustomerRepository` contract: lists (every filter alone and combined, LIKE
//! wildcards taken literally, order with ties, paging edges, exact totals, export batches),
//! writes (save outcomes, field changes, tags and star, rollback, soft delete and restore),
//! data scope for every read and write, lookups by phone digits, and `q` with `tagMode`
//! (`search`).

pub mod list;
pub mod scope;
pub mod search;
pub mod write;
