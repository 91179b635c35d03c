//! What the writer already knows of one batch before deciding it: on PostgreSQL, one query for
//! every submission id of the batch seen before and every person of it already registered,
//! instead of one round trip per submission. Decisions made while the batch is decided are
//! added as they are made (a submission stored, a person registered or freed), so the second of
//! two items for the same person in one batch is a duplicate exactly as if it had come alone.
//!
//! On SQLite (a local file, no round trips) nothing is fetched ahead and `decide` asks as it
//! goes. The rows have the columns of `decide`'s lookup.

use std::collections::HashMap;

use super::kiosks::Caller;
use super::prepare::Prepared;
use super::store::{Db, DbError, Kind, Param, Row, Value};

/// The batch's submissions seen before and persons registered, by key.
#[derive(Debug, Default)]
pub struct Known {
    /// The campaign the persons were fetched for (`None`: nothing was fetched).
    campaign: Option<String>,
    seen: HashMap<String, Row>,
    first: HashMap<String, Row>,
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
    WHERE p.campaign_id = ?2 AND p.person_key = ANY(?3)";

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
            ],
        )?;
        for mut row in rows {
            let key = row.text(6)?;
            row.0.truncate(6);
            if row.int(0)? == 0 {
                known.seen.insert(key, row);
            } else {
                known.first.insert(key, row);
            }
        }
        Ok(known)
    }

    /// What is known of `p`: (its id seen before, its person's first registration); `None`
    /// when nothing was fetched for it (ask the store).
    pub fn of(&self, p: &Prepared) -> Option<(Option<Row>, Option<Row>)> {
        (self.campaign.as_deref() == Some(p.campaign_id.as_str())).then(|| {
            (
                self.seen.get(&p.submission_id.to_string()).cloned(),
                self.first.get(&p.person_key).cloned(),
            )
        })
    }

    /// `p` was stored with `outcome` (its JSON) for `kiosk`.
    pub fn stored(&mut self, p: &Prepared, kiosk: &Caller, outcome: &str) {
        if self.campaign.is_some() {
            self.seen.insert(
                p.submission_id.to_string(),
                Row(vec![
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
                Row(vec![
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

    /// The person `person` of `campaign` is registered no more (a correction freed it).
    pub fn freed(&mut self, campaign: &str, person: &str) {
        if self.campaign.as_deref() == Some(campaign) {
            self.first.remove(person);
        }
    }
}
