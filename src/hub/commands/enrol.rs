//! `hub enrol NAME`: one enrolment code that sets a kiosk up (issue 31). The kiosk is added (or a
//! revoked one taken back, or one enrolled but never set up given a new code) with a token
//! nobody knows; the code carries the hub's addresses, a one-time secret, the kiosk's name and
//! the pins of the hub's key and TLS certificate (`core::enrolment`). Only the secret's SHA-256 is
//! stored, with the code's expiry; `POST /v1/enrol` (`exchange`) trades it, once, for the kiosk's
//! real token. `hub add-kiosk` stays for scripts.
//!
//! The code is printed as a QR code and, alone on the last line of standard output, as text.

use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::core::enrolment::{EnrolCode, key_pin};
use crate::hub::clock::now_ms;
use crate::hub::commands::settings::{StoreArg, database, hub_file};
use crate::hub::error::HubError;
use crate::hub::places::kiosks;
use crate::hub::store::Database;
use crate::hub::store::db::{DbError, Param};

/// `hub enrol NAME [--point TEXT] [--site ID] [--url URL]… [--expires 24h] [--tls-cert FILE]`
#[derive(Debug, clap::Args)]
pub struct EnrolArgs {
    #[command(flatten)]
    store: StoreArg,
    /// The kiosk's name (letters, digits, '-', '_', '.'), e.g. SK02: its receipt prefix.
    name: String,
    /// The registration point, e.g. the sub-district health hospital's name.
    #[arg(long, default_value = "", value_name = "TEXT")]
    point: String,
    /// A check-in kiosk for this vaccination site (its id in `hub sites`): it downloads the
    /// site's list and records the doses given there (`ruamjai checkin`).
    #[arg(long, value_name = "ID")]
    site: Option<String>,
    /// An address the kiosk reaches the hub at (again for another, the preferred first);
    /// default `public_url` in hub.toml.
    #[arg(long = "url", value_name = "URL")]
    urls: Vec<String>,
    /// How long the code works: `90m`, `24h`, `7d` (at most 30 days).
    #[arg(long, default_value = "24h", value_name = "TIME", value_parser = parse_expiry)]
    expires: Duration,
    /// The certificate (PEM) the kiosks will see at the https:// address, pinned by the code;
    /// default `tls_cert` in hub.toml (the one `hub serve --tls-cert` or the proxy in front
    /// serves).
    #[arg(long, value_name = "FILE")]
    tls_cert: Option<PathBuf>,
}

/// `90m`, `24h`, `7d`, `45s`.
fn parse_expiry(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text.len().saturating_sub(1);
    let (n, unit) = text.split_at(split);
    let n: u64 = n
        .parse()
        .map_err(|_| "write it as 90m, 24h or 7d".to_owned())?;
    let secs = match unit {
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        _ => return Err("write it as 90m, 24h or 7d".into()),
    };
    if secs == 0 || secs > 30 * 86_400 {
        return Err("between 1s and 30d".into());
    }
    Ok(Duration::from_secs(secs))
}

/// Runs `hub enrol`; its exit code.
pub fn run(args: &EnrolArgs, dir: &std::path::Path) -> Result<i32, HubError> {
    let settings = hub_file(dir)?;
    let (public_url, tls_cert) = settings.enrolment_defaults();
    let urls: Vec<String> = if args.urls.is_empty() {
        public_url.into_iter().collect()
    } else {
        args.urls.clone()
    };
    if urls.is_empty() {
        return Err(HubError::BadArgument(format!(
            "give the address kiosks reach this hub at with --url https://…, or set public_url in {}",
            dir.join(crate::hub::commands::settings::HUB_CONFIG_FILE)
                .display()
        )));
    }
    let urls: Vec<String> = urls
        .iter()
        .map(|u| u.trim().trim_end_matches('/').to_owned())
        .collect();
    let cert_file = args
        .tls_cert
        .clone()
        .or_else(|| tls_cert.map(|p| if p.is_relative() { dir.join(p) } else { p }));
    let cert_sha256 = cert_file
        .as_deref()
        .map(crate::hub::web::tls::cert_sha256)
        .transpose()?;
    let keys = crate::hub::keys::HubKeys::load_or_create(dir)?;
    let database = database(&args.store, dir)?;
    let kiosk = Kiosk {
        name: &args.name,
        point: &args.point,
        site: args.site.as_deref(),
    };
    let (name, secret) = crate::hub::store::off_runtime(|| issue(&database, &kiosk, args.expires))?;
    let code = EnrolCode {
        urls: urls.clone(),
        name: name.clone(),
        secret,
        key_pin: key_pin(keys.current().as_bytes()),
        cert_sha256,
    }
    .encode()
    .map_err(|e| HubError::BadArgument(e.to_string()))?;
    let until = chrono::DateTime::from_timestamp_millis(
        now_ms() + i64::try_from(args.expires.as_millis()).unwrap_or(i64::MAX / 2) + 7 * 3_600_000,
    )
    .map_or_else(String::new, |t| t.format("%Y-%m-%d %H:%M").to_string());
    eprintln!(
        "ruamjai: enrolment code for {name} at {}, once, until {until} (Thai time). On the kiosk: \
         ruamjai enrol CODE (typed, or scanned into that command line).",
        urls.join(", ")
    );
    if cert_sha256.is_none() && urls.iter().any(|u| u.starts_with("https://")) {
        eprintln!(
            "ruamjai: no certificate pinned (no --tls-cert, no tls_cert in hub.toml): the kiosk \
             trusts the hub's certificate only if a public authority or its hub_ca_file signs it"
        );
    }
    print_code(&code).map_err(|e| HubError::system("cannot write to standard output", e))?;
    Ok(0)
}

/// The QR code (black on white on a terminal, the terminal's ink under `NO_COLOR` or into a
/// pipe), then the code alone on the last line.
fn print_code(code: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    let colour = out.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    for row in crate::core::qr::render(code).unwrap_or_default() {
        if colour {
            writeln!(out, "\x1b[30;47m{row}\x1b[0m")?;
        } else {
            writeln!(out, "{row}")?;
        }
    }
    writeln!(out)?;
    writeln!(out, "{code}")?;
    out.flush()
}

/// The kiosk a code is for.
struct Kiosk<'a> {
    name: &'a str,
    point: &'a str,
    /// The vaccination site it checks people in at, for a check-in kiosk.
    site: Option<&'a str>,
}

/// Makes a kiosk ready for a code and stores the code's secret (hashed); the kiosk's name as
/// stored and the secret.
///
/// A new name is added, a revoked one taken back (each with a token nobody knows, until the code
/// is traded); an active kiosk only when its last code was never used (the code was lost or ran
/// out), whose earlier codes then stop working. An active kiosk that has its token is refused:
/// revoke it first.
fn issue(
    database: &Database,
    kiosk: &Kiosk<'_>,
    ttl: Duration,
) -> Result<(String, [u8; 16]), HubError> {
    let Kiosk { name, point, site } = *kiosk;
    let secret: [u8; 16] =
        crate::core::seal::random().map_err(|e| HubError::Random(e.to_string()))?;
    let hash: [u8; 32] = Sha256::digest(secret).into();
    let now = now_ms();
    let until = now + i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX / 2);
    let mut db = database.connect(false)?;
    let found = db
        .query_opt(
            "SELECT name, revoked_at, is_admin FROM kiosks WHERE upper(name) = upper(?1)",
            &[Param::Text(name)],
        )
        .map_err(|e| database.error(&e))?;
    let stored = match found {
        None => {
            kiosks::add_for_site(database, name, point, false, site)?;
            name.to_owned()
        }
        Some(row) => {
            let read = || -> Result<_, DbError> {
                Ok((
                    row.text("name")?,
                    row.opt_int("revoked_at")?.is_some(),
                    row.flag("is_admin")?,
                ))
            };
            let (stored, revoked, admin) = read().map_err(|e| database.error(&e))?;
            if admin {
                return Err(HubError::BadArgument(format!(
                    "{stored} is a person's account, not a kiosk"
                )));
            }
            if revoked {
                kiosks::add_for_site(database, name, point, false, site)?;
            } else if awaits_enrolment(db.as_mut(), &stored).map_err(|e| database.error(&e))? {
                let site = site
                    .map(|asked| kiosks::known_site(database, db.as_mut(), asked))
                    .transpose()?;
                withdraw(db.as_mut(), &stored, point, site.as_deref(), now)
                    .map_err(|e| database.error(&e))?;
            } else {
                return Err(HubError::KioskExists(stored));
            }
            stored
        }
    };
    db.execute(
        "INSERT INTO enrolments (secret_hash, kiosk, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4)",
        &[
            hash.as_slice().into(),
            (&stored).into(),
            now.into(),
            until.into(),
        ],
    )
    .map_err(|e| database.error(&e))?;
    tracing::info!(kiosk = %stored, "enrolment code issued");
    Ok((stored, secret))
}

/// Whether `kiosk`'s last code was never used: it is waiting for its enrolment.
fn awaits_enrolment(db: &mut dyn crate::hub::store::db::Db, kiosk: &str) -> Result<bool, DbError> {
    let last = db.query_opt(
        "SELECT used_at FROM enrolments WHERE kiosk = ?1 ORDER BY created_at DESC LIMIT 1",
        &[Param::Text(kiosk)],
    )?;
    Ok(match last {
        Some(row) => row.opt_int("used_at")?.is_none(),
        None => false,
    })
}

/// `kiosk`'s unused codes stop working now (a new one replaces them); a new point and a new
/// site are kept.
fn withdraw(
    db: &mut dyn crate::hub::store::db::Db,
    kiosk: &str,
    point: &str,
    site: Option<&str>,
    now: i64,
) -> Result<(), DbError> {
    db.execute(
        "UPDATE enrolments SET expires_at = ?2
         WHERE kiosk = ?1 AND used_at IS NULL AND expires_at > ?2",
        &[Param::Text(kiosk), now.into()],
    )?;
    if !point.is_empty() {
        db.execute(
            "UPDATE kiosks SET point = ?2 WHERE name = ?1",
            &[Param::Text(kiosk), Param::Text(point)],
        )?;
    }
    if let Some(site) = site {
        db.execute(
            "UPDATE kiosks SET site_id = ?2 WHERE name = ?1",
            &[Param::Text(kiosk), Param::Text(site)],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_is_read_in_minutes_hours_or_days() {
        assert_eq!(parse_expiry("24h"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_expiry("90m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_expiry("2s"), Ok(Duration::from_secs(2)));
        assert!(parse_expiry("31d").is_err());
        assert!(parse_expiry("0h").is_err());
        assert!(parse_expiry("soon").is_err());
    }
}
