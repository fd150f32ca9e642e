//! `customer_name_gram`: the grams of a customer's three searchable names (its own name, its
//! contact's WeChat nickname and remark name) that let a name "contains" search start from the
//! matching customers instead of reading every customer of the tenant (migration
//! `2026-12-04-000001_customer_search` says what a gram is).
//!
//! Writes keep the table exact in their own transaction: [`refresh`] recomputes the rows of
//! some customers from their names (a new customer, a changed name, an imported contact), and
//! [`RETENANT`] follows customers that an import moved to another tenant. The seed at scale
//! writes the same rows through [`of_names`].

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use crate::support::{IN_CHUNK, LIKE_ESCAPE};

/// Deletes the grams of the customers `{}` (a list of `?`).
const DELETE: &str = "DELETE FROM customer_name_gram WHERE customer_id IN ({})";

/// Writes the grams of the customers `{}` (a list of `?`) from their current names, the same
/// statement as the migration's backfill.
const INSERT: &str = "INSERT IGNORE INTO customer_name_gram (customer_id, gram, tenant_id) \
     WITH RECURSIVE pos (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM pos WHERE n < 128) \
     SELECT x.id, SUBSTRING(x.name, pos.n, 2), x.tenant_id FROM ( \
       SELECT c.id, c.tenant_id, c.customer_name AS name FROM customer c WHERE c.id IN ({}) \
       UNION ALL SELECT c.id, c.tenant_id, w.nick_name FROM customer c \
         JOIN wechat_contact w ON w.id = c.wechat_contact_id WHERE c.id IN ({}) \
       UNION ALL SELECT c.id, c.tenant_id, w.remark_name FROM customer c \
         JOIN wechat_contact w ON w.id = c.wechat_contact_id WHERE c.id IN ({}) \
     ) x JOIN pos ON pos.n <= CHAR_LENGTH(x.name)";

/// Moves the grams of the customers of WeChat accounts `{}` (a list of `?`) to the tenant
/// their customers now belong to (after an import re-owned them).
pub(crate) const RETENANT: &str = "UPDATE customer_name_gram g \
     JOIN customer c ON c.id = g.customer_id \
     SET g.tenant_id = c.tenant_id \
     WHERE c.wechat_user_id IN ({}) AND g.tenant_id <> c.tenant_id";

/// Recomputes the grams of these customers from their names.
pub(crate) async fn refresh(c: &mut AsyncMysqlConnection, ids: &[i64]) -> QueryResult<()> {
    for chunk in ids.chunks(IN_CHUNK) {
        let marks = vec!["?"; chunk.len()].join(",");
        let mut delete = diesel::sql_query(DELETE.replace("{}", &marks)).into_boxed();
        for id in chunk {
            delete = delete.bind::<BigInt, _>(*id);
        }
        delete.execute(c).await?;
        let mut insert = diesel::sql_query(INSERT.replace("{}", &marks)).into_boxed();
        for _ in 0..3 {
            for id in chunk {
                insert = insert.bind::<BigInt, _>(*id);
            }
        }
        insert.execute(c).await?;
    }
    Ok(())
}

/// The grams of one customer's names as the seed writes them: each name's 2-character
/// substrings and its last character, distinct. Distinct here means distinct for ASCII case
/// and trailing spaces, which is what the table's collation also folds for the seed's
/// alphabet (CJK, ASCII letters, digits and `-`); [`refresh`] leaves the folding to MariaDB.
pub fn of_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut grams: Vec<String> = Vec::new();
    for name in names {
        let chars: Vec<char> = name.chars().collect();
        for i in 0..chars.len() {
            let gram: String = chars[i..chars.len().min(i + 2)].iter().collect();
            let gram = match gram.trim_end_matches(' ') {
                "" => " ",
                trimmed => trimmed,
            };
            let key = gram.to_ascii_lowercase();
            if !grams.iter().any(|g| g.to_ascii_lowercase() == key) {
                grams.push(gram.to_owned());
            }
        }
    }
    grams
}

/// How the grams find the customers whose names contain a needle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedleGrams {
    /// `gram LIKE <pattern>` (one character: every gram it starts) or else `gram = <gram>` for
    /// each of these.
    pub prefix: Option<String>,
    pub equal: Vec<String>,
    /// Whether a customer holding the grams contains the needle for sure; when not, the
    /// query also keeps the `LIKE` on the names.
    pub exact: bool,
}

/// Most distinct 2-character grams of a long needle looked up (spread over the needle); the
/// `LIKE` on the names decides the rest.
const MAX_EQUAL: usize = 6;

/// The grams of a non-empty needle.
pub fn of_needle(needle: &str) -> NeedleGrams {
    let chars: Vec<char> = needle.chars().collect();
    if let [only] = chars[..] {
        let mut pattern = String::with_capacity(4);
        if matches!(only, '%' | '_' | LIKE_ESCAPE) {
            pattern.push(LIKE_ESCAPE);
        }
        pattern.push(only);
        pattern.push('%');
        return NeedleGrams {
            prefix: Some(pattern),
            equal: Vec::new(),
            exact: true,
        };
    }
    let mut equal: Vec<String> = Vec::new();
    for pair in chars.windows(2) {
        let gram: String = pair.iter().collect();
        if !equal.contains(&gram) {
            equal.push(gram);
        }
    }
    if equal.len() > MAX_EQUAL {
        let n = equal.len();
        equal = (0..MAX_EQUAL)
            .map(|k| equal[k * (n - 1) / (MAX_EQUAL - 1)].clone())
            .collect();
    }
    // Two characters are one gram, compared as the collation compares: exact unless the
    // second is a space (which `=` ignores at the end of a value).
    let exact = chars.len() == 2 && chars[1] != ' ';
    NeedleGrams {
        prefix: None,
        equal,
        exact,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_gives_its_pairs_and_its_last_character() {
        assert_eq!(of_names(["王小明"]), ["王小", "小明", "明"]);
        assert_eq!(of_names(["歐陽"]), ["歐陽", "陽"]);
        assert_eq!(of_names(["王"]), ["王"]);
        assert!(of_names([""]).is_empty());
    }

    #[test]
    fn grams_are_distinct_over_the_three_names_and_ascii_case() {
        assert_eq!(
            of_names(["Amy", "amy-上海", "陽光"]),
            ["Am", "my", "y", "y-", "-上", "上海", "海", "陽光", "光"]
        );
    }

    #[test]
    fn trailing_spaces_fold_as_the_collation_folds_them() {
        assert_eq!(of_names(["a b "]), ["a", " b", "b", " "]);
    }

    #[test]
    fn one_character_is_a_prefix_and_exact() {
        let g = of_needle("王");
        assert_eq!(g.prefix.as_deref(), Some("王%"));
        assert!(g.equal.is_empty() && g.exact);
        assert_eq!(of_needle("%").prefix.as_deref(), Some("!%%"));
        assert_eq!(of_needle("!").prefix.as_deref(), Some("!!%"));
    }

    #[test]
    fn two_characters_are_one_exact_gram_unless_the_second_is_a_space() {
        assert_eq!(
            of_needle("王偉"),
            NeedleGrams {
                prefix: None,
                equal: vec!["王偉".into()],
                exact: true
            }
        );
        assert!(!of_needle("a ").exact);
    }

    #[test]
    fn longer_needles_need_the_like_and_look_up_a_few_spread_grams() {
        let g = of_needle("諸葛亮");
        assert_eq!(g.equal, ["諸葛", "葛亮"]);
        assert!(!g.exact);
        let long = of_needle("abcdefghijklmnop");
        assert_eq!(long.equal.len(), MAX_EQUAL);
        assert_eq!(long.equal[0], "ab");
        assert_eq!(
            long.equal.iter().next_back().map(String::as_str),
            Some("op")
        );
        assert_eq!(of_needle("aaaa").equal, ["aa"]);
    }
}
