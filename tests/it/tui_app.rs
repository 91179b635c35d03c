//! The kiosk's state machine without a terminal: flows, confirmations, language and layout
//! switches, the input check, the duplicate check, queue answers.

use crossterm::event::KeyCode;
use ruamjai::core::form::{FieldKey, Registration};
use ruamjai::core::protocol::Outcome;
use ruamjai::core::thai::{Bilingual, Lang};
use ruamjai::kiosk::queue::State;
use ruamjai::kiosk::tui::app::{AfterDiscard, Confirm, Hint, KeyLayout, RecordRow, Screen};
use ruamjai::kiosk::tui::{Effect, Msg, update};
use uuid::Uuid;

use crate::tui_support::{ID, app, ctrl, fill, on_form, press, saved, typ};

fn value(a: &ruamjai::kiosk::tui::App, k: FieldKey) -> String {
    a.form.input().get(k).to_owned()
}

fn enqueued(fx: &[Effect]) -> Registration {
    fx.iter()
        .find_map(|e| match e {
            Effect::Enqueue(save) => Some(save.registration.clone()),
            _ => None,
        })
        .expect("an Enqueue effect")
}

#[test]
fn the_shift_starts_only_with_an_operator() {
    let mut a = app(Lang::Th);
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.screen, Screen::Start);
    assert_eq!(a.hint, Some(Hint::NeedOperator));
    typ(&mut a, "  สมใจ  ");
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.screen, Screen::Form);
    assert_eq!(a.operator_name(), "สมใจ");
}

#[test]
fn a_whole_registration_reaches_the_receipt_only_after_the_queue_answers() {
    let mut a = on_form(Lang::Th);
    let fx = fill(&mut a);
    assert!(fx.contains(&Effect::LookupPerson {
        campaign_id: a.campaign.id.clone(),
        id_key: format!("ID:{ID}"),
    }));
    assert_eq!(value(&a, FieldKey::Amphoe), "กระทุ่มแบน");
    assert_eq!(value(&a, FieldKey::Postcode), "74110");
    assert!(
        update(
            &mut a,
            Msg::PersonFound {
                id_key: format!("ID:{ID}"),
                record: None
            }
        )
        .is_empty()
    );
    press(&mut a, KeyCode::F(9));
    assert_eq!(a.screen, Screen::Review, "errors: {:?}", a.form.errors);
    let fx = press(&mut a, KeyCode::Enter);
    let reg = enqueued(&fx);
    assert_eq!(
        (reg.first_name.as_str(), reg.last_name.as_str()),
        ("สมชาย", "ใจดี")
    );
    assert_eq!(reg.target_group, 3);
    assert_eq!(
        a.screen,
        Screen::Review,
        "no receipt before the queue says Ok"
    );
    assert!(a.review.saving);
    let id = Uuid::now_v7();
    let fx = update(&mut a, saved(&fx, id, "SK01-0001-X"));
    assert!(fx.contains(&Effect::WakeSync));
    assert_eq!(a.screen, Screen::Receipt);
    let r = a.receipt.clone().expect("receipt");
    assert_eq!(r.reference, "SK01-0001-X");
    assert_eq!(r.name, "นายสมชาย ใจดี");
    assert_eq!(r.id_shown, "1-1120-34563-56-2");
    assert_eq!(r.state, State::Pending);
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.screen, Screen::Form);
    assert!(!a.form.has_data(), "the next person gets a clear form");
}

#[test]
fn the_operator_is_on_the_record() {
    let mut a = on_form(Lang::En);
    fill(&mut a);
    press(&mut a, KeyCode::F(9));
    let fx = press(&mut a, KeyCode::Enter);
    let Some(Effect::Enqueue(rec)) = fx.first() else {
        panic!("{fx:?}")
    };
    assert_eq!(rec.operator, "สมใจ");
    assert_eq!(rec.replaces, None);
}

#[test]
fn an_enqueue_error_is_shown_and_everything_typed_stays() {
    let mut a = on_form(Lang::Th);
    fill(&mut a);
    press(&mut a, KeyCode::F(9));
    let before = a.form.input();
    press(&mut a, KeyCode::Enter);
    let msg = "the disk holding /x/queue.sqlite3 is full: nothing new was saved".to_owned();
    update(&mut a, Msg::Enqueued(Err(msg.clone())));
    assert_eq!(a.screen, Screen::Review);
    assert_eq!(a.review.error.as_deref(), Some(msg.as_str()));
    assert!(!a.review.saving);
    assert_eq!(a.form.input(), before);
    let fx = press(&mut a, KeyCode::Enter);
    assert!(
        matches!(fx.first(), Some(Effect::Enqueue(_))),
        "the clerk can try again"
    );
}

#[test]
fn errors_keep_the_clerk_on_the_form_at_the_first_bad_field() {
    let mut a = on_form(Lang::En);
    press(&mut a, KeyCode::Tab);
    typ(&mut a, "1112034563561"); // wrong check digit
    press(&mut a, KeyCode::F(9));
    assert_eq!(a.screen, Screen::Form);
    assert_eq!(a.form.focus, FieldKey::IdNumber);
    assert!(matches!(a.hint, Some(Hint::FixErrors(n)) if n > 3));
    assert!(a.form.shown_error(FieldKey::FirstName).is_some());
}

#[test]
fn esc_with_typed_data_asks_before_discarding() {
    let mut a = on_form(Lang::Th);
    press(&mut a, KeyCode::Tab);
    typ(&mut a, "1112");
    press(&mut a, KeyCode::Esc);
    assert_eq!(a.confirm, Some(Confirm::Discard(AfterDiscard::ToStart)));
    press(&mut a, KeyCode::Esc);
    assert_eq!(a.confirm, None);
    assert_eq!(value(&a, FieldKey::IdNumber), "1112", "no kept the data");
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.confirm, None, "Enter pressed by habit keeps the form");
    assert_eq!(
        (a.screen, value(&a, FieldKey::IdNumber).as_str()),
        (Screen::Form, "1112")
    );
    press(&mut a, KeyCode::Esc);
    typ(&mut a, "y");
    assert_eq!(a.screen, Screen::Start);
    assert!(!a.form.has_data());
}

#[test]
fn esc_on_an_empty_form_goes_back_without_asking() {
    let mut a = on_form(Lang::Th);
    press(&mut a, KeyCode::Esc);
    assert_eq!(a.confirm, None);
    assert_eq!(a.screen, Screen::Start);
}

#[test]
fn quit_asks_wherever_a_shift_is_going_on_and_enter_keeps_it() {
    // Before any shift: at once.
    let mut a = app(Lang::En);
    assert_eq!(ctrl(&mut a, 'c'), vec![Effect::Quit], "nothing begun yet");
    // On the form, typed or not, on the queue screen, and at the start with the shift open:
    // asked, and Enter (as Esc) stays; only Y quits.
    let mut typed = on_form(Lang::En);
    press(&mut typed, KeyCode::Tab);
    typ(&mut typed, "5");
    let mut queue = on_form(Lang::En);
    press(&mut queue, KeyCode::F(4));
    let mut open_start = app(Lang::En);
    open_start.shift = ruamjai::kiosk::tui::ShiftView::new(true, true);
    for (what, mut a) in [
        ("empty form", on_form(Lang::En)),
        ("typed form", typed),
        ("queue", queue),
        ("start, shift open", open_start),
    ] {
        assert!(ctrl(&mut a, 'c').is_empty(), "{what}");
        assert_eq!(a.confirm, Some(Confirm::Quit), "{what}");
        assert!(press(&mut a, KeyCode::Enter).is_empty(), "{what}");
        assert!(!a.quit && a.confirm.is_none(), "{what}: Enter stays");
        assert!(press(&mut a, KeyCode::F(10)).is_empty());
        assert_eq!(
            press(&mut a, KeyCode::Char('y')),
            vec![Effect::Quit],
            "{what}"
        );
        assert!(a.quit);
    }
}

#[test]
fn f2_switches_language_and_keeps_input() {
    let mut a = on_form(Lang::Th);
    fill(&mut a);
    let before = a.form.input();
    let focus = a.form.focus;
    press(&mut a, KeyCode::F(2));
    assert_eq!(a.lang, Lang::En);
    assert_eq!(a.form.input(), before);
    assert_eq!(a.form.focus, focus);
    ctrl(&mut a, 'l');
    assert_eq!(a.lang, Lang::Th);
    assert_eq!(a.form.input(), before);
}

#[test]
fn the_kedmanee_layout_types_thai_from_us_keys() {
    let mut a = on_form(Lang::Th);
    for _ in 0..3 {
        press(&mut a, KeyCode::Tab);
    }
    assert_eq!(a.form.focus, FieldKey::FirstName);
    typ(&mut a, "`");
    assert_eq!(a.layout, KeyLayout::Th);
    typ(&mut a, "l;ylfu");
    assert_eq!(value(&a, FieldKey::FirstName), "สวัสดี");
    press(&mut a, KeyCode::F(3));
    assert_eq!(a.layout, KeyLayout::En);
    typ(&mut a, "x");
    assert_eq!(value(&a, FieldKey::FirstName), "สวัสดีx");
    ctrl(&mut a, 't');
    assert_eq!(a.layout, KeyLayout::Th);
}

#[test]
fn digits_fields_ignore_the_thai_layout() {
    let mut a = on_form(Lang::Th);
    typ(&mut a, "`");
    press(&mut a, KeyCode::Tab);
    typ(&mut a, "1112");
    assert_eq!(value(&a, FieldKey::IdNumber), "1112");
}

#[test]
fn the_input_check_refuses_with_a_hint_and_inserts_nothing() {
    let mut a = on_form(Lang::Th);
    for _ in 0..3 {
        press(&mut a, KeyCode::Tab);
    }
    typ(&mut a, "ก่");
    typ(&mut a, "่");
    assert_eq!(value(&a, FieldKey::FirstName), "ก่");
    assert!(matches!(a.hint, Some(Hint::Rejected(_))), "{:?}", a.hint);
    typ(&mut a, "า");
    assert_eq!(a.hint, None, "the next accepted key clears the hint");
    assert_eq!(value(&a, FieldKey::FirstName), "ก่า");
    press(&mut a, KeyCode::Backspace);
    press(&mut a, KeyCode::Backspace);
    assert_eq!(
        value(&a, FieldKey::FirstName),
        "ก",
        "Backspace removes one code point"
    );
}

#[test]
fn a_person_already_queued_here_is_recognised_and_stopped() {
    let mut a = on_form(Lang::En);
    fill(&mut a);
    let row = queued_row(State::Pending, "SK01-0001-X", None);
    let first = row.submission_id;
    update(
        &mut a,
        Msg::PersonFound {
            id_key: format!("ID:{ID}"),
            record: Some(row),
        },
    );
    assert_eq!(
        a.hint,
        Some(Hint::AlreadyQueued {
            reference: "SK01-0001-X".into(),
            state: State::Pending,
            changeable: true
        })
    );
    assert!(a.hint.as_ref().unwrap().say(Lang::En).contains("Ctrl-E"));
    press(&mut a, KeyCode::F(9));
    assert_eq!(a.screen, Screen::Form, "a second entry is refused");
    assert_eq!(a.form.focus, FieldKey::IdNumber);
    ctrl(&mut a, 'e');
    assert_eq!(a.form.replaces.as_ref().map(|r| r.0), Some(first));
    assert_eq!(value(&a, FieldKey::FirstName), "สมชาย");
    press(&mut a, KeyCode::F(9));
    assert_eq!(a.screen, Screen::Review);
    let fx = press(&mut a, KeyCode::Enter);
    let Some(Effect::Enqueue(rec)) = fx.first() else {
        panic!("{fx:?}")
    };
    assert_eq!(rec.replaces, Some(first));
}

#[test]
fn a_person_accepted_by_the_hub_is_stopped_without_offering_a_correction() {
    let mut a = on_form(Lang::En);
    fill(&mut a);
    let row = queued_row(
        State::Accepted,
        "SK01-0002-8",
        Some(Outcome::Accepted {
            hub_reference: "SKN-7".into(),
        }),
    );
    update(
        &mut a,
        Msg::PersonFound {
            id_key: format!("ID:{ID}"),
            record: Some(row),
        },
    );
    for lang in [Lang::En, Lang::Th] {
        let said = a.hint.as_ref().expect("a hint").say(lang);
        assert!(said.contains("SK01-0002-8"), "{said}");
        assert!(!said.contains("Ctrl-E"), "no correction is offered: {said}");
    }
    assert!(a.hint.as_ref().unwrap().say(Lang::En).contains("accepted"));
    press(&mut a, KeyCode::F(9));
    assert_eq!(a.screen, Screen::Form, "a second entry is refused");
    ctrl(&mut a, 'e');
    assert_eq!(a.form.replaces, None, "an accepted record is not loaded");
    assert_eq!(a.hint, Some(Hint::NotChangeable(State::Accepted)));
}

#[test]
fn a_stale_lookup_answer_is_ignored() {
    let mut a = on_form(Lang::En);
    fill(&mut a);
    update(
        &mut a,
        Msg::PersonFound {
            id_key: "ID:1234567890121".into(),
            record: None,
        },
    );
    assert!(a.form.duplicate.is_none());
}

#[test]
fn the_birth_date_takes_unknown_day_and_month() {
    let mut a = on_form(Lang::En);
    for _ in 0..5 {
        press(&mut a, KeyCode::Tab);
    }
    assert_eq!(a.form.focus, FieldKey::BirthDate);
    // The operator's name came in Thai; the system's layout is English again (a digit typed in
    // English tells the kiosk so).
    a.system_layout = ruamjai::kiosk::tui::app::KeyLayout::En;
    typ(&mut a, "--2490");
    assert_eq!(value(&a, FieldKey::BirthDate), "--/--/2490");
    press(&mut a, KeyCode::Backspace);
    typ(&mut a, "1");
    assert_eq!(value(&a, FieldKey::BirthDate), "--/--/2491");
    ctrl(&mut a, 'u');
    typ(&mut a, "5/7/2490");
    assert_eq!(value(&a, FieldKey::BirthDate), "05/07/2490");
}

#[test]
fn the_id_is_formatted_as_typed() {
    let mut a = on_form(Lang::En);
    press(&mut a, KeyCode::Tab);
    typ(&mut a, "1112034");
    let shown = a
        .form
        .slot(FieldKey::IdNumber)
        .unwrap()
        .widget
        .shown(Lang::En);
    assert_eq!(shown, "1-1120-34");
    typ(&mut a, "x-๕");
    assert_eq!(
        value(&a, FieldKey::IdNumber),
        "11120345",
        "Thai digits count, others do not"
    );
}

#[test]
fn a_group_4_title_warning_needs_a_confirm() {
    let mut a = on_form(Lang::En);
    fill(&mut a);
    for _ in 0..2 {
        press(&mut a, KeyCode::Up); // note, consent (group 3 has no detail to stop at)
    }
    assert_eq!(a.form.focus, FieldKey::TargetGroup);
    typ(&mut a, "4");
    press(&mut a, KeyCode::Tab);
    typ(&mut a, "วัดเกาะ");
    press(&mut a, KeyCode::F(9));
    assert_eq!(a.screen, Screen::Review, "{:?}", a.form.errors);
    assert!(press(&mut a, KeyCode::Enter).is_empty());
    assert_eq!(a.confirm, Some(Confirm::SaveWithWarnings));
    let fx = press(&mut a, KeyCode::Enter);
    assert_eq!(enqueued(&fx).target_group, 4);
}

#[test]
fn review_jumps_to_a_field_and_back() {
    let mut a = on_form(Lang::En);
    fill(&mut a);
    press(&mut a, KeyCode::F(9));
    for _ in 0..a.form.slots.len() - 3 {
        press(&mut a, KeyCode::Up);
    }
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.screen, Screen::Form);
    assert_eq!(a.form.focus, FieldKey::FirstName);
    press(&mut a, KeyCode::End);
    typ(&mut a, "ดี");
    ctrl(&mut a, 'r');
    assert_eq!(a.screen, Screen::Review);
    let fx = ctrl(&mut a, 'r');
    assert_eq!(enqueued(&fx).first_name, "สมชายดี");
}

/// A record of the person `fill` types, queued here in `state`.
fn queued_row(state: State, reference: &str, outcome: Option<Outcome>) -> RecordRow {
    let mut other = on_form(Lang::En);
    fill(&mut other);
    let reg = other
        .form
        .revalidate(&other.campaign, other.today)
        .registration
        .unwrap();
    RecordRow {
        submission_id: Uuid::now_v7(),
        reference: reference.into(),
        state,
        created_at: 0,
        operator: "x".into(),
        registration: Some(reg),
        outcome,
        last_error: None,
        moved_from: None,
        appointment: None,
    }
}

fn rejected_row(a: &mut ruamjai::kiosk::tui::App) -> RecordRow {
    let _ = a;
    queued_row(
        State::Rejected,
        "SK01-0002-Y",
        Some(Outcome::Rejected {
            field: "last_name".into(),
            reason: "too short".into(),
        }),
    )
}

#[test]
fn a_rejected_record_is_corrected_from_the_queue_screen() {
    let mut a = on_form(Lang::En);
    let fx = press(&mut a, KeyCode::F(4));
    assert_eq!(
        fx,
        vec![Effect::ListQueue {
            searches: Vec::new()
        }]
    );
    assert_eq!(a.screen, Screen::Queue);
    let fx = typ(&mut a, "สม");
    let Some(Effect::ListQueue { searches }) = fx.last() else {
        panic!("{fx:?}")
    };
    assert_eq!(searches.first().map(String::as_str), Some("สม"));
    let row = rejected_row(&mut a);
    update(&mut a, Msg::Listed(Ok(vec![row.clone()])));
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.screen, Screen::Form);
    assert_eq!(
        a.form.focus,
        FieldKey::LastName,
        "focus on the field the hub named"
    );
    assert_eq!(
        a.form.replaces,
        Some((row.submission_id, row.reference.clone()))
    );
    press(&mut a, KeyCode::F(9));
    let fx = press(&mut a, KeyCode::Enter);
    let Some(Effect::Enqueue(rec)) = fx.first() else {
        panic!("{fx:?}")
    };
    assert_eq!(rec.replaces, Some(row.submission_id));
}

#[test]
fn cancelling_a_record_needs_a_confirm() {
    let mut a = on_form(Lang::En);
    press(&mut a, KeyCode::F(4));
    let row = rejected_row(&mut a);
    update(&mut a, Msg::Listed(Ok(vec![row.clone()])));
    assert!(press(&mut a, KeyCode::Delete).is_empty());
    assert!(matches!(a.confirm, Some(Confirm::CancelRecord(_))));
    assert_eq!(
        press(&mut a, KeyCode::Enter),
        vec![Effect::Cancel {
            id: row.submission_id
        }]
    );
    let fx = update(&mut a, Msg::Cancelled(Ok(row.reference.clone())));
    assert!(fx.contains(&Effect::ListQueue {
        searches: Vec::new()
    }));
    assert_eq!(a.hint, Some(Hint::Cancelled(row.reference)));
}

#[test]
fn an_accepted_record_cannot_be_corrected_but_can_be_cancelled() {
    let mut a = on_form(Lang::En);
    press(&mut a, KeyCode::F(4));
    let mut row = rejected_row(&mut a);
    row.state = State::Accepted;
    row.outcome = Some(Outcome::Accepted {
        hub_reference: "SKN-1".into(),
    });
    update(&mut a, Msg::Listed(Ok(vec![row])));
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.screen, Screen::Queue);
    assert_eq!(a.hint, Some(Hint::NotChangeable(State::Accepted)));
    // Cancelling it asks first; the hub then hears of it and gives the place on.
    ctrl(&mut a, 'd');
    assert!(
        matches!(a.confirm, Some(Confirm::CancelRecord(_))),
        "{:?}",
        a.confirm
    );
}

#[test]
fn help_opens_and_closes_and_keeps_the_screen() {
    let mut a = on_form(Lang::Th);
    press(&mut a, KeyCode::Tab);
    typ(&mut a, "11");
    press(&mut a, KeyCode::F(1));
    assert!(a.help);
    typ(&mut a, "99");
    assert_eq!(
        value(&a, FieldKey::IdNumber),
        "11",
        "keys do not leak through help"
    );
    press(&mut a, KeyCode::Esc);
    assert!(!a.help);
    ctrl(&mut a, 'g');
    assert!(a.help);
}

#[test]
fn a_paste_goes_through_the_field_rules() {
    let mut a = on_form(Lang::En);
    press(&mut a, KeyCode::Tab);
    update(&mut a, Msg::Paste("1-1120-34563-56-2".into()));
    assert_eq!(value(&a, FieldKey::IdNumber), ID);
}

#[test]
fn sync_status_and_stats_reach_the_status_line_state() {
    let mut a = on_form(Lang::En);
    let s = ruamjai::kiosk::sync::SyncStatus {
        link: ruamjai::kiosk::sync::Link::Online,
        last_ok_at: Some(1_000),
        ..Default::default()
    };
    assert_eq!(update(&mut a, Msg::Sync(s)), vec![Effect::RefreshStats]);
    update(
        &mut a,
        Msg::Stats {
            unsent: 4,
            last_sync_ok_at: Some(2_000),
        },
    );
    assert_eq!((a.unsent, a.last_sync()), (4, Some(2_000)));
}

/// The title fills the sex field while the clerk has not chosen one; a choice of the clerk's
/// stays, and a sex that disagrees with the title is a warning.
#[test]
fn the_title_fills_the_sex_and_a_disagreement_is_a_warning() {
    let mut a = on_form(Lang::Th);
    a.form.focus_on(FieldKey::Title);
    typ(&mut a, "3"); // นางสาว
    assert_eq!(value(&a, FieldKey::Title), "นางสาว");
    assert_eq!(value(&a, FieldKey::Sex), "female");
    typ(&mut a, "1"); // นาย: the sex the title filled follows it
    assert_eq!(value(&a, FieldKey::Sex), "male");
    a.form.focus_on(FieldKey::Sex);
    typ(&mut a, "2"); // the clerk chooses female
    a.form.focus_on(FieldKey::Title);
    typ(&mut a, "4"); // เด็กชาย: the clerk's choice stays
    assert_eq!(value(&a, FieldKey::Sex), "female");
    let warnings: Vec<String> = a.form.warnings.iter().map(|w| w.say(Lang::En)).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("does not match the title เด็กชาย")),
        "{warnings:?}"
    );
}
