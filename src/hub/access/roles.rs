//! Who may read what, and the record of every read of personal data.
//!
//! A token that is not a kiosk's belongs to a person with a [`Role`]: a `viewer` sees the
//! dashboard and the counts (`/v1/stats`, `/metrics`), a `reader` also personal data
//! (`GET /v1/registrations`), limited to the registrations whose address is in its amphoes when
//! it was given any, an `admin` everything. Each read of personal data — a page of
//! `/v1/registrations`, a `hub export` — appends one row to the store's `access_log` (who, when,
//! what, the filter, how many rows), which `hub audit` shows; the table takes no update or
//! delete (triggers).

use serde::Serialize;

use crate::hub::store::db::{Db, DbError, Param};

/// What a person's account may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Role {
    /// The dashboard and the counts only.
    Viewer,
    /// Also personal data (limited to its amphoes when given).
    Reader,
    /// Everything.
    Admin,
}

impl Role {
    /// As stored.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Reader => "reader",
            Role::Admin => "admin",
        }
    }

    /// From the stored word; an unknown one (a newer hub's) is the least, `viewer`.
    #[must_use]
    pub fn parse(stored: &str) -> Role {
        match stored {
            "admin" => Role::Admin,
            "reader" => Role::Reader,
            _ => Role::Viewer,
        }
    }
}

/// What a person's account may read of personal data.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Reach {
    /// The amphoes it is limited to; empty: all.
    pub amphoes: Vec<String>,
}

impl Reach {
    /// From the stored JSON array (an unreadable one limits to nothing readable: no amphoe).
    #[must_use]
    pub fn parse(stored: &str) -> Reach {
        Reach {
            amphoes: serde_json::from_str(stored).unwrap_or_else(|_| vec![String::new()]),
        }
    }

    /// As stored.
    #[must_use]
    pub fn to_stored(&self) -> String {
        serde_json::to_string(&self.amphoes).unwrap_or_else(|_| "[]".into())
    }

    /// Whether a registration in `amphoe` is within reach.
    #[must_use]
    pub fn covers(&self, amphoe: &str) -> bool {
        self.amphoes.is_empty() || self.amphoes.iter().any(|a| a == amphoe)
    }
}

/// One read of personal data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Access {
    pub seq: i64,
    /// Unix milliseconds.
    pub at: i64,
    pub who: String,
    pub what: String,
    pub filter: String,
    pub rows: u64,
}

/// Appends one read of personal data to the access log.
pub fn record(
    db: &mut dyn Db,
    who: &str,
    what: &str,
    filter: &str,
    rows: u64,
    at: i64,
) -> Result<(), DbError> {
    db.execute(
        "INSERT INTO access_log (at, who, what, filter, rows) VALUES (?1, ?2, ?3, ?4, ?5)",
        &[
            at.into(),
            who.into(),
            what.into(),
            filter.into(),
            Param::Int(i64::try_from(rows).unwrap_or(i64::MAX)),
        ],
    )
    .map(|_| ())
}

/// The reads of personal data at or after `since` (Unix ms), oldest first.
pub fn since(db: &mut dyn Db, since: i64) -> Result<Vec<Access>, DbError> {
    db.query(
        "SELECT seq, at, who, what, filter, rows FROM access_log WHERE at >= ?1 ORDER BY seq",
        &[since.into()],
    )?
    .iter()
    .map(|r| {
        Ok(Access {
            seq: r.int("seq")?,
            at: r.int("at")?,
            who: r.text("who")?,
            what: r.text("what")?,
            filter: r.text("filter")?,
            rows: u64::try_from(r.int("rows")?).unwrap_or(0),
        })
    })
    .collect()
}

impl Access {
    /// One line of `hub audit`: the time in Thailand, who, what, the filter, the rows.
    #[must_use]
    pub fn line(&self) -> String {
        let when = chrono::DateTime::from_timestamp_millis(self.at + 7 * 3_600_000)
            .map_or_else(String::new, |t| t.format("%Y-%m-%d %H:%M:%S").to_string());
        let filter = if self.filter.is_empty() {
            "-"
        } else {
            &self.filter
        };
        format!(
            "{when}  {}  {}  {filter}  {} rows",
            self.who, self.what, self.rows
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_and_reach_read_back_as_written() {
        for role in [Role::Viewer, Role::Reader, Role::Admin] {
            assert_eq!(Role::parse(role.as_str()), role);
        }
        assert_eq!(Role::parse("owner"), Role::Viewer, "unknown is least");
        let reach = Reach {
            amphoes: vec!["กระทุ่มแบน".into()],
        };
        let back = Reach::parse(&reach.to_stored());
        assert!(back.covers("กระทุ่มแบน") && !back.covers("บ้านแพ้ว"));
        assert!(Reach::parse("[]").covers("บ้านแพ้ว"), "no amphoe given: all");
        assert!(
            !Reach::parse("garbled").covers("บ้านแพ้ว"),
            "unreadable: none"
        );
    }
}
