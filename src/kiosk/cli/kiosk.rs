//! `ruamjai` / `ruamjai kiosk`: the one place that assembles the kiosk. It builds the campaign,
//! opens the queue, starts the sender and the ID card reader from the configuration, and hands
//! them to the screen (`tui::run`), which knows the queue only through the effects it runs, the
//! sender only through its status and the reader only through its events. `demo` starts the
//! kiosk the same way, on the same small runtime ([`runtime`], which `flush` uses too).
//! `ruamjai checkin` ([`start_checkin`]) assembles the same kiosk with the check-in screen in
//! place of the registration form.

use crate::core::form::{Campaign, CampaignError, Context};
use crate::kiosk::card::{CardEvent, ReaderState};
use crate::kiosk::config::Config;
use crate::kiosk::queue::QueueError;
use crate::kiosk::tui::app::EnrolView;
use crate::kiosk::tui::{App, ShiftView, TuiError};

/// Why the kiosk did not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum KioskError {
    /// The runtime could not be built (threads, file descriptors).
    #[error(transparent)]
    Runtime(std::io::Error),
    /// The campaign file could not be read.
    #[error(transparent)]
    Campaign(#[from] CampaignError),
    /// The queue could not be opened.
    #[error(transparent)]
    Queue(#[from] QueueError),
    #[error(transparent)]
    Screen(#[from] TuiError),
}

/// A small tokio runtime for the kiosk's commands that talk to the network (2 workers: low-spec
/// kiosks).
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}

/// `ruamjai kiosk`: the kiosk screen on its own runtime, until the clerk quits.
pub fn start(config: Config) -> Result<(), KioskError> {
    let rt = runtime().map_err(KioskError::Runtime)?;
    rt.block_on(run(config))
}

/// `ruamjai checkin`: the kiosk screen of a site's kiosk, the check-in screen after the start
/// of shift, on its own runtime, until the clerk quits.
pub fn start_checkin(config: Config) -> Result<(), KioskError> {
    let rt = runtime().map_err(KioskError::Runtime)?;
    rt.block_on(run_as(config, true))
}

/// Runs the kiosk screen for `config` until the clerk quits.
pub async fn run(config: Config) -> Result<(), KioskError> {
    run_as(config, false).await
}

/// Runs the kiosk screen for `config`, the check-in screen in place of the form when `checkin`.
async fn run_as(config: Config, checkin: bool) -> Result<(), KioskError> {
    let queue = config.open_queue()?;
    let campaign = newer_from_hub(config.campaign()?, &queue);
    let sync = crate::kiosk::sync::handle_for(&config);
    let cards = card_reader(std::env::var("RUAMJAI_CARD_READER").ok().as_deref());
    let mut app = App::new(
        campaign,
        &config.kiosk_id,
        &config.point_name,
        config.lang,
        Context::now().today,
    );
    // The start screen asks for the PIN unless `RUAMJAI_PIN` opened the shift already.
    app.shift = ShiftView::new(queue.pin_set(), queue.shift_open());
    app.printer.configured = config.printer.is_some();
    if checkin {
        app.checkin = Some(crate::kiosk::tui::app::checkin::CheckinView::default());
    }
    // A kiosk with no hub yet takes the enrolment code on its start screen.
    let enroller = config.hub_url.is_none().then(|| {
        app.enrol = Some(EnrolView::default());
        super::enrol::enroller(&config)
    });
    let printer = config.printer.clone();
    Ok(crate::kiosk::tui::run(app, queue, sync, cards, printer, enroller).await?)
}

/// The campaign the hub published last, kept by the sender, when it is a later version of
/// `shipped` that this build can read; else `shipped` (the file, for a first start with no hub).
#[must_use]
pub fn newer_from_hub(shipped: Campaign, queue: &crate::kiosk::queue::Queue) -> Campaign {
    let kept = queue.meta(crate::kiosk::sync::HUB_FORM_META).ok().flatten();
    let Some(definition) = kept.and_then(|k| serde_json::from_str(&k).ok()) else {
        return shipped;
    };
    match Campaign::from_hub(&definition) {
        Ok(c) if c.id == shipped.id && c.version > shipped.version => {
            tracing::info!("form version {} from the hub (kept)", c.version);
            c
        }
        Ok(_) => shipped,
        Err(e) => {
            tracing::warn!("the hub's campaign kept is not used: {e}");
            shipped
        }
    }
}

/// The card reader's events: the first PC/SC reader, the one whose name contains
/// `RUAMJAI_CARD_READER`, or none at all when it is `none`.
fn card_reader(setting: Option<&str>) -> tokio::sync::mpsc::UnboundedReceiver<CardEvent> {
    match setting.map(str::trim) {
        Some("none" | "off") => {
            let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
            let _ = tx.send(CardEvent::State(ReaderState::Unsupported));
            rx
        }
        Some("") | None => crate::kiosk::card::watch(None),
        Some(name) => crate::kiosk::card::watch(Some(name)),
    }
}
