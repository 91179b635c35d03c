//! Keys, screen by screen: confirmations first, then the global keys, then the screen's own.
//! Every function here only changes the [`App`] and returns effects.

use crossterm::event::{KeyCode, KeyEvent};

use super::confirm::{confirm_key, discard_then};
use super::fields::{Edit, edit_text};
use super::keys::{Global, global, is_ctrl};
use super::queue::{list, queue_key};
use super::save::{correct, next_person, review_key, submit, try_review};
use super::shift::StartFocus;
use super::{App, Back, Confirm, Effect, Hint, KeyLayout, Screen};
use crate::core::form::FieldKey;

/// One key press.
pub fn key(app: &mut App, k: &KeyEvent) -> Vec<Effect> {
    if let Some(thai) = super::keys::typed_char(k).and_then(super::fields::says_layout) {
        app.system_layout = if thai { KeyLayout::Th } else { KeyLayout::En };
    }
    if let Some(g @ Global::Redraw) = global(k) {
        // Changes nothing, so it works the same under a dialog.
        return global_key(app, g);
    }
    if app.too_small {
        // Keys wait; quitting works unless it would ask in a dialog the clerk cannot see.
        return match global(k) {
            Some(Global::Quit) if !quit_asks(app) => global_key(app, Global::Quit),
            _ => Vec::new(),
        };
    }
    if app.confirm.is_some() {
        return confirm_key(app, k);
    }
    if let Some(g) = global(k) {
        return global_key(app, g);
    }
    if app.help {
        if matches!(k.code, KeyCode::Esc | KeyCode::Enter) {
            app.help = false;
        }
        return Vec::new();
    }
    match app.screen {
        Screen::Start => start_key(app, k),
        Screen::Form => form_key(app, k),
        Screen::Review => review_key(app, k),
        Screen::Receipt => {
            if matches!(k.code, KeyCode::Enter | KeyCode::Esc) {
                next_person(app);
            } else if matches!(k.code, KeyCode::Char('p' | 'P' | 'ย')) || is_ctrl(k, 'p') {
                return super::print::receipt_key(app);
            }
            Vec::new()
        }
        Screen::Queue => queue_key(app, k),
        Screen::Checkin => super::checkin::key(app, k),
    }
}

/// A bracketed paste goes into the field being edited.
pub fn paste(app: &mut App, s: &str) -> Vec<Effect> {
    if app.too_small || app.confirm.is_some() {
        return Vec::new();
    }
    match app.screen {
        Screen::Start if app.shift.focus == StartFocus::Code => {
            if let Some(e) = app.enrol.as_mut().filter(|e| !e.busy) {
                super::enrol::paste(e, s);
            }
        }
        Screen::Start if app.shift.focus == StartFocus::Again => {
            app.shift
                .again
                .insert_str(s, crate::core::thai::input_check::CheckMode::Basic);
        }
        Screen::Start if app.shift.focus == StartFocus::Pin => {
            app.shift
                .pin
                .insert_str(s, crate::core::thai::input_check::CheckMode::Basic);
        }
        Screen::Start => {
            app.operator
                .insert_str(s, crate::core::thai::input_check::CheckMode::Basic);
        }
        Screen::Form => {
            let focus = app.form.focus;
            // A name pasted from a chat: only what a name may hold goes in.
            let (s, removed) = if is_name(focus) {
                crate::core::form::names::clean(s)
            } else {
                (s.to_owned(), String::new())
            };
            let Some(slot) = app.form.slot_mut(focus) else {
                return Vec::new();
            };
            let (was_changed, refused) = slot.widget.paste(&s);
            let fx = if was_changed {
                changed(app, focus)
            } else {
                Vec::new()
            };
            if let Some(r) = refused {
                // Said after `changed`, which clears the message line.
                app.hint = Some(Hint::Rejected(r));
            }
            if !removed.is_empty() {
                app.hint = Some(Hint::PasteCleaned(removed));
            }
            return fx;
        }
        Screen::Checkin => super::checkin::paste(app, s),
        Screen::Queue => {
            app.queue
                .search
                .insert_str(s, crate::core::thai::input_check::CheckMode::Basic);
            return vec![list(app)];
        }
        _ => {}
    }
    Vec::new()
}

fn global_key(app: &mut App, g: Global) -> Vec<Effect> {
    match g {
        Global::Help => app.help = !app.help,
        Global::Language => app.lang = app.lang.toggled(),
        Global::Layout => {
            app.layout = match app.layout {
                KeyLayout::En => KeyLayout::Th,
                KeyLayout::Th => KeyLayout::En,
            };
        }
        // A site's kiosk checks people in: it has no registrations to list.
        Global::Queue if app.checkin.is_some() => {}
        // A message belongs to the screen it was said on.
        Global::Queue if app.screen == Screen::Queue => {
            app.hint = None;
            app.screen = app.queue.return_to;
        }
        Global::Queue => {
            app.help = false;
            app.hint = None;
            app.queue.return_to = app.screen;
            app.screen = Screen::Queue;
            return vec![list(app)];
        }
        Global::Review => match app.screen {
            Screen::Form => return try_review(app),
            Screen::Review => return submit(app, false),
            _ => {}
        },
        Global::Redraw => return vec![Effect::Redraw],
        Global::Quit => {
            if quit_asks(app) {
                app.confirm = Some(Confirm::Quit);
            } else {
                app.quit = true;
                return vec![Effect::Quit];
            }
        }
    }
    Vec::new()
}

/// Quitting asks first wherever a shift is going on: past the start screen, with the shift open
/// (its PIN given), or with a form typed. Only a start screen before any shift quits at once.
fn quit_asks(app: &App) -> bool {
    app.screen != Screen::Start || app.shift.open || app.form.has_data()
}

fn start_key(app: &mut App, k: &KeyEvent) -> Vec<Effect> {
    if let Some(fx) = super::enrol::key(app, k) {
        return fx;
    }
    if (app.shift.asks_pin() || app.shift.choosing)
        && let Some(fx) = super::shift::key(app, k)
    {
        return fx;
    }
    if k.code == KeyCode::Enter {
        if app.operator_name().is_empty() {
            app.hint = Some(Hint::NeedOperator);
        } else {
            app.hint = None;
            app.screen = app.work_screen();
        }
        return Vec::new();
    }
    match edit_text(&mut app.operator, k, app.layout == KeyLayout::Th, 60) {
        Edit::Rejected(r) => app.hint = Some(Hint::Rejected(r)),
        Edit::Changed => app.hint = None,
        _ => {}
    }
    Vec::new()
}

fn form_key(app: &mut App, k: &KeyEvent) -> Vec<Effect> {
    if let Some(p) = app.form.popup.as_mut() {
        match k.code {
            KeyCode::Down => {
                p.selected = (p.selected + 1).min(p.matches.len().saturating_sub(1));
                return Vec::new();
            }
            KeyCode::Up => {
                p.selected = p.selected.saturating_sub(1);
                return Vec::new();
            }
            KeyCode::Enter => {
                let e = p.matches[p.selected.min(p.matches.len() - 1)];
                app.form.pick(e);
                return leave(app, 1);
            }
            KeyCode::Esc => {
                app.form.popup = None;
                return Vec::new();
            }
            _ => {}
        }
    }
    match k.code {
        // On a form the card filled, Enter goes on to the next field it left open.
        KeyCode::Enter if !app.form.from_card.is_empty() => {
            let left = app.form.focus;
            if !app.form.move_to_open() {
                app.form.touched.insert(left);
                return try_review(app);
            }
            app.form.revalidate(&app.campaign, app.today);
            if left == FieldKey::IdNumber {
                return lookup(app, true);
            }
            return Vec::new();
        }
        KeyCode::Enter if app.form.at_last() => {
            app.form.touched.insert(app.form.focus);
            return try_review(app);
        }
        KeyCode::Tab | KeyCode::Down | KeyCode::Enter => return leave(app, 1),
        KeyCode::BackTab | KeyCode::Up => return leave(app, -1),
        KeyCode::Esc if app.form.has_data() => {
            app.confirm = Some(Confirm::Discard(app.esc_goes()));
            return Vec::new();
        }
        KeyCode::Esc => return discard_then(app, app.esc_goes()),
        _ => {}
    }
    if is_ctrl(k, 'e') {
        match app.form.duplicate.clone() {
            Some(d) if d.changeable() => {
                app.back = Some(Back::Form(Box::new(app.form.clone())));
                correct(app, &d);
            }
            Some(d) => app.hint = Some(Hint::NotChangeable(d.state)),
            None => {}
        }
        return Vec::new();
    }
    let focus = app.form.focus;
    let thai = app.layout == KeyLayout::Th;
    let system_thai = app.system_layout == KeyLayout::Th;
    let Some(slot) = app.form.slot_mut(focus) else {
        return Vec::new();
    };
    let k = slot.widget.meant_key(k, system_thai);
    if is_name(focus)
        && super::keys::typed_char(&k).is_some_and(|c| {
            !crate::core::form::names::allowed(super::fields::layout_char(c, thai))
        })
    {
        app.hint = Some(Hint::NotInName);
        return Vec::new();
    }
    match slot.widget.key(&k, thai) {
        Edit::Changed => changed(app, focus),
        Edit::Rejected(r) => {
            app.hint = Some(Hint::Rejected(r));
            Vec::new()
        }
        Edit::Moved | Edit::Ignored => Vec::new(),
    }
}

/// A field that holds a person's name.
fn is_name(key: FieldKey) -> bool {
    matches!(key, FieldKey::FirstName | FieldKey::LastName)
}

/// After a field's value changed: follow-ups, validation, the duplicate check.
fn changed(app: &mut App, key: FieldKey) -> Vec<Effect> {
    app.hint = None;
    // Edited by the clerk: no longer what the card said.
    app.form.from_card.remove(&key);
    if key == FieldKey::IdType {
        app.form.sync_id_kind();
    }
    if key == FieldKey::Title {
        app.form.sex_follows_title();
    }
    if key == FieldKey::Sex {
        app.form.sex_chosen();
    }
    if key == FieldKey::TargetGroup {
        app.form.follow_group(&app.campaign);
    }
    if key == FieldKey::Tambon {
        app.form
            .refresh_popup(app.campaign.home_province.as_deref());
    }
    app.form.revalidate(&app.campaign, app.today);
    if matches!(key, FieldKey::IdType | FieldKey::IdNumber) {
        return lookup(app, false);
    }
    Vec::new()
}

fn leave(app: &mut App, delta: isize) -> Vec<Effect> {
    let left = app.form.focus;
    if left == FieldKey::Tambon && delta > 0 && app.form.address_filled() {
        // Amphoe, province and postcode are filled: on to the next empty field.
        app.form.move_past_address();
    } else {
        app.form.move_focus(delta);
    }
    app.form.revalidate(&app.campaign, app.today);
    if left == FieldKey::IdNumber {
        return lookup(app, true);
    }
    Vec::new()
}

pub(super) fn lookup(app: &mut App, leaving: bool) -> Vec<Effect> {
    let key = app.form.person_key(leaving);
    if key.is_none() && leaving {
        return Vec::new();
    }
    if key == app.form.looked_up {
        return Vec::new();
    }
    app.form.looked_up.clone_from(&key);
    app.form.duplicate = None;
    if matches!(app.hint, Some(Hint::AlreadyQueued { .. })) {
        app.hint = None;
    }
    key.map(|id_key| Effect::LookupPerson {
        campaign_id: app.campaign.id.clone(),
        id_key,
    })
    .into_iter()
    .collect()
}
