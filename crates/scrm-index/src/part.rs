//! What the manual entries and the contacts of a tenant have in common: rows kept by id (a
//! `u32`) beside the customers, built at load and kept from the change log by re-reading the
//! rows it names. A row that no longer fits drops the whole part (its answers decline).

use std::collections::HashMap;

use scrm_domain::AdminUserId;

use crate::tenant::Unindexable;

/// A part of a loaded tenant kept by row id.
pub(crate) trait Part: Default {
    /// A row as the source reads it.
    type Row;

    /// Its id and tenant.
    fn key(row: &Self::Row) -> (i64, AdminUserId);

    /// Adds or replaces a row.
    ///
    /// # Errors
    /// `Unindexable` when its id does not fit a `u32`.
    fn upsert(&mut self, row: &Self::Row) -> Result<(), Unindexable>;

    /// Removes a row (a no-op when it is not there).
    fn remove(&mut self, id: u32);

    /// Compacts the bitmaps after a build.
    fn optimize(&mut self);

    /// A tenant's part from all of its rows.
    ///
    /// # Errors
    /// `Unindexable` when one does not fit.
    fn build(rows: &[Self::Row]) -> Result<Self, Unindexable> {
        let mut part = Self::default();
        for r in rows {
            part.upsert(r)?;
        }
        part.optimize();
        Ok(part)
    }
}

/// The part built from a source's rows; `None` when the source does not keep them or one
/// does not fit.
pub(crate) fn built<P: Part>(rows: Option<Vec<P::Row>>) -> Option<Box<P>> {
    rows.and_then(|all| P::build(&all).ok()).map(Box::new)
}

/// Applies the current state (`now`: the rows among `ids` that exist) to a tenant's part: a
/// row that is not there (gone, left the tenant, no longer kept) leaves. A row that does not
/// fit drops the part.
pub(crate) fn apply<P: Part>(
    part: &mut Option<Box<P>>,
    tenant: AdminUserId,
    ids: impl IntoIterator<Item = i64>,
    now: &[P::Row],
) {
    let Some(p) = part.as_mut() else {
        return;
    };
    let by_id: HashMap<i64, &P::Row> = now.iter().map(|r| (P::key(r).0, r)).collect();
    for id in ids {
        let done = match by_id.get(&id) {
            Some(r) if P::key(r).1 == tenant => p.upsert(r),
            // An id beyond u32 was never indexed.
            _ => {
                if let Ok(id) = u32::try_from(id) {
                    p.remove(id);
                }
                Ok(())
            }
        };
        if done.is_err() {
            *part = None;
            return;
        }
    }
}
