//! How the dialects render a statement: sea-query's own builder for the engine (`base`), with
//! what every search needs from SQL whatever the engine:
//!
//! * **explicit NULL ordering** on every ORDER BY item: `ASC NULLS FIRST`, `DESC NULLS LAST`
//!   (SQLite's own order, which PostgreSQL reverses), so that NULLs sort alike on every engine;
//! * optionally, **typed placeholders**: each bound value as `CAST($n AS <type of the value>)`,
//!   so an engine that infers parameter types from their context (PostgreSQL) takes the type
//!   from the value, as SQLite does (`int_column > 2.5` compares as a real; a driver binds an
//!   `i64` to `BIGINT` whatever the column's width);
//! * optionally, **division by zero is NULL** (`x / NULLIF(y, 0)`), as in SQLite, where
//!   PostgreSQL would fail the whole query.
//!
//! Everything else is the base builder's: quoting, escaping, operators, function names,
//! placeholders. Only a statement's own ORDER BY, values and divisions are rendered here; the
//! compiler never nests statements inside expressions, only in FROM, which renders through
//! this builder too.

use std::fmt::Write;

use sea_query::{
    BinOper, EscapeBuilder, ExplainStatement, Expr, Func, OperLeftAssocDecider, OrderExpr,
    PrecedenceDecider, QueryBuilder, Quote, QuotedBuilder, SelectDistinct, SelectInto,
    SelectStatement, SqlWriter, SubQueryStatement, TableRefBuilder, UnionType, Value,
};

/// A base builder with the search's rendering rules.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Render<B> {
    base: B,
    /// Wrap each bound value in a cast to its type.
    typed_values: bool,
    /// Render `a / b` as `(a) / NULLIF(b, 0)`.
    null_on_division_by_zero: bool,
}

impl Render<sea_query::SqliteQueryBuilder> {
    pub(crate) fn sqlite() -> Self {
        Render {
            base: sea_query::SqliteQueryBuilder,
            typed_values: false,
            // SQLite's own division by zero is NULL.
            null_on_division_by_zero: false,
        }
    }
}

impl Render<sea_query::PostgresQueryBuilder> {
    pub(crate) fn postgres() -> Self {
        Render {
            base: sea_query::PostgresQueryBuilder,
            typed_values: true,
            null_on_division_by_zero: true,
        }
    }
}

/// The SQL type a bound value is cast to (standard names every PostgreSQL-compatible engine
/// knows), or `None` to leave it uncast.
fn value_type(value: &Value) -> Option<&'static str> {
    Some(match value {
        Value::Bool(_) => "BOOLEAN",
        Value::TinyInt(_)
        | Value::SmallInt(_)
        | Value::Int(_)
        | Value::BigInt(_)
        | Value::TinyUnsigned(_)
        | Value::SmallUnsigned(_)
        | Value::Unsigned(_)
        | Value::BigUnsigned(_) => "BIGINT",
        Value::Float(_) | Value::Double(_) => "DOUBLE PRECISION",
        Value::String(_) | Value::Char(_) => "TEXT",
        _ => return None,
    })
}

impl<B: QuotedBuilder> QuotedBuilder for Render<B> {
    fn quote(&self) -> Quote {
        self.base.quote()
    }
}

impl<B: EscapeBuilder> EscapeBuilder for Render<B> {
    fn needs_escape(&self, s: &str) -> bool {
        self.base.needs_escape(s)
    }

    fn write_escaped(&self, buffer: &mut impl Write, string: &str) {
        self.base.write_escaped(buffer, string)
    }

    fn unescape_string(&self, string: &str) -> String {
        self.base.unescape_string(string)
    }
}

impl<B: QuotedBuilder> TableRefBuilder for Render<B> {}

impl<B: OperLeftAssocDecider> OperLeftAssocDecider for Render<B> {
    fn well_known_left_associative(&self, op: &BinOper) -> bool {
        self.base.well_known_left_associative(op)
    }
}

impl<B: PrecedenceDecider> PrecedenceDecider for Render<B> {
    fn inner_expr_well_known_greater_precedence(
        &self,
        inner: &Expr,
        outer_oper: &sea_query::Oper,
    ) -> bool {
        self.base
            .inner_expr_well_known_greater_precedence(inner, outer_oper)
    }
}

impl<B: QueryBuilder> QueryBuilder for Render<B> {
    // The base's own choices (leaves: they write text and do not render sub-expressions).

    fn placeholder(&self) -> (&'static str, bool) {
        self.base.placeholder()
    }

    fn prepare_select_distinct(&self, select_distinct: &SelectDistinct, sql: &mut impl SqlWriter) {
        self.base.prepare_select_distinct(select_distinct, sql)
    }

    fn prepare_select_into(&self, into_table: &SelectInto, sql: &mut impl SqlWriter) {
        self.base.prepare_select_into(into_table, sql)
    }

    fn prepare_select_lock(&self, lock: &sea_query::LockClause, sql: &mut impl SqlWriter) {
        self.base.prepare_select_lock(lock, sql)
    }

    fn prepare_table_sample(&self, select: &SelectStatement, sql: &mut impl SqlWriter) {
        self.base.prepare_table_sample(select, sql)
    }

    fn prepare_bin_oper(&self, bin_oper: &BinOper, sql: &mut impl SqlWriter) {
        self.base.prepare_bin_oper(bin_oper, sql)
    }

    fn prepare_sub_query_oper(&self, oper: &sea_query::SubQueryOper, sql: &mut impl SqlWriter) {
        self.base.prepare_sub_query_oper(oper, sql)
    }

    fn prepare_function_name(&self, function: &Func, sql: &mut impl SqlWriter) {
        self.base.prepare_function_name(function, sql)
    }

    fn write_value(&self, buf: &mut impl Write, value: &Value) -> std::fmt::Result {
        self.base.write_value(buf, value)
    }

    fn write_string_quoted(&self, string: &str, buffer: &mut impl Write) {
        self.base.write_string_quoted(string, buffer)
    }

    fn write_bytes(&self, bytes: &[u8], buffer: &mut impl Write) {
        self.base.write_bytes(bytes, buffer)
    }

    fn if_null_function(&self) -> &str {
        self.base.if_null_function()
    }

    fn greatest_function(&self) -> &str {
        self.base.greatest_function()
    }

    fn least_function(&self) -> &str {
        self.base.least_function()
    }

    fn char_length_function(&self) -> &str {
        self.base.char_length_function()
    }

    // Statements inside expressions, UNION and EXPLAIN: the compiler writes none of them; they
    // render as the base renders them.

    fn prepare_query_statement(&self, query: &SubQueryStatement, sql: &mut impl SqlWriter) {
        self.base.prepare_query_statement(query, sql)
    }

    fn prepare_union_statement(
        &self,
        union_type: UnionType,
        select_statement: &SelectStatement,
        sql: &mut impl SqlWriter,
    ) {
        self.base
            .prepare_union_statement(union_type, select_statement, sql)
    }

    fn prepare_explain_statement(&self, explain: &ExplainStatement, sql: &mut impl SqlWriter) {
        self.base.prepare_explain_statement(explain, sql)
    }

    // The search's rules.

    fn prepare_value(&self, value: Value, sql: &mut impl SqlWriter) {
        match value_type(&value).filter(|_| self.typed_values) {
            Some(ty) => {
                sql.write_str("CAST(").unwrap();
                sql.push_param(value, self);
                write!(sql, " AS {ty})").unwrap();
            }
            None => sql.push_param(value, self),
        }
    }

    /// `ASC NULLS FIRST` / `DESC NULLS LAST` (the default `prepare_order_expr` writes the
    /// expression, then this).
    fn prepare_order(&self, order_expr: &OrderExpr, sql: &mut impl SqlWriter) {
        let mut direction = String::new();
        self.base.prepare_order(order_expr, &mut direction);
        sql.write_str(&direction).unwrap();
        match direction.trim() {
            "ASC" => sql.write_str(" NULLS FIRST").unwrap(),
            "DESC" => sql.write_str(" NULLS LAST").unwrap(),
            _ => {}
        }
    }

    fn prepare_expr(&self, simple_expr: &Expr, sql: &mut impl SqlWriter) {
        match simple_expr {
            Expr::Binary(left, BinOper::Div, right) if self.null_on_division_by_zero => {
                // Still a division at the top, so the enclosing expression's parentheses
                // (decided from the operator) stay right.
                sql.write_str("(").unwrap();
                self.prepare_expr(left, sql);
                sql.write_str(") / NULLIF(").unwrap();
                self.prepare_expr(right, sql);
                sql.write_str(", 0)").unwrap();
            }
            _ => self.prepare_expr_common(simple_expr, sql),
        }
    }
}
