//! The status line at the foot of every screen: kiosk, operator, the link to the hub and the hub
//! address in use (`host:port`), pending count, doses left, last sync, keyboard layout, language.
//! When it does not fit, the language and then the keyboard layout give way (the footer and the
//! field help say them too) before the line is cut.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

use super::{Theme, clock};
use crate::sync::Link;
use crate::thai::width::display_width;
use crate::tui::app::{App, KeyLayout};
use crate::tui::words::chrome::lang_name;
use crate::tui::words::status as words;

/// Most columns the hub address takes: a longer name is cut with `…`, its port kept (two
/// processes on one machine differ only there).
const HUB_MAX: usize = 20;

fn short_host(host: &str, theme: Theme) -> String {
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => (name, port),
        _ => (host, ""),
    };
    if port.is_empty() {
        return theme.fit(name, HUB_MAX);
    }
    let room = HUB_MAX.saturating_sub(port.len() + 1);
    format!("{}:{port}", theme.fit(name, room))
}

fn link_text(app: &App) -> String {
    let l = app.lang;
    match &app.sync.link {
        Link::NoHub => words::NO_HUB.say(l).into(),
        Link::Unknown => words::CHECKING.say(l).into(),
        Link::Online => words::ONLINE.say(l).into(),
        Link::Offline { .. } => words::OFFLINE.say(l).into(),
        Link::Busy { until } => format!(
            "{} {}",
            words::BUSY_UNTIL.say(l),
            clock(*until, app.view.utc_offset_secs)
        ),
        Link::NotAuthorised => words::NOT_AUTHORISED.say(l).into(),
        Link::Unnamed => words::UNNAMED.say(l).into(),
    }
}

/// "hub 10.0.0.2:8443": the address in use, while there is one to name (not when no hub
/// answered, nor when nothing is sent).
fn hub_part(app: &App, theme: Theme) -> Option<String> {
    let named = matches!(
        app.sync.link,
        Link::Online | Link::Unknown | Link::Busy { .. } | Link::NotAuthorised
    );
    let host = app.sync.hub_host().filter(|_| named)?;
    Some(format!(
        "{} {}",
        words::HUB.say(app.lang),
        short_host(host, theme)
    ))
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: Theme) {
    let l = app.lang;
    let op = app.operator_name();
    let last = app
        .last_sync()
        .map_or_else(|| "—".to_owned(), |t| clock(t, app.view.utc_offset_secs));
    let layout = match app.layout {
        KeyLayout::Th => "TH",
        KeyLayout::En => "EN",
    };
    let mut parts = vec![
        app.kiosk_id.clone(),
        format!(
            "{} {}",
            words::OPERATOR.say(l),
            if op.is_empty() { "—" } else { &op }
        ),
        link_text(app),
    ];
    parts.extend(hub_part(app, theme));
    parts.extend(crate::tui::app::card_status(app));
    parts.push(format!("{} {}", words::PENDING.say(l), app.unsent));
    parts.extend(crate::tui::app::doses::status_part(app));
    parts.extend([
        format!("{} {last}", words::LAST_SYNC.say(l)),
        format!("{} {layout}", words::KEYBOARD.say(l)),
        lang_name(l).to_owned(),
    ]);
    let width = area.width as usize;
    let line = |parts: &[String]| format!(" {}", parts.join(" │ "));
    // The language, then the keyboard layout, give way before anything is cut.
    for _ in 0..2 {
        if display_width(&theme.text(&line(&parts))) <= width {
            break;
        }
        parts.pop();
    }
    let line = theme.fit(&line(&parts), width);
    frame.render_widget(Paragraph::new(line).style(theme.bar()), area);
}
