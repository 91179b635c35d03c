//! Check-in at a vaccination site (issue 33, part 4), the sender's side. The hub says a kiosk
//! is a site's (`CampaignStatus::site_id`, kept in the queue's meta); such a kiosk's sender —
//! the screen's and `flush` — sends the doses recorded here (`POST /v1/doses`, at most
//! [`MAX_DOSES`] a batch, each answer final and kept) and downloads the site's list
//! (`GET /v1/site/list`) when the one held is older than [`LIST_REFRESH_MS`] (`flush`: always).
//! Through the same failover as the batches; a failure is said in words (`cause`) and a running
//! sender tries again after its backoff. Doses waiting are sent even when the hub no longer
//! calls the kiosk a site's (the hub answers each).

use super::client::SendError;
use super::engine::Engine;
use crate::core::protocol::{DEFAULT_LIST_DAYS, DoseBatch, MAX_DOSES, dose_status};
use crate::kiosk::queue::{QueueError, SiteListInfo};

/// A list older than this is downloaded again (ms).
pub const LIST_REFRESH_MS: i64 = 10 * 60_000;

/// What one check-in exchange did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckInReport {
    /// The site this kiosk is for, as the hub last said.
    pub site_id: Option<String>,
    /// The list held after the exchange (downloaded now or before).
    pub list: Option<SiteListInfo>,
    /// Whether a new list was downloaded now.
    pub list_downloaded: bool,
    /// Doses the hub answered now: recorded, and anything else (final, kept to show).
    pub doses_recorded: usize,
    pub doses_refused: usize,
    /// Doses still waiting for the hub.
    pub doses_pending: u64,
    /// Why something did not happen, with its cause.
    pub problem: Option<String>,
}

impl CheckInReport {
    /// Doses the hub answered now.
    #[must_use]
    pub fn doses_sent(&self) -> usize {
        self.doses_recorded + self.doses_refused
    }
}

impl Engine {
    /// Keeps what the hub says of this kiosk's site.
    pub(super) fn take_site(&mut self, site: Option<&str>) {
        if let Err(e) = self.queue().set_site_id(site) {
            tracing::warn!("cannot keep this kiosk's site: {e}");
        }
    }

    /// Check-in's exchanges at `now`: the doses waiting sent, the list downloaded when it is
    /// due (`force`: now, and past any backoff). `None` for a kiosk that is no site's and has
    /// no dose waiting.
    pub async fn check_in(
        &mut self,
        now: i64,
        force: bool,
    ) -> Result<Option<CheckInReport>, QueueError> {
        let site_id = self.queue().site_id()?;
        let waiting = self.queue().dose_stats()?.pending;
        if site_id.is_none() && waiting == 0 {
            return Ok(None);
        }
        let mut report = CheckInReport {
            site_id: site_id.clone(),
            ..CheckInReport::default()
        };
        if force || now >= self.check_in_after {
            if waiting > 0 {
                self.send_doses(now, &mut report).await?;
            }
            if let Some(site) = &site_id
                && report.problem.is_none()
                && (force || self.list_due(site, now)?)
            {
                self.download_list(now, &mut report).await?;
            }
            if report.problem.is_some() {
                let wait = self.backoff().ceiling(self.failures.max(1)).as_millis();
                self.check_in_after = now + i64::try_from(wait).unwrap_or(i64::MAX);
            }
        }
        report.list = self.queue().site_list_info()?;
        report.doses_pending = self.queue().dose_stats()?.pending;
        Ok(Some(report))
    }

    /// Whether the list held is missing, for another site, or older than [`LIST_REFRESH_MS`].
    fn list_due(&mut self, site: &str, now: i64) -> Result<bool, QueueError> {
        Ok(self
            .queue()
            .site_list_info()?
            .is_none_or(|l| l.site_id != site || now - l.downloaded_at >= LIST_REFRESH_MS))
    }

    /// Sends the doses waiting, a batch at a time, until none waits or the hub does not answer.
    async fn send_doses(&mut self, now: i64, report: &mut CheckInReport) -> Result<(), QueueError> {
        loop {
            let doses = self.queue().unsent_doses(MAX_DOSES)?;
            if doses.is_empty() {
                return Ok(());
            }
            let batch = DoseBatch { doses };
            let batch = &batch;
            let tried = self
                .exchange(now, |c| async move { c.doses(batch).await })
                .await;
            match tried.answer {
                Ok(answer) => {
                    self.queue().settle_doses(&answer.results, now)?;
                    for r in &answer.results {
                        if r.status == dose_status::RECORDED {
                            report.doses_recorded += 1;
                        } else {
                            tracing::warn!(
                                dose_id = %r.dose_id,
                                status = %r.status,
                                "the hub did not record a dose: {}",
                                r.message.as_deref().unwrap_or("")
                            );
                            report.doses_refused += 1;
                        }
                    }
                }
                Err(e) => {
                    let why = format!("doses not sent: {e}");
                    self.note_failure(now, &why);
                    report.problem = Some(why);
                    return Ok(());
                }
            }
        }
    }

    /// Downloads the site's list and keeps it in place of the one before.
    async fn download_list(
        &mut self,
        now: i64,
        report: &mut CheckInReport,
    ) -> Result<(), QueueError> {
        let tried = self
            .exchange(now, |c| async move { c.site_list(DEFAULT_LIST_DAYS).await })
            .await;
        let list = match tried.answer {
            Ok(list) => list,
            Err(SendError::Permanent { status: 404, .. }) => {
                // `not_a_site_kiosk`: the hub no longer has this kiosk at a site.
                self.take_site(None);
                report.site_id = None;
                report.problem = Some(
                    "the hub says this kiosk is not a vaccination site's (hub add-kiosk NAME --site ID)"
                        .into(),
                );
                return Ok(());
            }
            Err(e) => {
                let why = format!("the site's list was not downloaded: {e}");
                self.note_failure(now, &why);
                report.problem = Some(why);
                return Ok(());
            }
        };
        match self.queue().store_site_list(&list, now) {
            Ok(info) => {
                tracing::info!(
                    site = %info.site_id,
                    people = info.people,
                    "the site's list downloaded"
                );
                report.list_downloaded = true;
            }
            Err(e @ QueueError::Store { .. }) => return Err(e),
            Err(e) => {
                let why = format!("the site's list was not kept: {e}");
                tracing::warn!("{why}");
                report.problem = Some(why);
            }
        }
        Ok(())
    }
}
