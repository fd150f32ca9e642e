//! Text limits shared by services and adapters: a string longer than its column is a 400
//! naming the field, never a truncation.

use crate::ServiceError;

/// Checks that `value` has at most `max` characters.
///
/// # Errors
/// `ServiceError::Invalid` naming `param` when it is longer.
pub fn check_len(param: &str, value: &str, max: usize) -> Result<(), ServiceError> {
    if value.chars().count() > max {
        return Err(ServiceError::invalid(
            param,
            &format!("at most {max} characters"),
        ));
    }
    Ok(())
}

/// Column sizes (in characters) of the text fields.
pub mod limits {
    /// Names, nick names, remark names.
    pub const NAME: usize = 128;
    /// Phone numbers as typed.
    pub const PHONE: usize = 32;
    /// Remarks.
    pub const REMARKS: usize = 512;
    /// Custom fields xfield1..xfield10.
    pub const XFIELD: usize = 255;
}
