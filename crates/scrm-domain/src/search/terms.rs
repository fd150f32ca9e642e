//! `tagMode` and the terms of `q`.

use crate::phone::digits;

/// Most characters of `q`.
pub const Q_MAX_CHARS: usize = 100;

/// Fewest digits that make a term a phone term too.
pub const MIN_PHONE_DIGITS: usize = 3;

/// How `tagIds` combine: any of them (the default), all of them, or none of them. With no
/// tags given every mode selects everything.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum TagMode {
    #[default]
    Any,
    All,
    None,
}

impl TagMode {
    /// The wire names, in order.
    pub const NAMES: [&'static str; 3] = ["any", "all", "none"];

    /// From its wire name (`any`, `all`, `none`; ASCII case ignored).
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "any" => Some(Self::Any),
            "all" => Some(Self::All),
            "none" => Some(Self::None),
            _ => None,
        }
    }

    /// Whether a row holding the tags `has` says it holds passes `tags` in this mode.
    pub fn holds(self, tags: &[i64], has: impl Fn(i64) -> bool) -> bool {
        if tags.is_empty() {
            return true;
        }
        match self {
            Self::Any => tags.iter().any(|&t| has(t)),
            Self::All => tags.iter().all(|&t| has(t)),
            Self::None => !tags.iter().any(|&t| has(t)),
        }
    }
}

/// One whitespace-separated term of `q`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchTerm {
    /// The term as typed (names are compared case-insensitively).
    pub text: String,
    /// The term lower-cased, as pinyin spellings are compared.
    pub lower: String,
    /// The phone digits it stands for, when it is made of digits and `+ - ( )` only and holds
    /// at least [`MIN_PHONE_DIGITS`] digits (the `+86`/`0086` rule of `customerPhone` applied).
    pub phone_digits: Option<String>,
}

impl SearchTerm {
    /// One term (non-empty, no whitespace).
    pub fn new(text: &str) -> Self {
        let phone_like = text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '(' | ')'));
        let phone_digits = Some(digits(text)).filter(|d| phone_like && d.len() >= MIN_PHONE_DIGITS);
        Self {
            text: text.to_owned(),
            lower: text.to_lowercase(),
            phone_digits,
        }
    }
}

/// The terms of `q`: split on whitespace, empty ones dropped (no terms: `q` not given).
pub fn parse_terms(q: &str) -> Vec<SearchTerm> {
    q.split_whitespace().map(SearchTerm::new).collect()
}

/// Whether a customer matches a term: one of its three names (its own, its contact's nickname
/// and remark name) contains the term (case-insensitive) or one of their pinyin spellings
/// ([`super::spellings`]) contains it lower-cased, or the term is a phone term contained in
/// its phone digits.
pub fn term_matches(
    term: &SearchTerm,
    names: [Option<&str>; 3],
    phone_digits: Option<&str>,
) -> bool {
    let named = names.iter().flatten().any(|n| {
        n.to_lowercase().contains(&term.lower)
            || super::spellings(n).iter().any(|s| s.contains(&term.lower))
    });
    named
        || term
            .phone_digits
            .as_deref()
            .is_some_and(|d| phone_digits.is_some_and(|p| p.contains(d)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_modes_parse_and_hold() {
        assert_eq!(TagMode::parse("ALL"), Some(TagMode::All));
        assert_eq!(TagMode::parse("some"), None);
        let has = |t: i64| t == 1 || t == 2;
        assert!(TagMode::Any.holds(&[2, 3], has));
        assert!(!TagMode::All.holds(&[2, 3], has));
        assert!(TagMode::All.holds(&[1, 2], has));
        assert!(TagMode::None.holds(&[3], has));
        assert!(!TagMode::None.holds(&[3, 1], has));
        for m in [TagMode::Any, TagMode::All, TagMode::None] {
            assert!(m.holds(&[], has));
        }
    }

    #[test]
    fn terms_split_on_whitespace_and_phone_terms_need_three_digits() {
        let t = parse_terms("  chen\t8186  ");
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].phone_digits, None);
        assert_eq!(t[1].phone_digits.as_deref(), Some("8186"));
        assert_eq!(
            SearchTerm::new("(0592)-81").phone_digits.as_deref(),
            Some("059281")
        );
        assert_eq!(
            SearchTerm::new("+86-187").phone_digits.as_deref(),
            Some("187")
        );
        assert_eq!(SearchTerm::new("12").phone_digits, None);
        assert_eq!(SearchTerm::new("a123").phone_digits, None);
        assert!(parse_terms(" ").is_empty());
    }

    #[test]
    fn a_term_matches_names_spellings_and_phones() {
        let names = [Some("張偉明"), Some("Amy"), None];
        let m = |q: &str| term_matches(&SearchTerm::new(q), names, Some("18750928186"));
        for hit in [
            "偉明",
            "zhangweiming",
            "zwm",
            "wei",
            "AMY",
            "8186",
            "187-5092",
            "my",
        ] {
            assert!(m(hit), "{hit}");
        }
        for miss in ["wangwei", "zz", "86", "9999", "18750928186x"] {
            assert!(!m(miss), "{miss}");
        }
    }
}
