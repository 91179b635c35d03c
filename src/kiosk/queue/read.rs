//! Reading records: the local duplicate check, one record, listing and search for the queue
//! screen and `export`. Each row becomes a typed [`Record`] in [`record`](super::record); the
//! counts for `status` are in [`stats`](super::stats).

use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

use super::record::{COLUMNS, Stored, from_row};
use super::{Queue, QueueError, Record, State};
use crate::core::thai::national_id::{ID_DIGITS, PASSPORT_MIN};

/// Which records [`Queue::list`] returns.
#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    pub state: Option<State>,
    /// Matches the reference (also typed sloppily: `sk01 oo01 x`), the ID number or the normalised
    /// names (substring).
    pub search: Option<String>,
    /// Newest first when true (the queue screen); oldest first otherwise (export).
    pub newest_first: bool,
    pub limit: Option<usize>,
    /// Only records after this sequence number (for paging through a large export).
    pub after_seq: Option<u64>,
}

impl Queue {
    /// The local duplicate check: the earliest live record (not cancelled) of this person for the
    /// campaign, found through the index as soon as the ID is typed.
    pub fn find_person(
        &self,
        campaign_id: &str,
        id_key: &str,
    ) -> Result<Option<Record>, QueueError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM registrations
             WHERE campaign_id = ?1 AND id_key = ?2 AND state != 'cancelled'
             ORDER BY seq LIMIT 1"
        );
        let row = self
            .conn
            .query_row(
                &sql,
                params![campaign_id, self.person_hash(id_key)],
                from_row,
            )
            .optional()
            .map_err(|e| self.err(e))?;
        Ok(row.map(|row| self.opened(row).0))
    }

    /// One record by submission id.
    pub fn get(&self, id: Uuid) -> Result<Option<Record>, QueueError> {
        let sql = format!("SELECT {COLUMNS} FROM registrations WHERE submission_id = ?1");
        let row = self
            .conn
            .query_row(&sql, params![id.to_string()], from_row)
            .optional()
            .map_err(|e| self.err(e))?;
        Ok(row.map(|row| self.opened(row).0))
    }

    /// Records matching `filter`, each with its sequence number (for paging).
    pub fn list(&self, filter: &ListFilter) -> Result<Vec<(Record, u64)>, QueueError> {
        let search = filter
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            // A receipt code read back with the usual slips (o for 0, lower case, no dashes)
            // is searched as the code it is.
            .map(|s| {
                crate::core::refcode::decode(s).map_or_else(|| s.to_owned(), |(code, _)| code)
            });
        // An ID number is found by its keyed hash, with or without a shift.
        let id_hashes = search
            .as_deref()
            .map_or_else(Vec::new, |s| self.id_hashes(s));
        let needle = search.as_deref().map(str::to_lowercase);
        let like = search.map(|s| format!("%{}%", s.replace(['%', '_'], "")));
        // With a shift open the names are searched in the opened copies, after the query.
        let in_copies = like.is_some() && self.shift_open();
        let sql = format!(
            "SELECT {COLUMNS} FROM registrations
             WHERE (?1 IS NULL OR state = ?1)
               AND (?2 IS NULL OR reference LIKE ?2 OR search_text LIKE ?2
                    OR server_reference LIKE ?2 OR id_key IN (?5, ?6)
                    OR (?7 AND shift_sealed IS NOT NULL))
               AND seq > ?3
             ORDER BY seq {} LIMIT ?4",
            if filter.newest_first { "DESC" } else { "ASC" }
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let limit = filter
            .limit
            .map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX));
        let rows = stmt
            .query_map(
                params![
                    filter.state.map(State::as_str),
                    like,
                    filter.after_seq.unwrap_or(0),
                    if in_copies { -1 } else { limit },
                    id_hashes.first(),
                    id_hashes.get(1),
                    in_copies,
                ],
                from_row,
            )
            .map_err(|e| self.err(e))?;
        let rows: Vec<Stored> = rows.collect::<Result<_, _>>().map_err(|e| self.err(e))?;
        let max = usize::try_from(limit).unwrap_or(usize::MAX);
        let mut out = Vec::new();
        for row in rows {
            if out.len() >= max {
                break;
            }
            let (rec, seq, search) = self.opened(row);
            let matches = !in_copies
                || needle.as_deref().is_none_or(|n| {
                    search.to_lowercase().contains(n)
                        || rec.reference.to_lowercase().contains(n)
                        || rec
                            .server_reference
                            .as_deref()
                            .is_some_and(|r| r.to_lowercase().contains(n))
                        || rec.id_key.as_ref().is_some_and(|k| id_hashes.contains(k))
                });
            if matches {
                out.push((rec, seq));
            }
        }
        Ok(out)
    }

    /// The keyed hashes a search may mean: an ID number typed with dashes or spaces, or a
    /// passport number.
    fn id_hashes(&self, search: &str) -> Vec<String> {
        let digits: String = search.chars().filter(char::is_ascii_digit).collect();
        let compact: String = search
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_uppercase();
        let mut out = Vec::new();
        if digits.len() == ID_DIGITS && !search.chars().any(char::is_alphabetic) {
            out.push(self.person_hash(&format!("ID:{digits}")));
        }
        if compact.len() >= PASSPORT_MIN {
            out.push(self.person_hash(&format!("P:{compact}")));
        }
        out
    }
}
