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
use diesel::sql_types::Bool;

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
