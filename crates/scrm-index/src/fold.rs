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
}
