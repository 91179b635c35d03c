//! `[printer]` in `config.toml`: the counter's thermal printer, read into a
//! [`Printer`](crate::kiosk::print::Printer). No section, no printer: the receipt stays on
//! screen. `device` is `tcp://HOST:9100`, a device file (`/dev/usb/lp0`, `COM3`, a share
//! `\\PC\POS58`) or `cups:QUEUE`; `width` 58 or 80 (mm); `cut` (default true); `mode` `raster`
//! (default) or `text` with `codepage`, the number `ESC t` takes for its Thai page; `bring`, the
//! line on what to bring.

use serde::Deserialize;

use super::ConfigError;
use crate::kiosk::print::{Device, Mode, Printer, Width};

/// `[printer]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PrinterFile {
    pub device: Option<String>,
    pub width: Option<u16>,
    pub cut: Option<bool>,
    pub mode: Option<String>,
    pub codepage: Option<u8>,
    pub bring: Option<String>,
}

impl PrinterFile {
    /// The printer it names, or why not.
    pub fn resolve(self) -> Result<Printer, ConfigError> {
        let bad = |m: String| ConfigError::Invalid(format!("[printer] {m}"));
        let device = Device::parse(self.device.as_deref().unwrap_or_default()).map_err(|e| {
            bad(format!(
                "{e}: set device = \"tcp://HOST:9100\", a device file or \"cups:QUEUE\""
            ))
        })?;
        let width = match self.width.unwrap_or(58) {
            58 | 384 => Width::Mm58,
            80 | 576 => Width::Mm80,
            w => return Err(bad(format!("width = {w}: use 58 or 80 (mm)"))),
        };
        let mode = match self.mode.as_deref().map(str::trim) {
            None | Some("raster") => Mode::Raster,
            Some("text") => Mode::Text,
            Some(m) => return Err(bad(format!("mode = {m:?}: use \"raster\" or \"text\""))),
        };
        Ok(Printer {
            device,
            width,
            cut: self.cut.unwrap_or(true),
            mode,
            // Epson's "Thai Character Code 42"-era tables differ by maker; 21 is common on the
            // Epson-compatible 58 mm printers sold in Thailand. Check the self-test page.
            codepage: self.codepage.unwrap_or(21),
            bring: self.bring.filter(|b| !b.trim().is_empty()),
        })
    }
}
