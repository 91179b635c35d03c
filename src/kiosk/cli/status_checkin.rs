//! The check-in part of `ruamjai status` on a vaccination site's kiosk (issue 33, part 4): the
//! site, the days its list covers and when it was downloaded, and the doses recorded here:
//! waiting for the hub, recorded by it, and refused (each refusal's reason). Read from the queue
//! with no PIN (the list's lookup columns and the doses outbox are plain). Doses waiting count
//! toward the warning as records do: by the age of the oldest.

use serde::Serialize;

use crate::core::thai::date::iso_to_be_or_as_is;
use crate::kiosk::queue::{Queue, QueueError, iso_time};

/// The check-in part of `status --json`.
#[derive(Debug, Serialize)]
pub struct CheckIn {
    /// The site the hub says this kiosk is for.
    pub site_id: Option<String>,
    pub site_name_th: Option<String>,
    pub site_name_en: Option<String>,
    /// The days the list held covers (ISO), and when it was downloaded.
    pub list_first_day: Option<String>,
    pub list_last_day: Option<String>,
    pub list_downloaded_at: Option<String>,
    pub list_people: usize,
    pub doses_pending: u64,
    pub doses_sent: u64,
    pub doses_refused: u64,
    /// The latest refused doses (at most 20), the latest first.
    pub refused: Vec<Refused>,
    /// When the oldest dose waiting was recorded (Unix ms), for the warning.
    #[serde(skip)]
    pub oldest_pending_at: Option<i64>,
    #[serde(skip)]
    downloaded_ms: Option<i64>,
}

/// One dose the hub did not record.
#[derive(Debug, Serialize)]
pub struct Refused {
    pub reference: String,
    pub given_at: String,
    pub status: String,
    pub message: Option<String>,
}

/// The check-in part of the queue's kiosk; `None` for a kiosk that is no site's, holds no list
/// and recorded no dose.
pub fn read(queue: &Queue) -> Result<Option<CheckIn>, QueueError> {
    let site_id = queue.site_id()?;
    let list = queue.site_list_info()?;
    let doses = queue.dose_stats()?;
    if site_id.is_none() && list.is_none() && doses.pending + doses.sent + doses.refused_count == 0
    {
        return Ok(None);
    }
    Ok(Some(CheckIn {
        site_id: site_id.or_else(|| list.as_ref().map(|l| l.site_id.clone())),
        site_name_th: list.as_ref().map(|l| l.site_name_th.clone()),
        site_name_en: list.as_ref().map(|l| l.site_name_en.clone()),
        list_first_day: list.as_ref().map(|l| l.first_day.clone()),
        list_last_day: list.as_ref().map(|l| l.last_day.clone()),
        list_downloaded_at: list.as_ref().map(|l| iso_time(l.downloaded_at)),
        list_people: list.as_ref().map_or(0, |l| l.people),
        doses_pending: doses.pending,
        doses_sent: doses.sent,
        doses_refused: doses.refused_count,
        refused: doses
            .refused
            .into_iter()
            .map(|r| Refused {
                reference: r.reference,
                given_at: iso_time(r.given_at),
                status: r.status,
                message: r.message,
            })
            .collect(),
        oldest_pending_at: doses.oldest_pending_at,
        downloaded_ms: list.map(|l| l.downloaded_at),
    }))
}

impl CheckIn {
    /// `check-in at SITE: list DD/MM/YYYY–DD/MM/YYYY downloaded 3 min ago, N doses pending, M
    /// sent, K refused (REF: why, …)`; `ago` says an age in seconds.
    #[must_use]
    pub fn summary(&self, now: i64, ago: impl Fn(i64) -> String) -> String {
        let be = |iso: &Option<String>| iso.as_deref().map(iso_to_be_or_as_is).unwrap_or_default();
        let site = self.site_id.as_deref().unwrap_or("?");
        let list = match self.downloaded_ms {
            Some(at) => format!(
                "list {}–{} ({} people) downloaded {}",
                be(&self.list_first_day),
                be(&self.list_last_day),
                self.list_people,
                ago((now - at) / 1000)
            ),
            None => "no list downloaded yet".to_owned(),
        };
        let mut line = format!(
            "check-in at {site}: {list}, {} doses pending, {} sent, {} refused",
            self.doses_pending, self.doses_sent, self.doses_refused
        );
        if !self.refused.is_empty() {
            let each: Vec<String> = self
                .refused
                .iter()
                .take(5)
                .map(|r| {
                    let why = r.message.as_deref().unwrap_or(&r.status);
                    format!("{}: {why}", r.reference)
                })
                .collect();
            line = format!("{line} ({})", each.join("; "));
        }
        line
    }
}
