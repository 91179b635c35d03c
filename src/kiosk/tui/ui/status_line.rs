//! The status line at the foot of every screen: kiosk, operator, the link to the hub and the hub
//! address in use (`host:port`), pending count (and a site's kiosk's doses to send), doses left,
//! last sync, keyboard layout, language.
//! When it does not fit, the language, the keyboard layout, the hub's address, the kiosk's id and
//! the card reader give way, in that order, before the line is cut: who is on shift, the link,
//! what waits to be sent, the doses and the last sync stay whole.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

use super::{Theme, clock};
use crate::core::thai::width::display_width;
use crate::kiosk::sync::Link;
use crate::kiosk::tui::app::{App, KeyLayout};
use crate::kiosk::tui::words::chrome::lang_name;
use crate::kiosk::tui::words::status as words;

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
    // Each part with the order in which it gives way when the line is too long (0 never): the
    // language and the keyboard layout (the footer and the field help say them too), the hub's
    // address, the kiosk's id (on the start screen and every receipt), the card reader (the
    // message line says what it read or why not). What the clerk needs stays whole: who is on
    // shift, the link, what waits to be sent, the doses, the last sync.
    let mut parts: Vec<(u8, String)> = vec![
        (4, app.kiosk_id.clone()),
        (
            0,
            format!(
                "{} {}",
                words::OPERATOR.say(l),
                if op.is_empty() { "—" } else { &op }
            ),
        ),
        (0, link_text(app)),
    ];
    parts.extend(hub_part(app, theme).map(|p| (3, p)));
    parts.extend(crate::kiosk::tui::app::card_status(app).map(|p| (5, p)));
    parts.push((0, format!("{} {}", words::PENDING.say(l), app.unsent)));
    // A site's kiosk: the doses waiting to be sent, beside the registrations.
    if let Some(info) = app.checkin.as_ref().and_then(|c| c.status.info.as_ref()) {
        let doses = crate::kiosk::tui::words::checkin::doses_waiting(info.doses_pending, l);
        parts.push((0, doses));
    }
    parts.extend(crate::kiosk::tui::app::doses::status_part(app).map(|p| (0, p)));
    parts.extend([
        (0, format!("{} {last}", words::LAST_SYNC.say(l))),
        (2, format!("{} {layout}", words::KEYBOARD.say(l))),
        (1, lang_name(l).to_owned()),
    ]);
    let width = area.width as usize;
    let line = |parts: &[(u8, String)]| {
        let texts: Vec<&str> = parts.iter().map(|(_, t)| t.as_str()).collect();
        format!(" {}", texts.join(" │ "))
    };
    for order in 1..=5 {
        if display_width(&theme.text(&line(&parts))) <= width {
            break;
        }
        parts.retain(|(o, _)| *o != order);
    }
    let line = theme.fit(&line(&parts), width);
    frame.render_widget(Paragraph::new(line).style(theme.bar()), area);
}
