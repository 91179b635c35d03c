//! The `ruamjai hub …` commands: `serve`, `keygen`, `add-kiosk`, `enrol`, `revoke-kiosk`, `stats`, `status`,
//! `migrate-store`, `cancel`, `set-quota`, `sites`, `close-day`, `export`, `backup`, `restore`, `campaign check`. The clap enum lives here so `main.rs` only parses and dispatches; each
//! command returns a process exit code.
//!
//! The hub's data directory is `--data-dir` (the global flag), else `RUAMJAI_DATA_DIR`, else the
//! platform's data directory joined with `hub`. Its store is `--database`, else
//! `RUAMJAI_HUB_DATABASE`, else `database = "…"` in `hub.toml` in the data directory, else
//! `hub.sqlite3` in the data directory.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Subcommand;

use super::settings::hub_file;
use super::settings::to_json;
pub use super::settings::{HUB_CONFIG_FILE, StoreArg, database};
use crate::core::form::Campaign;
use crate::core::form::campaign::DEFAULT_CAMPAIGN;
use crate::hub::error::HubError;
use crate::hub::places::kiosks::revoke_kiosk;
use crate::hub::reports::{stats, status};
use crate::hub::store::Database;
use crate::hub::web::hub::HubOptions;

/// [`to_json`](super::settings::to_json), indented.
fn to_json_pretty(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// `ruamjai hub …`
#[derive(Debug, Subcommand)]
pub enum HubCommand {
    /// Run the central API (prints `listening on http://ADDR` once bound).
    Serve {
        #[command(flatten)]
        store: StoreArg,
        /// Address and port to listen on (`127.0.0.1:0` picks a free port).
        #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
        listen: SocketAddr,
        /// The campaign to register for (`campaigns/<ID>.toml` in the data directory overrides
        /// the built-in one).
        #[arg(long, default_value = DEFAULT_CAMPAIGN, value_name = "ID")]
        campaign: String,
        /// Requests served at once; more are answered 503 at once.
        #[arg(long, default_value_t = 64, value_name = "N")]
        max_in_flight: usize,
        /// Requests per second per kiosk on average (0: no limit); beyond it 429.
        #[arg(long, default_value_t = 10.0, value_name = "PER_SEC")]
        kiosk_rate: f64,
        /// Requests a kiosk may send in a burst after a quiet spell.
        #[arg(long, default_value_t = 20.0, value_name = "N")]
        kiosk_burst: f64,
        /// Requests one kiosk may have open at once (slow bodies included); beyond it 429.
        #[arg(long, default_value_t = 4, value_name = "N")]
        kiosk_max_open: usize,
        /// Connections open at once (kept under the open-files limit); at the cap the oldest
        /// idle connection is closed to make room.
        #[arg(long, default_value_t = 4096, value_name = "N")]
        max_connections: usize,
        /// Milliseconds the submissions waiting for the writer may take at its recent pace;
        /// beyond it a batch is answered 503 (bounds latency when the store is slow).
        #[arg(long, default_value_t = 500, value_name = "MS")]
        max_queue_wait_ms: u64,
        /// Also serve GET /metrics without a token on this address (for a Prometheus on this
        /// host: use a loopback address).
        #[arg(long, value_name = "ADDR")]
        metrics_listen: Option<SocketAddr>,
        /// Seconds a request head may take to arrive, and a kept-alive connection may stay idle.
        #[arg(long, default_value_t = 10, value_name = "SECS")]
        header_timeout: u64,
        /// Rejected submissions one kiosk may have stored (their reasons and a bounded copy);
        /// beyond it they are still answered, not kept.
        #[arg(long, default_value_t = 10_000, value_name = "N")]
        max_rejected_per_kiosk: u64,
        /// Days a rejected submission is kept (a kiosk's correction purges its copy at once).
        #[arg(long, default_value_t = 30, value_name = "DAYS")]
        rejected_retention_days: u64,
        /// The dashboard marks a kiosk silent after this long without a heartbeat (default
        /// `silent_minutes` under `[dashboard]` in hub.toml, else 15).
        #[arg(long, value_name = "MIN")]
        silent_minutes: Option<u64>,
        /// The dashboard marks a kiosk holding an unsent record older than this (default
        /// `pending_minutes` under `[dashboard]` in hub.toml, else 30).
        #[arg(long, value_name = "MIN")]
        pending_minutes: Option<u64>,
        /// Start a new, empty store where the one made here before is missing or empty (the
        /// tokens, registrations and quota count start again from nothing).
        #[arg(long)]
        init: bool,
        #[command(flatten)]
        tls: crate::hub::web::tls::TlsArgs,
        /// Test aid: hold every commit this many milliseconds.
        #[arg(long, default_value_t = 0, hide = true)]
        commit_delay_ms: u64,
    },
    /// Make the key pair kiosks seal registrations to (`hub.key` in the data directory, 0600;
    /// `hub serve` makes one on its first start) and print its key id. `--rotate` adds a new
    /// current key and keeps the old ones, to open what was sealed to them.
    Keygen {
        /// Add a new current key to an existing `hub.key`.
        #[arg(long)]
        rotate: bool,
    },
    /// Campaign files: `check FILE` validates one and prints its form as a kiosk draws it.
    #[command(subcommand)]
    Campaign(super::campaign::CampaignCommand),
    /// Register a kiosk (or an admin) and print its new token, once; `--site ID` makes a
    /// vaccination site's check-in kiosk.
    AddKiosk(super::add_kiosk::AddKioskArgs),
    /// Add a kiosk (or take a revoked one back) and print one enrolment code that sets it up:
    /// a QR code, and the code alone on the last line. `ruamjai enrol CODE` on the kiosk.
    Enrol(super::enrol::EnrolArgs),
    /// Revoke a kiosk's token.
    RevokeKiosk {
        #[command(flatten)]
        store: StoreArg,
        name: String,
    },
    /// Totals, per kiosk, per target group and per day, and the cancellations (per group, the
    /// latest with who and why); reads the store, the server may be off.
    Stats {
        #[command(flatten)]
        store: StoreArg,
        /// Print JSON (the same as GET /v1/stats).
        #[arg(long)]
        json: bool,
    },
    /// Copy a store into another (a district's SQLite into the province's PostgreSQL), safely
    /// again and again: a rerun copies nothing twice. The source may be serving.
    MigrateStore {
        /// The store to copy: `sqlite:DIR` (or `sqlite:DIR/hub.sqlite3`).
        #[arg(long, value_name = "URL")]
        from: String,
        /// The store to copy into: `postgres://user@host/dbname`.
        #[arg(long, value_name = "URL")]
        to: String,
        /// Print the counts as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Cancel a registration (its receipt's reference or the hub's RJ-…); its place goes to the
    /// first person waiting. A second identical cancel changes nothing.
    Cancel(super::admin::CancelArgs),
    /// The vaccination sites with booked and free places per day; `import FILE.csv` loads
    /// them, `close ID` closes one (its people moved), `remove ID` removes an unused one.
    Sites(super::sites::SitesArgs),
    /// A day is over: appointments not checked in become no-shows, their doses go back to the
    /// quota and the waiting list moves (`SITE DATE`, or `--all-before DATE` for a timer).
    CloseDay(super::sites::CloseDayArgs),
    /// Set a target group's quota (or the campaign's total with --total); people waiting who now
    /// have room are accepted, in order. A lower quota takes no place back.
    SetQuota(super::admin::SetQuotaArgs),
    /// Add a person's account: viewer (the dashboard and counts), reader (also personal data,
    /// limited to --amphoe when given) or admin (everything). Prints its token on the last line.
    AddUser(super::people::AddUserArgs),
    /// Every read of personal data (GET /v1/registrations, hub export): who, when, what, the
    /// filter, how many rows.
    Audit(super::people::AuditArgs),
    /// Export registrations (normalised fields, references, state, waiting-list position, kiosk,
    /// registration point, times) as CSV, JSON Lines or an Excel workbook, from one snapshot of
    /// the store, while hubs serve.
    Export(super::export::ExportArgs),
    /// Copy a SQLite hub's store into FILE (0600) while it serves: one consistent moment
    /// (SQLite's online backup). The hub's keys (hub.key) are not in it: keep them with it. On
    /// PostgreSQL it copies nothing and prints the `pg_dump` command to run (exit 2).
    Backup(super::backup::BackupArgs),
    /// Put a copy made by `hub backup` back as the store of a data directory that has none (one
    /// that holds a store is refused, unchanged). On PostgreSQL it changes nothing and prints the
    /// `pg_restore` command to run (exit 2).
    Restore(super::backup::RestoreArgs),
    /// Monitoring check (Nagios convention): one line, exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
    Status {
        #[command(flatten)]
        store: StoreArg,
        /// Print one JSON object instead of the line.
        #[arg(long)]
        json: bool,
        /// A kiosk with no heartbeat for this long is silent.
        #[arg(long, default_value_t = 15, value_name = "MIN")]
        silent_minutes: u64,
        /// CRITICAL when at least this share of the kiosks is silent (0 to 1).
        #[arg(long, default_value_t = 0.5, value_name = "SHARE")]
        silent_share: f64,
        /// WARNING when a kiosk reports an unsent record older than this.
        #[arg(long, default_value_t = 30, value_name = "MIN")]
        pending_minutes: u64,
        /// UNKNOWN when the store has not answered within this many seconds (the Nagios
        /// plugins' -t).
        #[arg(
            short = 't',
            long = "timeout",
            default_value_t = 10,
            value_name = "SECONDS"
        )]
        timeout: u64,
    },
}

/// `hub status`: the check, UNKNOWN when the store cannot be named or does not answer within
/// `timeout` seconds; its exit code.
fn status(
    store: &StoreArg,
    dir: &std::path::Path,
    thresholds: status::Thresholds,
    timeout: u64,
    json: bool,
) -> i32 {
    let found = match database(store, dir) {
        Ok(database) => status::check_within(
            database,
            thresholds,
            crate::hub::clock::now_ms(),
            std::time::Duration::from_secs(timeout.max(1)),
        ),
        Err(e) => status::HubCheck::unknown(e.to_string()),
    };
    if json {
        println!("{}", to_json(&found));
    } else {
        println!("{}", found.line());
    }
    found.code()
}

/// The hub's data directory: the flag, else `RUAMJAI_DATA_DIR`, else the platform's.
pub fn data_dir(flag: Option<PathBuf>) -> Result<PathBuf, HubError> {
    if let Some(dir) = flag {
        return Ok(dir);
    }
    if let Some(dir) = std::env::var_os("RUAMJAI_DATA_DIR").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("th", "ruamjai", "ruamjai")
        .map(|d| d.data_dir().join("hub"))
        .ok_or(HubError::NoDataDir)
}

/// `hub keygen [--rotate]`: prints the new current key's id, and on standard error the line
/// that pins its public key in a kiosk's `config.toml`.
fn keygen(dir: &std::path::Path, rotate: bool) -> Result<i32, HubError> {
    let public = crate::hub::keys::keygen(dir, rotate)?;
    let id = public.key_id();
    println!("{id}");
    eprintln!(
        "ruamjai: hub key {id} is current in {}; kiosks take it from GET /v1/campaign, or pin it in config.toml:\nhub_key = \"{}\"",
        dir.join(crate::hub::keys::KEY_FILE).display(),
        public.to_b64()
    );
    Ok(0)
}

/// Runs one `hub` command; returns the exit code.
// One arm per command, each a few lines: a dispatch table, not a long function.
#[allow(clippy::too_many_lines)]
pub fn run(command: HubCommand, data_dir_flag: Option<PathBuf>) -> Result<i32, HubError> {
    // A campaign file is checked without a data directory (its writer may have none).
    if let HubCommand::Campaign(command) = &command {
        return Ok(super::campaign::run(command));
    }
    let dir = data_dir(data_dir_flag)?;
    if let Err(e) = crate::core::logging::init(&dir, "hub.log") {
        eprintln!("ruamjai: warning: no log file: {e}");
    }
    match command {
        HubCommand::Serve {
            store,
            listen,
            campaign,
            max_in_flight,
            kiosk_rate,
            kiosk_burst,
            kiosk_max_open,
            max_connections,
            max_queue_wait_ms,
            header_timeout,
            metrics_listen,
            max_rejected_per_kiosk,
            rejected_retention_days,
            silent_minutes,
            pending_minutes,
            init,
            tls,
            commit_delay_ms,
        } => {
            if let Some(open) = crate::core::private::exposure(&dir) {
                tracing::warn!("{open}");
                eprintln!("ruamjai: warning: {open}");
            }
            let campaign = Campaign::load(&campaign, Some(&dir.join("campaigns")))?;
            let database = database(&store, &dir)?;
            let dashboard =
                hub_file(&dir)?.dashboard_options(&dir, silent_minutes, pending_minutes)?;
            let mut opts = HubOptions::new(dir, campaign);
            opts.dashboard = dashboard;
            opts.database = database;
            opts.max_in_flight = max_in_flight;
            opts.kiosk_rate_per_sec = kiosk_rate;
            opts.kiosk_burst = kiosk_burst;
            opts.kiosk_max_open = kiosk_max_open;
            opts.max_connections = super::serve::within_open_files(max_connections);
            opts.max_queue_wait = Duration::from_millis(max_queue_wait_ms.max(1));
            opts.header_timeout = Duration::from_secs(header_timeout.max(1));
            opts.commit_delay = Duration::from_millis(commit_delay_ms);
            opts.init = init;
            opts.max_rejected_per_kiosk = max_rejected_per_kiosk;
            opts.rejected_retention = Duration::from_secs(rejected_retention_days * 86_400);
            opts.tls = tls.server_config()?;
            super::serve::run_server(listen, metrics_listen, opts)?;
            Ok(0)
        }
        HubCommand::AddKiosk(args) => super::add_kiosk::run(&args, &dir),
        HubCommand::Keygen { rotate } => keygen(&dir, rotate),
        HubCommand::RevokeKiosk { store, name } => {
            revoke_kiosk(&database(&store, &dir)?, &name)?;
            println!("revoked {name}");
            Ok(0)
        }
        HubCommand::Status {
            store,
            json,
            silent_minutes,
            silent_share,
            pending_minutes,
            timeout,
        } => {
            let thresholds = status::Thresholds {
                silent_minutes,
                silent_share,
                pending_minutes,
            };
            Ok(status(&store, &dir, thresholds, timeout, json))
        }
        HubCommand::MigrateStore { from, to, json } => migrate_store(&from, &to, json, &dir),
        HubCommand::Cancel(args) => super::admin::cancel(&args, &dir),
        HubCommand::SetQuota(args) => super::admin::set_quota(&args, &dir),
        HubCommand::Sites(args) => super::sites::sites(&args, &dir),
        HubCommand::CloseDay(args) => super::sites::close_day(&args, &dir),
        HubCommand::Export(args) => super::export::run(&args, &dir),
        // Returned above, before the data directory; kept here so the match stays whole.
        HubCommand::Campaign(command) => Ok(super::campaign::run(&command)),
        HubCommand::Enrol(args) => super::enrol::run(&args, &dir),
        HubCommand::AddUser(args) => super::people::add_user(&args, &dir),
        HubCommand::Audit(args) => super::people::audit(&args, &dir),
        HubCommand::Backup(args) => super::backup::backup(&args, &dir),
        HubCommand::Restore(args) => super::backup::restore(&args, &dir),
        HubCommand::Stats { store, json } => {
            let stats = stats::from_store(&database(&store, &dir)?)?;
            if json {
                println!("{}", to_json_pretty(&stats));
            } else {
                print!("{}", stats::render(&stats));
            }
            Ok(0)
        }
    }
}

/// `hub migrate-store`: copies `from` into `to` and says what moved.
fn migrate_store(from: &str, to: &str, json: bool, dir: &std::path::Path) -> Result<i32, HubError> {
    super::settings::warn_if_password("from", from);
    super::settings::warn_if_password("to", to);
    let from = Database::from_arg(Some(from), dir)?;
    let to = Database::from_arg(Some(to), dir)?;
    let moved = super::migrate::migrate(&from, &to)?;
    if json {
        println!("{}", to_json(&moved));
    } else {
        println!("{} -> {}", from.describe(), to.describe());
        print!("{}", moved.render());
    }
    Ok(0)
}
