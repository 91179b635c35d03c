//! The commands for people's accounts and what they read: `hub add-user NAME --role R
//! [--amphoe A…]` (the token on the last line of standard output, for scripts) and `hub audit
//! [--since DATE] [--json]` (the access log, oldest first).

use std::path::Path;

use super::settings::{StoreArg, database};
use crate::hub::access::roles::Role;
use crate::hub::error::HubError;

/// `hub add-user NAME --role viewer|reader|admin [--amphoe NAME…]`
#[derive(Debug, clap::Args)]
pub struct AddUserArgs {
    #[command(flatten)]
    store: StoreArg,
    /// The person's name at the hub (letters, digits, '-', '_', '.'), e.g. somchai.k.
    name: String,
    /// viewer: the dashboard and counts; reader: also personal data; admin: everything.
    #[arg(long, value_enum)]
    role: Role,
    /// Limit a reader's personal data to registrations in this amphoe (as the national list
    /// writes it, in Thai); repeat for several. None: every amphoe.
    #[arg(long = "amphoe", value_name = "NAME")]
    amphoes: Vec<String>,
}

/// `hub audit [--since DATE] [--json]`
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    #[command(flatten)]
    store: StoreArg,
    /// Only reads on or after this date (YYYY-MM-DD in Thailand's time, either era) or instant
    /// (RFC 3339).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// One JSON object a line instead of text.
    #[arg(long)]
    json: bool,
}

/// Runs `hub add-user`; the exit code.
pub fn add_user(args: &AddUserArgs, dir: &Path) -> Result<i32, HubError> {
    if args.role != Role::Reader && !args.amphoes.is_empty() {
        return Err(HubError::BadArgument(
            "--amphoe limits a reader; a viewer reads no personal data and an admin reads all"
                .into(),
        ));
    }
    let database = database(&args.store, dir)?;
    let token = crate::hub::store::off_runtime(|| {
        crate::hub::places::kiosks::add_user(&database, &args.name, args.role, &args.amphoes)
    })?;
    let reach = if args.amphoes.is_empty() {
        String::new()
    } else {
        format!(", limited to {}", args.amphoes.join(", "))
    };
    println!(
        "{} is a {}{reach}; their token:",
        args.name,
        args.role.as_str()
    );
    println!("{token}");
    Ok(0)
}

/// Runs `hub audit`; the exit code.
pub fn audit(args: &AuditArgs, dir: &Path) -> Result<i32, HubError> {
    let since = args
        .since
        .as_deref()
        .map(crate::hub::export::rows::parse_since)
        .transpose()
        .map_err(|e| HubError::BadArgument(format!("--since {e}")))?
        .unwrap_or(0);
    let database = database(&args.store, dir)?;
    let reads = crate::hub::store::off_runtime(|| {
        let mut db = database.connect_existing()?;
        crate::hub::access::roles::since(db.as_mut(), since).map_err(|e| database.error(&e))
    })?;
    for read in &reads {
        if args.json {
            println!("{}", serde_json::to_string(read).unwrap_or_default());
        } else {
            println!("{}", read.line());
        }
    }
    Ok(0)
}
