//! The site's list a check-in kiosk works from offline (issue 33, part 4), as last downloaded
//! (`GET /v1/site/list`); each download replaces the one before ([`Queue::store_site_list`]).
//!
//! Kept like the queue's records: each of the site's own people's details (the hub's
//! `ListedPerson` as JSON, with the security code) sealed to the shift's public key, so storing
//! needs no PIN and reading needs an open shift; beside them plain columns to look a person up
//! and say where and when with no PIN (reference, the person's keyed hash under the list's own
//! key, site, day, slot, state, when vaccinated). The list's facts (its hash key, site, days,
//! when it was made and downloaded) are one JSON value in `kiosk_meta`; the site the hub says
//! this kiosk is for (`CampaignStatus::site_id`) is another. Everything from the hub is data:
//! made safe and bounded before it is stored. Looking a person up is `arrival`; doses `doses`.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::appointment::{clean, plain, valid_code};
use super::write::begin;
use super::{PinError, Queue, QueueError};
use crate::core::protocol::{Appointment, ListedPerson, SiteList};
use crate::core::refcode;
use crate::core::seal;

/// The meta key of the list's facts ([`Kept`], JSON).
const LIST_META: &str = "site_list";
/// The meta key of the site this kiosk checks people in for, as the hub last said.
const SITE_META: &str = "site_id";
/// The longest name or id kept, in characters.
const MAX_TEXT: usize = 200;

/// What the kiosk holds of its site's list, for the screen, `status` and `flush`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SiteListInfo {
    pub site_id: String,
    pub site_name_th: String,
    pub site_name_en: String,
    /// The days the list covers, ISO, first and last included.
    pub first_day: String,
    pub last_day: String,
    /// When the hub made it, and when this kiosk downloaded it (Unix ms).
    pub generated_at: i64,
    pub downloaded_at: i64,
    /// The site's own people on it, and everyone else listed (without details).
    pub people: usize,
    pub elsewhere: usize,
    /// Doses recorded here the hub has not answered yet.
    pub doses_pending: usize,
}

/// The list's facts as kept in `kiosk_meta`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct Kept {
    pub site_id: String,
    pub site_name_th: String,
    pub site_name_en: String,
    pub first_day: String,
    pub last_day: String,
    pub generated_at: i64,
    pub downloaded_at: i64,
    /// The key of the entries' person hashes (base64 of 32 bytes).
    pub person_hash_key: String,
}

impl Kept {
    /// The key of the entries' person hashes.
    pub fn hash_key(&self) -> Option<[u8; 32]> {
        seal::from_b64(&self.person_hash_key).and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
    }
}

/// Today's date in Thailand (UTC+7), ISO, at Unix ms `now_ms`: the day a site's list and its
/// appointments are in, counted by the hub's own function.
pub use crate::core::thai::date::thai_today_iso as today_iso;

/// The associated data of the details of the list's entry `reference`.
fn details_aad(reference: &str) -> Vec<u8> {
    format!("ruamjai site list;reference={reference}").into_bytes()
}

/// A reference as the kiosk keeps and looks it up: the canonical form when it decodes.
pub(super) fn canonical_reference(reference: &str) -> String {
    refcode::decode(reference).map_or_else(|| clean(reference, 40).to_uppercase(), |(c, _)| c)
}

/// A listed person made safe to keep and show, the security code kept only when it is one.
fn cleaned(p: &ListedPerson) -> ListedPerson {
    let mut appointment = plain(&p.appointment);
    appointment.security_code = p
        .appointment
        .security_code
        .as_deref()
        .and_then(valid_code)
        .map(str::to_owned);
    ListedPerson {
        reference: canonical_reference(&p.reference),
        person_hash: clean(&p.person_hash, 128),
        title: clean(&p.title, 100),
        first_name: clean(&p.first_name, MAX_TEXT),
        last_name: clean(&p.last_name, MAX_TEXT),
        id_tail: clean(&p.id_tail, 8),
        birth_date: p.birth_date.as_deref().map(|d| clean(d, 10)),
        target_group: p.target_group,
        appointment,
    }
}

/// One entry as stored: reference, person hash, whether it is this site's own, the appointment
/// (no code) and the sealed details.
struct Entry {
    reference: String,
    person_hash: String,
    here: bool,
    appointment: Appointment,
    details: Option<Vec<u8>>,
}

impl Queue {
    /// Keeps `list` (downloaded at `now_ms`) in place of the one before, in one transaction:
    /// each own person's details sealed to the shift's public key (no PIN needed, but one must
    /// be set), the lookup columns plain. Doses recorded here stay, and their people stay
    /// vaccinated on the new list even before the hub has them.
    pub fn store_site_list(
        &mut self,
        list: &SiteList,
        now_ms: i64,
    ) -> Result<SiteListInfo, QueueError> {
        let kept = Kept {
            site_id: clean(&list.site_id, MAX_TEXT),
            site_name_th: clean(&list.site_name_th, MAX_TEXT),
            site_name_en: clean(&list.site_name_en, MAX_TEXT),
            first_day: clean(&list.first_day, 10),
            last_day: clean(&list.last_day, 10),
            generated_at: list.generated_at,
            downloaded_at: now_ms,
            person_hash_key: list.person_hash_key.trim().to_owned(),
        };
        if kept.hash_key().is_none() {
            return Err(QueueError::BadList(
                "its key of the person hashes is not 32 bytes of base64".into(),
            ));
        }
        let mut entries = Vec::with_capacity(list.people.len() + list.elsewhere.len());
        {
            let sealer = self.keys.shift_sealer()?.ok_or(PinError::NotSet)?;
            for person in &list.people {
                let person = cleaned(person);
                let json = serde_json::to_vec(&person).unwrap_or_default();
                let details = sealer
                    .seal(&details_aad(&person.reference), &json)
                    .map_err(super::sealing::fail)?;
                entries.push(Entry {
                    reference: person.reference,
                    person_hash: person.person_hash,
                    here: true,
                    appointment: plain(&person.appointment),
                    details: Some(details),
                });
            }
        }
        entries.extend(list.elsewhere.iter().map(|e| Entry {
            reference: canonical_reference(&e.reference),
            person_hash: clean(&e.person_hash, 128),
            here: false,
            appointment: plain(&e.appointment),
            details: None,
        }));
        let meta = serde_json::to_string(&kept).unwrap_or_default();
        let (tx, err) = begin(&mut self.conn, &self.path)?;
        tx.execute("DELETE FROM site_list", []).map_err(&err)?;
        {
            let mut insert = tx
                .prepare(
                    "INSERT INTO site_list (reference, person_hash, here, site_id, site_name_th,
                        site_name_en, day, slot, state, vaccinated_at, details)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                     ON CONFLICT (reference) DO NOTHING",
                )
                .map_err(&err)?;
            for e in &entries {
                let a = &e.appointment;
                insert
                    .execute(params![
                        e.reference,
                        e.person_hash,
                        e.here,
                        a.site_id,
                        a.site_name_th,
                        a.site_name_en,
                        a.date,
                        a.slot,
                        a.state,
                        a.vaccinated_at,
                        e.details,
                    ])
                    .map_err(&err)?;
            }
        }
        // A dose recorded here and not yet on the hub's list still counts.
        tx.execute(
            "UPDATE site_list SET state = 'vaccinated',
                vaccinated_at = COALESCE(vaccinated_at,
                    (SELECT MIN(json_extract(d.dose, '$.given_at')) FROM doses d
                     WHERE d.reference = site_list.reference))
             WHERE reference IN (SELECT reference FROM doses)",
            [],
        )
        .map_err(&err)?;
        tx.execute(
            "INSERT INTO kiosk_meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![LIST_META, meta],
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)?;
        self.site_list_info()?
            .ok_or_else(|| QueueError::BadList("it was not kept".into()))
    }

    /// The list's facts, when one was ever downloaded.
    pub(super) fn kept_list(&self) -> Result<Option<Kept>, QueueError> {
        Ok(self
            .meta(LIST_META)?
            .and_then(|v| serde_json::from_str(&v).ok()))
    }

    /// What the kiosk holds of its site's list; `None` when none was ever downloaded.
    pub fn site_list_info(&self) -> Result<Option<SiteListInfo>, QueueError> {
        let Some(kept) = self.kept_list()? else {
            return Ok(None);
        };
        let (people, elsewhere, doses_pending): (i64, i64, i64) = self
            .conn
            .query_row(
                "SELECT (SELECT COUNT(*) FROM site_list WHERE here = 1),
                        (SELECT COUNT(*) FROM site_list WHERE here = 0),
                        (SELECT COUNT(*) FROM doses WHERE sent_at IS NULL)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(|e| self.err(e))?;
        let count = |n: i64| usize::try_from(n).unwrap_or(0);
        Ok(Some(SiteListInfo {
            site_id: kept.site_id,
            site_name_th: kept.site_name_th,
            site_name_en: kept.site_name_en,
            first_day: kept.first_day,
            last_day: kept.last_day,
            generated_at: kept.generated_at,
            downloaded_at: kept.downloaded_at,
            people: count(people),
            elsewhere: count(elsewhere),
            doses_pending: count(doses_pending),
        }))
    }

    /// The site this kiosk checks people in for, as the hub last said
    /// (`CampaignStatus::site_id`); `None` for a registration kiosk.
    pub fn site_id(&self) -> Result<Option<String>, QueueError> {
        Ok(self.meta(SITE_META)?.filter(|s| !s.is_empty()))
    }

    /// Keeps what the hub says of this kiosk's site (`None`: not a site's kiosk, or no more).
    pub fn set_site_id(&mut self, site_id: Option<&str>) -> Result<(), QueueError> {
        let site = site_id.map(|s| clean(s, MAX_TEXT)).unwrap_or_default();
        if self.site_id()?.unwrap_or_default() == site {
            return Ok(());
        }
        self.set_meta(SITE_META, &site)
    }

    /// The details of the list's entry `reference` (sealed as `details`), with the shift open.
    pub(super) fn listed_person(
        &self,
        reference: &str,
        details: &[u8],
    ) -> Result<ListedPerson, QueueError> {
        let opener = self.keys.shift.as_ref().ok_or(QueueError::ShiftClosed)?;
        let json = opener
            .open(&details_aad(reference), details)
            .map_err(|_| QueueError::BadList(format!("the entry {reference} cannot be opened")))?;
        serde_json::from_slice(&json)
            .map_err(|_| QueueError::BadList(format!("the entry {reference} cannot be read")))
    }

    /// Forgets the list (a new shift key: the details sealed to the old one are unreadable);
    /// the doses recorded stay.
    pub(super) fn drop_site_list(&mut self) -> Result<(), QueueError> {
        self.conn
            .execute_batch(&format!(
                "DELETE FROM site_list; DELETE FROM kiosk_meta WHERE key = '{LIST_META}';"
            ))
            .map_err(|e| self.err(e))
    }
}
