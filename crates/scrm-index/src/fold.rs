//! Text as the lists compare it: lower-cased, then code point by code point (in SQL the
//! collation's `LIKE` and `LOWER(..) COLLATE utf8mb4_bin LIKE LOWER(..)`, `scrm_mysql`'s
//! `like::TextContains`). The index folds each character to a key with the same equalities
//! where those are known for sure: ASCII (letters by case), the CJK ideographs (themselves),
//! and the characters outside the BMP that have no case (themselves: emoji, the rarer
//! ideographs). (Until 2026-12-08 the lists compared as `utf8mb4_general_ci` alone, where every
//! character outside the BMP weighs as U+FFFD, and this folded them all to it: `😀` found
//! `🎉`.) A text with any other character is *unsure*: whether MariaDB's `LOWER` maps it as
//! Rust does is not known here, so the index does not decide a text filter over it and lets
//! SQL answer.

/// The key of one character, or `None` when it is not known here.
fn fold(c: char) -> Option<char> {
    match u32::from(c) {
        0..=0x7f => Some(c.to_ascii_uppercase()),
        0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xfffd => Some(c),
        0x10000.. if uncased(c) => Some(c),
        _ => None,
    }
}

/// Whether `c` is its own lower and upper case (MariaDB's `LOWER` leaves every character
/// outside the BMP as it is; Rust maps the few cased ones, such as Deseret).
fn uncased(c: char) -> bool {
    c.to_lowercase().eq([c]) && c.to_uppercase().eq([c])
}

/// The folded text, or `None` when a character is unsure.
pub fn fold_str(s: &str) -> Option<String> {
    s.chars().map(fold).collect()
}

/// The text folded where the weights are known, the unsure characters left as they are
/// (none of them equals a folded character), and whether there was one. A folded needle
/// found in it is a match for sure; one not found is a miss for sure only when the needle is
/// [`cjk_only`].
pub fn fold_known(s: &str) -> (String, bool) {
    let mut unsure = false;
    let folded = s
        .chars()
        .map(|c| {
            fold(c).unwrap_or_else(|| {
                unsure = true;
                c
            })
        })
        .collect();
    (folded, unsure)
}

/// Whether a (folded) needle holds CJK ideographs of the BMP only: characters that equal
/// nothing but themselves in the collation (a character's weight there is its upper case, or
/// itself; no other script's case maps onto an ideograph), so they are found, or not, in an
/// unsure text as in a sure one.
pub fn cjk_only(needle: &str) -> bool {
    !needle.is_empty()
        && needle
            .chars()
            .all(|c| matches!(u32::from(c), 0x3400..=0x4dbf | 0x4e00..=0x9fff))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_folds_by_case_cjk_and_emoji_are_themselves() {
        assert_eq!(fold_str("Amy-王5").as_deref(), Some("AMY-王5"));
        assert_ne!(fold_str("😀"), fold_str("🐱"));
        assert_eq!(fold_str("😀𠀀").as_deref(), Some("😀𠀀"));
        assert_eq!(fold_str("\u{10400}"), None, "Deseret has case");
        assert_eq!(fold_str("é"), None);
        assert_eq!(fold_str("Ａ"), None);
        assert_eq!(fold_str("").as_deref(), Some(""));
    }

    #[test]
    fn unsure_characters_stay_as_they_are_and_only_ideographs_decide_over_them() {
        assert_eq!(fold_known("José王"), ("JOSé王".to_owned(), true));
        assert_eq!(fold_known("Amy"), ("AMY".to_owned(), false));
        assert!(cjk_only("王明"));
        for not in ["王5", "A", "", "😀"] {
            assert!(!cjk_only(not), "{not}");
        }
    }
}
