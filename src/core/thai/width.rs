//! Terminal columns for Thai text: the width of a string, cutting and padding it to a column
//! count, wrapping it into lines, and making untrusted text safe to draw.
//!
//! Widths are counted per grapheme cluster (a cluster's width is the unicode-width of the cluster
//! string: for Thai, the sum of its spacing code points), so `นำ` is one cluster of width 2 and
//! `ที่` one cluster of width 1. Cuts always fall on cluster boundaries. The [`WidthProfile`]s
//! model terminals that disagree with unicode-width. Escaping for display lives here too; the
//! cluster walking used by the text field lives in `edit`.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::chars::{DOTTED_CIRCLE, SARA_AM, is_bidi_mark, is_bidi_override, is_combining_mark};

/// How a terminal counts columns for Thai.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WidthProfile {
    /// unicode-width (xterm, VTE, tmux, most SSH sessions): marks 0, SARA AM 1.
    #[default]
    Standard,
    /// kitty: SARA AM after a base adds no column (`จำ` is 1 column).
    SaraAmZero,
    /// Old conhost / Windows Terminal: every combining mark takes a cell of its own.
    MarksSpacing,
}

/// Columns taken by `s` on a standard terminal (sum of the widths of its grapheme clusters).
pub fn display_width(s: &str) -> usize {
    s.graphemes(true).map(UnicodeWidthStr::width).sum()
}

/// Columns taken by `s` on a terminal that counts like `profile`.
pub fn display_width_with(s: &str, profile: WidthProfile) -> usize {
    s.graphemes(true).map(|g| cluster_width(g, profile)).sum()
}

/// The width of one grapheme cluster under `profile`.
pub fn cluster_width(cluster: &str, profile: WidthProfile) -> usize {
    let standard = cluster.width();
    match profile {
        WidthProfile::Standard => standard,
        WidthProfile::SaraAmZero => {
            // A SARA AM that follows something in its cluster adds nothing; a lone one keeps 1.
            let extra = cluster.chars().skip(1).filter(|&c| c == SARA_AM).count();
            standard.saturating_sub(extra)
        }
        WidthProfile::MarksSpacing => {
            standard + cluster.chars().filter(|&c| is_combining_mark(c)).count()
        }
    }
}

/// The longest prefix of `s` that ends on a cluster boundary and is at most `cols` wide.
pub fn truncate_to_width(s: &str, cols: usize) -> &str {
    truncate_to_width_with(s, cols, WidthProfile::Standard)
}

/// [`truncate_to_width`] for a terminal that counts like `profile`.
pub fn truncate_to_width_with(s: &str, cols: usize, profile: WidthProfile) -> &str {
    let mut used = 0;
    for (i, g) in s.grapheme_indices(true) {
        let w = cluster_width(g, profile);
        if used + w > cols {
            return &s[..i];
        }
        used += w;
    }
    s
}

/// `s` cut to `cols` columns and padded with spaces to exactly `cols` columns.
pub fn pad_to_width(s: &str, cols: usize) -> String {
    let cut = truncate_to_width(s, cols);
    let mut out = String::with_capacity(cut.len() + cols);
    out.push_str(cut);
    out.extend(std::iter::repeat_n(
        ' ',
        cols.saturating_sub(display_width(cut)),
    ));
    out
}

fn is_space(cluster: &str) -> bool {
    cluster.chars().all(char::is_whitespace)
}

/// Splits `s` into lines of at most `cols` columns. Lines break at cluster boundaries, at the
/// last space that fits when there is one (the space itself is dropped), and at `\n`.
///
/// No line starts with a zero-width cluster: one after a break stays on the line before, and a
/// lone mark at the start of a paragraph is shown on a dotted circle. A single cluster wider than
/// `cols` (a wide character when `cols` is 1) gets a line of its own, since it cannot be split.
/// `cols == 0` gives no lines.
pub fn wrap(s: &str, cols: usize) -> Vec<String> {
    let mut lines = Vec::new();
    if cols == 0 {
        return lines;
    }
    for paragraph in s.lines() {
        wrap_paragraph(paragraph, cols, &mut lines);
    }
    lines
}

fn wrap_paragraph(paragraph: &str, cols: usize, lines: &mut Vec<String>) {
    let mut clusters: Vec<(&str, usize)> = paragraph
        .graphemes(true)
        .map(|g| (g, UnicodeWidthStr::width(g)))
        .collect();
    // A zero-width cluster cannot open the paragraph: a mark gets a dotted circle, anything else
    // zero-width (ZWSP and the like) is invisible anyway and is left out.
    let mut lead = String::new();
    while let Some(&(g, 0)) = clusters.first() {
        if g.chars().next().is_some_and(is_combining_mark) {
            lead.push(DOTTED_CIRCLE);
            lead.push_str(g);
        }
        clusters.remove(0);
    }
    let lead_w = usize::from(!lead.is_empty());
    if clusters.is_empty() {
        lines.push(lead);
        return;
    }

    let n = clusters.len();
    let mut start = 0;
    let mut first = true;
    while start < n {
        let mut used = if first { lead_w } else { 0 };
        let mut i = start;
        let mut last_space = None;
        while i < n {
            let (g, w) = clusters[i];
            if used + w > cols {
                break;
            }
            if is_space(g) && i > start {
                last_space = Some(i);
            }
            used += w;
            i += 1;
        }
        let (end, next) = if i == n {
            (n, n)
        } else if is_space(clusters[i].0) {
            (i, i + 1)
        } else if let Some(sp) = last_space {
            (sp, sp + 1)
        } else if i == start && first && lead_w > 0 {
            (start, start) // the dotted circle alone; the cluster goes on the next line
        } else if i == start {
            (i + 1, i + 1)
        } else {
            (i, i)
        };
        let mut line = if first {
            std::mem::take(&mut lead)
        } else {
            String::new()
        };
        first = false;
        clusters[start..end]
            .iter()
            .for_each(|(g, _)| line.push_str(g));
        let kept = line.trim_end().len();
        line.truncate(kept);
        start = next;
        while start < n && is_space(clusters[start].0) {
            start += 1;
        }
        while start < n && clusters[start].1 == 0 {
            line.push_str(clusters[start].0);
            start += 1;
        }
        lines.push(line);
    }
}

/// Makes untrusted text safe to draw: C0/C1 controls and DEL become U+FFFD (tab, CR, LF and the
/// other whitespace controls become a space), a whole escape sequence (CSI, OSC, DCS, …) becomes
/// one U+FFFD, bidi overrides and isolates become U+FFFD, and the invisible LRM/RLM/ALM marks are
/// removed. A combining mark left at the very start is put on a dotted circle `◌`.
pub fn sanitize_for_display(s: &str) -> String {
    const REPLACEMENT: char = '\u{FFFD}';
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1B}' {
            skip_escape_sequence(&mut chars);
            out.push(REPLACEMENT);
        } else if c.is_control() {
            out.push(if c.is_whitespace() { ' ' } else { REPLACEMENT });
        } else if is_bidi_override(c) {
            out.push(REPLACEMENT);
        } else if is_bidi_mark(c) {
            // invisible and harmless: drop
        } else if c == '\u{2028}' || c == '\u{2029}' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    if out.chars().next().is_some_and(is_combining_mark) {
        out.insert(0, DOTTED_CIRCLE);
    }
    out
}

/// Consumes the rest of an escape sequence whose ESC has just been read.
fn skip_escape_sequence(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.peek().copied() {
        Some('[') => {
            chars.next();
            // CSI: parameter and intermediate bytes, then one final byte 0x40–0x7E.
            while let Some(&c) = chars.peek() {
                if ('\u{20}'..='\u{3F}').contains(&c) {
                    chars.next();
                } else {
                    if ('\u{40}'..='\u{7E}').contains(&c) {
                        chars.next();
                    }
                    break;
                }
            }
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            // A control string: runs to BEL or ST (ESC \), or to the end of the text.
            while let Some(c) = chars.next() {
                if c == '\u{07}' || c == '\u{9C}' {
                    break;
                }
                if c == '\u{1B}' {
                    if chars.peek() == Some(&'\\') {
                        chars.next();
                    }
                    break;
                }
            }
        }
        Some(c) if ('\u{20}'..='\u{7E}').contains(&c) => {
            // nF sequences: intermediates 0x20–0x2F, then one final byte.
            while let Some(&c) = chars.peek() {
                if ('\u{20}'..='\u{2F}').contains(&c) {
                    chars.next();
                } else {
                    if ('\u{30}'..='\u{7E}').contains(&c) {
                        chars.next();
                    }
                    break;
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
