//! `hub add-kiosk NAME [--point TEXT] [--admin | --site ID]`: a kiosk (or an admin) registered
//! and its token printed, once; for scripts (`hub enrol` is the one code a kiosk is set up
//! with). With `--site` the kiosk checks people in at that vaccination site.

use std::path::Path;

use super::settings::{StoreArg, database};
use crate::hub::error::HubError;
use crate::hub::places::kiosks;

/// `hub add-kiosk NAME [--point TEXT] [--admin | --site ID]`
#[derive(Debug, clap::Args)]
pub struct AddKioskArgs {
    #[command(flatten)]
    store: StoreArg,
    /// The kiosk's name (letters, digits, '-', '_', '.'), normally its kiosk id, e.g. SK02.
    name: String,
    /// The registration point, e.g. the sub-district health hospital's name.
    #[arg(long, default_value = "", value_name = "TEXT")]
    point: String,
    /// An admin token (statistics) instead of a kiosk token.
    #[arg(long)]
    admin: bool,
    /// A check-in kiosk for this vaccination site (its id in `hub sites`): it downloads the
    /// site's list and records the doses given there (`ruamjai checkin`).
    #[arg(long, value_name = "ID", conflicts_with = "admin")]
    site: Option<String>,
}

/// Runs `hub add-kiosk`; its exit code.
pub fn run(args: &AddKioskArgs, dir: &Path) -> Result<i32, HubError> {
    let database = database(&args.store, dir)?;
    let (name, site) = (&args.name, args.site.as_deref());
    let token = crate::hub::store::off_runtime(|| {
        kiosks::add_for_site(&database, name, &args.point, args.admin, site)
    })?;
    println!("{token}");
    eprintln!("ruamjai: token for {name} shown once; it is stored only as a hash");
    if site.is_some() {
        eprintln!("ruamjai: {name} checks people in at a vaccination site (`ruamjai checkin`)");
    }
    Ok(0)
}
