//! `config.toml` as it is written: its keys (`ConfigFile`, unknown ones refused), reading it (a
//! missing file is the defaults, a malformed one says the line and the key), and the hub token
//! it holds or names, with a warning when other users can read it. What the keys become, with
//! the environment and the flags over them, is [`load`](super::load)'s.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::hub_urls::FileHubUrl;
use super::{ConfigError, SyncSettings};
use crate::core::thai::Lang;

/// The keys of `config.toml`, as written (each optional).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ConfigFile {
    pub kiosk_id: Option<String>,
    pub point_name: Option<String>,
    #[serde(default)]
    pub hub_url: FileHubUrl,
    pub hub_token: Option<String>,
    pub hub_token_file: Option<PathBuf>,
    pub hub_ca_file: Option<PathBuf>,
    pub hub_cert_sha256: Option<String>,
    pub hub_key: Option<String>,
    pub lang: Option<Lang>,
    pub campaign: Option<String>,
    pub retention_days: Option<u32>,
    pub retain_hours: Option<u32>,
    pub warn_pending_minutes: Option<u64>,
    pub critical_pending_minutes: Option<u64>,
    #[serde(default)]
    pub sync: SyncSettings,
    pub printer: Option<super::printer::PrinterFile>,
}

impl ConfigFile {
    /// The file at `path`; a missing one is the defaults.
    pub fn read(path: &Path) -> Result<Self, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => {
                return Err(ConfigError::Unreadable {
                    file: path.display().to_string(),
                    message: e.to_string(),
                });
            }
        };
        toml::from_str(&text).map_err(|e| ConfigError::Malformed {
            file: path.display().to_string(),
            message: crate::core::toml_error::describe(&text, &e),
        })
    }

    /// The hub token: in the file, or in the file `hub_token_file` names (beside it); either
    /// one that other users can read is warned about.
    pub fn hub_token(
        &self,
        config_path: &Path,
        warnings: &mut Vec<String>,
    ) -> Result<Option<String>, ConfigError> {
        let mut token = self.hub_token.clone();
        if token.is_some() {
            warn_if_shared(config_path, warnings);
        }
        if let Some(tf) = &self.hub_token_file {
            let tf = config_path
                .parent()
                .map_or_else(|| tf.clone(), |p| p.join(tf));
            let text = std::fs::read_to_string(&tf).map_err(|e| ConfigError::Unreadable {
                file: tf.display().to_string(),
                message: e.to_string(),
            })?;
            token = Some(text.trim().to_owned());
            warn_if_shared(&tf, warnings);
        }
        Ok(token)
    }
}

#[cfg(unix)]
fn warn_if_shared(path: &Path, warnings: &mut Vec<String>) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        warnings.push(format!(
            "{} holds the hub token and other users can read it: run chmod 600 {}",
            path.display(),
            path.display()
        ));
    }
}

#[cfg(not(unix))]
fn warn_if_shared(_path: &Path, _warnings: &mut Vec<String>) {}
