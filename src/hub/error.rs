//! What can go wrong on the hub, in words the person running it can act on. HTTP answers have their
//! own type (`body::ApiError`); this is the library's error for opening, migrating and managing
//! the store.

use std::path::{Path, PathBuf};

use crate::core::form::CampaignError;
use crate::core::sqlite::Failure;

/// A failure of the hub's store or of a management command.
#[derive(Debug, thiserror::Error)]
pub enum HubError {
    /// The store failed; [`Failure`] says how, for both sides.
    #[error("{}", operator_words(.store, .failure))]
    Store { store: String, failure: Failure },
    #[error(
        "no hub store at {path} yet; create it with `ruamjai hub add-kiosk` or `ruamjai hub serve`"
    )]
    NoStore { path: PathBuf },
    #[error(
        "{path} is {what}, but a hub store was made here before ({marker} says so): the kiosks' tokens, the registrations and the quota count would start again from nothing. Restore the store from a backup, or start a new empty one on purpose with `ruamjai hub serve --init`"
    )]
    StoreLost {
        path: PathBuf,
        what: &'static str,
        marker: PathBuf,
    },
    #[error(
        "another hub is already serving {dir}{pid}: stop it first, or give this hub its own --data-dir (two hubs on one SQLite store would each keep their own rate limits and fight over the writer)"
    )]
    AlreadyServing { dir: PathBuf, pid: String },
    #[error(transparent)]
    Campaign(#[from] CampaignError),
    #[error("a kiosk called {0:?} already exists; revoke it first to issue a new token")]
    KioskExists(String),
    #[error("no kiosk called {0:?}")]
    NoSuchKiosk(String),
    #[error("kiosk name {0:?}: use 1 to 64 letters, digits, '-', '_' or '.'")]
    BadKioskName(String),
    #[error("{0}")]
    KioskNameRefused(String),
    #[error(transparent)]
    Lineage(#[from] LineageError),
    #[error(
        "kiosk name {name:?} makes the receipt prefix {prefix}, which kiosk {other:?} already makes (names count ASCII letters and digits only, upper case, the first 8): choose a name that differs there"
    )]
    PrefixTaken {
        name: String,
        other: String,
        prefix: String,
    },
    #[error("cannot get random bytes from the operating system for a token: {0}")]
    Random(String),
    #[error(
        "--database {0:?}: name a PostgreSQL database (postgres://user@host/dbname) or a SQLite data directory (sqlite:PATH)"
    )]
    BadDatabase(String),
    #[error("--from and --to name the same store ({0}): nothing to move")]
    SameStore(String),
    #[error(
        "{dir} already holds a hub store ({found} is not empty): a restore goes only into a data directory with no store, so that nothing it holds is lost; give another --data-dir, or move that store away first. Nothing was changed"
    )]
    RestoreRefused { dir: PathBuf, found: PathBuf },
    #[error("{path} cannot be restored: {why}. Nothing was changed")]
    NotABackup { path: PathBuf, why: String },
    #[error("the hub's writer has stopped; see hub.log")]
    WriterStopped,
    #[error(
        "no registration with the reference {0:?}: give the receipt's reference (e.g. SK01-0001-7Q) or the hub's (RJ-0000042)"
    )]
    NoSuchReference(String),
    /// A receipt reference two live rows shared before references were unique (migration
    /// `0008_reference_unique` marked the later ones): their hub references.
    #[error(
        "the reference {0:?} names {n} registrations, made before references were unique: {list}; give the hub's reference of the one to cancel",
        n = .1.len(),
        list = .1.join(", ")
    )]
    AmbiguousReference(String, Vec<String>),
    #[error(
        "{reference} was replaced by a kiosk's correction, which holds its place now: {current} ({status}); cancel that one if it is the registration to cancel"
    )]
    Replaced {
        reference: String,
        current: String,
        status: String,
    },
    #[error("{reference} is {status}: it holds no place, so there is nothing to cancel")]
    NothingToCancel { reference: String, status: String },
    #[error(
        "{reference} was vaccinated: the dose is given and stays counted, so the registration cannot be cancelled"
    )]
    Vaccinated { reference: String },
    #[error("give a reason (--reason \"…\"): it is kept in the record's history")]
    NoReason,
    #[error("the hub's key {path}: {why}")]
    Key { path: String, why: String },
    #[error("{path}: {detail}")]
    Settings { path: PathBuf, detail: String },
    #[error("no home directory to keep the hub's data in; pass --data-dir")]
    NoDataDir,
    /// A flag's value the command cannot use, in words that name the flag.
    #[error("{0}")]
    BadArgument(String),
    /// The system refused something the command needs (`what` says what, in words).
    #[error("{what}: {err}")]
    System { what: String, err: std::io::Error },
    #[error("cannot write {path}: {err}")]
    Write { path: String, err: std::io::Error },
    #[error("cannot write the workbook {path}: {detail}")]
    Workbook { path: String, detail: String },
    /// A sites file with problems (each on its line); nothing was changed.
    #[error("{}", sites_file(.0))]
    SitesFile(Vec<crate::hub::sites::file::LineError>),
    /// No site of that id.
    #[error("no site {0}: `ruamjai hub sites` lists them")]
    NoSuchSite(String),
    /// A site that holds appointments is closed, never removed.
    #[error(
        "site {0} has {1} appointments: it cannot be removed; `hub sites close {0}` closes it and moves its people"
    )]
    SiteInUse(String, u64),
}

fn sites_file(problems: &[crate::hub::sites::file::LineError]) -> String {
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    format!(
        "the sites file has {} problem(s); nothing was changed:\n{}",
        problems.len(),
        lines.join("\n")
    )
}

impl HubError {
    /// `err` of the system while doing `what` ("cannot listen on 127.0.0.1:8080").
    pub fn system(what: impl Into<String>, err: std::io::Error) -> Self {
        Self::System {
            what: what.into(),
            err,
        }
    }

    pub(crate) fn from_io(path: &Path, err: &std::io::Error) -> Self {
        Self::from_failure(path, crate::core::sqlite::from_io(err))
    }

    /// A [`Failure`] of the store file at `path` (the operator's words are in its `Display`).
    pub(crate) fn from_failure(path: &Path, failure: Failure) -> Self {
        Self::at_store(&path.display().to_string(), failure)
    }

    /// A [`Failure`] of the store described as `store` (a path, or a database without password).
    pub(crate) fn at_store(store: &str, failure: Failure) -> Self {
        HubError::Store {
            store: store.to_owned(),
            failure,
        }
    }
}

/// The words of the person running the hub for a failure of the store at `path`.
fn operator_words(path: &str, failure: &Failure) -> String {
    match failure {
        Failure::DiskFull => {
            format!("the disk holding {path} is full; free some space, then start the hub again")
        }
        Failure::ReadOnly => {
            format!("{path} is read-only; check the disk or the file's permissions")
        }
        Failure::Locked => {
            format!("{path} is busy in another program for too long; wait a moment and try again")
        }
        Failure::Corrupt(detail) => format!(
            "{path} is damaged ({detail}); it was left as it is: copy it somewhere safe before anything else"
        ),
        Failure::NewerSchema { found, supported } => format!(
            "{path} was written by a newer ruamjai (schema {found}, this one knows {supported}); install the newer version, nothing was changed"
        ),
        Failure::CannotOpen(detail) if path.starts_with("postgres") => format!(
            "cannot reach the database {path} ({detail}); check that PostgreSQL runs there and lets this user in"
        ),
        Failure::CannotOpen(detail) => {
            format!("cannot open {path} ({detail}); check that the folder exists and is writable")
        }
        Failure::Other(detail) => format!("hub store error on {path}: {detail}"),
    }
}

/// Why a store is not written to.
#[derive(Debug, thiserror::Error)]
pub enum LineageError {
    #[error(
        "the database is another cluster (system identifier {found}, this hub wrote to {known}): if the province moved its hub to a new database on purpose, delete {file} in the hub's data directory"
    )]
    AnotherCluster {
        found: String,
        known: String,
        file: String,
    },
    #[error(
        "the database is on timeline {found}, behind timeline {known} this hub already wrote to: an old primary came back after a failover; point the hub at the new primary (target_session_attrs=read-write) and rebuild the old one as a standby"
    )]
    OldPrimary { found: i64, known: i64 },
    #[error("reading or writing the store's lineage: {0}")]
    Store(#[from] crate::hub::store::db::DbError),
    #[error("the hub's record of its store ({path}): {err}")]
    File {
        path: std::path::PathBuf,
        err: std::io::Error,
    },
}
