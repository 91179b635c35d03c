//! `ruamjai` / `ruamjai kiosk`: the one place that assembles the kiosk. It builds the campaign,
//! opens the queue and starts the sender from the configuration, and hands them to the screen
//! (`tui::run`), which knows the queue only through the effects it runs and the sender only
//! through its status. `demo` starts the kiosk the same way.

use crate::config::Config;
use crate::form::Context;
use crate::queue::Queue;
use crate::tui::{App, TuiError};

/// Runs the kiosk screen for `config` until the clerk quits.
pub async fn run(config: Config) -> Result<(), TuiError> {
    let campaign = config.campaign()?;
    let queue = Queue::open(&config.queue_path(), &config.kiosk_id)?;
    let sync = crate::sync::handle_for(&config);
    let app = App::new(
        campaign,
        &config.kiosk_id,
        &config.point_name,
        config.lang,
        Context::now().today,
    );
    crate::tui::run(app, queue, sync).await
}
