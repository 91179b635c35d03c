//! The receipt's QR code of the reference, drawn with half blocks by `core::qr`. The dark modules
//! are the blocks: in colour black on white whatever the terminal's theme; under `NO_COLOR` in the
//! terminal's own ink, so the code reads right on a light terminal, on paper and to anything that
//! reads the screen's text, and inverted (which phone readers also accept) on a light-on-dark one
//! (issue 28).

pub use crate::core::qr::render;
