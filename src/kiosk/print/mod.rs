//! The paper slip from the counter's thermal printer. The slip is drawn as an image (Thai shaped
//! from the embedded fonts, so it looks the same on every printer and OS) and sent as ESC/POS
//! raster; a text mode in the printer's Thai code page is there for printers that want it.
//! Printing never holds the counter: the bytes go on their own thread within two seconds, and a
//! fault is reported, never undoes a save. Knows the queue's and the hub's answers as data only.
//!
//! - `slip`: what a slip says ([`Slip`]), the ID masked, its words.
//! - `layout`: the slip drawn on a `canvas` through `font` (shaping and rasterising).
//! - `escpos`: the bytes: raster bands (`GS v 0`), the text mode, feed and cut.
//! - `transport`: TCP, device files, CUPS. - `png`: the slip as a PNG, to check without paper.

pub mod canvas;
pub mod escpos;
pub mod font;
pub mod layout;
mod png;
pub mod slip;
pub mod transport;

use std::time::{Duration, Instant};

pub use self::canvas::Canvas;
pub use self::slip::{Slip, SlipState, mask_id};
pub use self::transport::{DEADLINE, Device, Sent};

/// The paper's width.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Width {
    /// 58 mm paper: 384 dots.
    #[default]
    Mm58,
    /// 80 mm paper: 576 dots.
    Mm80,
}

impl Width {
    #[must_use]
    pub fn dots(self) -> usize {
        match self {
            Self::Mm58 => 384,
            Self::Mm80 => 576,
        }
    }
}

/// How the slip is sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// The slip as an image (`GS v 0`): every ESC/POS printer, Thai always right.
    #[default]
    Raster,
    /// Text in the printer's Thai code page (`ESC t codepage`, Windows-874 bytes); the QR code
    /// as an image. Thai marks as the printer's own font stacks them.
    Text,
}

/// The counter's printer (`[printer]` in `config.toml`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Printer {
    pub device: Device,
    pub width: Width,
    pub cut: bool,
    pub mode: Mode,
    /// `ESC t`'s number for the Thai page in text mode (it differs by maker).
    pub codepage: u8,
    /// The line on what to bring (`None`: the slip's own).
    pub bring: Option<String>,
}

/// Why a slip did not print, in words a clerk can act on.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("the slip's font could not be read (a broken build)")]
    Font,
    #[error("printer {0} refused the connection: is it on, and is 9100 its port?")]
    Refused(String),
    #[error("printer {addr} cannot be reached: {why}")]
    Unreachable { addr: String, why: String },
    #[error("printer {0} did not answer within 2 s: is it on and connected?")]
    NoAnswer(String),
    #[error("no printer at {0}: is it plugged in and on?")]
    NotFound(String),
    #[error("not allowed to write to {0}: add the kiosk's user to the printer's group (lp)")]
    Denied(String),
    #[error("printer {device}: {message}")]
    Io { device: String, message: String },
    #[error("the printer is out of paper: load a roll, then print again")]
    PaperOut,
    #[error("CUPS: {0}")]
    Cups(String),
    #[error(
        "printer {0:?}: printing to a Windows printer by name is not supported yet; share it and set device = \"\\\\\\\\PC\\\\SHARE\", or use tcp://"
    )]
    WindowsName(String),
    #[error("writing {file}: {message}")]
    Png { file: String, message: String },
}

/// What one print did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Printed {
    pub bytes: usize,
    pub paper_low: bool,
    /// Drawing and encoding.
    pub render: Duration,
    /// Sending, up to the printer's answer.
    pub send: Duration,
}

/// The bytes for `slip` on `printer`; `now_ms` stands for a time not given.
pub fn job(printer: &Printer, slip: &Slip, now_ms: i64) -> Result<Vec<u8>, PrintError> {
    let slip = with_bring(printer, slip);
    match printer.mode {
        Mode::Raster => {
            let canvas = layout::render(&slip, printer.width.dots(), now_ms)?;
            Ok(escpos::raster_job(&canvas, printer.cut))
        }
        Mode::Text => Ok(escpos::text_job(
            &layout::text_lines(&slip, printer.width.dots(), now_ms),
            printer.codepage,
            printer.cut,
        )),
    }
}

/// Prints `slip`: drawn, encoded and sent within [`DEADLINE`].
pub fn print(printer: &Printer, slip: &Slip, now_ms: i64) -> Result<Printed, PrintError> {
    let t = Instant::now();
    let bytes = job(printer, slip, now_ms)?;
    let render = t.elapsed();
    let n = bytes.len();
    let sent = transport::send(&printer.device, bytes)?;
    Ok(Printed {
        bytes: n,
        paper_low: sent.paper_low,
        render,
        send: t.elapsed().saturating_sub(render),
    })
}

/// The slip as the raster mode prints it, as PNG bytes (black on white, 1 bit).
pub fn png(slip: &Slip, width: Width, now_ms: i64) -> Result<Vec<u8>, PrintError> {
    let canvas = layout::render(slip, width.dots(), now_ms)?;
    png::encode(&canvas).map_err(|message| PrintError::Png {
        file: String::new(),
        message,
    })
}

/// Writes a canvas as PNG bytes (for tests and checks).
pub fn canvas_png(canvas: &Canvas) -> Result<Vec<u8>, String> {
    png::encode(canvas)
}

fn with_bring(printer: &Printer, slip: &Slip) -> Slip {
    let mut s = slip.clone();
    if s.bring.is_none() {
        s.bring.clone_from(&printer.bring);
    }
    s
}
