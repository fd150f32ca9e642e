//! Mocks expecting exactly one query of a list endpoint (customerPage, downLoad's first batch,
//! recycleBin, findcontactbytagAll) whose filter passes a check, answering an empty list: for
//! the tests of how a parameter reaches the store.

use scrm_domain::contact::ContactTagQuery;
use scrm_domain::customer::{BinFilter, CustomerFilter};

use crate::support::{Mocks, empty_page};

/// customerPage's store query.
pub fn page(check: impl Fn(&CustomerFilter) -> bool + Send + 'static) -> Mocks {
    let mut mocks = Mocks::new();
    mocks
        .customers
        .expect_page()
        .withf(move |_, f, _| check(f))
        .times(1)
        .returning(|_, _, _| Ok(empty_page()));
    mocks
}

/// downLoad's first (and, answered empty, only) export batch.
pub fn export(check: impl Fn(&CustomerFilter) -> bool + Send + 'static) -> Mocks {
    let mut mocks = Mocks::new();
    mocks
        .customers
        .expect_export_batch()
        .withf(move |_, f, after, _| check(f) && after.is_none())
        .times(1)
        .returning(|_, _, _, _| Ok(vec![]));
    mocks
}

/// recycleBin's store query.
pub fn recycle_bin(check: impl Fn(&BinFilter) -> bool + Send + 'static) -> Mocks {
    let mut mocks = Mocks::new();
    mocks
        .customers
        .expect_recycle_bin()
        .withf(move |_, f, _| check(f))
        .times(1)
        .returning(|_, _, _| Ok(empty_page()));
    mocks
}

/// findcontactbytagAll's store query.
pub fn contacts(check: impl Fn(&ContactTagQuery) -> bool + Send + 'static) -> Mocks {
    let mut mocks = Mocks::new();
    mocks
        .contacts
        .expect_find_by_tags()
        .withf(move |_, q| check(q))
        .times(1)
        .returning(|_, _| Ok(vec![]));
    mocks
}
