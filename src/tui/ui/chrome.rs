//! What frames every screen: the header (campaign and place), the two-line message area (hints,
//! errors, help for the focused field), the keys footer and the yes/no dialog. The status line is
//! `status_line`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::{Theme, centered};
use crate::form::FieldKey;
use crate::thai::Bilingual;
use crate::thai::width::{display_width, wrap};
use crate::tui::app::fields::{TextKind, Widget};
use crate::tui::app::text::lang_name;
use crate::tui::app::{AfterDiscard, App, Back, Confirm, KeyLayout, Screen};

pub fn header(frame: &mut Frame<'_>, area: Rect, app: &App, theme: Theme) {
    let right = theme.text(&app.point_name);
    let left_room = (area.width as usize).saturating_sub(display_width(&right) + 3);
    let left = theme.fit(
        &format!(" รวมใจ ruamjai · {}", app.campaign.name(app.lang)),
        left_room,
    );
    let pad =
        (area.width as usize).saturating_sub(display_width(&left) + display_width(&right) + 1);
    let line = format!("{left}{}{right} ", " ".repeat(pad));
    frame.render_widget(Paragraph::new(line).style(theme.bar()), area);
}

pub fn footer(frame: &mut Frame<'_>, area: Rect, app: &App, theme: Theme) {
    let l = app.lang;
    let other = l.toggled();
    let mut items: Vec<(&str, String)> = vec![
        ("F1/^G", l.pick("ช่วย", "Help").into()),
        ("F2/^L", lang_name(other).into()),
        ("F3/^T", l.pick("แป้น", "Kbd").into()),
        ("F4/^O", l.pick("คิว", "Queue").into()),
    ];
    match app.screen {
        Screen::Form => items.push(("F9/^R", l.pick("ตรวจทาน", "Review").into())),
        Screen::Review => items.push(("F9/^R", l.pick("บันทึก", "Save").into())),
        _ => {}
    }
    items.push(("F10/^Q", l.pick("ออก", "Quit").into()));
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
        (AfterDiscard::Correct(r), _) => {
            format!("{} {}", l.pick("แก้ไขรายการ", "correct"), r.reference)
        }
        (AfterDiscard::Back, Some(Back::Form(_))) => l
            .pick("กลับไปฟอร์มที่พิมพ์ไว้", "go back to the form as it was")
            .into(),
        (AfterDiscard::Back, Some(Back::Queue)) => {
            l.pick("กลับไปรายการคิว", "go back to the queue").into()
        }
        _ => l
            .pick("กลับไปหน้าเริ่มกะ", "go back to the start of shift")
            .into(),
    }
}

/// The help line for the focused form field (second message row).
fn field_help(app: &App) -> String {
    let l = app.lang;
    let Some(slot) = app.form.slot(app.form.focus) else {
        return String::new();
    };
    let esc = match (app.esc_goes(), &app.back) {
        (AfterDiscard::Back, Some(Back::Form(_))) => l.pick("กลับฟอร์มเดิม", "back to the form"),
        (AfterDiscard::Back, Some(Back::Queue)) => l.pick("กลับคิว", "back to the queue"),
        _ => l.pick("กลับหน้าเริ่มกะ", "start of shift"),
    };
    let nav = format!(
        "{}  Esc {esc}",
        l.pick("Tab/↓ ถัดไป  Enter ไปต่อ", "Tab/↓ next  Enter go on")
    );
    match (&slot.widget, slot.key) {
        (_, FieldKey::Tambon) => format!(
            "{}  {nav}",
            l.pick(
                "พิมพ์ชื่อตำบล ↑↓ เลือก Enter ใส่",
                "Type a tambon, ↑↓ Enter picks"
            )
        ),
        (Widget::Choice(c), _) => format!(
            "{} 1–{}  {nav}",
            l.pick("←/→ เลือก หรือกด", "←/→ choose, or press"),
            c.options.len() + usize::from(c.other.is_some())
        ),
        (Widget::Date(_), _) => format!(
            "{}  {nav}",
            l.pick(
                "วว ดด ปปปป (พ.ศ.)  '-' = ไม่ทราบวัน/เดือน",
                "DD MM YYYY (BE)  '-' = day/month unknown"
            )
        ),
        (Widget::Id(i), _) if i.passport => format!(
            "{}  {nav}",
            l.pick("ตัวอักษร A–Z และตัวเลข", "letters A–Z and digits")
        ),
        (Widget::Id(_), _) => format!("{}  {nav}", l.pick("ตัวเลขเท่านั้น", "digits only")),
        (Widget::Text(t), _) if t.kind == TextKind::Digits => {
            format!("{}  {nav}", l.pick("ตัวเลขเท่านั้น", "digits only"))
        }
        (Widget::Text(t), _) if t.kind == TextKind::Ascii => format!(
            "{}  {nav}",
            l.pick(
                "ตัวเลข A–Z / - ได้ทั้งแป้น TH และ EN",
                "digits, A–Z, / - with either keyboard layout"
            )
        ),
        _ => {
            let kb = match app.layout {
                KeyLayout::Th => {
                    l.pick("แป้น TH เกษมณี (` สลับ)", "keyboard TH Kedmanee (` switches)")
                }
                KeyLayout::En => l.pick("แป้น EN (` สลับเป็นไทย)", "keyboard EN (` switches to Thai)"),
            };
            format!("{kb}  {nav}")
        }
    }
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
        Confirm::Discard(after) => vec![format!(
            "{} {}?",
            l.pick("ทิ้งข้อมูลที่พิมพ์ไว้ แล้ว", "Discard what was typed and"),
            esc_destination(app, after)
        )],
        Confirm::Quit => vec![
            l.pick("ยังมีข้อมูลที่ยังไม่ได้บันทึก", "The form has data that is not saved.")
                .into(),
            l.pick("ออกจากโปรแกรมหรือไม่?", "Quit anyway?").into(),
        ],
        Confirm::CancelRecord(r) => vec![
            format!(
                "{} {} {}?",
                l.pick("ยกเลิกรายการ", "Cancel record"),
                r.reference,
                r.name()
            ),
            l.pick(
                "รายการที่ยกเลิกจะไม่ถูกส่งไปศูนย์",
                "A cancelled record is never sent to the hub.",
            )
            .into(),
        ],
        Confirm::ReplaceWithCard(card) => vec![format!(
            "{} {} {} {}?",
            l.pick(
                "ฟอร์มนี้มีข้อมูลอยู่ แทนที่ด้วยข้อมูลจากบัตรของ",
                "The form holds data. Replace it with the card of"
            ),
            card.name_th.title,
            card.name_th.first,
            card.name_th.last
        )],
        Confirm::SaveWithWarnings => {
            let mut v: Vec<String> = app
                .form
                .warnings
                .iter()
                .map(|w| format!("⚠ {}", w.say(l)))
                .collect();
            v.push(l.pick("บันทึกต่อหรือไม่?", "Save anyway?").into());
            v
        }
    };
    text.push(String::new());
    text.push(match c {
        Confirm::Discard(_) => l
            .pick(
                "Enter หรือ Esc = ไม่ทิ้ง กลับไปพิมพ์ต่อ    Y = ทิ้งข้อมูล",
                "Enter or Esc = keep it, go on typing    Y = discard",
            )
            .into(),
        Confirm::ReplaceWithCard(_) => l
            .pick(
                "Enter หรือ Esc = เก็บฟอร์มเดิม    Y = ใช้ข้อมูลจากบัตร",
                "Enter or Esc = keep the form    Y = use the card",
            )
            .into(),
        _ => l
            .pick("Enter = ใช่    Esc = ไม่", "Enter = yes    Esc = no")
            .into(),
    });
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
        .title(theme.text(l.pick(" ยืนยัน ", " Confirm ")));
    let para: Vec<Line<'_>> = lines
        .iter()
        .map(|s| Line::from(format!(" {}", theme.text(s))))
        .collect();
    frame.render_widget(Paragraph::new(para).block(block), r);
}
