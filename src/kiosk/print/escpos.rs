//! The bytes a printer is sent. Written by hand: the few ESC/POS commands a slip needs are fixed
//! byte strings from Epson's reference (the Rust ESC/POS crates would bring their own image and
//! transport layers for these, and none stacks Thai marks). Raster (the default): `ESC @`, the
//! canvas as `GS v 0` images of at most [`BAND_ROWS`] rows each, so a long slip never overflows
//! a small printer's input buffer, then feed and cut. Text: the lines in Windows-874 after
//! `ESC t` selects the printer's Thai code page, for printers that want it; the QR code still
//! goes as raster, and Thai marks are as the printer's own font draws them.

use super::canvas::Canvas;

/// Rows per `GS v 0` image: 64 rows are 3 KB on 58 mm paper, 4.5 KB on 80 mm.
pub const BAND_ROWS: usize = 64;

const INIT: [u8; 2] = [0x1b, 0x40];
/// `ESC d 4`: feed four lines, past the tear bar.
const FEED: [u8; 3] = [0x1b, 0x64, 4];
/// `GS V 66 0`: feed to the cutter and cut, leaving a hinge (partial cut).
const CUT: [u8; 4] = [0x1d, 0x56, 0x42, 0];
/// `DLE EOT 4`: the paper sensor's state, answered at once by a printer that supports it.
pub const PAPER_STATUS: [u8; 3] = [0x10, 0x04, 4];

/// The whole job for `canvas`: init, the bands, feed, and cut when `cut`.
#[must_use]
pub fn raster_job(canvas: &Canvas, cut: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(canvas.rows().len() + 64);
    out.extend_from_slice(&INIT);
    raster(&mut out, canvas);
    finish(&mut out, cut);
    out
}

/// Appends `canvas` as `GS v 0` bands.
pub fn raster(out: &mut Vec<u8>, canvas: &Canvas) {
    let bpr = canvas.bytes_per_row();
    if bpr == 0 {
        return;
    }
    for band in canvas.rows().chunks(bpr * BAND_ROWS) {
        let rows = band.len() / bpr;
        out.extend_from_slice(&[0x1d, 0x76, 0x30, 0]);
        out.extend_from_slice(&(bpr as u16).to_le_bytes());
        out.extend_from_slice(&(rows as u16).to_le_bytes());
        out.extend_from_slice(band);
    }
}

fn finish(out: &mut Vec<u8>, cut: bool) {
    out.extend_from_slice(&FEED);
    if cut {
        out.extend_from_slice(&CUT);
    }
}

/// One line of the text mode.
#[derive(Clone, Debug)]
pub enum TextLine {
    Plain(String),
    /// Double width and height (the reference).
    Large(String),
    Image(Canvas),
}

/// The text mode's job: `codepage` is the number `ESC t` takes for the printer's Thai page
/// (it differs by maker; see its self-test page). Characters Windows-874 lacks print as `?`.
#[must_use]
pub fn text_job(lines: &[TextLine], codepage: u8, cut: bool) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&INIT);
    out.extend_from_slice(&[0x1b, 0x74, codepage]);
    for line in lines {
        match line {
            TextLine::Plain(s) => {
                out.extend(cp874(s));
                out.push(b'\n');
            }
            TextLine::Large(s) => {
                out.extend_from_slice(&[0x1d, 0x21, 0x11]);
                out.extend(cp874(s));
                out.extend_from_slice(&[b'\n', 0x1d, 0x21, 0]);
            }
            TextLine::Image(c) => raster(&mut out, c),
        }
    }
    finish(&mut out, cut);
    out
}

/// `s` in Windows-874 (TIS-620 with the Windows additions): a character it lacks is `?`, a
/// control character a space.
fn cp874(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut buf = [0u8; 4];
    for c in s.chars() {
        let c = if c.is_control() { ' ' } else { c };
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_874.encode(c.encode_utf8(&mut buf));
        if unmappable {
            out.push(b'?');
        } else {
            out.extend_from_slice(&bytes);
        }
    }
    out
}
