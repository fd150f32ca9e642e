//! The `ManualEntryRepository` contract: assignees with exact totals (filters, department,
//! paging, scope), one assignee's entries (filters alone and combined, LIKE wildcards,
//! order, paging edges; pool entries never listed), the recycle bin (delete and restore of a
//! list and of one entry, phone conflicts, scope), additions (next orderNum, duplicate and
//! concurrent phones), dials (create, update, WeChat account scope, concurrency) and the
//! call pop-up's lookup by phone digits and kind.

pub mod add;
pub mod bin;
pub mod dial;
pub mod list;
