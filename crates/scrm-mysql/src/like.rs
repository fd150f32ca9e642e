//! `LIKE` patterns: "contains" searches match their needle literally, whatever `%`, `_` or
//! the escape character it holds.

/// The escape character of LIKE patterns (not `\`, whose meaning depends on the SQL mode).
pub const LIKE_ESCAPE: char = '!';

/// A `LIKE` pattern matching values that contain `needle` literally.
pub fn contains(needle: &str) -> String {
    let mut p = String::with_capacity(needle.len() + 2);
    p.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | LIKE_ESCAPE) {
            p.push(LIKE_ESCAPE);
        }
        p.push(c);
    }
    p.push('%');
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(contains("a%b_c!d"), "%a!%b!_c!!d%");
        assert_eq!(contains("王"), "%王%");
    }
}
