//! Text to dots: the embedded fonts (`assets/fonts/`, Noto Sans Thai and a Latin cut of Noto
//! Sans, OFL), shaping by `rustybuzz` (`HarfBuzz`'s rules: Thai marks stacked on their base, SARA AM
//! split into NIKHAHIT over the base and SARA AA after it) and each glyph's outline filled by
//! `ab_glyph_rasterizer`, a dot burnt where it covers half or more. Thai runs use the Thai face,
//! the rest the Latin one; spaces and hyphens stay with the run they are in.

use std::sync::OnceLock;

use ab_glyph_rasterizer::{Point, Rasterizer, point};
use rustybuzz::ttf_parser::{GlyphId, OutlineBuilder};
use rustybuzz::{Face, UnicodeBuffer};

use super::PrintError;
use super::canvas::Canvas;

static THAI_REGULAR: &[u8] = include_bytes!("../../../assets/fonts/NotoSansThai-Regular.ttf");
static THAI_BOLD: &[u8] = include_bytes!("../../../assets/fonts/NotoSansThai-Bold.ttf");
static LATIN_REGULAR: &[u8] = include_bytes!("../../../assets/fonts/NotoSans-Regular-Latin.ttf");
static LATIN_BOLD: &[u8] = include_bytes!("../../../assets/fonts/NotoSans-Bold-Latin.ttf");

/// The weight of a line of text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

struct Faces {
    thai: Face<'static>,
    latin: Face<'static>,
}

fn faces(weight: Weight) -> Result<&'static Faces, PrintError> {
    static REGULAR: OnceLock<Option<Faces>> = OnceLock::new();
    static BOLD: OnceLock<Option<Faces>> = OnceLock::new();
    let (cell, thai, latin) = match weight {
        Weight::Regular => (&REGULAR, THAI_REGULAR, LATIN_REGULAR),
        Weight::Bold => (&BOLD, THAI_BOLD, LATIN_BOLD),
    };
    cell.get_or_init(|| {
        Some(Faces {
            thai: Face::from_slice(thai, 0)?,
            latin: Face::from_slice(latin, 0)?,
        })
    })
    .as_ref()
    .ok_or(PrintError::Font)
}

/// Which face a character is drawn from; `None` for one either has (space, hyphen).
fn is_thai(c: char) -> Option<bool> {
    match c {
        ' ' | '-' | '\u{a0}' => None,
        '\u{0e00}'..='\u{0e7f}' | '\u{25cc}' | '\u{200b}'..='\u{200d}' => Some(true),
        _ => Some(false),
    }
}

/// One glyph placed: its pen position and offset in dots (y up), its face and id, and the
/// character (byte offset in the text) it came from.
#[derive(Clone, Copy, Debug)]
pub struct Glyph {
    pub x: f32,
    pub y: f32,
    pub cluster: usize,
    thai: bool,
    id: u16,
}

/// A line of text shaped at a size, ready to draw.
pub struct Shaped {
    pub glyphs: Vec<Glyph>,
    /// The pen's advance over the whole line, in dots.
    pub width: f32,
    scale_thai: f32,
    scale_latin: f32,
    faces: &'static Faces,
}

/// Shapes `text` at `size` dots to the em.
pub fn shape(text: &str, size: f32, weight: Weight) -> Result<Shaped, PrintError> {
    let faces = faces(weight)?;
    let scale = |f: &Face<'_>| size / f.units_per_em() as f32;
    let mut out = Shaped {
        glyphs: Vec::new(),
        width: 0.0,
        scale_thai: scale(&faces.thai),
        scale_latin: scale(&faces.latin),
        faces,
    };
    for (start, run, thai) in runs(text) {
        let (face, s) = if thai {
            (&faces.thai, out.scale_thai)
        } else {
            (&faces.latin, out.scale_latin)
        };
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(run);
        buffer.guess_segment_properties();
        let shaped = rustybuzz::shape(face, &[], buffer);
        for (info, pos) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
            out.glyphs.push(Glyph {
                x: out.width + pos.x_offset as f32 * s,
                y: pos.y_offset as f32 * s,
                cluster: start + info.cluster as usize,
                thai,
                id: u16::try_from(info.glyph_id).unwrap_or(0),
            });
            out.width += pos.x_advance as f32 * s;
        }
    }
    Ok(out)
}

/// `text` cut into runs of one face: (byte offset, run, Thai).
fn runs(text: &str) -> Vec<(usize, &str, bool)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut current: Option<bool> = None;
    for (i, c) in text.char_indices() {
        match (is_thai(c), current) {
            (Some(t), Some(cur)) if t != cur => {
                out.push((start, &text[start..i], cur));
                start = i;
                current = Some(t);
            }
            (Some(t), None) => current = Some(t),
            _ => {}
        }
    }
    if start < text.len() {
        out.push((start, &text[start..], current.unwrap_or(false)));
    }
    out
}

impl Shaped {
    /// Draws the line with its pen starting at `x` on the baseline `baseline`.
    pub fn draw(&self, canvas: &mut Canvas, x: f32, baseline: f32) {
        for g in &self.glyphs {
            let (face, s) = self.face(g);
            raster(face, g.id, s, |gx, gy| {
                canvas.set(
                    (x + g.x).round() as i64 + gx,
                    (baseline - g.y).round() as i64 + gy,
                );
            });
        }
    }

    /// Each glyph's inked box relative to the pen's start and the baseline, y down: (cluster,
    /// left, top, right, bottom), for checking where marks went.
    #[must_use]
    pub fn ink_boxes(&self) -> Vec<(usize, i64, i64, i64, i64)> {
        let mut out = Vec::new();
        for g in &self.glyphs {
            let (face, scale) = self.face(g);
            let (mut left, mut top) = (i64::MAX, i64::MAX);
            let (mut right, mut bottom) = (i64::MIN, i64::MIN);
            raster(face, g.id, scale, |gx, gy| {
                let (px, py) = (g.x.round() as i64 + gx, -g.y.round() as i64 + gy);
                (left, top) = (left.min(px), top.min(py));
                (right, bottom) = (right.max(px), bottom.max(py));
            });
            if left <= right {
                out.push((g.cluster, left, top, right, bottom));
            }
        }
        out
    }

    fn face(&self, g: &Glyph) -> (&'static Face<'static>, f32) {
        if g.thai {
            (&self.faces.thai, self.scale_thai)
        } else {
            (&self.faces.latin, self.scale_latin)
        }
    }
}

/// The vertical metrics of the Thai face at `size` dots: (ascent, descent), both positive; the
/// Thai face reaches higher (stacked marks) and lower than the Latin one.
pub fn line_metrics(size: f32) -> Result<(f32, f32), PrintError> {
    let f = &faces(Weight::Regular)?.thai;
    let s = size / f.units_per_em() as f32;
    Ok((f32::from(f.ascender()) * s, -f32::from(f.descender()) * s))
}

/// Calls `dot(x, y)` for each dot of glyph `id` at scale `s`, relative to its pen on the
/// baseline, y down.
fn raster(face: &Face<'_>, id: u16, s: f32, mut dot: impl FnMut(i64, i64)) {
    let Some(bbox) = face.glyph_bounding_box(GlyphId(id)) else {
        return;
    };
    let left = (f32::from(bbox.x_min) * s).floor();
    let top = (f32::from(bbox.y_max) * s).ceil();
    let w = ((f32::from(bbox.x_max) * s).ceil() - left) as usize + 1;
    let h = (top - (f32::from(bbox.y_min) * s).floor()) as usize + 1;
    if w > 4096 || h > 4096 {
        return;
    }
    let mut pen = Pen {
        r: Rasterizer::new(w, h),
        s,
        left,
        top,
        at: point(0.0, 0.0),
        start: point(0.0, 0.0),
    };
    if face.outline_glyph(GlyphId(id), &mut pen).is_none() {
        return;
    }
    pen.r.for_each_pixel_2d(|x, y, alpha| {
        if alpha >= 0.5 {
            dot(i64::from(x) + left as i64, i64::from(y) - top as i64);
        }
    });
}

/// An outline, in font units, into the rasteriser's dots.
struct Pen {
    r: Rasterizer,
    s: f32,
    left: f32,
    top: f32,
    at: Point,
    start: Point,
}

impl Pen {
    fn p(&self, x: f32, y: f32) -> Point {
        point(x * self.s - self.left, self.top - y * self.s)
    }
}

impl OutlineBuilder for Pen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.at = self.p(x, y);
        self.start = self.at;
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let p = self.p(x, y);
        self.r.draw_line(self.at, p);
        self.at = p;
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let (c, p) = (self.p(x1, y1), self.p(x, y));
        self.r.draw_quad(self.at, c, p);
        self.at = p;
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let (c1, c2, p) = (self.p(x1, y1), self.p(x2, y2), self.p(x, y));
        self.r.draw_cubic(self.at, c1, c2, p);
        self.at = p;
    }
    fn close(&mut self) {
        if self.at != self.start {
            self.r.draw_line(self.at, self.start);
        }
        self.at = self.start;
    }
}
