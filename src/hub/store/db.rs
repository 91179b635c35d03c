//! The store's one interface, [`Db`], whichever backend is behind it: statements with numbered
//! parameters ([`Param`]), rows of values ([`Row`]), errors sorted by what to do about them.

use crate::core::sqlite::Failure;

/// Which dialect a [`Db`] speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// A statement parameter.
#[derive(Clone, Copy, Debug)]
pub enum Param<'a> {
    Null,
    Int(i64),
    Text(&'a str),
    Bytes(&'a [u8]),
    /// A list of texts (PostgreSQL's `text[]`, for `= ANY(…)`); SQLite has none.
    Texts(&'a [String]),
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(s: &'a str) -> Self {
        Param::Text(s)
    }
}

impl<'a> From<&'a String> for Param<'a> {
    fn from(s: &'a String) -> Self {
        Param::Text(s)
    }
}

impl From<i64> for Param<'_> {
    fn from(n: i64) -> Self {
        Param::Int(n)
    }
}

impl From<u8> for Param<'_> {
    fn from(n: u8) -> Self {
        Param::Int(i64::from(n))
    }
}

impl From<bool> for Param<'_> {
    fn from(b: bool) -> Self {
        Param::Int(i64::from(b))
    }
}

impl<'a> From<&'a [u8]> for Param<'a> {
    fn from(b: &'a [u8]) -> Self {
        Param::Bytes(b)
    }
}

impl<'a, T: Into<Param<'a>>> From<Option<T>> for Param<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Param::Null, Into::into)
    }
}

/// A value read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
    Bytes(Vec<u8>),
}

/// The names of a query's columns, as the store reports them (an expression's name is its
/// alias: give every expression read by name an `AS`), shared by the query's rows.
pub type Columns = std::sync::Arc<[String]>;

/// One row read back: its values in column order and the names of its query's columns. A
/// column is read by name (`row.int("seq")`) or, where a row is made by hand or a query's
/// columns have no single name (a `UNION` of differing parts), by position.
#[derive(Clone, Debug, Default)]
pub struct Row(pub Vec<Value>, Columns);

impl From<Vec<Value>> for Row {
    /// A row made by hand: its columns have no names.
    fn from(values: Vec<Value>) -> Self {
        Row(values, Columns::default())
    }
}

/// Which column of a [`Row`] to read: its name (`&str`) or its position (`usize`).
pub trait Column: Copy + std::fmt::Display {
    /// Its position among `names`, if the row has it.
    fn position(self, names: &[String]) -> Option<usize>;
}

impl Column for usize {
    fn position(self, _: &[String]) -> Option<usize> {
        Some(self)
    }
}

impl Column for &str {
    fn position(self, names: &[String]) -> Option<usize> {
        names.iter().position(|n| n == self)
    }
}

impl Row {
    /// A row of a query whose columns are `names`.
    #[must_use]
    pub fn named(values: Vec<Value>, names: Columns) -> Self {
        Row(values, names)
    }

    fn at(&self, c: impl Column) -> Result<&Value, DbError> {
        c.position(&self.1)
            .and_then(|i| self.0.get(i))
            .ok_or_else(|| {
                DbError::Decode(format!(
                    "no column {c} in the query's row (its columns: {})",
                    if self.1.is_empty() {
                        format!("{} unnamed", self.0.len())
                    } else {
                        self.1.join(", ")
                    }
                ))
            })
    }

    /// An integer column (NULL is an error).
    pub fn int(&self, c: impl Column) -> Result<i64, DbError> {
        self.opt_int(c)?
            .ok_or_else(|| DbError::Decode(format!("column {c} is NULL")))
    }

    /// An integer column that may be NULL.
    pub fn opt_int(&self, c: impl Column) -> Result<Option<i64>, DbError> {
        match self.at(c)? {
            Value::Int(n) => Ok(Some(*n)),
            Value::Null => Ok(None),
            other => Err(DbError::Decode(format!(
                "column {c}: {other:?} is not a number"
            ))),
        }
    }

    /// A count (negative values read as 0).
    pub fn count(&self, c: impl Column) -> Result<u64, DbError> {
        Ok(self.int(c)?.max(0) as u64)
    }

    /// A text column (NULL is an error).
    pub fn text(&self, c: impl Column) -> Result<String, DbError> {
        self.opt_text(c)?
            .ok_or_else(|| DbError::Decode(format!("column {c} is NULL")))
    }

    /// A text column that may be NULL.
    pub fn opt_text(&self, c: impl Column) -> Result<Option<String>, DbError> {
        match self.at(c)? {
            Value::Text(s) => Ok(Some(s.clone())),
            Value::Null => Ok(None),
            other => Err(DbError::Decode(format!(
                "column {c}: {other:?} is not text"
            ))),
        }
    }

    /// A bytes column.
    pub fn bytes(&self, c: impl Column) -> Result<Vec<u8>, DbError> {
        match self.at(c)? {
            Value::Bytes(b) => Ok(b.clone()),
            other => Err(DbError::Decode(format!(
                "column {c}: {other:?} is not bytes"
            ))),
        }
    }

    /// A 0/1 (or boolean) column.
    pub fn flag(&self, c: impl Column) -> Result<bool, DbError> {
        Ok(self.int(c)? != 0)
    }
}

/// A failure of one store operation.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error("{}", super::pg_error::describe(.0))]
    Postgres(#[from] ::postgres::Error),
    #[error("unexpected stored value: {0}")]
    Decode(String),
}

impl DbError {
    /// What a person can do about it.
    #[must_use]
    pub fn failure(&self) -> Failure {
        match self {
            DbError::Sqlite(e) => crate::core::sqlite::classify(e),
            DbError::Postgres(e) => super::pg_error::classify(e),
            DbError::Decode(d) => Failure::Corrupt(d.clone()),
        }
    }

    /// A JSON text in the store that does not parse.
    pub fn json(err: &serde_json::Error) -> Self {
        DbError::Decode(format!("stored JSON: {err}"))
    }
}

/// One connection to the store, of either backend.
pub trait Db: Send {
    /// The dialect, for the few statements that differ.
    fn kind(&self) -> Kind;
    /// Runs one statement; how many rows it changed.
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, DbError>;
    /// Runs one query; its rows.
    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, DbError>;
    /// Runs statements without parameters (transaction control, DDL).
    fn batch(&mut self, sql: &str) -> Result<(), DbError>;
    /// The connection is gone (the server went away) and must be opened again.
    fn broken(&self) -> bool;

    /// The first row of a query, if any.
    fn query_opt(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Option<Row>, DbError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// The one row of a query (none is an error).
    fn query_one(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Row, DbError> {
        self.query_opt(sql, params)?
            .ok_or_else(|| DbError::Decode("a query that returns one row returned none".into()))
    }

    /// Starts the writer's transaction: on PostgreSQL it also waits for the store-wide write lock
    /// that orders every hub process's decisions, so what one commit reads is everything
    /// committed before it.
    fn begin_write(&mut self) -> Result<(), DbError> {
        match self.kind() {
            Kind::Sqlite => self.batch("BEGIN IMMEDIATE"),
            Kind::Postgres => {
                self.batch("BEGIN ISOLATION LEVEL READ COMMITTED")?;
                self.query(
                    "SELECT pg_advisory_xact_lock(?1)",
                    &[Param::Int(WRITE_LOCK)],
                )
                .map(|_| ())
            }
        }
    }
}

/// The PostgreSQL advisory lock key of the writers' decisions ("rjwrite").
pub const WRITE_LOCK: i64 = 0x0072_6a77_7269_7465;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_is_read_by_name_or_position_and_a_missing_name_is_named() {
        let row = Row::named(
            vec![Value::Int(7), Value::Text("x".into())],
            ["seq", "reference"].map(String::from).into(),
        );
        assert_eq!(row.int("seq").unwrap(), 7);
        assert_eq!(row.text("reference").unwrap(), "x");
        assert_eq!(row.int(0).unwrap(), 7);
        let missing = row.text("status").unwrap_err().to_string();
        assert!(missing.contains("no column status"), "{missing}");
        assert!(missing.contains("seq, reference"), "{missing}");
        let by_hand = Row::from(vec![Value::Null]);
        assert!(by_hand.int("seq").is_err());
        assert_eq!(by_hand.opt_int(0).unwrap(), None);
    }
}
