//! What frames every screen: the header (campaign and place), the two-line message area (hints,
//! errors, help for the focused field), the keys footer and the yes/no dialog. The status line is
//! `status_line`. Their words are in `tui::words` (`chrome`, `form` for the field help,
//! `confirm`, `message`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::{Theme, centered};
use crate::core::form::FieldKey;
use crate::core::thai::Bilingual;
use crate::core::thai::width::{display_width, wrap};
use crate::kiosk::queue::State;
use crate::kiosk::tui::app::fields::{TextKind, Widget};
use crate::kiosk::tui::app::{AfterDiscard, App, Back, Confirm, KeyLayout, Screen};
use crate::kiosk::tui::words::chrome::{self as words, lang_name};
use crate::kiosk::tui::words::{confirm as dialog, form as on_form};

pub fn header(frame: &mut Frame<'_>, area: Rect, app: &App, theme: Theme) {
    let right = theme.text(&app.point_name);
    let left_room = (area.width as usize).saturating_sub(display_width(&right) + 3);
    let left = theme.fit(&words::header(app.campaign.name(app.lang)), left_room);
    let pad =
        (area.width as usize).saturating_sub(display_width(&left) + display_width(&right) + 1);
    let line = format!("{left}{}{right} ", " ".repeat(pad));
    frame.render_widget(Paragraph::new(line).style(theme.bar()), area);
}

pub fn footer(frame: &mut Frame<'_>, area: Rect, app: &App, theme: Theme) {
    let l = app.lang;
    let other = l.toggled();
    let mut items: Vec<(&str, String)> = vec![
        ("F1/^G", words::HELP.say(l).into()),
        ("F2/^L", lang_name(other).into()),
        ("F3/^T", words::KEYBOARD.say(l).into()),
    ];
    if app.checkin.is_none() {
        items.push(("F4/^O", words::QUEUE.say(l).into()));
    }
    match app.screen {
        Screen::Checkin => items.push((
            "F6/^K",
            crate::kiosk::tui::words::checkin::FOOTER_LOT.say(l).into(),
        )),
        Screen::Form => items.push(("F9/^R", words::REVIEW.say(l).into())),
        Screen::Review => items.push(("F9/^R", words::SAVE.say(l).into())),
        _ => {}
    }
    items.push(("F10/^Q", words::QUIT.say(l).into()));
    let mut spans = Vec::new();
    let mut used = 0;
    for (k, label) in items {
        let w = display_width(k) + display_width(&label) + 3;
        if used + w > area.width as usize {
            break;
        }
        used += w;
        spans.push(Span::styled(k.to_owned(), theme.key()));
        spans.push(Span::raw(format!(" {}  ", theme.text(&label))));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Where leaving the form goes, as the dialog and the help line say it.
pub fn esc_destination(app: &App, after: &AfterDiscard) -> String {
    let l = app.lang;
    match (after, &app.back) {
        (AfterDiscard::Correct(r), _) => dialog::correct(&r.reference, l),
        (AfterDiscard::Back, Some(Back::Form(_))) => dialog::TO_FORM.say(l).into(),
        (AfterDiscard::Back, Some(Back::Queue)) => dialog::TO_QUEUE.say(l).into(),
        _ => dialog::TO_START.say(l).into(),
    }
}

/// The help line for the focused form field (second message row).
fn field_help(app: &App) -> String {
    let l = app.lang;
    let Some(slot) = app.form.slot(app.form.focus) else {
        return String::new();
    };
    let esc = match (app.esc_goes(), &app.back) {
        (AfterDiscard::Back, Some(Back::Form(_))) => on_form::ESC_TO_FORM,
        (AfterDiscard::Back, Some(Back::Queue)) => on_form::ESC_TO_QUEUE,
        _ => on_form::ESC_TO_START,
    };
    let nav = on_form::nav(esc, l);
    // A campaign question's own hint comes first.
    let spec = app.campaign.field(slot.key);
    let nav = match spec.and_then(|f| f.hint(l)) {
        Some(hint) => format!("{hint}  {nav}"),
        None => nav,
    };
    if let Widget::Choices(c) = &slot.widget {
        let said = on_form::HELP_CHOICES.say(l);
        return format!("{said} 1–{}  {nav}", c.options.len());
    }
    let said = match (&slot.widget, slot.key) {
        (_, FieldKey::Tambon) => on_form::HELP_TAMBON,
        (Widget::Choice(c), key) => {
            let count = c.options.len() + usize::from(c.other.is_some());
            // The doses left for the chosen group, also when its row has no room for them.
            let doses = match crate::kiosk::tui::app::doses::group_note(app) {
                Some(note) if key == FieldKey::TargetGroup => format!("{note}  "),
                _ => String::new(),
            };
            return format!("{doses}{} 1–{count}  {nav}", on_form::HELP_CHOICE.say(l));
        }
        (Widget::Date(_), _) => on_form::HELP_DATE,
        (Widget::Id(i), _) if i.passport => on_form::HELP_PASSPORT,
        (Widget::Id(_), _) => on_form::HELP_DIGITS,
        (Widget::Text(t), _) if t.kind == TextKind::Digits => on_form::HELP_DIGITS,
        (Widget::Text(t), _) if t.kind == TextKind::Ascii => on_form::HELP_ASCII,
        _ => match app.layout {
            KeyLayout::Th => on_form::HELP_LAYOUT_TH,
            KeyLayout::En => on_form::HELP_LAYOUT_EN,
        },
    };
    format!("{}  {nav}", said.say(l))
}

/// The message area's lines for a screen `width` wide: the hint, the focused field's error,
/// then the field's help or, on the consent field, the whole consent purpose. Each is wrapped,
/// not cut; [`MESSAGE_MAX`] lines at most.
pub fn message_lines(app: &App, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let l = app.lang;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut say = |text: &str, style: ratatui::style::Style| {
        for t in wrap(text, width.saturating_sub(1)) {
            lines.push(Line::styled(theme.text(&t), style));
        }
    };
    if let Some(h) = &app.hint {
        say(&format!("» {}", h.say(l)), theme.warn());
    }
    if app.screen == Screen::Form && !app.help {
        if let Some(e) = app.form.shown_error(app.form.focus) {
            say(&format!("! {}", e.problem.say(l)), theme.error());
        }
        if app.form.focus == FieldKey::Consent {
            let purpose = l.pick(
                &app.campaign.consent_purpose_th,
                &app.campaign.consent_purpose_en,
            );
            say(purpose, theme.label());
        } else {
            say(&field_help(app), theme.dim());
        }
    }
    if lines.len() < 2 {
        // The help keeps its place on the second line when there is nothing to say.
        lines.insert(0, Line::raw(""));
    }
    lines.truncate(MESSAGE_MAX);
    lines
}

/// Most lines the message area takes (the body gives them up).
pub const MESSAGE_MAX: usize = 4;

pub fn message(frame: &mut Frame<'_>, area: Rect, app: &App, theme: Theme) {
    let lines = message_lines(app, area.width as usize, theme);
    frame.render_widget(Paragraph::new(lines), area);
}

pub fn confirm(frame: &mut Frame<'_>, body: Rect, app: &App, theme: Theme) {
    let l = app.lang;
    let Some(c) = &app.confirm else { return };
    let mut text: Vec<String> = match c {
        Confirm::Discard(after) => vec![dialog::discard(&esc_destination(app, after), l)],
        Confirm::Quit => {
            let unsaved =
                app.form.has_data() && matches!(app.screen, Screen::Form | Screen::Review);
            let said = if unsaved {
                dialog::QUIT
            } else {
                dialog::QUIT_SHIFT
            };
            said.iter().map(|p| p.say(l).into()).collect()
        }
        Confirm::CancelRecord(r) => vec![
            dialog::cancel_record(&r.reference, &r.name(), l),
            if matches!(r.state, State::Accepted | State::Waitlisted) {
                dialog::HUB_TOLD
            } else {
                dialog::NEVER_SENT
            }
            .say(l)
            .into(),
        ],
        Confirm::ReplaceWithCard(card) => {
            let n = &card.name_th;
            vec![dialog::replace_with_card(&n.title, &n.first, &n.last, l)]
        }
        Confirm::SaveWithWarnings => {
            let mut v: Vec<String> = app
                .form
                .warnings
                .iter()
                .map(|w| format!("⚠ {}", w.say(l)))
                .collect();
            v.push(dialog::SAVE_ANYWAY.say(l).into());
            v
        }
    };
    text.push(String::new());
    text.push(
        match c {
            Confirm::Discard(_) => dialog::ANSWER_DISCARD,
            Confirm::ReplaceWithCard(_) => dialog::ANSWER_CARD,
            Confirm::Quit => dialog::ANSWER_QUIT,
            _ => dialog::ANSWER_YES_NO,
        }
        .say(l)
        .into(),
    );
    let w = 64.min(body.width);
    let inner = w as usize - 4;
    let lines: Vec<String> = text
        .iter()
        .flat_map(|t| {
            let v = wrap(t, inner);
            if v.is_empty() { vec![String::new()] } else { v }
        })
        .collect();
    let r = centered(body, w, lines.len() as u16 + 2);
    frame.render_widget(Clear, r);
    let block = Block::bordered()
        .border_style(theme.warn())
        .title(theme.text(dialog::TITLE.say(l)));
    let para: Vec<Line<'_>> = lines
        .iter()
        .map(|s| Line::from(format!(" {}", theme.text(s))))
        .collect();
    frame.render_widget(Paragraph::new(para).block(block), r);
}
