//! The `submissions` table's row, its columns named once: [`SubmissionRow`] is what a decision
//! writes (its values in [`WRITTEN`] order, for the one-row insert of `decide` and the multi-row
//! insert of `known` alike), [`all`] every column (what `hub migrate-store` copies), and
//! [`Named`] reads a row back by column name against the list that built its `SELECT`.

use super::db::{DbError, Row, Value};

/// The columns a decided submission is written with, in [`SubmissionRow::values`] order.
pub const WRITTEN: &[&str] = &[
    "submission_id",
    "kiosk_id",
    "content_hash",
    "reference",
    "operator",
    "campaign_id",
    "person_key",
    "target_group",
    "status",
    "outcome",
    "hub_seq",
    "waitlist_position",
    "replaces",
    "registration",
    "created_at",
    "received_at",
    "row_seq",
    "unpublished_version",
];

/// The columns later changes set (a correction, a reference kept): never written by a decision.
pub const LATER: &[&str] = &["superseded_by", "reference_kept_by"];

/// Every column of the table: [`WRITTEN`], then [`LATER`].
#[must_use]
pub fn all() -> Vec<&'static str> {
    WRITTEN.iter().chain(LATER).copied().collect()
}

/// `a, b, c` of `columns`, for a statement's column list.
#[must_use]
pub fn list(columns: &[&str]) -> String {
    columns.join(", ")
}

/// `?1, ?2, …` for `n` values.
#[must_use]
pub fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One submission as a decision writes it.
#[derive(Clone, Debug)]
pub struct SubmissionRow {
    pub submission_id: String,
    pub kiosk_id: i64,
    pub content_hash: Vec<u8>,
    pub reference: String,
    pub operator: String,
    pub campaign_id: String,
    pub person_key: String,
    pub target_group: i64,
    pub status: String,
    /// The answer, as JSON.
    pub outcome: String,
    pub hub_seq: Option<i64>,
    pub waitlist_position: Option<i64>,
    pub replaces: Option<String>,
    /// The registration (or a rejected one's bounded copy), as JSON.
    pub registration: String,
    pub created_at: i64,
    pub received_at: i64,
    pub row_seq: i64,
    /// The record's form version when the hub never published it (stored and flagged).
    pub unpublished_version: Option<i64>,
}

impl SubmissionRow {
    /// Its values in [`WRITTEN`] order.
    #[must_use]
    pub fn values(self) -> Vec<Value> {
        let int = |n: Option<i64>| n.map_or(Value::Null, Value::Int);
        vec![
            Value::Text(self.submission_id),
            Value::Int(self.kiosk_id),
            Value::Bytes(self.content_hash),
            Value::Text(self.reference),
            Value::Text(self.operator),
            Value::Text(self.campaign_id),
            Value::Text(self.person_key),
            Value::Int(self.target_group),
            Value::Text(self.status),
            Value::Text(self.outcome),
            int(self.hub_seq),
            int(self.waitlist_position),
            self.replaces.map_or(Value::Null, Value::Text),
            Value::Text(self.registration),
            Value::Int(self.created_at),
            Value::Int(self.received_at),
            Value::Int(self.row_seq),
            int(self.unpublished_version),
        ]
    }
}

/// A row read by column name, against the names of the `SELECT` it came from.
pub struct Named<'a> {
    row: &'a Row,
    columns: &'a [&'a str],
}

impl<'a> Named<'a> {
    #[must_use]
    pub fn new(row: &'a Row, columns: &'a [&'a str]) -> Self {
        Self { row, columns }
    }

    fn at(&self, name: &str) -> Result<usize, DbError> {
        self.columns
            .iter()
            .position(|c| *c == name)
            .ok_or_else(|| DbError::Decode(format!("no column {name} in the query")))
    }

    pub fn int(&self, name: &str) -> Result<i64, DbError> {
        self.row.int(self.at(name)?)
    }

    pub fn opt_int(&self, name: &str) -> Result<Option<i64>, DbError> {
        self.row.opt_int(self.at(name)?)
    }

    pub fn text(&self, name: &str) -> Result<String, DbError> {
        self.row.text(self.at(name)?)
    }

    pub fn opt_text(&self, name: &str) -> Result<Option<String>, DbError> {
        self.row.opt_text(self.at(name)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_written_columns_are_the_tables_first_and_a_row_gives_one_value_each() {
        assert_eq!(&all()[..WRITTEN.len()], WRITTEN);
        let row = SubmissionRow {
            submission_id: "id".into(),
            kiosk_id: 1,
            content_hash: vec![0],
            reference: "SK01-0001-X".into(),
            operator: String::new(),
            campaign_id: "c".into(),
            person_key: "p".into(),
            target_group: 1,
            status: "accepted".into(),
            outcome: "{}".into(),
            hub_seq: Some(1),
            waitlist_position: None,
            replaces: None,
            registration: "{}".into(),
            created_at: 0,
            received_at: 0,
            row_seq: 1,
            unpublished_version: None,
        };
        assert_eq!(row.values().len(), WRITTEN.len());
        let read = Row::from(vec![Value::Int(7), Value::Text("x".into())]);
        let named = Named::new(&read, &["row_seq", "reference"]);
        assert_eq!(named.int("row_seq").unwrap(), 7);
        assert_eq!(named.text("reference").unwrap(), "x");
        assert!(named.text("status").is_err());
    }
}
