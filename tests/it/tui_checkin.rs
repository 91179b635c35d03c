//! The check-in screen of a site's kiosk (`ruamjai checkin`, issue 33 part 4) through its state
//! machine: a receipt scanned with the system's Thai layout on comes back as its reference, the
//! person found is shown with the appointment, a wrong code is refused and stays to be corrected,
//! the right one records the dose; every other finding says what the clerk tells the person;
//! Esc goes back to scanning, then to the start of shift; a dose with no lot set asks for the lot
//! and is recorded once it is saved. What the screen says is read from its drawing at 80×24.

use crossterm::event::KeyCode;
use ruamjai::core::protocol::{Appointment, ListedPerson, appointment_state};
use ruamjai::core::thai::kedmanee;
use ruamjai::core::thai::{Bilingual, Lang};
use ruamjai::kiosk::tui::app::Screen;
use ruamjai::kiosk::tui::app::checkin::{
    CheckinEffect, CheckinMsg, CheckinStatus, CheckinView, DaySetting, DoseRecorded, Finding,
    Refused, SiteListInfo,
};
use ruamjai::kiosk::tui::{App, Effect, Msg, ShiftView, update};

use crate::tui_support::{app, ctrl, press, render, screen_text, typ};

/// The receipt's reference on the QR code.
pub(crate) const REFERENCE: &str = "SK01-00A7-Q";
/// The appointment's security code.
pub(crate) const CODE: &str = "4821";
/// Today in the test app (25/11/2569 BE).
const TODAY: &str = "2026-11-25";

/// `s` as a keyboard-wedge scanner types it with the system's Thai layout on.
pub(crate) fn through_thai_layout(s: &str) -> String {
    s.chars()
        .map(|c| kedmanee::to_thai(c).unwrap_or(c))
        .collect()
}

fn appointment(date: &str, site: (&str, &str, &str)) -> Appointment {
    Appointment {
        site_id: site.0.into(),
        site_name_th: site.1.into(),
        site_name_en: site.2.into(),
        date: date.into(),
        slot: Some("09:00-12:00".into()),
        security_code: None,
        state: appointment_state::BOOKED.into(),
        vaccinated_at: None,
    }
}

const HERE: (&str, &str, &str) = ("SK-MUANG-01", "โรงพยาบาลสกลนคร", "Sakon Nakhon Hospital");

fn person() -> ListedPerson {
    ListedPerson {
        reference: REFERENCE.into(),
        person_hash: "00".into(),
        title: "นาย".into(),
        first_name: "สมชาย".into(),
        last_name: "ใจดี".into(),
        id_tail: "3562".into(),
        birth_date: Some("05/07/2490".into()),
        target_group: 3,
        appointment: Appointment {
            security_code: Some(CODE.into()),
            ..appointment(TODAY, HERE)
        },
    }
}

fn status() -> CheckinStatus {
    CheckinStatus {
        site_id: Some(HERE.0.into()),
        info: Some(SiteListInfo {
            site_id: HERE.0.into(),
            site_name_th: HERE.1.into(),
            site_name_en: HERE.2.into(),
            first_day: TODAY.into(),
            last_day: "2026-11-27".into(),
            generated_at: 0,
            // 25/11/2569 07:05 in Bangkok.
            downloaded_at: 1_795_565_100_000,
            people: 1,
            elsewhere: 0,
            doses_pending: 2,
        }),
        setting: Some(DaySetting {
            lot: "FF2588".into(),
            dose_number: 1,
        }),
        read: true,
    }
}

/// A site's kiosk past its start screen (the shift open), on the check-in screen.
fn checking_in(lang: Lang) -> App {
    let mut a = app(lang);
    a.checkin = Some(CheckinView::default());
    a.shift = ShiftView::new(true, true);
    typ(&mut a, "สมใจ");
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.screen, Screen::Checkin);
    update(&mut a, Msg::Checkin(CheckinMsg::Status(status())));
    a
}

fn seen(a: &App) -> String {
    screen_text(&render(a, 80, 24))
}

/// What the screen's box says, its rows joined (a sentence wrapped over rows reads whole).
fn said_in_box(a: &App) -> String {
    let rows: Vec<String> = seen(a)
        .lines()
        .filter_map(|l| l.strip_prefix('│'))
        .map(|l| l.trim_end().trim_end_matches('│').trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect();
    rows.join(" ")
}

fn found(a: &mut App, query: &str, finding: Finding) -> Vec<Effect> {
    update(
        a,
        Msg::Checkin(CheckinMsg::Found {
            query: query.into(),
            result: Ok(finding),
        }),
    )
}

fn view(a: &App) -> &CheckinView {
    a.checkin.as_ref().unwrap()
}

#[test]
fn a_scan_through_the_thai_layout_finds_the_person_and_the_right_code_records_the_dose() {
    let mut a = checking_in(Lang::En);
    let screen = seen(&a);
    let boxed = said_in_box(&a);
    for said in [
        "Scan the receipt, or type the reference or ID number:",
        "Sakon Nakhon Hospital │ list 25/11/2569–27/11/2569, downloaded 07:05",
        "2 doses to send",
        "Today: vaccine lot FF2588, dose 1",
    ] {
        assert!(boxed.contains(said), "{said}:\n{screen}");
    }
    assert!(
        screen.contains("F6/^K"),
        "the lot's key in the footer:\n{screen}"
    );
    assert!(
        !screen.contains("F4/^O"),
        "no queue on a site's kiosk:\n{screen}"
    );
    let status_line = screen.lines().nth(23).unwrap_or_default();
    assert!(status_line.contains("doses to send 2"), "{status_line}");
    let scanned = through_thai_layout(REFERENCE);
    assert!(!scanned.is_ascii() && !scanned.contains('-'), "{scanned}");
    typ(&mut a, &scanned);
    assert_eq!(view(&a).query.text(), REFERENCE);
    assert_eq!(
        press(&mut a, KeyCode::Enter),
        vec![Effect::Checkin(CheckinEffect::Find {
            query: REFERENCE.into(),
        })]
    );
    found(&mut a, REFERENCE, Finding::Here(Box::new(person())));
    let screen = seen(&a);
    for said in [
        "นายสมชาย ใจดี  (SK01-00A7-Q)",
        "ID ending …3562   born 05/07/2490   group 3",
        "Appointment: Sakon Nakhon Hospital  25/11/2569 09:00-12:00",
        "Security code (ask the person):",
    ] {
        assert!(screen.contains(said), "{said}:\n{screen}");
    }
    // The code's digits through the Thai layout too.
    typ(&mut a, &through_thai_layout("1234"));
    let record = |code: &str| {
        vec![Effect::Checkin(CheckinEffect::Record {
            reference: REFERENCE.into(),
            code: code.into(),
            operator: "สมใจ".into(),
        })]
    };
    assert_eq!(press(&mut a, KeyCode::Enter), record("1234"));
    update(
        &mut a,
        Msg::Checkin(CheckinMsg::Recorded(Err(Refused::WrongCode))),
    );
    let screen = seen(&a);
    assert!(
        screen.contains("Wrong security code: nothing recorded"),
        "{screen}"
    );
    assert!(
        screen.contains("Security code (ask the person): 1234"),
        "{screen}"
    );
    assert_eq!(view(&a).arrival.as_ref().unwrap().code.text(), "1234");
    for _ in 0..4 {
        press(&mut a, KeyCode::Backspace);
    }
    typ(&mut a, CODE);
    assert_eq!(press(&mut a, KeyCode::Enter), record(CODE));
    let fx = update(
        &mut a,
        Msg::Checkin(CheckinMsg::Recorded(Ok(DoseRecorded {
            dose_id: "d1".into(),
            reference: REFERENCE.into(),
            // 25/11/2569 10:42 in Bangkok.
            given_at: 1_795_578_120_000,
            lot: "FF2588".into(),
            dose_number: 1,
        }))),
    );
    assert!(fx.contains(&Effect::WakeSync), "the dose goes: {fx:?}");
    assert!(fx.contains(&Effect::Checkin(CheckinEffect::Status)));
    let screen = seen(&a);
    assert!(
        screen.contains("✓ Dose recorded: นายสมชาย ใจดี, lot FF2588, dose 1, at 10:42"),
        "{screen}"
    );
    assert!(view(&a).arrival.is_none());
    // The next receipt is scanned straight away.
    typ(&mut a, "SK01-00B2-X");
    assert_eq!(view(&a).query.text(), "SK01-00B2-X");
    assert!(
        view(&a).said.is_none(),
        "the confirmation gives way to the next scan"
    );
}

#[test]
fn every_other_finding_says_what_to_tell_the_person() {
    let mut a = checking_in(Lang::En);
    let elsewhere = ("SK-WARIN-02", "รพ.สต.วาริน", "Warin Health Centre");
    let cases = [
        (
            Finding::OtherDay(appointment("2026-11-27", HERE)),
            "booked for another day, not today: come on 27/11/2569 09:00-12:00 at Sakon Nakhon Hospital",
        ),
        (
            Finding::OtherSite(appointment("2026-11-26", elsewhere)),
            "booked at another site: go to Warin Health Centre on 26/11/2569 09:00-12:00",
        ),
        (
            Finding::Vaccinated(Appointment {
                state: appointment_state::VACCINATED.into(),
                // 25/11/2569 09:30 in Bangkok.
                vaccinated_at: Some(1_795_573_800_000),
                ..appointment(TODAY, HERE)
            }),
            "already vaccinated on 25/11/2569 at 09:30 at Sakon Nakhon Hospital: no second dose",
        ),
        (Finding::NotFound, "SK01-00A7-Q is not on the list"),
        (Finding::NoList, "No list for this site yet"),
    ];
    for (finding, said) in cases {
        found(&mut a, REFERENCE, finding);
        let screen = said_in_box(&a);
        assert!(screen.contains(said), "{said}:\n{screen}");
        assert!(view(&a).arrival.is_none() && !screen.contains("Security code"));
    }
    // In Thai: the date in BE and the time of the dose.
    a.lang = Lang::Th;
    found(
        &mut a,
        REFERENCE,
        Finding::Vaccinated(Appointment {
            vaccinated_at: Some(1_795_573_800_000),
            ..appointment(TODAY, HERE)
        }),
    );
    let screen = seen(&a);
    assert!(
        screen.contains("ฉีดแล้วเมื่อ 25/11/2569 เวลา 09:30 ที่ โรงพยาบาลสกลนคร"),
        "{screen}"
    );
}

#[test]
fn esc_goes_back_to_scanning_then_to_the_start_of_shift() {
    let mut a = checking_in(Lang::Th);
    // The Thai layout's `ๅ` is the 1 key, a Thai digit its digit, a space nothing.
    typ(&mut a, "SK0ๅ ๒");
    assert_eq!(view(&a).query.text(), "SK012");
    assert!(press(&mut a, KeyCode::Esc).is_empty());
    assert!(view(&a).query.is_empty());
    found(&mut a, REFERENCE, Finding::Here(Box::new(person())));
    typ(&mut a, "48");
    assert!(press(&mut a, KeyCode::Esc).is_empty());
    assert!(view(&a).arrival.is_none() && a.screen == Screen::Checkin);
    assert!(
        !seen(&a).contains("สมชาย"),
        "the person is gone from the screen"
    );
    // From an empty screen: the start, and the shift closes.
    assert_eq!(press(&mut a, KeyCode::Esc), vec![Effect::CloseShift]);
    assert_eq!(a.screen, Screen::Start);
    // The next shift's PIN opens the check-in screen again, never the form.
    press(&mut a, KeyCode::Enter);
    typ(&mut a, "2468-test");
    press(&mut a, KeyCode::Enter);
    update(&mut a, Msg::ShiftOpened(Ok(())));
    assert_eq!(a.screen, Screen::Checkin);
}

#[test]
fn a_dose_with_no_lot_set_asks_for_the_lot_and_is_recorded_once_it_is_saved() {
    let mut a = checking_in(Lang::En);
    update(
        &mut a,
        Msg::Checkin(CheckinMsg::Status(CheckinStatus {
            setting: None,
            ..status()
        })),
    );
    assert!(seen(&a).contains("No vaccine lot set for today: press F6"));
    found(&mut a, REFERENCE, Finding::Here(Box::new(person())));
    typ(&mut a, CODE);
    press(&mut a, KeyCode::Enter);
    update(
        &mut a,
        Msg::Checkin(CheckinMsg::Recorded(Err(Refused::NoLot))),
    );
    let form = view(&a).lot.as_ref().expect("the lot is asked for");
    assert!(form.then_record);
    assert_eq!(form.dose_number.text(), "1", "dose 1 unless said");
    let screen = seen(&a);
    assert!(screen.contains("Today's vaccine lot"), "{screen}");
    assert!(
        screen.contains("Set today's vaccine lot; the dose is recorded next"),
        "{screen}"
    );
    // Typed with the system's Thai layout on: the keys, in capitals.
    typ(&mut a, &through_thai_layout("ff2588-b"));
    assert_eq!(view(&a).lot.as_ref().unwrap().lot.text(), "FF2588-B");
    press(&mut a, KeyCode::Enter);
    typ(&mut a, "2");
    let set = press(&mut a, KeyCode::Enter);
    assert_eq!(
        set,
        vec![Effect::Checkin(CheckinEffect::SetLot {
            lot: "FF2588-B".into(),
            dose_number: 2,
        })]
    );
    let fx = update(
        &mut a,
        Msg::Checkin(CheckinMsg::LotSet(Ok(DaySetting {
            lot: "FF2588-B".into(),
            dose_number: 2,
        }))),
    );
    assert!(view(&a).lot.is_none());
    assert!(
        fx.contains(&Effect::Checkin(CheckinEffect::Record {
            reference: REFERENCE.into(),
            code: CODE.into(),
            operator: "สมใจ".into(),
        })),
        "the dose asked for is recorded: {fx:?}"
    );
    // F6 opens the lot with today's setting; an empty lot is refused; Esc closes.
    press(&mut a, KeyCode::F(6));
    let form = view(&a).lot.as_ref().expect("F6 opens the lot");
    assert_eq!(form.lot.text(), "FF2588-B");
    assert!(!form.then_record);
    ctrl(&mut a, 'u');
    press(&mut a, KeyCode::Enter);
    assert!(
        press(&mut a, KeyCode::Enter).is_empty(),
        "no lot, nothing set"
    );
    assert_eq!(
        a.hint.as_ref().map(|h| h.say(Lang::En)).as_deref(),
        Some("Type the vaccine lot")
    );
    press(&mut a, KeyCode::Esc);
    assert!(view(&a).lot.is_none());
}

#[test]
fn a_kiosk_that_is_not_a_sites_says_what_to_do_and_check_in_wants_the_pin() {
    let mut a = checking_in(Lang::En);
    update(
        &mut a,
        Msg::Checkin(CheckinMsg::Status(CheckinStatus {
            read: true,
            ..CheckinStatus::default()
        })),
    );
    let screen = said_in_box(&a);
    assert!(
        screen.contains("This kiosk is not a site's kiosk: at the hub run `ruamjai hub add-kiosk NAME --site ID`, then `ruamjai flush` on this kiosk"),
        "{screen}"
    );
    // A counter with a PIN: an empty one does not start check-in.
    let mut a = app(Lang::En);
    a.checkin = Some(CheckinView::default());
    a.shift = ShiftView::new(true, false);
    typ(&mut a, "Somjai");
    press(&mut a, KeyCode::Enter);
    assert!(press(&mut a, KeyCode::Enter).is_empty());
    assert_eq!(a.screen, Screen::Start);
    assert_eq!(
        a.hint.as_ref().map(|h| h.say(Lang::En)).as_deref(),
        Some("Check-in needs the shift's PIN (the list is locked with it)")
    );
}

/// A site's kiosk's data directory: the test PIN set, the site's list for `today` stored
/// through the library (two people here, one today and one the day after). Returns their
/// references.
fn site_kiosk(dir: &std::path::Path, today: &str) -> (String, String) {
    use ruamjai::core::protocol::SiteList;
    std::fs::write(dir.join("config.toml"), "kiosk_id = \"SK01\"\n").unwrap();
    let mut q = crate::support::open_queue(&dir.join("queue.sqlite3"), "SK01").unwrap();
    let key = [9u8; 32];
    let reference = |n| ruamjai::core::refcode::encode("SK01", n).unwrap();
    let tomorrow = (chrono::NaiveDate::parse_from_str(today, "%Y-%m-%d").unwrap()
        + chrono::Duration::days(1))
    .to_string();
    let listed = |n: u64, day: &str| ListedPerson {
        reference: reference(n),
        person_hash: ruamjai::core::protocol::person_hash(&key, &format!("ID:{n:013}")),
        last_name: format!("ใจดี{n}"),
        appointment: Appointment {
            security_code: Some(CODE.into()),
            ..appointment(day, HERE)
        },
        ..person()
    };
    let list = SiteList {
        site_id: HERE.0.into(),
        site_name_th: HERE.1.into(),
        site_name_en: HERE.2.into(),
        generated_at: ruamjai::kiosk::queue::now_ms(),
        first_day: today.into(),
        last_day: tomorrow.clone(),
        person_hash_key: ruamjai::core::seal::b64(&key),
        people: vec![listed(7, today), listed(8, &tomorrow)],
        elsewhere: Vec::new(),
    };
    q.set_site_id(Some(HERE.0)).unwrap();
    q.store_site_list(&list, ruamjai::kiosk::queue::now_ms())
        .unwrap();
    (reference(7), reference(8))
}

/// The real binary in tmux at 80×24: `ruamjai checkin` on a seeded site's kiosk, the PIN typed,
/// today's lot set, a receipt scanned through the Thai layout, a wrong code refused, the right
/// one recorded, the same receipt again refused as vaccinated with the time, another day's
/// person told the day. After every step the screen equals its full redraw.
#[test]
fn in_a_real_terminal_a_clerk_checks_people_in_and_each_step_equals_its_full_redraw() {
    let dir = crate::support::private_tempdir();
    let today = ruamjai::kiosk::queue::today_iso(ruamjai::kiosk::queue::now_ms());
    let be = |iso: &str| ruamjai::core::thai::date::iso_to_be(iso).unwrap();
    let (here, tomorrow_ref) = site_kiosk(dir.path(), &today);
    // The PIN is typed on the start screen; the site's clock is Thailand's.
    let env = [
        crate::support::NO_CARD_READER,
        ("RUAMJAI_PIN", ""),
        ("TZ", "Asia/Bangkok"),
    ];
    let kiosk = crate::tui_tmux::kiosk_command(dir.path(), &env, &["checkin"]);
    let Some(t) = crate::tui_tmux::Tmux::start_command(dir, "checkin", &kiosk) else {
        return;
    };
    t.wait_for("F10/^Q");
    let mut stale = Vec::new();
    t.send("สมใจ\r");
    t.send(&format!("{}\r", crate::support::TEST_PIN));
    t.wait_for("สแกนใบรับ");
    t.wait_for("รอส่ง 0 โดส");
    t.wait_for("ยังไม่ได้ตั้งล็อตวัคซีน");
    stale.extend(t.stale_cells("check-in screen"));
    t.keys(&["F6"]);
    t.wait_for("ล็อตวัคซีนของวันนี้");
    stale.extend(t.stale_cells("lot dialog"));
    t.send("ff2588\r\r");
    t.wait_for("ล็อตวัคซีน FF2588 เข็มที่ 1");
    stale.extend(t.stale_cells("lot set"));
    // The scanner types the reference and Enter, with the system's Thai layout on.
    t.send(&format!("{}\r", through_thai_layout(&here)));
    t.wait_for(&format!("นายสมชาย ใจดี7  ({here})"));
    let screen = t.screen();
    for said in ["…3562", "05/07/2490", "09:00-12:00", &be(&today)] {
        assert!(screen.contains(said), "{said}:\n{screen}");
    }
    stale.extend(t.stale_cells("person found"));
    t.send("0000\r");
    t.wait_for("รหัสยืนยันไม่ถูกต้อง");
    assert!(t.screen().contains("(ถามผู้รับบริการ): 0000"), "{}", t.screen());
    stale.extend(t.stale_cells("wrong code"));
    t.keys(&["BSpace", "BSpace", "BSpace", "BSpace"]);
    t.send(&format!("{}\r", through_thai_layout(CODE)));
    t.wait_for("บันทึกการฉีดแล้ว");
    t.wait_for("รอส่ง 1 โดส");
    t.wait_for("โดสรอส่ง 1");
    assert!(t.screen().contains("ล็อต FF2588  เข็มที่ 1"), "{}", t.screen());
    assert!(t.log().contains("dose recorded"), "{}", t.log());
    stale.extend(t.stale_cells("dose recorded"));
    // The same receipt again: refused, with when (today, a time) and where.
    t.send(&format!("{here}\r"));
    t.wait_for("ฉีดแล้วเมื่อ");
    let screen = t.screen();
    let said = screen
        .split("ฉีดแล้วเมื่อ ")
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    assert!(said.starts_with(&be(&today)), "{screen}");
    let time = said.split("เวลา ").nth(1).unwrap_or_default();
    assert!(
        time.len() >= 5 && time.as_bytes()[2] == b':' && time[..2].parse::<u8>().is_ok(),
        "the time of the dose: {screen}"
    );
    stale.extend(t.stale_cells("already vaccinated"));
    // Tomorrow's person is told the day.
    t.send(&format!("{tomorrow_ref}\r"));
    t.wait_for("นัดวันอื่น");
    let tomorrow = (chrono::NaiveDate::parse_from_str(&today, "%Y-%m-%d").unwrap()
        + chrono::Duration::days(1))
    .to_string();
    assert!(t.screen().contains(&be(&tomorrow)), "{}", t.screen());
    stale.extend(t.stale_cells("another day"));
    t.keys(&["F2"]);
    t.wait_for("booked for another day");
    stale.extend(t.stale_cells("in English"));
    t.keys(&["Escape"]);
    t.wait_for("Scan the receipt");
    stale.extend(t.stale_cells("back to scanning"));
    t.keys(&["F1"]);
    t.wait_for("today's vaccine lot and dose number");
    stale.extend(t.stale_cells("help"));
    t.keys(&["Escape"]);
    t.wait_for("Scan the receipt");
    assert!(stale.is_empty(), "stale cells: {stale:#?}");
}

/// An ID card put in the reader on the check-in screen looks its holder up, as if the ID number
/// had been typed; on the form it would fill the form instead.
#[test]
fn an_id_card_read_on_the_check_in_screen_looks_its_holder_up() {
    use crate::card_emu::{Direct, Person, VirtualCard};
    use ruamjai::kiosk::card::{CardEvent, read_card};
    let mut a = checking_in(Lang::En);
    found(&mut a, REFERENCE, Finding::NotFound);
    let c = VirtualCard::current(&Person::somchai());
    let atr = c.atr.clone();
    let data = read_card(&mut Direct(c), &atr).unwrap();
    let fx = update(&mut a, Msg::Card(CardEvent::Read(Box::new(data))));
    assert_eq!(
        fx,
        vec![Effect::Checkin(CheckinEffect::Find {
            query: "1112034563562".into(),
        })]
    );
    assert!(view(&a).said.is_none() && a.card.pending.is_none());
    assert!(
        !a.form.has_data(),
        "the form is not filled on a site's kiosk"
    );
}
