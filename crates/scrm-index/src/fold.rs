//! Text as the lists' `LIKE` compares it. MariaDB's `utf8mb4_general_ci` compares character by
//! character through a weight per character; the index folds each character to a key with
//! the same equalities where those are known for sure: ASCII (letters by case), the CJK
//! ideographs (themselves), and every character outside the BMP (all equal to U+FFFD in that
//! collation, so every emoji matches every other). A text with any other character is
//! *unsure*: the index does not decide a text filter over it and lets SQL answer.

/// The key of one character, or `None` when its weight is not known here.
fn fold(c: char) -> Option<char> {
    match u32::from(c) {
        0..=0x7f => Some(c.to_ascii_uppercase()),
        0x3400..=0x4dbf | 0x4e00..=0x9fff => Some(c),
        0xfffd | 0x10000.. => Some('\u{fffd}'),
        _ => None,
    }
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
    fn ascii_folds_by_case_cjk_is_itself_and_emoji_are_one() {
        assert_eq!(fold_str("Amy-王5").as_deref(), Some("AMY-王5"));
        assert_eq!(fold_str("😀"), fold_str("🐱"));
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
