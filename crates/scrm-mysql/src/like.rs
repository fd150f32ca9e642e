//! `LIKE` patterns: "contains" searches match their needle literally, whatever `%`, `_` or
//! the escape character it holds.

use diesel::expression::{
    AppearsOnTable, Expression, SelectableExpression, ValidGrouping, is_aggregate,
};
use diesel::mysql::Mysql;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::result::QueryResult;
use diesel::sql_types::{Bool, Nullable, Text};

/// The escape character of LIKE patterns (not `\`, whose meaning depends on the SQL mode).
pub const LIKE_ESCAPE: char = '!';

/// The escape clause of [`LIKE_ESCAPE`] as [`TextContains`] writes it (diesel's
/// `.escape(LIKE_ESCAPE)` elsewhere); a test keeps the two the same.
const ESCAPE_CLAUSE: &str = " ESCAPE '!'";

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

/// `col` contains a needle (`pattern`, from [`contains`]) as the lists compare text: case
/// does not matter, anything else does (an accent, which emoji). Rendered as
/// `(col LIKE ? ESCAPE '!' AND LOWER(col) COLLATE utf8mb4_bin LIKE LOWER(?) ESCAPE '!')`: the
/// table's `utf8mb4_general_ci` alone also takes `é` for `e` and every character outside the
/// BMP for every other (`😀` found `🎉`), so the second test compares the lower-cased text
/// code point by code point. The first keeps the collation's cheap test in front (and its
/// indexes' plans); the second only sharpens it. What the memory store and the customer
/// index do (lower-case, then compare).
#[derive(Debug, Clone)]
pub(crate) struct TextContains<C> {
    col: C,
    pattern: String,
}

/// See [`TextContains`].
pub(crate) fn text_contains<C>(col: C, pattern: String) -> TextContains<C> {
    TextContains { col, pattern }
}

impl<C: Expression> Expression for TextContains<C> {
    type SqlType = Nullable<Bool>;
}

impl<C, QS> AppearsOnTable<QS> for TextContains<C>
where
    C: AppearsOnTable<QS>,
    Self: Expression,
{
}

impl<C, QS> SelectableExpression<QS> for TextContains<C>
where
    C: SelectableExpression<QS>,
    Self: AppearsOnTable<QS>,
{
}

impl<C, GB> ValidGrouping<GB> for TextContains<C> {
    type IsAggregate = is_aggregate::No;
}

impl<C: QueryFragment<Mysql>> QueryFragment<Mysql> for TextContains<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Mysql>) -> QueryResult<()> {
        out.push_sql("(");
        self.col.walk_ast(out.reborrow())?;
        out.push_sql(" LIKE ");
        out.push_bind_param::<Text, _>(&self.pattern)?;
        out.push_sql(ESCAPE_CLAUSE);
        out.push_sql(" AND LOWER(");
        self.col.walk_ast(out.reborrow())?;
        out.push_sql(") COLLATE utf8mb4_bin LIKE LOWER(");
        out.push_bind_param::<Text, _>(&self.pattern)?;
        out.push_sql(")");
        out.push_sql(ESCAPE_CLAUSE);
        out.push_sql(")");
        Ok(())
    }
}

impl<C> QueryId for TextContains<C> {
    type QueryId = ();
    // Cached by its text (no static id), as diesel caches `IdsIn`.
    const HAS_STATIC_QUERY_ID: bool = false;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_contains_escapes_with_the_same_character() {
        assert_eq!(ESCAPE_CLAUSE, format!(" ESCAPE '{LIKE_ESCAPE}'"));
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(contains("a%b_c!d"), "%a!%b!_c!!d%");
        assert_eq!(contains("王"), "%王%");
    }
}
