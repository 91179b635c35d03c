//! `ruamjai hub sites …` (list, import, close, remove) and `ruamjai hub close-day`: their flags
//! and what they print. The work is `sites`' (one write-locked transaction each).

use std::path::{Path, PathBuf};

use super::admin::login;
use super::settings::{StoreArg, database, to_json};
use crate::core::form::Campaign;
use crate::core::form::campaign::DEFAULT_CAMPAIGN;
use crate::hub::clock::now_ms;
use crate::hub::error::HubError;
use crate::hub::intake::admin::in_write;
use crate::hub::intake::history::Why;
use crate::hub::sites::close_day::{self, Days};
use crate::hub::sites::{catalog, file, listing};

/// `hub sites [import FILE | close ID | remove ID]`
#[derive(Debug, clap::Args)]
pub struct SitesArgs {
    #[command(flatten)]
    store: StoreArg,
    /// Print the list as JSON.
    #[arg(long)]
    json: bool,
    #[command(subcommand)]
    action: Option<SitesAction>,
}

#[derive(Debug, clap::Subcommand)]
pub enum SitesAction {
    /// Load sites from a CSV file (UTF-8 or Windows-874):
    /// `site_id,name_th,name_en,serves,first_day,last_day,per_day[,slots]`. Known sites are
    /// updated; people accepted without an appointment are given one.
    Import {
        file: PathBuf,
        /// The campaign's default site, for people whose address no site serves (else the
        /// first site imported).
        #[arg(long, value_name = "SITE_ID")]
        default: Option<String>,
        /// Who imports (kept in the history); default the login name.
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
    },
    /// Close a site: no new appointments there; its booked people are moved to other sites.
    Close {
        site: String,
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
    },
    /// Remove a site that has never had an appointment (one that has is closed instead).
    Remove { site: String },
}

/// `hub close-day SITE DATE` or `hub close-day --all-before DATE`
#[derive(Debug, clap::Args)]
pub struct CloseDayArgs {
    #[command(flatten)]
    store: StoreArg,
    /// The site whose day it is.
    #[arg(required_unless_present = "all_before", conflicts_with = "all_before")]
    site: Option<String>,
    /// The day, DD/MM/YYYY in the Buddhist Era.
    #[arg(required_unless_present = "all_before")]
    date: Option<String>,
    /// Close every site's days before this one (DD/MM/YYYY, BE), for a daily timer.
    #[arg(long, value_name = "DATE")]
    all_before: Option<String>,
    /// The campaign whose quotas apply (as for `hub serve`).
    #[arg(long, default_value = DEFAULT_CAMPAIGN, value_name = "ID")]
    campaign: String,
    #[arg(long, value_name = "NAME")]
    by: Option<String>,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

fn why(by: Option<&String>, reason: String) -> Why {
    Why {
        actor: format!("admin:{}", login(by)),
        reason,
        now: now_ms(),
    }
}

fn day(flag: &str, text: &str) -> Result<String, HubError> {
    file::be_day(text)
        .map(|d| d.to_string())
        .map_err(|e| HubError::BadArgument(format!("{flag} {text:?}: {e}")))
}

/// Runs `hub sites …`; the exit code.
pub fn sites(args: &SitesArgs, dir: &Path) -> Result<i32, HubError> {
    let database = database(&args.store, dir)?;
    match &args.action {
        None => {
            let sites = crate::hub::store::off_runtime(|| {
                let mut conn = database.connect_existing()?;
                listing::list(conn.as_mut()).map_err(|e| database.error(&e))
            })?;
            if args.json {
                println!("{}", to_json(&sites));
            } else {
                print!("{}", listing::render(&sites));
            }
        }
        Some(SitesAction::Import { file, default, by }) => {
            let bytes = std::fs::read(file).map_err(|err| HubError::System {
                what: format!("cannot read {}", file.display()),
                err,
            })?;
            let (rows, encoding) = file::read(bytes).map_err(HubError::SitesFile)?;
            eprintln!("{}: read as {}", file.display(), encoding.name());
            let why = why(
                by.as_ref(),
                format!("sites imported from {}", file.display()),
            );
            let done = in_write(&database, |db, counts| {
                catalog::import(db, counts, &rows, default.as_deref(), &why)
            })?;
            println!(
                "{} sites added, {} updated; {} people accepted before were given an appointment",
                done.added, done.updated, done.allocated
            );
        }
        Some(SitesAction::Close { site, by }) => {
            let why = why(by.as_ref(), format!("site {site} closed"));
            let done = in_write(&database, |db, counts| {
                catalog::close(db, counts, site, &why)
            })?;
            println!(
                "closed {site}: {} people moved to another site, {} left without an appointment (no site had room)",
                done.moved, done.unplaced
            );
        }
        Some(SitesAction::Remove { site }) => {
            in_write(&database, |db, _| catalog::remove(db, site))?;
            println!("removed {site}");
        }
    }
    Ok(0)
}

/// Runs `hub close-day`; the exit code.
pub fn close_day(args: &CloseDayArgs, dir: &Path) -> Result<i32, HubError> {
    let campaign = Campaign::load(&args.campaign, Some(&dir.join("campaigns")))?;
    let days = match (&args.all_before, &args.site, &args.date) {
        (Some(before), _, _) => Days::Before(day("--all-before", before)?),
        (None, Some(site), Some(date)) => Days::One {
            site: site.clone(),
            day: day("DATE", date)?,
        },
        _ => {
            return Err(HubError::BadArgument(
                "give SITE DATE or --all-before DATE".into(),
            ));
        }
    };
    let reason = match &days {
        Days::One { site, day } => format!("did not come to {site} on {day} (no-show)"),
        Days::Before(day) => format!("did not come on the day booked, before {day} (no-show)"),
    };
    let why = why(args.by.as_ref(), reason);
    let database = database(&args.store, dir)?;
    let done = in_write(&database, |db, counts| {
        close_day::close_day(db, counts, &campaign, &days, &why).map(Ok)
    })?;
    if args.json {
        println!("{}", to_json(&done));
    } else {
        println!("{} day(s) closed, {} no-show(s)", done.days, done.no_shows);
        for r in &done.promoted {
            println!("moved from the waiting list to accepted: {r}");
        }
    }
    Ok(0)
}
