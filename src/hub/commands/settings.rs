//! The hub's settings outside its flags: `--database` (shared by every command that opens the
//! store), `RUAMJAI_HUB_DATABASE`, and `hub.toml` in the data directory (the store, the reverse
//! proxies trusted and the URL browsers use, the dashboard's marks). `cli` reads them here.

use crate::hub::error::HubError;
use crate::hub::store::Database;
use crate::hub::web::dashboard::proxy::Proxies;
use crate::hub::web::dashboard::state::DashboardOptions;

/// Which store a command works on.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct StoreArg {
    /// The store: `postgres://user@host/dbname` (shared by several hub processes) or
    /// `sqlite:DIR`; default `RUAMJAI_HUB_DATABASE`, then `database` in `hub.toml` in the data
    /// directory, then `hub.sqlite3` in the data directory. A password here shows in the
    /// process list: give one in `RUAMJAI_HUB_DATABASE` or `hub.toml` instead.
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
}

/// The hub's own settings file in its data directory: where its store is, the reverse proxies
/// it trusts and the URL browsers use (see `dashboard::proxy`), and the dashboard's marks.
///
/// ```toml
/// database = "postgres://ruamjai@db.province.local/ruamjai"
/// public_url = "https://hub.province.go.th"   # what browsers use, through the proxy
/// trusted_proxies = ["127.0.0.1"]             # whose X-Forwarded-For/-Proto are believed
/// tls_cert = "hub.crt"                        # the certificate kiosks see there (`hub enrol` pins it)
/// [dashboard]
/// silent_minutes = 15    # a kiosk not heard from for longer is marked silent
/// pending_minutes = 30   # a kiosk holding an unsent record older than this is marked
/// ```
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct HubFile {
    database: Option<String>,
    public_url: Option<String>,
    #[serde(default)]
    trusted_proxies: Vec<String>,
    /// The certificate (PEM) kiosks see at `public_url`: `hub enrol` pins it in the code.
    tls_cert: Option<std::path::PathBuf>,
    #[serde(default)]
    dashboard: DashboardFile,
}

/// `[dashboard]` in `hub.toml`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DashboardFile {
    silent_minutes: Option<u64>,
    pending_minutes: Option<u64>,
}

/// The file name of the hub's settings in its data directory.
pub const HUB_CONFIG_FILE: &str = "hub.toml";

impl DashboardFile {
    /// The marks: the flags', else this file's, else the defaults already in `into`.
    fn apply(&self, silent: Option<u64>, pending: Option<u64>, into: &mut DashboardOptions) {
        if let Some(m) = silent.or(self.silent_minutes) {
            into.silent_minutes = m;
        }
        if let Some(m) = pending.or(self.pending_minutes) {
            into.pending_minutes = m;
        }
    }
}

impl HubFile {
    /// What `hub enrol` puts in a code unless told otherwise: `public_url` and `tls_cert`.
    pub(super) fn enrolment_defaults(&self) -> (Option<String>, Option<std::path::PathBuf>) {
        (self.public_url.clone(), self.tls_cert.clone())
    }

    /// The dashboard's options: the marks (the flags', else this file's), `public_url` and
    /// `trusted_proxies` (the file in `dir` named when one is wrong).
    pub(crate) fn dashboard_options(
        &self,
        dir: &std::path::Path,
        silent: Option<u64>,
        pending: Option<u64>,
    ) -> Result<DashboardOptions, HubError> {
        let mut opts = DashboardOptions::default();
        self.dashboard.apply(silent, pending, &mut opts);
        opts.proxies =
            Proxies::new(self.public_url.as_deref(), &self.trusted_proxies).map_err(|detail| {
                HubError::Settings {
                    detail,
                    path: dir.join(HUB_CONFIG_FILE),
                }
            })?;
        Ok(opts)
    }
}

/// `hub.toml` in `dir`, or the defaults when there is none.
pub(crate) fn hub_file(dir: &std::path::Path) -> Result<HubFile, HubError> {
    let file = dir.join(HUB_CONFIG_FILE);
    match std::fs::read_to_string(&file) {
        Ok(text) => toml::from_str::<HubFile>(&text).map_err(|e| HubError::Settings {
            detail: e.message().to_owned(),
            path: file,
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(HubFile::default()),
        Err(e) => Err(HubError::system(
            format!("cannot read {}", file.display()),
            e,
        )),
    }
}

/// Whether a connection string holds a password (`user:password@`, or `password=` in the
/// query or the `key=value` form).
fn holds_password(url: &str) -> bool {
    let userinfo = url
        .split_once("://")
        .and_then(|(_, rest)| rest.split(['/', '?']).next())
        .and_then(|authority| authority.rsplit_once('@'))
        .map(|(userinfo, _)| userinfo);
    userinfo.is_some_and(|u| u.contains(':')) || url.contains("password=")
}

/// Says on standard error, once per process, that the flag `--{flag}` put a password where any
/// user of the machine can read it (the process list); names the places that keep it out.
pub(crate) fn warn_if_password(flag: &str, value: &str) {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if holds_password(value) && !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
        eprintln!(
            "ruamjai: warning: --{flag} holds a password, which any user of this machine can read in the process list; set RUAMJAI_HUB_DATABASE or `database = \"…\"` in {HUB_CONFIG_FILE} in the data directory instead"
        );
    }
}

/// The store a command names: the flag, `RUAMJAI_HUB_DATABASE`, `hub.toml`, or SQLite in `dir`.
/// A password on the flag is warned about ([`warn_if_password`]).
pub fn database(flag: &StoreArg, dir: &std::path::Path) -> Result<Database, HubError> {
    if let Some(url) = &flag.database {
        warn_if_password("database", url);
    }
    let from_env = std::env::var("RUAMJAI_HUB_DATABASE")
        .ok()
        .filter(|v| !v.trim().is_empty());
    let from_file = hub_file(dir)?.database;
    let named = flag.database.clone().or(from_env).or(from_file);
    Database::from_arg(named.as_deref(), dir)
}

/// `value` as JSON for standard output (what the commands print cannot fail to serialise).
pub(crate) fn to_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::holds_password;

    #[test]
    fn a_password_is_found_in_either_form() {
        for url in [
            "postgres://u:secret@db/ruamjai",
            "postgresql://u:p%40ss@db:5432/ruamjai?sslmode=require",
            "postgres://u@db/ruamjai?password=secret",
            "host=db user=u password=secret",
        ] {
            assert!(holds_password(url), "{url}");
        }
        for url in [
            "postgres://u@db/ruamjai",
            "postgres://db:5432/ruamjai",
            "postgres://u@[::1]:5432/ruamjai",
            "sqlite:/var/lib/ruamjai",
        ] {
            assert!(!holds_password(url), "{url}");
        }
    }
}
