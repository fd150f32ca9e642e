//! SQL expressions diesel lacks for MySQL: `Either`, one of two boolean expressions chosen at
//! run time with a single static type (so a scope predicate, `tenant_id = ?` or
//! `admin_user_id = ?`, fits plain and boxed queries alike), and `NewValue`, the `VALUES(col)`
//! of `INSERT ... ON DUPLICATE KEY UPDATE` (diesel's `excluded` renders PostgreSQL syntax only).

use diesel::Column;
use diesel::expression::is_aggregate;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::mysql::Mysql;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::result::QueryResult;
use diesel::sql_types::{BigInt, Bool};

/// `L` or `R`, rendered as the one chosen.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Either<L, R> {
    Left(L),
    Right(R),
}

impl<L, R> Expression for Either<L, R>
where
    L: Expression<SqlType = Bool>,
    R: Expression<SqlType = Bool>,
{
    type SqlType = Bool;
}

impl<L, R, QS> AppearsOnTable<QS> for Either<L, R>
where
    L: AppearsOnTable<QS>,
    R: AppearsOnTable<QS>,
    Self: Expression,
{
}

impl<L, R, QS> SelectableExpression<QS> for Either<L, R>
where
    L: SelectableExpression<QS>,
    R: SelectableExpression<QS>,
    Self: AppearsOnTable<QS>,
{
}

impl<L, R, GB> ValidGrouping<GB> for Either<L, R>
where
    L: ValidGrouping<GB, IsAggregate = is_aggregate::No>,
    R: ValidGrouping<GB, IsAggregate = is_aggregate::No>,
{
    type IsAggregate = is_aggregate::No;
}

impl<L, R> QueryFragment<Mysql> for Either<L, R>
where
    L: QueryFragment<Mysql>,
    R: QueryFragment<Mysql>,
{
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, Mysql>) -> QueryResult<()> {
        match self {
            Self::Left(l) => l.walk_ast(out),
            Self::Right(r) => r.walk_ast(out),
        }
    }
}

impl<L, R> QueryId for Either<L, R> {
    type QueryId = ();
    // The SQL differs between the variants of one type: never cache by type.
    const HAS_STATIC_QUERY_ID: bool = false;
}

/// `VALUES(col)`: the value an `INSERT ... ON DUPLICATE KEY UPDATE` tried to insert.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NewValue<C>(pub C);

impl<C: Column> Expression for NewValue<C> {
    type SqlType = C::SqlType;
}

impl<C: Column> AppearsOnTable<C::Table> for NewValue<C> {}

impl<C: Column> SelectableExpression<C::Table> for NewValue<C> {}

impl<C: Column, GB> ValidGrouping<GB> for NewValue<C> {
    type IsAggregate = is_aggregate::No;
}

impl<C: Column> QueryFragment<Mysql> for NewValue<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Mysql>) -> QueryResult<()> {
        out.push_sql("VALUES(");
        out.push_identifier(C::NAME)?;
        out.push_sql(")");
        Ok(())
    }
}

impl<C> QueryId for NewValue<C> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

/// `col = VALUES(col)`, for the update list of an upsert.
pub(crate) fn renew<C>(col: C) -> diesel::dsl::Eq<C, NewValue<C>>
where
    C: Column + Copy + diesel::ExpressionMethods,
    C::SqlType: diesel::sql_types::SqlType + diesel::expression::TypedExpressionType,
{
    col.eq(NewValue(col))
}

/// `col IN (?, ..)` over ids that diesel can cache as a prepared statement.
///
/// diesel never caches a statement holding an `eq_any` list (its length varies), so every
/// page of customers prepared, ran and closed its four record statements each time: two round
/// trips and a parse each. This fragment leaves the statement cacheable by its text (it has no
/// static query id) and pads the list with its last id to a power of two (at most
/// [`IN_CHUNK`](crate::id_lists::IN_CHUNK) unless the list is longer), so a connection holds
/// a few texts per statement. Repeating an id changes nothing in an `IN`.
#[derive(Debug, Clone)]
pub(crate) struct IdsIn<C> {
    col: C,
    ids: Vec<i64>,
}

/// `col IN (ids)`, padded; an empty list matches nothing.
pub(crate) fn ids_in<C>(col: C, ids: &[i64]) -> IdsIn<C> {
    let mut padded = ids.to_vec();
    if let Some(&last) = ids.last() {
        let len = ids
            .len()
            .next_power_of_two()
            .min(crate::id_lists::IN_CHUNK.max(ids.len()));
        padded.resize(len, last);
    }
    IdsIn { col, ids: padded }
}

impl<C> Expression for IdsIn<C> {
    type SqlType = Bool;
}

impl<C, QS> AppearsOnTable<QS> for IdsIn<C> where C: AppearsOnTable<QS> {}

impl<C, QS> SelectableExpression<QS> for IdsIn<C> where C: SelectableExpression<QS> {}

impl<C, GB> ValidGrouping<GB> for IdsIn<C>
where
    C: ValidGrouping<GB>,
{
    type IsAggregate = C::IsAggregate;
}

impl<C> QueryFragment<Mysql> for IdsIn<C>
where
    C: QueryFragment<Mysql>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Mysql>) -> QueryResult<()> {
        if self.ids.is_empty() {
            out.push_sql("1 = 0");
            return Ok(());
        }
        self.col.walk_ast(out.reborrow())?;
        out.push_sql(" IN (");
        for (i, id) in self.ids.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            out.push_bind_param::<BigInt, i64>(id)?;
        }
        out.push_sql(")");
        Ok(())
    }
}

impl<C> QueryId for IdsIn<C> {
    type QueryId = ();
    // Lists of different lengths are different statements: cache by text, never by type.
    const HAS_STATIC_QUERY_ID: bool = false;
}

#[cfg(test)]
mod tests {
    use diesel::debug_query;
    use diesel::prelude::*;

    use super::ids_in;
    use crate::schema::customer;

    fn sql(ids: &[i64]) -> String {
        debug_query::<diesel::mysql::Mysql, _>(
            &customer::table
                .filter(ids_in(customer::id, ids))
                .select(customer::id),
        )
        .to_string()
    }

    #[test]
    fn lists_are_padded_to_a_power_of_two_with_the_last_id() {
        let three = sql(&[7, 8, 9]);
        assert!(three.contains("`customer`.`id` IN (?, ?, ?, ?)"), "{three}");
        assert!(three.ends_with("binds: [7, 8, 9, 9]"), "{three}");
        assert!(sql(&[1]).contains("IN (?)"));
        let many: Vec<i64> = (0..1000).collect();
        assert_eq!(sql(&many).matches('?').count(), 1000);
        let more: Vec<i64> = (0..1001).collect();
        assert_eq!(sql(&more).matches('?').count(), 1001);
        assert!(sql(&[]).contains("WHERE 1 = 0"), "{}", sql(&[]));
    }

    #[test]
    fn id_lists_stay_cacheable_and_uncached_parts_do_not() {
        use diesel::query_builder::QueryFragment;
        let backend = diesel::mysql::Mysql;
        let listed = customer::table
            .filter(ids_in(customer::id, &[1, 2, 3]))
            .select(customer::id);
        assert!(
            QueryFragment::<diesel::mysql::Mysql>::is_safe_to_cache_prepared(&listed, &backend)
                .unwrap()
        );
        let eq_any = customer::table
            .filter(customer::id.eq_any([1_i64, 2, 3]))
            .select(customer::id);
        assert!(
            !QueryFragment::<diesel::mysql::Mysql>::is_safe_to_cache_prepared(&eq_any, &backend)
                .unwrap()
        );
        let uncached = customer::table
            .filter(super::Uncached(customer::id.lt(5_i64)))
            .select(customer::id);
        assert!(
            !QueryFragment::<diesel::mysql::Mysql>::is_safe_to_cache_prepared(&uncached, &backend)
                .unwrap()
        );
    }
}

/// An expression whose statement is prepared anew on every execution.
///
/// MariaDB 10.11 re-executing a cached prepared statement that holds the export's keyset
/// condition (`create_time < ? OR (create_time = ? AND id < ?)` under `ORDER BY create_time
/// DESC, id DESC LIMIT ?`) was seen to ignore the cursor as a range bound: the second run of
/// the statement on a connection walked the index from the newest row down to the cursor, so
/// an export read its tenant's index quadratically (23 million index reads for 294,000 rows).
/// The first execution of a fresh statement uses the range, so this one is never cached.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Uncached<T>(pub T);

impl<T: Expression> Expression for Uncached<T> {
    type SqlType = T::SqlType;
}

impl<T, QS> AppearsOnTable<QS> for Uncached<T> where T: AppearsOnTable<QS> {}

impl<T, QS> SelectableExpression<QS> for Uncached<T> where T: SelectableExpression<QS> {}

impl<T, GB> ValidGrouping<GB> for Uncached<T>
where
    T: ValidGrouping<GB>,
{
    type IsAggregate = T::IsAggregate;
}

impl<T: QueryFragment<Mysql>> QueryFragment<Mysql> for Uncached<T> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Mysql>) -> QueryResult<()> {
        out.unsafe_to_cache_prepared();
        self.0.walk_ast(out)
    }
}

impl<T> QueryId for Uncached<T> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}
