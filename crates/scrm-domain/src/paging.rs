//! Paging: a validated page request and a page of results with the exact total.

use crate::ServiceError;

/// The largest page a client may ask for.
pub const MAX_LIMIT: u32 = 100;

/// A page request: `page_no` from 1, `limit` 1..=100.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    page_no: u32,
    limit: u32,
}

impl PageRequest {
    /// Builds a page request, or a 400 naming `pageNo` or `limit`.
    ///
    /// # Errors
    /// `ServiceError::Invalid` when `page_no` is 0 or `limit` is outside 1..=100.
    pub fn new(page_no: u32, limit: u32) -> Result<Self, ServiceError> {
        if page_no == 0 {
            return Err(ServiceError::invalid("pageNo", "must be 1 or more"));
        }
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ServiceError::invalid("limit", "must be between 1 and 100"));
        }
        Ok(Self { page_no, limit })
    }

    /// The page number, from 1.
    pub fn page_no(self) -> u32 {
        self.page_no
    }

    /// Rows per page.
    pub fn limit(self) -> u32 {
        self.limit
    }

    /// Rows to skip.
    pub fn offset(self) -> u64 {
        u64::from(self.page_no - 1) * u64::from(self.limit)
    }
}

/// One page of results and the exact number of matches.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_checked() {
        assert!(PageRequest::new(0, 10).is_err());
        assert!(PageRequest::new(1, 0).is_err());
        assert!(PageRequest::new(1, 101).is_err());
        let p = PageRequest::new(3, 20).unwrap();
        assert_eq!(p.offset(), 40);
        assert_eq!(p.limit(), 20);
    }
}
