//! `customer_name_gram` and `customer_phone_gram`: the grams of a customer's three searchable
//! names (its own name, its contact's WeChat nickname and remark name) and of its phone digits,
//! which let a "contains" search start from the matching customers instead of reading every
//! customer of the tenant (migrations `2026-12-04-000001_customer_search` and
//! `2026-12-04-000002_customer_phone_grams` say what a gram is).
//!
//! Writes keep the tables exact in their own transaction: [`refresh`] recomputes the rows of
//! some customers from their names and phone (a new customer, a changed name or phone, an
//! imported contact or customer), and [`RETENANT`] follows customers that an import moved to
//! another tenant. The seed at scale writes the same rows through [`of_names`] and
//! [`of_digits`].

use diesel::QueryResult;
use diesel_async::AsyncMysqlConnection;

use crate::id_lists::{ids_for_ids, run_for_ids, unique};
use crate::like::LIKE_ESCAPE;

/// Deletes the grams of the customers `{}` (a list of `?`).
const DELETE: &str = "DELETE FROM customer_name_gram WHERE customer_id IN ({})";

/// The name grams of the customers `{}` (a list of `?`) as their current names give them,
/// `(id, gram, tenant_id)`, not distinct: every 2-character substring of each of the three
/// names and its last character (the rows of the migration's backfill). With [`NAME_POS`].
const NAME_GRAMS: &str = "SELECT x.id, SUBSTRING(x.name, pos.n, 2) AS gram, x.tenant_id FROM ( \
       SELECT c.id, c.tenant_id, c.customer_name AS name FROM customer c WHERE c.id IN ({}) \
       UNION ALL SELECT c.id, c.tenant_id, w.nick_name FROM customer c \
         JOIN wechat_contact w ON w.id = c.wechat_contact_id WHERE c.id IN ({}) \
       UNION ALL SELECT c.id, c.tenant_id, w.remark_name FROM customer c \
         JOIN wechat_contact w ON w.id = c.wechat_contact_id WHERE c.id IN ({}) \
     ) x JOIN pos ON pos.n <= CHAR_LENGTH(x.name)";

/// The positions [`NAME_GRAMS`] reads (a name is at most 128 characters).
const NAME_POS: &str =
    "WITH RECURSIVE pos (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM pos WHERE n < 128)";

/// Deletes the phone grams of the customers `{}` (a list of `?`).
const DELETE_PHONE: &str = "DELETE FROM customer_phone_gram WHERE customer_id IN ({})";

/// The phone grams of the customers `{}` (a list of `?`) as their phone digits give them,
/// `(id, gram, tenant_id)`: every 3-digit substring, none unless the digits are all ASCII
/// digits (the rows of the migration's backfill). With [`PHONE_POS`].
const PHONE_GRAMS: &str = "SELECT c.id, SUBSTRING(c.phone_digits, pos.n, 3) AS gram, c.tenant_id \
     FROM customer c JOIN pos ON pos.n <= CHAR_LENGTH(c.phone_digits) - 2 \
     WHERE c.phone_digits REGEXP '^[0-9]+$' AND c.id IN ({})";

/// The positions [`PHONE_GRAMS`] reads.
const PHONE_POS: &str =
    "WITH RECURSIVE pos (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM pos WHERE n < 30)";

/// Writes the rows `grams` (a query of `(id, gram, tenant_id)` after its `WITH` clause
/// `pos`) into `table`, distinct as the table's key compares them.
pub(super) fn insert(table: &str, pos: &str, grams: &str) -> String {
    format!("INSERT IGNORE INTO {table} (customer_id, gram, tenant_id) {pos} {grams}")
}

/// The customers among `{}` (a list of `?`) whose rows in `table` are not the rows `grams`
/// gives (after its `WITH` clause `pos`): a row missing, one too many, or one under another
/// tenant. The stored and the expected rows are grouped together: a group with rows of one
/// side only is a difference. `GROUP BY` compares as the columns' collation compares, so as
/// the table's key deduplicated the rows when they were written (`INSERT IGNORE`). (One
/// pass: two `EXCEPT`s, each way, took half as long again.)
pub(super) fn stale(table: &str, pos: &str, grams: &str) -> String {
    format!(
        "{pos}, expected AS ({grams}), stored AS (SELECT customer_id AS id, gram, tenant_id \
         FROM {table} WHERE customer_id IN ({{}})) SELECT DISTINCT g.id FROM ( \
         SELECT u.id, MIN(u.side) AS lo, MAX(u.side) AS hi FROM ( \
         SELECT id, gram, tenant_id, 1 AS side FROM stored \
         UNION ALL SELECT id, gram, tenant_id, 2 FROM expected) u \
         GROUP BY u.id, u.gram, u.tenant_id) g WHERE g.lo = g.hi"
    )
}

/// Moves the grams of the customers of WeChat accounts `{}` (a list of `?`) to the tenant
/// their customers now belong to (after an import re-owned them).
pub(crate) const RETENANT: [&str; 2] = [
    "UPDATE customer_name_gram g JOIN customer c ON c.id = g.customer_id \
     SET g.tenant_id = c.tenant_id WHERE c.wechat_user_id IN ({}) AND g.tenant_id <> c.tenant_id",
    "UPDATE customer_phone_gram g JOIN customer c ON c.id = g.customer_id \
     SET g.tenant_id = c.tenant_id WHERE c.wechat_user_id IN ({}) AND g.tenant_id <> c.tenant_id",
];

/// Recomputes the name and phone grams and the pinyin spellings (`super::spellings`) of these
/// customers from their names and phone.
pub(crate) async fn refresh(c: &mut AsyncMysqlConnection, ids: &[i64]) -> QueryResult<()> {
    let names = insert("customer_name_gram", NAME_POS, NAME_GRAMS);
    let phones = insert("customer_phone_gram", PHONE_POS, PHONE_GRAMS);
    run_for_ids(c, &[DELETE, &names, DELETE_PHONE, &phones], ids).await?;
    super::spellings::refresh(c, ids).await
}

/// Those of these customers whose name or phone grams or spellings (`super::spellings`) are
/// not what their names and phone give: what [`refresh`] would change. Reading is cheaper
/// than writing the same rows again, so `scrm refresh` rewrites only these.
pub(crate) async fn stale_of(c: &mut AsyncMysqlConnection, ids: &[i64]) -> QueryResult<Vec<i64>> {
    let mut found = ids_for_ids(c, &stale("customer_name_gram", NAME_POS, NAME_GRAMS), ids).await?;
    found.extend(
        ids_for_ids(
            c,
            &stale("customer_phone_gram", PHONE_POS, PHONE_GRAMS),
            ids,
        )
        .await?,
    );
    found.extend(super::spellings::stale_of(c, ids).await?);
    Ok(unique(found))
}

/// The phone grams of one customer as the seed writes them: every 3-digit substring of its
/// phone digits, distinct (none unless the digits are ASCII digits).
pub fn of_digits(digits: &str) -> Vec<String> {
    let mut grams: Vec<String> = Vec::new();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return grams;
    }
    for w in digits.as_bytes().windows(3) {
        let gram = String::from_utf8_lossy(w).into_owned();
        if !grams.contains(&gram) {
            grams.push(gram);
        }
    }
    grams
}

/// The phone grams that find the customers whose phone digits contain `digits`: none for
/// fewer than three digits (too many customers match to start from them) or for anything but
/// ASCII digits.
pub fn of_phone_needle(digits: &str) -> Option<NeedleGrams> {
    if digits.len() < 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let equal = spread(of_digits(digits));
    Some(NeedleGrams {
        prefix: None,
        equal,
        exact: digits.len() == 3,
    })
}

/// At most [`MAX_EQUAL`] of the grams, spread over the needle (first and last kept).
fn spread(grams: Vec<String>) -> Vec<String> {
    let n = grams.len();
    if n <= MAX_EQUAL {
        return grams;
    }
    (0..MAX_EQUAL)
        .map(|k| grams[k * (n - 1) / (MAX_EQUAL - 1)].clone())
        .collect()
}

/// The grams of one customer's names as the seed writes them: each name's 2-character
/// substrings and its last character, distinct. Distinct here means distinct for ASCII case
/// and trailing spaces, which is what the table's collation also folds for the seed's
/// alphabet (CJK, ASCII letters, digits and `-`); `refresh` (saves and imports) leaves the
/// folding to MariaDB.
pub fn of_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    // The seed calls this for every customer: each gram's folded key is made once.
    let mut grams: Vec<String> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for name in names {
        let chars: Vec<char> = name.chars().collect();
        for i in 0..chars.len() {
            let gram: String = chars[i..chars.len().min(i + 2)].iter().collect();
            let gram = match gram.trim_end_matches(' ') {
                "" => " ",
                trimmed => trimmed,
            };
            let key = gram.to_ascii_lowercase();
            if !keys.contains(&key) {
                keys.push(key);
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
    /// query also keeps the test on the names (`like::TextContains`). Only for needles whose
    /// characters the gram table's collation compares as the lists do ([`decided`]).
    pub exact: bool,
}

/// Most distinct 2-character grams of a long needle looked up (spread over the needle); the
/// `LIKE` on the names decides the rest.
const MAX_EQUAL: usize = 6;

/// Whether `utf8mb4_general_ci` takes `c` for exactly the characters the lists' comparison
/// (lower-cased, then exact) does: an ASCII digit or sign, or a CJK ideograph of the BMP.
/// Not a letter (`e` is also `é` there), nor anything outside the BMP (all one weight).
fn decided(c: char) -> bool {
    (c.is_ascii() && !c.is_ascii_alphabetic())
        || matches!(u32::from(c), 0x3400..=0x4dbf | 0x4e00..=0x9fff)
}

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
            exact: decided(only),
        };
    }
    let mut equal: Vec<String> = Vec::new();
    for pair in chars.windows(2) {
        let gram: String = pair.iter().collect();
        if !equal.contains(&gram) {
            equal.push(gram);
        }
    }
    let equal = spread(equal);
    // Two characters are one gram, compared as the collation compares: exact unless the
    // second is a space (which `=` ignores at the end of a value), or the collation takes a
    // character for others the lists tell apart.
    let exact = chars.len() == 2 && chars[1] != ' ' && chars.iter().all(|&c| decided(c));
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
    fn phones_give_their_three_digit_substrings() {
        assert_eq!(of_digits("13812"), ["138", "381", "812"]);
        assert_eq!(of_digits("11111"), ["111"]);
        assert!(of_digits("12").is_empty());
        assert!(of_digits("１２３").is_empty());
        assert_eq!(
            of_phone_needle("567"),
            Some(NeedleGrams {
                prefix: None,
                equal: vec!["567".into()],
                exact: true
            })
        );
        let four = of_phone_needle("5678").unwrap();
        assert_eq!(four.equal, ["567", "678"]);
        assert!(!four.exact);
        assert_eq!(
            of_phone_needle("13812345678").unwrap().equal.len(),
            MAX_EQUAL
        );
        assert_eq!(of_phone_needle("56"), None);
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
