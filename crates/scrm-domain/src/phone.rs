//! Phone numbers compared by their digits: `+86`/`0086` prefixes of mainland numbers, spaces
//! and dashes are ignored.

use crate::ServiceError;

/// The digits of a phone number, mainland country prefix removed.
pub fn digits(raw: &str) -> String {
    let trimmed = raw.trim();
    let all: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    let prefixed = trimmed.starts_with('+') || trimmed.starts_with("00");
    if prefixed {
        if let Some(rest) = all.strip_prefix("0086") {
            return rest.to_owned();
        }
        if let Some(rest) = all.strip_prefix("86") {
            return rest.to_owned();
        }
    }
    if all.len() == 13 && all.starts_with("86") && all[2..].starts_with('1') {
        return all[2..].to_owned();
    }
    all
}

/// A phone number that has 5 to 20 digits, stored as given and compared by its digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    raw: String,
    digits: String,
}

impl Phone {
    /// Parses a phone; `param` names the parameter in the 400.
    ///
    /// # Errors
    /// `ServiceError::Invalid` unless the number has 5 to 20 digits and only digits, spaces,
    /// dashes, parentheses and a leading `+`.
    pub fn parse(param: &str, raw: &str) -> Result<Self, ServiceError> {
        let raw = raw.trim();
        let allowed = raw.chars().enumerate().all(|(i, c)| {
            c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')') || (c == '+' && i == 0)
        });
        let digits = digits(raw);
        if !allowed || !(5..=20).contains(&digits.len()) {
            return Err(ServiceError::invalid(
                param,
                "must be a phone number of 5 to 20 digits",
            ));
        }
        Ok(Self {
            raw: raw.to_owned(),
            digits,
        })
    }

    /// The number as the user typed it (trimmed).
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The digits used for comparison.
    pub fn digits(&self) -> &str {
        &self.digits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_separators_are_ignored() {
        assert_eq!(digits("+86 187-5092-8186"), "18750928186");
        assert_eq!(digits("008618750928186"), "18750928186");
        assert_eq!(digits("8618750928186"), "18750928186");
        assert_eq!(digits("187 5092 8186"), "18750928186");
        assert_eq!(digits("0592-1234567"), "05921234567");
        assert_eq!(digits("+1 415 555 0100"), "14155550100");
    }

    #[test]
    fn phone_needs_5_to_20_digits() {
        assert!(Phone::parse("customerPhone", "1234").is_err());
        assert!(Phone::parse("customerPhone", "12345").is_ok());
        assert!(Phone::parse("customerPhone", "123456789012345678901").is_err());
        assert!(Phone::parse("customerPhone", "12345abc").is_err());
        let p = Phone::parse("customerPhone", " +86 187-5092-8186 ").unwrap();
        assert_eq!(p.digits(), "18750928186");
        assert_eq!(p.as_str(), "+86 187-5092-8186");
    }
}
