//! What the writer already knows of one batch before deciding it: on PostgreSQL, one query for
//! every submission id of the batch seen before and every person of it already registered,
//! instead of one round trip per submission. Decisions made while the batch is decided are
//! added as they are made (a submission stored, a person registered or freed), so the second of
//! two items for the same person in one batch is a duplicate exactly as if it had come alone.
//!
//! The batch's new rows are also written together: held here as they are decided and written
//! by [`Known::flush`] in multi-row inserts (one statement for the submissions, one for the
//! persons) at the end of the batch, or before anything that must see them in the store.
//!
//! On SQLite (a local file, no round trips) nothing is fetched ahead or held, and `decide` asks
//! and writes as it goes. The rows have the columns of `decide`'s lookup.

use std::collections::HashMap;

use super::prepare::Prepared;
use crate::hub::places::kiosks::Caller;
use crate::hub::store::db::{Db, DbError, Kind, Param, Row, Value};
use crate::hub::store::submission;

/// What `decide`'s lookup finds for one submission (its rows, by tag).
#[derive(Debug, Default)]
pub struct Found {
    /// Its submission id stored before (tag 0).
    pub seen: Option<Row>,
    /// Its person's first registration (tag 1).
    pub first: Option<Row>,
    /// The live row that holds its reference (tag 2).
    pub holder: Option<Row>,
}

/// The columns of a lookup row (`decide`'s `LOOKUP`, `FETCH`, and the rows [`Known`] makes
/// for decisions made in the batch), named once. The lookup is a `UNION` of three parts whose
/// columns hold a different thing in each part, so they have no one name in the store: they
/// are read at these positions, named by what each part holds there.
pub mod at {
    /// Which part: 0 the id seen before, 1 the person's first registration, 2 the holder of
    /// the reference.
    pub const TAG: usize = 0;
    /// Parts 0 and 2: the kiosk (id) that sent the stored row.
    pub const KIOSK_ID: usize = 1;
    /// Part 0: the stored row's content hash.
    pub const CONTENT_HASH: usize = 2;
    /// Part 0: the stored outcome (JSON).
    pub const OUTCOME: usize = 3;
    /// Part 1: the kiosk reference of the person's first registration.
    pub const FIRST_REFERENCE: usize = 3;
    /// Part 1: the name of the kiosk that made it.
    pub const FIRST_KIOSK: usize = 4;
    /// Part 1: its registration point (the kiosk's name when it has none).
    pub const FIRST_POINT: usize = 5;
    /// Part 2: the submission id of the live row holding the reference.
    pub const HOLDER_ID: usize = 3;
    /// Part 2: its status.
    pub const HOLDER_STATUS: usize = 4;
    /// Part 2: its hub sequence number, as text (NULL when it has none).
    pub const HOLDER_SEQ: usize = 5;
    /// `FETCH` only, after the lookup's columns: the key the row was fetched for.
    pub const KEY: usize = 6;
}

/// The batch's submissions seen before, persons registered and references held, by key.
#[derive(Debug, Default)]
pub struct Known {
    /// The campaign the persons were fetched for (`None`: nothing was fetched).
    campaign: Option<String>,
    seen: HashMap<String, Row>,
    first: HashMap<String, Row>,
    holders: HashMap<String, Row>,
    /// Submissions decided and not yet written: their 17 columns.
    submissions: Vec<Vec<Value>>,
    /// Persons registered and not yet written: campaign, person key, submission id.
    persons: Vec<[String; 3]>,
}

/// Rows written by one multi-row statement at most.
const ROWS_PER_INSERT: usize = 64;

/// `INSERT INTO table (columns) VALUES (?1, …), (…)` for `rows` rows of `width` values.
fn multi_insert(table: &str, columns: &str, width: usize, rows: usize) -> String {
    let mut sql = format!("INSERT INTO {table} ({columns}) VALUES ");
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..width {
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push('?');
            sql.push_str(&(r * width + c + 1).to_string());
        }
        sql.push(')');
    }
    sql
}

pub fn param(v: &Value) -> Param<'_> {
    match v {
        Value::Null => Param::Null,
        Value::Int(n) => Param::Int(*n),
        Value::Text(s) => Param::Text(s),
        Value::Bytes(b) => Param::Bytes(b),
    }
}

const FETCH: &str = "
    SELECT 0, kiosk_id, content_hash, outcome, NULL, NULL, submission_id
    FROM submissions WHERE submission_id = ANY(?1)
    UNION ALL
    SELECT 1, NULL, NULL, s.reference, k.name,
           CASE WHEN k.point = '' THEN k.name ELSE k.point END, p.person_key
    FROM persons p
    JOIN submissions s ON s.submission_id = p.submission_id
    JOIN kiosks k ON k.id = s.kiosk_id
    WHERE p.campaign_id = ?2 AND p.person_key = ANY(?3)
    UNION ALL
    SELECT 2, kiosk_id, NULL, submission_id, status, CAST(hub_seq AS TEXT), reference
    FROM submissions
    WHERE reference = ANY(?4) AND status <> 'rejected' AND superseded_by IS NULL
      AND reference_kept_by IS NULL";

impl Known {
    /// Fetches what the store knows of `items` (on PostgreSQL, for batches of more than one).
    pub fn fetch(db: &mut dyn Db, items: &[Prepared]) -> Result<Known, DbError> {
        let Some(campaign) = items
            .iter()
            .find(|p| p.rejection.is_none())
            .map(|p| p.campaign_id.clone())
        else {
            return Ok(Known::default());
        };
        if db.kind() != Kind::Postgres || items.len() < 2 {
            return Ok(Known::default());
        }
        let ids: Vec<String> = items.iter().map(|p| p.submission_id.to_string()).collect();
        let persons: Vec<String> = items.iter().map(|p| p.person_key.clone()).collect();
        let references: Vec<String> = items.iter().map(|p| p.reference.clone()).collect();
        let mut known = Known {
            campaign: Some(campaign),
            ..Known::default()
        };
        let rows = db.query(
            FETCH,
            &[
                Param::Texts(&ids),
                Param::Text(known.campaign.as_deref().unwrap_or_default()),
                Param::Texts(&persons),
                Param::Texts(&references),
            ],
        )?;
        for mut row in rows {
            let key = row.text(at::KEY)?;
            row.0.truncate(at::KEY);
            let map = match row.int(at::TAG)? {
                0 => &mut known.seen,
                1 => &mut known.first,
                _ => &mut known.holders,
            };
            map.insert(key, row);
        }
        Ok(known)
    }

    /// What is known of `p`; `None` when nothing was fetched for it (ask the store).
    pub fn of(&self, p: &Prepared) -> Option<Found> {
        (self.campaign.as_deref() == Some(p.campaign_id.as_str())).then(|| Found {
            seen: self.seen.get(&p.submission_id.to_string()).cloned(),
            first: self.first.get(&p.person_key).cloned(),
            holder: self.holders.get(&p.reference).cloned(),
        })
    }

    /// Whether new rows are held here to be written together (not on SQLite).
    pub fn holds_rows(&self) -> bool {
        self.campaign.is_some()
    }

    /// Holds a decided submission's row (its columns), and its person's entry when registered.
    pub fn hold(&mut self, columns: Vec<Value>, person: Option<[String; 3]>) {
        self.submissions.push(columns);
        self.persons.extend(person);
    }

    /// Writes every row held, in multi-row inserts (submissions before the persons naming them).
    pub fn flush(&mut self, db: &mut dyn Db) -> Result<(), DbError> {
        for chunk in std::mem::take(&mut self.submissions).chunks(ROWS_PER_INSERT) {
            let width = chunk[0].len();
            let sql = multi_insert(
                "submissions",
                &submission::list(submission::WRITTEN),
                width,
                chunk.len(),
            );
            let params: Vec<Param<'_>> = chunk.iter().flatten().map(param).collect();
            db.execute(&sql, &params)?;
        }
        for chunk in std::mem::take(&mut self.persons).chunks(ROWS_PER_INSERT) {
            let sql = multi_insert(
                "persons",
                "campaign_id, person_key, submission_id",
                3,
                chunk.len(),
            );
            let params: Vec<Param<'_>> = chunk.iter().flatten().map(|s| Param::Text(s)).collect();
            db.execute(&sql, &params)?;
        }
        Ok(())
    }

    /// `p` was stored with `outcome` (its JSON) for `kiosk`.
    pub fn stored(&mut self, p: &Prepared, kiosk: &Caller, outcome: &str) {
        if self.campaign.is_some() {
            self.seen.insert(
                p.submission_id.to_string(),
                Row::from(vec![
                    Value::Int(0),
                    Value::Int(kiosk.id),
                    Value::Bytes(p.content_hash.to_vec()),
                    Value::Text(outcome.to_owned()),
                    Value::Null,
                    Value::Null,
                ]),
            );
        }
    }

    /// `p`'s person was registered by `kiosk` under `p`'s reference.
    pub fn registered(&mut self, p: &Prepared, kiosk: &Caller) {
        if self.campaign.as_deref() == Some(p.campaign_id.as_str()) {
            let point = if kiosk.point.is_empty() {
                &kiosk.name
            } else {
                &kiosk.point
            };
            self.first.insert(
                p.person_key.clone(),
                Row::from(vec![
                    Value::Int(1),
                    Value::Null,
                    Value::Null,
                    Value::Text(p.reference.clone()),
                    Value::Text(kiosk.name.clone()),
                    Value::Text(point.clone()),
                ]),
            );
        }
    }

    /// `p`, stored as submission `id` with live status `status`, holds its reference now.
    pub fn holding(
        &mut self,
        p: &Prepared,
        kiosk: &Caller,
        id: &str,
        status: &str,
        hub_seq: Option<i64>,
    ) {
        if self.campaign.is_some() {
            self.holders.insert(
                p.reference.clone(),
                Row::from(vec![
                    Value::Int(2),
                    Value::Int(kiosk.id),
                    Value::Null,
                    Value::Text(id.to_owned()),
                    Value::Text(status.to_owned()),
                    hub_seq.map_or(Value::Null, |n| Value::Text(n.to_string())),
                ]),
            );
        }
    }

    /// No live row holds `reference` any more (a correction superseded the one that did).
    pub fn released(&mut self, reference: &str) {
        self.holders.remove(reference);
    }

    /// The person `person` of `campaign` is registered no more (a correction freed it).
    pub fn freed(&mut self, campaign: &str, person: &str) {
        if self.campaign.as_deref() == Some(campaign) {
            self.first.remove(person);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn multi_row_inserts_number_every_value() {
        assert_eq!(
            super::multi_insert("t", "a, b", 2, 2),
            "INSERT INTO t (a, b) VALUES (?1, ?2), (?3, ?4)"
        );
    }
}
