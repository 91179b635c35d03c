//! A QR code drawn as text with half blocks: two modules per text row, a quiet zone of two
//! modules. The dark modules are the blocks; how they are coloured is the caller's (the receipt
//! screen's, `hub enrol`'s). Shared by the kiosk's receipt and the hub's enrolment code.

use qrcode::{Color, QrCode};

/// Modules of quiet zone on each side.
const QUIET: usize = 2;

/// The code's rows of text (each `width()` columns), or `None` when the text cannot be encoded.
#[must_use]
pub fn render(text: &str) -> Option<Vec<String>> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    let n = code.width();
    let colors = code.to_colors();
    let size = n + 2 * QUIET;
    let dark = |x: usize, y: usize| {
        x >= QUIET
            && y >= QUIET
            && x < n + QUIET
            && y < n + QUIET
            && colors[(y - QUIET) * n + (x - QUIET)] == Color::Dark
    };
    let on = |x: usize, y: usize| y < size && dark(x, y);
    let mut rows = Vec::with_capacity(size.div_ceil(2));
    for y in (0..size).step_by(2) {
        let row: String = (0..size)
            .map(|x| match (on(x, y), on(x, y + 1)) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            })
            .collect();
        rows.push(row);
    }
    Some(rows)
}
