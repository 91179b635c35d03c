//! The slip as dots: a 1-bit bitmap as wide as the printer's head (384 dots on 58 mm paper, 576
//! on 80 mm), packed eight dots to a byte, most significant first, 1 for a burnt dot: exactly the
//! rows `GS v 0` sends. It grows downwards as the layout draws; what falls outside is clipped.

/// A 1-bit image, `width` dots wide (a multiple of 8), as long as drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Canvas {
    width: usize,
    height: usize,
    bits: Vec<u8>,
}

impl Canvas {
    /// An empty canvas `width` dots wide (rounded up to a whole byte).
    #[must_use]
    pub fn new(width: usize) -> Self {
        Self {
            width: width.div_ceil(8) * 8,
            height: 0,
            bits: Vec::new(),
        }
    }

    /// A canvas from packed rows (`bytes_per_row` bytes each), as a printer receives them.
    #[must_use]
    pub fn from_rows(bytes_per_row: usize, bits: Vec<u8>) -> Self {
        let height = bits.len().checked_div(bytes_per_row).unwrap_or(0);
        let mut bits = bits;
        bits.truncate(height * bytes_per_row);
        Self {
            width: bytes_per_row * 8,
            height,
            bits,
        }
    }

    #[must_use]
    pub fn width(&self) -> usize {
        self.width
    }

    #[must_use]
    pub fn height(&self) -> usize {
        self.height
    }

    #[must_use]
    pub fn bytes_per_row(&self) -> usize {
        self.width / 8
    }

    /// The packed rows, top first.
    #[must_use]
    pub fn rows(&self) -> &[u8] {
        &self.bits
    }

    /// Makes the canvas at least `height` rows long (the new rows blank).
    pub fn grow_to(&mut self, height: usize) {
        if height > self.height {
            self.height = height;
            self.bits.resize(height * self.bytes_per_row(), 0);
        }
    }

    /// Burns the dot at (`x`, `y`); outside the width or above the top it is dropped, below the
    /// bottom the canvas grows.
    pub fn set(&mut self, x: i64, y: i64) {
        let (Ok(x), Ok(y)) = (usize::try_from(x), usize::try_from(y)) else {
            return;
        };
        if x >= self.width {
            return;
        }
        self.grow_to(y + 1);
        let bpr = self.bytes_per_row();
        self.bits[y * bpr + x / 8] |= 0x80 >> (x % 8);
    }

    /// Whether the dot at (`x`, `y`) is burnt.
    #[must_use]
    pub fn get(&self, x: usize, y: usize) -> bool {
        x < self.width
            && y < self.height
            && self.bits[y * self.bytes_per_row() + x / 8] & (0x80 >> (x % 8)) != 0
    }

    /// A filled rectangle.
    pub fn fill(&mut self, x: i64, y: i64, w: i64, h: i64) {
        for yy in y..y + h {
            for xx in x..x + w {
                self.set(xx, yy);
            }
        }
    }

    /// A dotted line across the slip at row `y` (a cut mark between parts).
    pub fn dotted_rule(&mut self, y: i64) {
        for x in (0..self.width as i64).step_by(6) {
            self.fill(x, y, 3, 2);
        }
    }
}
