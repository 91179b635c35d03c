//! What the terminal shows, column by column, so that a frame also rewrites the columns a
//! terminal would otherwise keep.
//!
//! ratatui sends only the cells that changed and relies on the terminal to clear the columns a
//! wide character covered when something narrower replaces it. A terminal does that for a CJK
//! character, one character two columns wide; but a Thai cluster such as `จำ` is two one-column
//! characters to it (`จ`, then SARA AM in a column of its own), so writing `a` over `จ` leaves `ำ`
//! standing in the next column, where ratatui's buffer holds a blank (THAI.md §1). The same
//! happens to a tone mark that an old console drew in a column of its own.
//!
//! [`Screen`] remembers, for every column, how many columns the terminal gave the cluster written
//! there, and plans each frame's writes: the changed cells, plus every column of an old cluster
//! that a narrower write leaves uncovered, rewritten with what ratatui's buffer holds there. The
//! terminal then shows what a full redraw would.

use ratatui::buffer::Cell;
use ratatui::layout::Size;
use unicode_width::UnicodeWidthStr;

use crate::core::thai::width::{WidthProfile, cluster_width};

/// One write to the terminal.
pub(super) struct Write {
    pub x: u16,
    pub y: u16,
    pub cell: Cell,
    /// Columns the terminal advances for it.
    pub span: u16,
}

/// The terminal's columns as this backend drew them.
#[derive(Default)]
pub(super) struct Screen {
    size: Size,
    /// ratatui's buffer as drawn: each column's cell, blank where a wide cell covers it.
    cells: Vec<Cell>,
    /// Columns the terminal gave the cluster written at each column; 0 where the column belongs
    /// to a cluster on its left.
    span: Vec<u16>,
    /// Scratch for one frame: the columns its writes cover.
    covered: Vec<bool>,
}

impl Screen {
    /// A blank terminal of `size` (after a clear).
    pub fn reset(&mut self, size: Size) {
        let n = usize::from(size.width) * usize::from(size.height);
        self.size = size;
        self.cells.clear();
        self.cells.resize(n, Cell::default());
        self.span.clear();
        self.span.resize(n, 1);
        self.covered.clear();
        self.covered.resize(n, false);
    }

    /// The writes that bring the terminal to ratatui's new buffer, given the cells that changed
    /// (`content`, from ratatui's diff), in row order.
    pub fn plan<'a>(
        &mut self,
        content: impl Iterator<Item = (u16, u16, &'a Cell)>,
        size: Size,
        profile: WidthProfile,
    ) -> Vec<Write> {
        if size != self.size {
            // ratatui clears the terminal on every resize; a screen drawn before that is gone.
            self.reset(size);
        }
        let width = usize::from(size.width);
        let mut changed: Vec<(usize, &Cell)> = content
            .filter(|(x, y, _)| *x < size.width && *y < size.height)
            .map(|(x, y, c)| (usize::from(y) * width + usize::from(x), c))
            .collect();
        changed.sort_by_key(|(i, _)| *i);
        changed.dedup_by_key(|(i, _)| *i);

        let (mut writes, padding) = self.writes(&changed, width, profile);
        for w in &writes {
            self.cover(w, width);
        }
        let left = self.left_behind(&writes, width, profile);
        writes.extend(left);
        writes.sort_by_key(|w| (w.y, w.x));
        self.covered.fill(false);
        self.record(&writes, &padding, width);
        writes
    }

    /// The changed cells as writes, and the padding blanks that need no write: blanks the UI put
    /// after a cluster that this terminal draws wider than ratatui counts (`ui::style::adjust`),
    /// whose columns hold the cluster's marks.
    fn writes(
        &self,
        changed: &[(usize, &Cell)],
        width: usize,
        profile: WidthProfile,
    ) -> (Vec<Write>, Vec<(usize, Cell)>) {
        let mut writes = Vec::with_capacity(changed.len());
        let mut padding = Vec::new();
        let mut cover_end = 0;
        for &(i, cell) in changed {
            let sym = cell.symbol();
            if i < cover_end && sym == " " {
                padding.push((i, cell.clone()));
                continue;
            }
            let (x, y) = (i % width, i / width);
            let ours = sym.width();
            let theirs = cluster_width(sym, profile);
            let end = (y * width + (x + ours.max(theirs)).min(width)).max(i + 1);
            if i < cover_end {
                // Written over the marks of the cluster before it (no padding there): the columns
                // of that cluster past this one would keep its last marks. Rewrite those this
                // frame does not change.
                for j in end..cover_end {
                    if changed.binary_search_by_key(&j, |(k, _)| *k).is_err() {
                        let c = self.cells[j].clone();
                        let span = cluster_width(c.symbol(), profile);
                        writes.push(write(j % width, y, c, span));
                    }
                }
            }
            writes.push(write(x, y, cell.clone(), theirs));
            // Narrower than ratatui counts (kitty's SARA AM): blank what the terminal left empty.
            for k in theirs..ours {
                let mut blank = cell.clone();
                blank.set_symbol(" ");
                if x + k < width {
                    writes.push(write(x + k, y, blank, 1));
                }
            }
            cover_end = end;
        }
        (writes, padding)
    }

    /// Marks the columns `w` covers.
    fn cover(&mut self, w: &Write, width: usize) {
        let (x, row) = (usize::from(w.x), usize::from(w.y) * width);
        let end = (x + usize::from(w.span).max(1)).min(width);
        for c in x..end {
            self.covered[row + c] = true;
        }
    }

    /// The column where the cluster covering column `i` of its row starts.
    fn start_of(&self, i: usize, width: usize) -> usize {
        let row = i - i % width;
        let mut s = i;
        while s > row && self.span[s] == 0 {
            s -= 1;
        }
        s
    }

    /// Columns of clusters already on the terminal that this frame's writes overlap but do not
    /// cover: the terminal would keep showing them. Each is rewritten with ratatui's cell.
    fn left_behind(&mut self, writes: &[Write], width: usize, profile: WidthProfile) -> Vec<Write> {
        let mut more = Vec::new();
        for w in writes {
            let (x, row) = (usize::from(w.x), usize::from(w.y) * width);
            let end = (x + usize::from(w.span).max(1)).min(width);
            for c in x..end {
                let s = self.start_of(row + c, width);
                if s < row + c && c > x {
                    // Inside a cluster whose start this loop has already seen.
                    continue;
                }
                let old_end = (s + usize::from(self.span[s])).min(row + width);
                for j in (row + end)..old_end {
                    if !self.covered[j] {
                        self.covered[j] = true;
                        let cell = self.cells[j].clone();
                        let span = cluster_width(cell.symbol(), profile);
                        more.push(write(j - row, row / width, cell, span));
                    }
                }
            }
        }
        more
    }

    /// Remembers what `writes` (in row order) and `padding` left on the terminal.
    fn record(&mut self, writes: &[Write], padding: &[(usize, Cell)], width: usize) {
        for w in writes {
            let (x, row) = (usize::from(w.x), usize::from(w.y) * width);
            let i = row + x;
            if self.span[i] == 0 {
                // Written over the right part of a cluster: its left part is all that is left.
                let s = self.start_of(i, width);
                if s + usize::from(self.span[s]) > i {
                    self.span[s] = u16::try_from(i - s).unwrap_or(u16::MAX);
                }
            }
            let ours = w.cell.symbol().width();
            self.cells[i] = w.cell.clone();
            self.span[i] = w.span.max(1);
            for c in (x + 1)..(x + usize::from(w.span)).min(width) {
                self.span[row + c] = 0;
            }
            // ratatui blanks the cells a wide cell covers.
            for c in (x + 1)..(x + ours).min(width) {
                self.cells[row + c] = Cell::default();
            }
        }
        for (i, cell) in padding {
            self.cells[*i] = cell.clone();
        }
    }
}

fn write(x: usize, y: usize, cell: Cell, span: usize) -> Write {
    Write {
        x: u16::try_from(x).unwrap_or(u16::MAX),
        y: u16::try_from(y).unwrap_or(u16::MAX),
        cell,
        span: u16::try_from(span).unwrap_or(u16::MAX),
    }
}
