//! Kiosk configuration: `config.toml`, then environment variables, then command-line flags, each
//! overriding the one before. A missing file is not an error (the kiosk works offline with "no hub
//! configured"); a malformed one is one line naming the file, the line and the key.
//!
//! Where things live: `--data-dir` / `RUAMJAI_DATA_DIR`, else the platform's data directory. The
//! config file is `--config` / `RUAMJAI_CONFIG`, else `config.toml` in an explicitly chosen data
//! directory, else the platform's config directory. Campaign overrides sit in `campaigns/` beside
//! the config file.
//!
//! - `file`: `config.toml` as written, and the hub token it holds or names.
//! - `hub_urls`: the hub's addresses, one or a list.
//! - `printer`: `[printer]`, the counter's thermal printer.
//! - `enrolled`: `config.toml` rewritten after `ruamjai enrol`, its other lines kept.

use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

use self::file::ConfigFile;
pub use self::hub_urls::HubUrls;
use crate::core::thai::Lang;

pub mod enrolled;
mod file;
mod hub_urls;
mod printer;

/// Sync tuning; the defaults suit a slow mobile link.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SyncSettings {
    pub batch_max_records: usize,
    pub batch_max_bytes: usize,
    pub backoff_base_secs: f64,
    pub backoff_cap_secs: f64,
    pub connect_timeout_secs: f64,
    pub request_timeout_secs: f64,
    /// How often the background sender looks at the queue when nothing wakes it.
    pub interval_secs: f64,
}

impl Default for SyncSettings {
    fn default() -> Self {
        Self {
            batch_max_records: 200,
            batch_max_bytes: 256 * 1024,
            backoff_base_secs: 2.0,
            backoff_cap_secs: 600.0,
            connect_timeout_secs: 10.0,
            request_timeout_secs: 30.0,
            interval_secs: 60.0,
        }
    }
}

/// The resolved configuration of one kiosk.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub kiosk_id: String,
    /// The registration point's name, e.g. a sub-district health hospital.
    pub point_name: String,
    /// The hub's addresses, the preferred first (`None`: no hub, an offline kiosk).
    pub hub_url: Option<HubUrls>,
    pub hub_token: Option<String>,
    pub hub_ca_file: Option<PathBuf>,
    /// The hub's TLS certificate pinned by its SHA-256 (`hub_cert_sha256`, written by
    /// `ruamjai enrol`): trusted at any address, in place of any CA.
    pub hub_cert_sha256: Option<[u8; 32]>,
    /// The hub's public key, pinned at install (`hub_key` in `config.toml`, or
    /// `RUAMJAI_HUB_PUBLIC_KEY`): records are sealed to it until the hub publishes a newer one.
    pub hub_key: Option<crate::core::seal::PublicKey>,
    /// The counter's PIN from `RUAMJAI_PIN` (unattended scripts): opens the shift, or sets the
    /// first PIN. Never printed.
    pub pin: Option<Pin>,
    /// How long one try at a PIN set here should take (`RUAMJAI_PIN_TRY_MS`; default
    /// `queue::PIN_TRY`): the argon2id cost is measured for it when the PIN is set.
    pub pin_try: Duration,
    pub lang: Lang,
    pub campaign: String,
    pub retention_days: u32,
    /// The on-screen copies of acknowledged records are deleted this many hours after the hub
    /// acknowledged them (and at the end of each shift).
    pub retain_hours: u32,
    pub warn_pending_minutes: u64,
    pub critical_pending_minutes: u64,
    pub sync: SyncSettings,
    /// The counter's thermal printer (`[printer]`); `None`: the receipt is on screen only.
    pub printer: Option<crate::kiosk::print::Printer>,
    pub data_dir: PathBuf,
    pub config_path: PathBuf,
    /// Things worth telling IT staff (e.g. a token file others can read).
    pub warnings: Vec<String>,
}

/// The global flags that override the file and the environment.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub data_dir: Option<PathBuf>,
    pub config: Option<PathBuf>,
    pub lang: Option<Lang>,
}

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("config file {file}: {message}")]
    Malformed { file: String, message: String },
    #[error("config: {0}")]
    Invalid(String),
    #[error("cannot read {file}: {message}")]
    Unreadable { file: String, message: String },
}

/// The counter's PIN (`RUAMJAI_PIN`): printed as `***`, zeroed when dropped.
pub use crate::kiosk::queue::Pin;

/// Where a kiosk keeps its files unless told: its queue and log in the machine's own data folder
/// (`data_local_dir`: `%LOCALAPPDATA%\ruamjai\ruamjai\data` on Windows, which a roaming profile
/// does not copy to the domain's server at every sign-out; `~/.local/share/ruamjai` on Linux and
/// `~/Library/Application Support/th.ruamjai.ruamjai` on macOS, the same as `data_dir` there), its
/// `config.toml` in the user's configuration folder (`%APPDATA%\ruamjai\ruamjai\config` on
/// Windows, `~/.config/ruamjai` on Linux).
fn platform_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("th", "ruamjai", "ruamjai")
}

/// Loads the configuration; `env` looks up environment variables (injected for tests).
pub fn load(
    flags: &Overrides,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Config, ConfigError> {
    let env_path = |k: &str| env(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    let chosen_data = flags
        .data_dir
        .clone()
        .or_else(|| env_path("RUAMJAI_DATA_DIR"));
    let data_dir = chosen_data
        .clone()
        .or_else(|| platform_dirs().map(|d| d.data_local_dir().to_path_buf()))
        .ok_or_else(|| ConfigError::Invalid("no home directory: pass --data-dir".into()))?;
    let config_path = flags
        .config
        .clone()
        .or_else(|| env_path("RUAMJAI_CONFIG"))
        .or_else(|| chosen_data.map(|d| d.join("config.toml")))
        .or_else(|| platform_dirs().map(|d| d.config_dir().join("config.toml")))
        .unwrap_or_else(|| data_dir.join("config.toml"));

    let mut warnings = Vec::new();
    let file = ConfigFile::read(&config_path)?;
    let token = file.hub_token(&config_path, &mut warnings)?;
    let lang = match env("RUAMJAI_LANG").as_deref().map(str::trim) {
        Some("th") => Some(Lang::Th),
        Some("en") => Some(Lang::En),
        Some("") | None => None,
        Some(other) => {
            return Err(ConfigError::Invalid(format!(
                "RUAMJAI_LANG={other:?}: use th or en"
            )));
        }
    };
    warnings.extend(crate::core::private::exposure(&data_dir));
    // A set variable wins even when blank (which means no hub), as it always has.
    let hub_url = match env("RUAMJAI_HUB_URL") {
        Some(list) => HubUrls::parse_list(&list),
        None => file.hub_url.0,
    };
    if hub_url.is_some() && file.kiosk_id.is_none() {
        warnings.push(
            "kiosk_id is not set, so receipts carry a provisional prefix (00…) and nothing is sent to \
             the hub yet: set kiosk_id in config.toml to this kiosk's name at the hub (the NAME of \
             `ruamjai hub add-kiosk NAME`), or run `ruamjai enrol CODE` with the code \
             `ruamjai hub enrol NAME` prints; what was saved before is sent then, unchanged"
                .into(),
        );
    }
    let kiosk_id = file.kiosk_id.unwrap_or_else(|| UNSET_KIOSK_ID.into());
    if kiosk_id.trim().is_empty() {
        return Err(ConfigError::Invalid("kiosk_id is empty".into()));
    }
    // The receipt prefix, and the kiosk's name at the hub: the hub's name rules.
    if kiosk_id.len() > 32
        || !kiosk_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(ConfigError::Invalid(format!(
            "kiosk_id {kiosk_id:?}: use 1 to 32 letters, digits, '-', '_' or '.' (the kiosk's name at the hub, e.g. SK01)"
        )));
    }
    let hub_key = pinned_hub_key(
        env("RUAMJAI_HUB_PUBLIC_KEY")
            .filter(|v| !v.trim().is_empty())
            .or(file.hub_key),
    )?;
    let printer = file
        .printer
        .map(printer::PrinterFile::resolve)
        .transpose()?;
    Ok(Config {
        hub_key,
        printer,
        pin: env("RUAMJAI_PIN").filter(|p| !p.is_empty()).map(Pin::new),
        pin_try: env("RUAMJAI_PIN_TRY_MS")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map_or(crate::kiosk::queue::PIN_TRY, Duration::from_millis),
        kiosk_id,
        point_name: file.point_name.unwrap_or_default(),
        hub_url,
        hub_token: env("RUAMJAI_HUB_TOKEN")
            .or(token)
            .filter(|t| !t.trim().is_empty()),
        // Relative to the config file's folder, so it is the same file from a shell, the
        // flush timer (another working directory) and `status`.
        hub_cert_sha256: pinned_cert(file.hub_cert_sha256.as_deref())?,
        hub_ca_file: file.hub_ca_file.map(|p| match config_path.parent() {
            Some(folder) if p.is_relative() => folder.join(p),
            _ => p,
        }),
        lang: flags.lang.or(lang).or(file.lang).unwrap_or_default(),
        campaign: file
            .campaign
            .unwrap_or_else(|| crate::core::form::campaign::DEFAULT_CAMPAIGN.into()),
        retention_days: file.retention_days.unwrap_or(7),
        retain_hours: file.retain_hours.unwrap_or(12),
        warn_pending_minutes: file.warn_pending_minutes.unwrap_or(30),
        critical_pending_minutes: file.critical_pending_minutes.unwrap_or(240),
        sync: file.sync,
        data_dir,
        config_path,
        warnings,
    })
}

/// The hub key pinned at install (`hub_key`, `RUAMJAI_HUB_PUBLIC_KEY`), checked.
fn pinned_hub_key(
    text: Option<String>,
) -> Result<Option<crate::core::seal::PublicKey>, ConfigError> {
    text.map(|text| {
        crate::core::seal::PublicKey::from_b64(&text).map_err(|_| {
            ConfigError::Invalid(format!(
                "hub_key {text:?} is not a hub's public key: copy the public_key that GET /v1/campaign shows (44 characters of base64)"
            ))
        })
    })
    .transpose()
}

/// The hub's certificate pin (`hub_cert_sha256`), checked.
fn pinned_cert(text: Option<&str>) -> Result<Option<[u8; 32]>, ConfigError> {
    text.map(|text| {
        crate::core::enrolment::parse_sha256(text).ok_or_else(|| {
            ConfigError::Invalid(format!(
                "hub_cert_sha256 {text:?} is not a SHA-256 fingerprint (64 hex digits, as `openssl x509 -noout -fingerprint -sha256` prints it)"
            ))
        })
    })
    .transpose()
}

/// The `kiosk_id` of a kiosk whose `kiosk_id` is not set: its queue saves under a provisional
/// prefix instead (`queue::Queue::unnamed`); a kiosk with a hub sends nothing while it has it.
pub const UNSET_KIOSK_ID: &str = "KIOSK";

impl Config {
    /// A hub is configured but this kiosk has no name for it.
    #[must_use]
    pub fn kiosk_id_unset(&self) -> bool {
        self.hub_url.is_some() && self.kiosk_id == UNSET_KIOSK_ID
    }

    /// The queue file.
    #[must_use]
    pub fn queue_path(&self) -> PathBuf {
        self.data_dir.join(crate::kiosk::queue::QUEUE_FILE)
    }

    /// Opens the queue with this kiosk's keys (unnamed while `kiosk_id` is not set): the pinned
    /// hub key when the queue knows none yet, the shift opened (or the first PIN set) with
    /// `RUAMJAI_PIN`, and whatever is not sealed yet sealed now (a queue from before sealing, in
    /// place).
    pub fn open_queue(
        &self,
    ) -> Result<crate::kiosk::queue::Queue, crate::kiosk::queue::QueueError> {
        let mut queue = crate::kiosk::queue::Queue::open(&self.queue_path(), &self.kiosk_id)?;
        if self.kiosk_id == UNSET_KIOSK_ID {
            // No name yet: one provisional prefix, not a `KIOSK-` every such kiosk would print.
            queue = queue.unnamed()?;
        }
        if let Some(key) = &self.hub_key
            && queue.hub_key().is_none()
        {
            queue.set_hub_key(key)?;
        }
        queue.set_pin_cost(self.pin_try);
        if let Some(pin) = self.pin.as_ref().map(Pin::as_str) {
            if queue.pin_set() {
                queue.open_shift(pin, crate::kiosk::queue::now_ms())?;
            } else {
                queue.set_pin(pin)?;
            }
        }
        let report = queue.seal_waiting()?;
        if report.sealed_in_place > 0 {
            tracing::info!("sealed {} records in place", report.sealed_in_place);
        }
        Ok(queue)
    }

    /// The campaign this kiosk runs (a `campaigns/<id>.toml` beside the config overrides the
    /// built-in one).
    pub fn campaign(
        &self,
    ) -> Result<crate::core::form::Campaign, crate::core::form::CampaignError> {
        crate::core::form::Campaign::load(&self.campaign, Some(&self.campaigns_dir()))
    }

    /// Where campaign overrides are looked for.
    #[must_use]
    pub fn campaigns_dir(&self) -> PathBuf {
        self.config_path
            .parent()
            .map_or_else(|| self.data_dir.join("campaigns"), |p| p.join("campaigns"))
    }
}

#[cfg(test)]
mod tests;
