//! Asking the terminal how it counts Thai columns, before the event stream reads stdin. In raw
//! mode, on the alternate screen, one write prints two probes, each at the start of a row and
//! each followed by a cursor position request (`ESC[6n`), so a slow SSH link costs one round
//! trip, not two:
//! - `จำ` ending at column 1 instead of 2 means SARA AM takes no column (kitty, as THAI.md says;
//!   Debian's kitty 0.26.5 counts it like xterm: see TERMINALS.md);
//! - `ก่` ending at column 2 instead of 1 means marks take a cell of their own (old consoles).
//!
//! On Unix the answers are read straight from the terminal with `poll`, for at most
//! [`DEADLINE`] in all; a terminal that does not answer in time is taken as standard, and an
//! answer that comes later is parsed and dropped by crossterm's event reader. Keys typed in
//! those few milliseconds are read with the answers and lost. On Windows crossterm asks the
//! console itself, which answers at once. `RUAMJAI_WIDTH_PROFILE=standard|sara-am-zero|
//! marks-spacing` skips the probe.

use std::io::Write;
use std::time::{Duration, Instant};

use crossterm::cursor::MoveTo;
use crossterm::terminal::{Clear, ClearType};
use crossterm::{execute, queue};

use crate::core::thai::width::WidthProfile;

/// The longest the kiosk waits for the terminal's answers, over SSH too.
pub const DEADLINE: Duration = Duration::from_millis(200);

/// The two probes, each written from the start of its row (1-based, as the reports come back).
const PROBES: [(u16, &str); 2] = [(1, "\u{0E08}\u{0E33}"), (2, "\u{0E01}\u{0E48}")];

/// What the probe found, for the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Probed {
    pub profile: WidthProfile,
    /// How many of the two position reports came back in time.
    pub answers: usize,
    pub took: Duration,
}

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

/// Cursor position reports (`ESC [ row ; col R`, 1-based) found in `bytes`, in order; anything
/// else (keys typed meanwhile, a report cut short) is skipped. (Windows asks the console instead.)
#[cfg(any(unix, test))]
#[must_use]
pub fn reports(bytes: &[u8]) -> Vec<(u16, u16)> {
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(at) = bytes[i..].windows(2).position(|w| w == b"\x1b[") {
        let start = i + at + 2;
        i = start;
        let Some(len) = bytes[start..]
            .iter()
            .position(|b| !b.is_ascii_digit() && *b != b';')
        else {
            break;
        };
        if bytes[start + len] != b'R' {
            continue;
        }
        let body = std::str::from_utf8(&bytes[start..start + len]).unwrap_or_default();
        if let Some((row, col)) = body.split_once(';')
            && let (Ok(row), Ok(col)) = (row.parse(), col.parse())
        {
            found.push((row, col));
        }
        i = start + len + 1;
    }
    found
}

/// The profile the reports point to. The first report answers the SARA AM probe, the second
/// the marks probe; a missing answer counts as standard behaviour.
#[must_use]
pub fn decide(reports: &[(u16, u16)]) -> WidthProfile {
    let column_after = |n: usize| reports.get(n).map(|&(_, col)| col);
    if column_after(0) == Some(2) {
        WidthProfile::SaraAmZero
    } else if column_after(1) == Some(3) {
        WidthProfile::MarksSpacing
    } else {
        WidthProfile::Standard
    }
}

/// Probes the terminal (raw mode must be on, the alternate screen entered) and clears the
/// screen again.
pub fn probe(out: &mut impl Write) -> Probed {
    let start = Instant::now();
    let found = ask(out, start + DEADLINE);
    let _ = execute!(out, MoveTo(0, 0), Clear(ClearType::All));
    Probed {
        profile: decide(&found),
        answers: found.len(),
        took: start.elapsed(),
    }
}

#[cfg(unix)]
fn ask(out: &mut impl Write, deadline: Instant) -> Vec<(u16, u16)> {
    let mut request = Vec::new();
    for (row, text) in PROBES {
        let _ = queue!(request, MoveTo(0, row - 1));
        request.extend_from_slice(text.as_bytes());
        request.extend_from_slice(b"\x1b[6n");
    }
    if out.write_all(&request).and_then(|()| out.flush()).is_err() {
        return Vec::new();
    }
    tty::read_reports(deadline, PROBES.len()).unwrap_or_default()
}

#[cfg(not(unix))]
fn ask(out: &mut impl Write, _deadline: Instant) -> Vec<(u16, u16)> {
    let mut found = Vec::new();
    for (row, text) in PROBES {
        let _ = queue!(out, MoveTo(0, row - 1));
        if out
            .write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .is_err()
        {
            break;
        }
        match crossterm::cursor::position() {
            Ok((x, y)) => found.push((y + 1, x + 1)),
            Err(_) => break,
        }
    }
    found
}

#[cfg(unix)]
mod tty {
    //! Reading the answers from the terminal crossterm will read keys from (stdin when it is
    //! one, else `/dev/tty`), unbuffered, so nothing after them is held back from crossterm.

    use std::fs::File;
    use std::io::{self, IsTerminal};
    use std::os::fd::{AsFd, BorrowedFd};
    use std::time::Instant;

    use rustix::event::{PollFd, PollFlags, Timespec, poll};

    pub(super) fn read_reports(deadline: Instant, wanted: usize) -> io::Result<Vec<(u16, u16)>> {
        let stdin = io::stdin();
        let dev_tty;
        let fd: BorrowedFd<'_> = if stdin.is_terminal() {
            stdin.as_fd()
        } else {
            dev_tty = File::open("/dev/tty")?;
            dev_tty.as_fd()
        };
        let mut got = Vec::new();
        let mut chunk = [0u8; 64];
        loop {
            let found = super::reports(&got);
            let left = deadline.saturating_duration_since(Instant::now());
            if found.len() >= wanted || left.is_zero() {
                return Ok(found);
            }
            let timeout = Timespec::try_from(left).map_err(io::Error::other)?;
            let mut fds = [PollFd::new(&fd, PollFlags::IN)];
            match poll(&mut fds, Some(&timeout)) {
                Ok(0) => return Ok(found),
                Ok(_) => {}
                Err(rustix::io::Errno::INTR) => continue,
                Err(e) => return Err(e.into()),
            }
            match rustix::io::read(fd, &mut chunk) {
                Ok(0) => return Ok(found),
                Ok(n) => got.extend_from_slice(&chunk[..n]),
                Err(rustix::io::Errno::INTR | rustix::io::Errno::AGAIN) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_are_found_among_other_input() {
        assert_eq!(reports(b"\x1b[1;3R\x1b[2;2R"), vec![(1, 3), (2, 2)]);
        assert_eq!(
            reports(b"a\x1b[A\x1b[12;80Rx\x1b[3~\x1b[1;2R"),
            vec![(12, 80), (1, 2)],
            "arrow and Delete keys are skipped"
        );
        assert_eq!(reports(b"\x1b[1;3"), vec![], "a report cut short");
        assert_eq!(reports(b"\x1b[1R\x1b[;R"), vec![], "malformed reports");
        assert_eq!(reports(b""), vec![]);
    }

    #[test]
    fn the_reports_decide_the_profile() {
        assert_eq!(decide(&[(1, 3), (2, 2)]), WidthProfile::Standard);
        assert_eq!(decide(&[(1, 2), (2, 2)]), WidthProfile::SaraAmZero);
        assert_eq!(decide(&[(1, 3), (2, 3)]), WidthProfile::MarksSpacing);
        assert_eq!(
            decide(&[(1, 3)]),
            WidthProfile::Standard,
            "no second answer"
        );
        assert_eq!(decide(&[]), WidthProfile::Standard, "no answer");
    }

    #[test]
    fn the_environment_names_a_profile() {
        assert_eq!(
            from_env(Some(" sara-am-zero ")),
            Some(WidthProfile::SaraAmZero)
        );
        assert_eq!(
            from_env(Some("marks-spacing")),
            Some(WidthProfile::MarksSpacing)
        );
        assert_eq!(from_env(Some("standard")), Some(WidthProfile::Standard));
        assert_eq!(from_env(Some("kitty")), None);
        assert_eq!(from_env(None), None);
    }
}
