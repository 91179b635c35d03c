//! A [`Slip`] drawn on a [`Canvas`] as wide as the paper: the campaign's name and the point
//! centred, the reference in large bold type fitted to the width, its QR code, then the facts as
//! "label: value" lines wrapped at spaces (or between characters for a long Thai run), and what
//! to bring. Sizes are in dots (203 dpi: 8 dots to the millimetre).

use qrcode::{Color, QrCode};
use unicode_segmentation::UnicodeSegmentation;

use super::PrintError;
use super::canvas::Canvas;
use super::escpos::TextLine;
use super::font::{Weight, line_metrics, shape};
use super::slip::{Slip, words};

/// The side margins, in dots.
const MARGIN: f32 = 8.0;
/// Body text, dots to the em (about 3.5 mm).
const BODY: f32 = 26.0;
const TITLE: f32 = 32.0;
/// The most characters of one field drawn.
const MAX_CHARS: usize = 240;
/// The largest the reference is drawn.
const REFERENCE_MAX: f32 = 72.0;

#[derive(Clone, Copy)]
enum Align {
    Left,
    Centre,
}

/// Draws `slip` on a canvas `width` dots wide; `now_ms` stands for a time not given.
pub fn render(slip: &Slip, width: usize, now_ms: i64) -> Result<Canvas, PrintError> {
    let l = slip.lang;
    let mut c = Canvas::new(width);
    let mut y = 4.0;
    y = paragraph(
        &mut c,
        y,
        &slip.campaign,
        TITLE,
        Weight::Bold,
        Align::Centre,
    )?;
    if !slip.point.is_empty() {
        y = paragraph(&mut c, y, &slip.point, BODY, Weight::Regular, Align::Centre)?;
    }
    y += 6.0;
    c.dotted_rule(y as i64);
    y += 10.0;
    y = paragraph(
        &mut c,
        y,
        words::reference(l),
        BODY * 0.85,
        Weight::Regular,
        Align::Centre,
    )?;
    y = reference(&mut c, y, &slip.reference)?;
    y = qr(&mut c, y + 4.0, &slip.qr) + 4.0;
    let fact = |c: &mut Canvas, y: f32, label: &str, value: &str| {
        if value.is_empty() {
            Ok(y)
        } else {
            paragraph(
                c,
                y,
                &format!("{label}: {value}"),
                BODY,
                Weight::Regular,
                Align::Left,
            )
        }
    };
    y = fact(&mut c, y, words::group(l), &slip.group)?;
    y = fact(&mut c, y, words::state(l), &slip.state.say(l))?;
    y = fact(&mut c, y, words::when(l), &slip.when(now_ms))?;
    y = fact(&mut c, y, words::id(l), &slip.id_masked)?;
    if let Some(a) = &slip.appointment {
        y = fact(&mut c, y, words::appointment(l), a)?;
    }
    if let Some(s) = &slip.security_code {
        y = fact(&mut c, y, words::security_code(l), s)?;
    }
    y += 6.0;
    c.dotted_rule(y as i64);
    y += 10.0;
    let bring = slip.bring.as_deref().unwrap_or(words::bring(l));
    y = paragraph(&mut c, y, bring, BODY, Weight::Bold, Align::Left)?;
    y = paragraph(
        &mut c,
        y,
        words::keep(l),
        BODY * 0.85,
        Weight::Regular,
        Align::Left,
    )?;
    c.grow_to(y as usize + 16);
    Ok(c)
}

/// Draws `text` wrapped to the width from the top `y`; returns the top of the next line.
fn paragraph(
    c: &mut Canvas,
    mut y: f32,
    text: &str,
    size: f32,
    weight: Weight,
    align: Align,
) -> Result<f32, PrintError> {
    let room = c.width() as f32 - 2.0 * MARGIN;
    let (ascent, descent) = line_metrics(size)?;
    for line in wrap(&capped(text), size, weight, room)? {
        let shaped = shape(&line, size, weight)?;
        let x = match align {
            Align::Left => MARGIN,
            Align::Centre => ((c.width() as f32 - shaped.width) / 2.0).max(0.0),
        };
        shaped.draw(c, x, y + ascent);
        y += ascent + descent;
    }
    Ok(y)
}

/// At most [`MAX_CHARS`] characters of `text` (a slip's field is a line or two; anything longer,
/// a mistake in a file, is cut with `…` rather than printing a metre of paper).
fn capped(text: &str) -> String {
    match text.grapheme_indices(true).nth(MAX_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// `text` in lines no wider than `room`: broken at spaces, and a word wider than a line between
/// its characters (Thai writes words without spaces).
fn wrap(text: &str, size: f32, weight: Weight, room: f32) -> Result<Vec<String>, PrintError> {
    let fits = |s: &str| shape(s, size, weight).map(|t| t.width <= room);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let tried = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if fits(&tried)? {
            line = tried;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for g in word.graphemes(true) {
            let tried = format!("{line}{g}");
            if line.is_empty() || fits(&tried)? {
                line = tried;
            } else {
                lines.push(std::mem::replace(&mut line, g.to_owned()));
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    Ok(lines)
}

/// The reference, bold, as large as fits (up to [`REFERENCE_MAX`]), centred.
fn reference(c: &mut Canvas, y: f32, text: &str) -> Result<f32, PrintError> {
    let room = c.width() as f32 - 2.0 * MARGIN;
    let mut size = REFERENCE_MAX;
    let mut shaped = shape(text, size, Weight::Bold)?;
    if shaped.width > room {
        size = (size * room / shaped.width).floor().max(BODY);
        shaped = shape(text, size, Weight::Bold)?;
    }
    // Latin capitals and digits: a cap height of about 0.72 em, no descenders.
    let cap = size * 0.75;
    let x = ((c.width() as f32 - shaped.width) / 2.0).max(0.0);
    shaped.draw(c, x, y + cap);
    Ok(y + cap + size * 0.3)
}

/// The QR code of `text`, centred, half the width or less, with a quiet zone of four modules;
/// returns the row below it. Text no QR code holds draws nothing.
fn qr(c: &mut Canvas, y: f32, text: &str) -> f32 {
    let Ok(code) = QrCode::new(text.as_bytes()) else {
        return y;
    };
    let n = code.width();
    let colors = code.to_colors();
    let module = (c.width() / 2 / (n + 8)).max(2);
    let side = (n + 8) * module;
    let x0 = (c.width().saturating_sub(side) / 2 + 4 * module) as i64;
    let y0 = y as i64 + 4 * module as i64;
    for (i, colour) in colors.iter().enumerate() {
        if *colour == Color::Dark {
            let (mx, my) = ((i % n) as i64, (i / n) as i64);
            let m = module as i64;
            c.fill(x0 + mx * m, y0 + my * m, m, m);
        }
    }
    c.grow_to(y as usize + side);
    y + side as f32
}

/// The slip as the text mode prints it: the same facts as lines, the reference large, the QR
/// code as an image `width` dots wide.
#[must_use]
pub fn text_lines(slip: &Slip, width: usize, now_ms: i64) -> Vec<TextLine> {
    let l = slip.lang;
    let mut lines = vec![
        TextLine::Plain(slip.campaign.clone()),
        TextLine::Plain(slip.point.clone()),
        TextLine::Plain(String::new()),
        TextLine::Plain(words::reference(l).to_owned()),
        TextLine::Large(slip.reference.clone()),
    ];
    let mut code = Canvas::new(width);
    qr(&mut code, 0.0, &slip.qr);
    lines.push(TextLine::Image(code));
    let facts = [
        (words::group(l), slip.group.clone()),
        (words::state(l), slip.state.say(l)),
        (words::when(l), slip.when(now_ms)),
        (words::id(l), slip.id_masked.clone()),
        (
            words::appointment(l),
            slip.appointment.clone().unwrap_or_default(),
        ),
        (
            words::security_code(l),
            slip.security_code.clone().unwrap_or_default(),
        ),
    ];
    for (label, value) in facts {
        if !value.is_empty() {
            lines.push(TextLine::Plain(format!("{label}: {value}")));
        }
    }
    lines.push(TextLine::Plain(String::new()));
    lines.push(TextLine::Plain(
        slip.bring.as_deref().unwrap_or(words::bring(l)).to_owned(),
    ));
    lines.push(TextLine::Plain(words::keep(l).to_owned()));
    lines
}
