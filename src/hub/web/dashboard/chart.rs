//! The day's registrations per hour as bars of an SVG drawn on the server: the geometry here,
//! the markup in `assets/dashboard/live.html`. No chart library reaches the browser.

/// The drawing's size in its own units (it scales to the page's width).
pub const WIDTH: u32 = 960;
pub const HEIGHT: u32 = 300;
const LEFT: u32 = 48;
const TOP: u32 = 24;
const BOTTOM: u32 = 32;
const SLOT: u32 = (WIDTH - LEFT) / 24;
const BAR: u32 = SLOT - 8;

/// One hour's bar.
#[derive(Debug)]
pub struct Bar {
    pub hour: String,
    pub value: u64,
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    /// Where the value is written, above the bar.
    pub label_x: u32,
    pub label_y: u32,
    /// This hour is now.
    pub now: bool,
    /// Hours every three are named on the axis.
    pub named: bool,
}

/// The chart: bars, the scale's top and the axis.
#[derive(Debug)]
pub struct Chart {
    pub bars: Vec<Bar>,
    pub top: u64,
    pub base_y: u32,
    pub top_y: u32,
    pub mid_y: u32,
    pub mid: u64,
    pub axis_x: u32,
    pub axis_label_y: u32,
    pub width: u32,
    pub height: u32,
}

/// The smallest of 1, 2, 5, 10, 20, 50, … at or above `n` (at least 5).
fn nice(n: u64) -> u64 {
    let mut step = 1u64;
    loop {
        for m in [1, 2, 5] {
            if step * m >= n.max(5) {
                return step * m;
            }
        }
        step = step.saturating_mul(10);
    }
}

/// Bars for `hours` (00–23), hour `now_hour` marked.
#[must_use]
pub fn draw(hours: &[u64; 24], now_hour: usize) -> Chart {
    let top = nice(hours.iter().copied().max().unwrap_or(0));
    let base_y = HEIGHT - BOTTOM;
    let plot = u64::from(base_y - TOP);
    let bars = hours
        .iter()
        .enumerate()
        .map(|(i, &value)| {
            let h = (value.saturating_mul(plot) / top) as u32;
            let x = LEFT + i as u32 * SLOT + (SLOT - BAR) / 2;
            Bar {
                hour: format!("{i:02}"),
                value,
                x,
                y: base_y - h,
                w: BAR,
                h,
                label_x: x + BAR / 2,
                label_y: (base_y - h).saturating_sub(6).max(12),
                now: i == now_hour,
                named: i % 3 == 0,
            }
        })
        .collect();
    Chart {
        bars,
        top,
        base_y,
        top_y: TOP,
        mid_y: TOP + (base_y - TOP) / 2,
        mid: top / 2,
        axis_x: LEFT - 8,
        axis_label_y: HEIGHT - 8,
        width: WIDTH,
        height: HEIGHT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_a_round_top_and_fit_the_drawing() {
        let mut hours = [0u64; 24];
        hours[9] = 130;
        hours[10] = 65;
        let c = draw(&hours, 10);
        assert_eq!(c.top, 200);
        let (nine, ten) = (&c.bars[9], &c.bars[10]);
        assert_eq!(nine.h, 2 * ten.h + (nine.h % 2));
        assert!(ten.now && !nine.now && nine.named && !ten.named);
        assert!(
            c.bars
                .iter()
                .all(|b| b.x + b.w <= WIDTH && b.y + b.h == c.base_y)
        );
        assert_eq!(nice(0), 5);
        assert_eq!(nice(7), 10);
        assert_eq!(nice(1001), 2000);
    }
}
