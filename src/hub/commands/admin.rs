//! `ruamjai hub cancel` and `ruamjai hub set-quota`: their flags and what they print. The work
//! is `admin`'s (one write-locked transaction each).

use std::path::Path;

use super::settings::{StoreArg, database};
use crate::core::form::Campaign;
use crate::core::form::campaign::DEFAULT_CAMPAIGN;
use crate::hub::error::HubError;

/// `hub cancel REFERENCE --reason …`
#[derive(Debug, clap::Args)]
pub struct CancelArgs {
    #[command(flatten)]
    store: StoreArg,
    /// The receipt's reference (SK01-0001-7Q) or the hub's (RJ-0000042).
    reference: String,
    /// Why (kept in the record's history).
    #[arg(long, value_name = "TEXT")]
    reason: String,
    /// Who cancels (kept in the history); default the login name.
    #[arg(long, value_name = "NAME")]
    by: Option<String>,
    /// The campaign whose quotas apply (as for `hub serve`).
    #[arg(long, default_value = DEFAULT_CAMPAIGN, value_name = "ID")]
    campaign: String,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

/// `hub set-quota (--group N | --total) QUOTA`
#[derive(Debug, clap::Args)]
pub struct SetQuotaArgs {
    #[command(flatten)]
    store: StoreArg,
    /// The target group's number.
    #[arg(
        long,
        value_name = "N",
        required_unless_present = "total",
        conflicts_with = "total"
    )]
    group: Option<u8>,
    /// Set the campaign's total quota instead of a group's.
    #[arg(long)]
    total: bool,
    /// The new quota.
    quota: u64,
    /// Who sets it (kept in the history); default the login name.
    #[arg(long, value_name = "NAME")]
    by: Option<String>,
    /// The campaign (as for `hub serve`).
    #[arg(long, default_value = DEFAULT_CAMPAIGN, value_name = "ID")]
    campaign: String,
}

/// Who runs an admin command: `--by`, else the login name.
pub(crate) fn login(by: Option<&String>) -> String {
    by.cloned()
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "admin".into())
}

fn print_promoted(promoted: &[String]) {
    for r in promoted {
        println!("moved from the waiting list to accepted: {r}");
    }
}

/// Runs `hub cancel`; the exit code.
pub fn cancel(args: &CancelArgs, dir: &Path) -> Result<i32, HubError> {
    let campaign = Campaign::load(&args.campaign, Some(&dir.join("campaigns")))?;
    let report = crate::hub::intake::admin::cancel(
        &database(&args.store, dir)?,
        &campaign,
        &args.reference,
        &args.reason,
        &login(args.by.as_ref()),
    )?;
    if args.json {
        println!("{}", super::settings::to_json(&report));
    } else if report.already {
        println!(
            "{} was cancelled before: nothing changed",
            report.hub_reference
        );
    } else {
        println!("cancelled {}", report.hub_reference);
        print_promoted(&report.promoted);
    }
    Ok(0)
}

/// Runs `hub set-quota`; the exit code.
pub fn set_quota(args: &SetQuotaArgs, dir: &Path) -> Result<i32, HubError> {
    let campaign = Campaign::load(&args.campaign, Some(&dir.join("campaigns")))?;
    if let Some(g) = args.group
        && campaign.group(g).is_none()
    {
        return Err(HubError::BadArgument(format!(
            "campaign {} has no target group {g}",
            campaign.id
        )));
    }
    let promoted = crate::hub::intake::admin::set_quota(
        &database(&args.store, dir)?,
        &campaign,
        args.group,
        args.quota,
        &login(args.by.as_ref()),
    )?;
    match args.group {
        Some(g) => println!("group {g}: quota {}", args.quota),
        None => println!("total quota {}", args.quota),
    }
    print_promoted(&promoted);
    Ok(0)
}
