//! The check-in screen: the site's list (its days, when it was downloaded, the doses waiting to
//! be sent) or what to do for want of one, today's lot, the scan line, and below it the person
//! found with the appointment and the security code, or what the clerk tells the person. Today's
//! lot dialog (F6) is drawn over it. Text from the list is drawn through the theme (sanitised,
//! width-adjusted); every line is wrapped or fitted to the box.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::{Theme, centered, clock};
use crate::core::protocol::Appointment;
use crate::core::thai::Lang;
use crate::core::thai::date::{iso_to_be_or_as_is, today_be_from_unix};
use crate::core::thai::width::{display_width, wrap};
use crate::kiosk::tui::app::App;
use crate::kiosk::tui::app::checkin::{Arrival, CheckinView, LotForm, Said, SiteListInfo};
use crate::kiosk::tui::words::appointment::site as site_name;
use crate::kiosk::tui::words::checkin as words;

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: Theme) {
    let Some(view) = app.checkin.as_ref() else {
        return;
    };
    let l = app.lang;
    let block = Block::bordered()
        .border_style(theme.border())
        .title(theme.text(words::TITLE.say(l)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let say = |lines: &mut Vec<Line<'static>>, text: &str, style, most: usize| {
        for t in wrap(text, w.saturating_sub(2)).into_iter().take(most) {
            lines.push(Line::styled(format!(" {}", theme.text(&t)), style));
        }
    };
    match &view.status.info {
        Some(info) => {
            for part in list_lines(app, info, w.saturating_sub(2)) {
                lines.push(Line::styled(
                    format!(" {}", theme.fit(&part, w - 2)),
                    theme.dim(),
                ));
            }
        }
        None if !view.status.read => {}
        None if view.status.site_id.is_none() => {
            say(&mut lines, words::NOT_A_SITE.say(l), theme.warn(), 3);
        }
        None => say(&mut lines, words::NO_LIST_YET.say(l), theme.warn(), 3),
    }
    match &view.status.setting {
        Some(s) => say(
            &mut lines,
            &words::today_lot(&s.lot, s.dose_number, l),
            theme.ok(),
            1,
        ),
        None if view.status.read => say(&mut lines, words::NO_LOT.say(l), theme.warn(), 1),
        None => {}
    }
    lines.push(Line::raw(""));
    let scan_row = lines.len();
    let prompt = theme.text(words::SCAN.say(l));
    let pw = display_width(&prompt);
    lines.push(Line::from(vec![
        Span::styled(prompt, theme.label()),
        Span::styled(
            theme.fit(view.query.text(), w.saturating_sub(pw + 1)),
            theme.input(),
        ),
    ]));
    lines.push(Line::raw(""));
    let mut code_at = None;
    if let Some(a) = &view.arrival {
        code_at = Some(arrival(&mut lines, a, app, theme, w));
    } else if let Some(s) = &view.said {
        for (text, style) in said(s, app, theme) {
            say(&mut lines, &text, style, 4);
        }
    }
    let room = inner.height.saturating_sub(1) as usize;
    lines.truncate(room);
    lines.resize(room, Line::raw(""));
    lines.push(Line::styled(theme.fit(words::KEYS.say(l), w), theme.dim()));
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(form) = &view.lot {
        lot_dialog(frame, area, form, app, theme);
    } else if app.confirm.is_none() {
        let (row, x) = match code_at {
            Some((row, lw)) => (row, lw + code_len(view)),
            None => (scan_row, pw + view.query.cursor()),
        };
        if row < room {
            let x = (inner.x as usize + x).min(inner.right() as usize - 1);
            frame.set_cursor_position(Position::new(x as u16, inner.y + row as u16));
        }
    }
}

/// The columns of the code before the cursor (digits: one column a byte).
fn code_len(view: &CheckinView) -> usize {
    view.arrival.as_ref().map_or(0, |a| a.code.cursor())
}

/// The site, the list's days and when it was downloaded, the doses waiting: on one line when
/// they fit in `cols`, else as few lines as the parts fill (a part is never split).
fn list_lines(app: &App, info: &SiteListInfo, cols: usize) -> Vec<String> {
    let l = app.lang;
    let site = match l {
        Lang::Th => [&info.site_name_th, &info.site_name_en, &info.site_id],
        Lang::En => [&info.site_name_en, &info.site_name_th, &info.site_id],
    }
    .into_iter()
    .find(|s| !s.trim().is_empty())
    .cloned()
    .unwrap_or_default();
    let day = iso_to_be_or_as_is;
    let parts = words::list_parts(
        &site,
        &day(&info.first_day),
        &day(&info.last_day),
        &when(info.downloaded_at, app),
        info.doses_pending,
        l,
    );
    let mut lines: Vec<String> = Vec::new();
    for part in parts {
        match lines.last_mut() {
            Some(last) if display_width(last) + 3 + display_width(&part) <= cols => {
                last.push_str(" │ ");
                last.push_str(&part);
            }
            _ => lines.push(part),
        }
    }
    lines
}

/// A moment as the screen says it: `10:42` today, `24/11/2569 10:42` on another day, in the
/// kiosk's time zone.
fn when(ms: i64, app: &App) -> String {
    let offset = app.view.utc_offset_secs;
    let day = today_be_from_unix(ms.div_euclid(1000), offset);
    if day == app.today {
        clock(ms, offset)
    } else {
        format!("{} {}", day.format(), clock(ms, offset))
    }
}

/// The person found, the appointment and the code field; returns the code's row and the
/// columns before the code.
fn arrival(
    lines: &mut Vec<Line<'static>>,
    a: &Arrival,
    app: &App,
    theme: Theme,
    w: usize,
) -> (usize, usize) {
    let l = app.lang;
    let p = &a.person;
    let name = format!(
        " {}{} {}  ({})",
        p.title, p.first_name, p.last_name, p.reference
    );
    lines.push(Line::styled(theme.fit(&name, w), theme.ok()));
    let facts = words::person_line(&p.id_tail, p.birth_date.as_deref(), p.target_group, l);
    lines.push(Line::from(theme.fit(&format!(" {facts}"), w)));
    let ap = &p.appointment;
    let day = iso_to_be_or_as_is(&ap.date);
    let said = words::appointment_line(&site_name(ap, l), &day, ap.slot.as_deref(), l);
    for t in wrap(&said, w.saturating_sub(2)).into_iter().take(2) {
        lines.push(Line::from(format!(" {}", theme.text(&t))));
    }
    lines.push(Line::raw(""));
    let row = lines.len();
    let label = theme.text(words::CODE.say(l));
    let lw = display_width(&label);
    lines.push(Line::from(vec![
        Span::styled(label, theme.label()),
        Span::styled(a.code.text().to_owned(), theme.input()),
    ]));
    if a.wrong_code {
        lines.push(Line::styled(
            theme.fit(&format!(" ✗ {}", words::WRONG_CODE.say(l)), w),
            theme.error(),
        ));
    } else {
        lines.push(Line::styled(
            theme.fit(words::CODE_KEYS.say(l), w),
            theme.dim(),
        ));
    }
    (row, lw)
}

/// What is said of the last scan or dose, with its style.
fn said(s: &Said, app: &App, theme: Theme) -> Vec<(String, ratatui::style::Style)> {
    let l = app.lang;
    let day = |a: &Appointment| iso_to_be_or_as_is(&a.date);
    match s {
        Said::Recorded { name, dose } => vec![
            (
                words::recorded(
                    name,
                    &dose.lot,
                    dose.dose_number,
                    &clock(dose.given_at, app.view.utc_offset_secs),
                    l,
                ),
                theme.ok(),
            ),
            (words::NEXT.say(l).to_owned(), theme.dim()),
        ],
        Said::OtherDay {
            reference,
            appointment: a,
        } => vec![(
            words::other_day(reference, &day(a), a.slot.as_deref(), &site_name(a, l), l),
            theme.warn(),
        )],
        Said::OtherSite {
            reference,
            appointment: a,
        } => vec![(
            words::other_site(reference, &site_name(a, l), &day(a), a.slot.as_deref(), l),
            theme.warn(),
        )],
        Said::Vaccinated {
            reference,
            appointment: a,
        } => {
            let (on, at) = a.vaccinated_at.map_or_else(
                || (day(a), "—".to_owned()),
                |ms| {
                    let offset = app.view.utc_offset_secs;
                    (
                        today_be_from_unix(ms.div_euclid(1000), offset).format(),
                        clock(ms, offset),
                    )
                },
            );
            vec![(
                words::vaccinated(reference, &on, &at, &site_name(a, l), l),
                theme.error(),
            )]
        }
        Said::NotFound(query) => vec![(words::not_found(query, l), theme.warn())],
        Said::NoList => vec![(words::NO_LIST_YET.say(l).to_owned(), theme.warn())],
        Said::NeedShift => vec![(words::NEED_SHIFT.say(l).to_owned(), theme.warn())],
        Said::Problem(e) => vec![(format!("{} {e}", words::PROBLEM.say(l)), theme.error())],
    }
}

/// Today's lot dialog over the screen.
fn lot_dialog(frame: &mut Frame<'_>, body: Rect, form: &LotForm, app: &App, theme: Theme) {
    let l = app.lang;
    let r = centered(body, 56, 7);
    frame.render_widget(Clear, r);
    let block = Block::bordered()
        .border_style(theme.warn())
        .title(theme.text(words::LOT_TITLE.say(l)));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let w = inner.width as usize;
    let lot_label = theme.text(words::LOT.say(l));
    let dose_label = theme.text(words::DOSE_NUMBER.say(l));
    let lines = vec![
        Line::from(vec![
            Span::styled(lot_label.clone(), theme.label()),
            Span::styled(form.lot.text().to_owned(), theme.input()),
        ]),
        Line::from(vec![
            Span::styled(dose_label.clone(), theme.label()),
            Span::styled(form.dose_number.text().to_owned(), theme.input()),
        ]),
        Line::raw(""),
        Line::styled(theme.fit(words::LOT_KEYS.say(l), w), theme.dim()),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
    if app.confirm.is_none() {
        let (row, x) = if form.on_dose {
            (1, display_width(&dose_label) + form.dose_number.cursor())
        } else {
            (0, display_width(&lot_label) + form.lot.cursor())
        };
        let x = (inner.x as usize + x).min(inner.right() as usize - 1);
        frame.set_cursor_position(Position::new(x as u16, inner.y + row));
    }
}
