//! `ruamjai demo`: a newcomer sees registrations flow end to end with one command. Starts a hub on
//! a free loopback port over `<data dir>/demo/hub`, registers a fresh demo kiosk there, and opens the
//! kiosk screen over `<data dir>/demo/kiosk` pointed at it. The demo directory is made anew on every
//! run (it holds demo data only). When the clerk quits, the hub stops and its totals are printed.

use std::path::Path;

use tokio::sync::oneshot;

use crate::core::form::{Campaign, CampaignError};
use crate::core::thai::Lang;
use crate::hub::{self, Hub, HubError, HubOptions};
use crate::kiosk::cli::kiosk::KioskError;
use crate::kiosk::config::{self, ConfigError, Overrides};

/// Why the demo could not run.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("cannot clear the demo folder {}", path.display())]
    Clear {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    /// A folder, the runtime or the hub's port.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Campaign(#[from] CampaignError),
    #[error(transparent)]
    Hub(#[from] HubError),
    #[error(transparent)]
    Kiosk(#[from] KioskError),
}

/// The demo kiosk's id: its receipts read `DEMO1-…`.
pub const DEMO_KIOSK: &str = "DEMO1";
/// The demo counter's PIN (the Buddhist year of the registration the demo recalls).
pub const DEMO_PIN: &str = "256407";

/// Runs the demo with the data under `base/demo`; returns the exit code.
pub fn run(base: &Path, lang: Option<Lang>) -> Result<i32, DemoError> {
    let demo = base.join("demo");
    if demo.exists() {
        std::fs::remove_dir_all(&demo).map_err(|source| DemoError::Clear {
            path: demo.clone(),
            source,
        })?;
    }
    let hub_dir = demo.join("hub");
    let kiosk_dir = demo.join("kiosk");
    crate::core::private::create_dir(&hub_dir)?;
    let flags = Overrides {
        data_dir: Some(kiosk_dir.clone()),
        config: Some(kiosk_dir.join("config.toml")),
        lang,
    };
    let mut kiosk = config::load(&flags, &|k| std::env::var(k).ok())?;
    let campaign = Campaign::load(&kiosk.campaign, None)?;
    let store = hub::Database::Sqlite {
        data_dir: hub_dir.clone(),
    };
    let token = hub::add_kiosk(&store, DEMO_KIOSK, "จุดสาธิต ruamjai (demo)", false)?;
    // The demo kiosk seals to the demo hub's key from the first record, pinned as at an install.
    let keys = hub::keys::HubKeys::load_or_create(&hub_dir)?;
    kiosk.hub_key = Some(keys.current());
    let rt = crate::kiosk::cli::kiosk::runtime()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let (listener, server) = rt.block_on(async {
        let mut opts = HubOptions::new(hub_dir.clone(), campaign);
        opts.keys = Some(keys.clone());
        let hub = Hub::open(opts)?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let server = tokio::spawn(hub::serve(listener, hub, async move {
            let _ = stopped.await;
        }));
        Ok::<_, DemoError>((addr, server))
    })?;
    tracing::info!(%listener, "demo hub listening");
    kiosk.kiosk_id = DEMO_KIOSK.into();
    // The demo's counter has a PIN, as an installed one does; the start screen shows it.
    if kiosk.pin.is_none() {
        kiosk.pin = Some(config::Pin::new(DEMO_PIN));
    }
    kiosk.point_name = format!("จุดสาธิต (demo) PIN {DEMO_PIN}");
    kiosk.hub_url = Some(format!("http://{listener}").into());
    kiosk.hub_token = Some(token);
    kiosk.sync.interval_secs = 5.0;
    let shown = rt.block_on(crate::kiosk::cli::kiosk::run(kiosk));
    let _ = stop.send(());
    rt.block_on(async {
        let _ = tokio::time::timeout(std::time::Duration::from_secs(10), server).await;
    });
    shown?;
    let stats = hub::stats(&store)?;
    println!(
        "demo: the hub at http://{listener} received {} accepted, {} waitlisted, {} duplicates, {} rejected",
        stats.accepted, stats.waitlisted, stats.duplicates, stats.rejected
    );
    println!("demo data: {}", demo.display());
    Ok(0)
}
