//! Asking the terminal how it counts Thai columns, before the event stream reads stdin: in raw
//! mode, print a probe at the start of a line and ask for the cursor position (`ESC[6n`).
//! `จำ` ending at column 1 instead of 2 means SARA AM takes no column (kitty); `ก่` ending at
//! column 2 instead of 1 means marks take a cell of their own (old Windows consoles).
//!
//! crossterm waits up to 2 s for the answer; a terminal that does not answer the first probe is
//! not asked the second and is taken as standard. `RUAMJAI_WIDTH_PROFILE=standard|sara-am-zero|
//! marks-spacing` skips the probe.

use std::io::Write;

use crossterm::cursor::{MoveTo, position};
use crossterm::terminal::{Clear, ClearType};
use crossterm::{execute, queue};

use crate::thai::width::WidthProfile;

/// The profile named by `RUAMJAI_WIDTH_PROFILE`, if it names one.
#[must_use]
pub fn from_env(value: Option<&str>) -> Option<WidthProfile> {
    match value?.trim() {
        "standard" => Some(WidthProfile::Standard),
        "sara-am-zero" => Some(WidthProfile::SaraAmZero),
        "marks-spacing" => Some(WidthProfile::MarksSpacing),
        _ => None,
    }
}

fn column_after(out: &mut impl Write, probe: &str) -> Option<u16> {
    queue!(out, MoveTo(0, 0)).ok()?;
    out.write_all(probe.as_bytes()).ok()?;
    out.flush().ok()?;
    position().ok().map(|(x, _)| x)
}

/// Probes the terminal (raw mode must be on, the alternate screen entered).
pub fn probe(out: &mut impl Write) -> WidthProfile {
    let profile = match column_after(out, "\u{0E08}\u{0E33}") {
        None => WidthProfile::Standard,
        Some(1) => WidthProfile::SaraAmZero,
        Some(_) => match column_after(out, "\u{0E01}\u{0E48}") {
            Some(2) => WidthProfile::MarksSpacing,
            _ => WidthProfile::Standard,
        },
    };
    let _ = execute!(out, MoveTo(0, 0), Clear(ClearType::All));
    profile
}
