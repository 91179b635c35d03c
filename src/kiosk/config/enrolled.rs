//! `config.toml` after an enrolment (`ruamjai enrol`): the keys the code and the hub gave
//! (`kiosk_id`, `point_name`, `hub_url`, `hub_token`, `hub_key`, `hub_cert_sha256`) written in, and
//! `hub_token_file` taken out (it would override the new token). Every other line of a
//! hand-edited file stays as it was, comments and tables included. The new text is checked to
//! read back as those values before it replaces the old file, in one rename, 0600; what changed
//! is listed for the person enrolling.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use super::ConfigError;
use super::file::ConfigFile;

/// What an enrolment sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enrolled {
    pub kiosk_id: String,
    /// Empty: the file's own (if any) is kept.
    pub point_name: String,
    pub hub_urls: Vec<String>,
    pub hub_token: String,
    /// The hub's public key, base64.
    pub hub_key: String,
    /// The hub's certificate pin in hex; `None` removes any.
    pub hub_cert_sha256: Option<String>,
}

/// One key that changed: its name, and the old value when the file had one (tokens shown as
/// `(set)`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub key: &'static str,
    pub before: Option<String>,
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The key a top-level line sets, if it sets one.
fn key_of(line: &str) -> Option<&str> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    (!key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then_some(key)
}

/// `text` with top-level `key` set to `value` (a TOML value) or removed (`None`); the old value's
/// text when there was one. A value spread over lines (an array) goes whole.
fn set(text: &str, key: &str, value: Option<&str>) -> (String, Option<String>) {
    let mut out = Vec::new();
    let mut old = None;
    let mut lines = text.lines().peekable();
    let mut top = true;
    while let Some(line) = lines.next() {
        if line.trim_start().starts_with('[') && key_of(line).is_none() {
            if top && let Some(v) = value.filter(|_| old.is_none()) {
                out.push(format!("{key} = {v}"));
            }
            top = false;
        }
        if top && key_of(line) == Some(key) {
            let mut was = line
                .split_once('=')
                .map_or("", |(_, v)| v)
                .trim()
                .to_owned();
            if was.starts_with('[') && !was.contains(']') {
                for more in lines.by_ref() {
                    was.push_str(more.trim());
                    if more.contains(']') {
                        break;
                    }
                }
            }
            if old.is_none()
                && let Some(v) = value
            {
                out.push(format!("{key} = {v}"));
            }
            old = Some(was);
            continue;
        }
        out.push(line.to_owned());
    }
    if top
        && old.is_none()
        && let Some(v) = value
    {
        out.push(format!("{key} = {v}"));
    }
    let mut text = out.join("\n");
    text.push('\n');
    (text, old)
}

/// Writes `enrolled` into the config file at `path` (made when missing); what changed.
pub fn write(path: &Path, enrolled: &Enrolled) -> Result<Vec<Change>, ConfigError> {
    let (text, changes) = updated(path, enrolled)?;
    let fresh = prepare(path)?;
    let mut file = crate::core::private::create_file(&fresh).map_err(|e| cannot(path, &e))?;
    file.write_all(text.as_bytes())
        .map_err(|e| cannot(path, &e))?;
    file.sync_all().map_err(|e| cannot(path, &e))?;
    drop(file);
    std::fs::rename(&fresh, path).map_err(|e| cannot(path, &e))?;
    Ok(changes)
}

/// Before a code is spent at the hub: `config.toml` can be updated (it reads, its keys are set
/// once, its folder takes a new file), so a trade the kiosk could not record does not happen.
pub fn check_writable(path: &Path) -> Result<(), ConfigError> {
    let trial = Enrolled {
        kiosk_id: "K".into(),
        point_name: String::new(),
        hub_urls: vec!["https://hub.invalid".into()],
        hub_token: "t".into(),
        hub_key: String::new(),
        hub_cert_sha256: None,
    };
    updated(path, &trial)?;
    let fresh = prepare(path)?;
    crate::core::private::create_file(&fresh).map_err(|e| cannot(path, &e))?;
    std::fs::remove_file(&fresh).map_err(|e| cannot(path, &e))
}

fn cannot(path: &Path, e: &std::io::Error) -> ConfigError {
    ConfigError::Unreadable {
        file: path.display().to_string(),
        message: e.to_string(),
    }
}

/// The folder made, and the name of the new file written beside `path` (a leftover removed).
fn prepare(path: &Path) -> Result<std::path::PathBuf, ConfigError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::core::private::create_dir(dir).map_err(|e| cannot(path, &e))?;
    }
    let fresh = path.with_extension("toml.new");
    // A leftover from an enrolment cut short would keep its own mode.
    let _ = std::fs::remove_file(&fresh);
    Ok(fresh)
}

/// `config.toml`'s text with `enrolled` set in it, and what changed; refused when the file does
/// not read or could not be updated safely.
fn updated(path: &Path, enrolled: &Enrolled) -> Result<(String, Vec<Change>), ConfigError> {
    let cannot = |e: std::io::Error| cannot(path, &e);
    let before = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(cannot(e)),
    };
    ConfigFile::read(path)?;
    let urls = match enrolled.hub_urls.as_slice() {
        [one] => quoted(one),
        many => format!(
            "[{}]",
            many.iter()
                .map(|u| quoted(u))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let wanted: [(&'static str, Option<String>, bool); 7] = [
        ("kiosk_id", Some(quoted(&enrolled.kiosk_id)), false),
        (
            "point_name",
            (!enrolled.point_name.is_empty()).then(|| quoted(&enrolled.point_name)),
            false,
        ),
        ("hub_url", Some(urls), false),
        ("hub_token", Some(quoted(&enrolled.hub_token)), true),
        ("hub_token_file", None, false),
        ("hub_key", Some(quoted(&enrolled.hub_key)), false),
        (
            "hub_cert_sha256",
            enrolled.hub_cert_sha256.as_deref().map(quoted),
            false,
        ),
    ];
    let mut text = before.clone();
    let mut changes = Vec::new();
    for (key, value, secret) in wanted {
        if key == "point_name" && value.is_none() {
            continue;
        }
        let (next, old) = set(&text, key, value.as_deref());
        if old.as_deref() != value.as_deref() {
            changes.push(Change {
                key,
                before: old.map(|o| if secret { "(set)".into() } else { o }),
            });
        }
        text = next;
    }
    let back: ConfigFile = toml::from_str(&text).map_err(|e| ConfigError::Malformed {
        file: path.display().to_string(),
        message: format!(
            "cannot be updated safely ({}); nothing was changed",
            e.message()
        ),
    })?;
    if back.kiosk_id.as_deref() != Some(enrolled.kiosk_id.as_str())
        || back.hub_token.as_deref() != Some(enrolled.hub_token.as_str())
    {
        return Err(ConfigError::Invalid(format!(
            "{} cannot be updated safely (a key is set twice?); nothing was changed",
            path.display()
        )));
    }
    Ok((text, changes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enrolled() -> Enrolled {
        Enrolled {
            kiosk_id: "SK01".into(),
            point_name: "รพ.สต. คลองมะเดื่อ".into(),
            hub_urls: vec!["https://hub.example".into(), "https://hub2.example".into()],
            hub_token: "rjk_new".into(),
            hub_key: "QUJD".into(),
            hub_cert_sha256: Some("ab".repeat(32)),
        }
    }

    #[test]
    fn a_hand_edited_file_keeps_its_other_lines_and_says_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(
            &path,
            "# the counter at the door\nlang = \"th\"\nhub_url = [\n  \"http://old\",\n  \"http://old2\",\n]\nhub_token_file = \"token\"\n\n[sync]\ninterval_secs = 5.0\n",
        )
        .unwrap();
        let changes = write(&path, &enrolled()).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("# the counter at the door\nlang = \"th\"\n"),
            "{text}"
        );
        assert!(text.contains("[sync]\ninterval_secs = 5.0"), "{text}");
        assert!(
            !text.contains("hub_token_file") && !text.contains("old"),
            "{text}"
        );
        let back: ConfigFile = toml::from_str(&text).unwrap();
        assert_eq!(back.kiosk_id.as_deref(), Some("SK01"));
        assert_eq!(back.hub_url.0.unwrap().as_slice().len(), 2);
        let url = changes.iter().find(|c| c.key == "hub_url").unwrap();
        assert_eq!(
            url.before.as_deref(),
            Some("[\"http://old\",\"http://old2\",]")
        );
        assert!(changes.iter().any(|c| c.key == "hub_token_file"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // The same again changes nothing.
        assert!(write(&path, &enrolled()).unwrap().is_empty());
    }
}
