//! The enrolment code on the first start screen (issue 31, item 1): a kiosk with no hub offers a
//! field for the code, and takes a code scanned into the operator's name too; the code is taken
//! as the keys typed it, so a keyboard-wedge scanner
//! or a clerk with the operating system's Thai layout on (which turns the code's keys into Thai
//! letters) enrols it all the same; a mistyped code is said at once with what was typed kept; a
//! refusal from the hub says which and keeps the code. With the real binary in tmux and a real
//! hub: the code scanned under the Thai layout enrols the kiosk, the screen shows its new name,
//! and a registration typed next reaches the hub.

use crossterm::event::KeyCode;
use ruamjai::core::enrolment::{EnrolCode, EnrolProblem};
use ruamjai::core::thai::{Bilingual, Lang, kedmanee};
use ruamjai::kiosk::tui::app::{EnrolView, EnrolledAs, Hint, Screen, StartFocus};
use ruamjai::kiosk::tui::{Effect, Msg, update};

use crate::hub::binary::{hub_cmd, serve};
use crate::tui_support::{app, ctrl, press, render, screen_text, typ};
use crate::tui_tmux::Tmux;

/// A well-formed code for a hub that is not there.
fn a_code() -> String {
    EnrolCode {
        urls: vec!["http://127.0.0.1:9".into()],
        name: "sk-07".into(),
        secret: [7; 16],
        key_pin: [3; 16],
        cert_sha256: None,
    }
    .encode()
    .unwrap()
}

/// The code as a keyboard types it with the Thai layout on.
fn under_thai_layout(code: &str) -> String {
    code.chars()
        .map(|c| kedmanee::to_thai(c).unwrap_or(c))
        .collect()
}

/// A kiosk with no hub, at its start screen, the cursor on the code field.
fn unenrolled() -> ruamjai::kiosk::tui::App {
    let mut a = app(Lang::En);
    a.enrol = Some(EnrolView::default());
    a.shift.focus = StartFocus::Code;
    a
}

#[test]
fn a_code_typed_under_the_thai_layout_is_taken_as_its_keys_and_sent_to_the_hub() {
    let code = a_code();
    let mut a = unenrolled();
    let seen = screen_text(&render(&a, 80, 24));
    assert!(seen.contains("Enrolment code:"), "{seen}");
    let thai = under_thai_layout(&code);
    assert_ne!(thai, code);
    assert!(typ(&mut a, &thai).is_empty());
    assert_eq!(a.enrol.as_ref().unwrap().code.text(), code);
    let seen = screen_text(&render(&a, 80, 24));
    assert!(seen.contains(&code[..30]), "drawn as the code:\n{seen}");
    let fx = press(&mut a, KeyCode::Enter);
    assert_eq!(fx, vec![Effect::Enrol(code.clone())]);
    assert_eq!(a.hint, Some(Hint::Enrolling));
    // Keys wait while the hub is asked.
    assert!(typ(&mut a, "x").is_empty());
    assert_eq!(a.enrol.as_ref().unwrap().code.text(), code);

    // Refused by the hub: said, the code kept to try again.
    update(&mut a, Msg::Enrolled(Err(EnrolProblem::Used)));
    assert!(!a.enrol.as_ref().unwrap().busy);
    assert_eq!(a.enrol.as_ref().unwrap().code.text(), code);
    let said = a.hint.as_ref().unwrap().say(Lang::En);
    assert!(said.contains("used already"), "{said}");
    assert!(a.hint.as_ref().unwrap().say(Lang::Th).contains("ใช้ไปแล้ว"));

    // Enrolled: the kiosk's name and place change, the field goes, the name is next.
    assert_eq!(press(&mut a, KeyCode::Enter), vec![Effect::Enrol(code)]);
    update(
        &mut a,
        Msg::Enrolled(Ok(EnrolledAs {
            kiosk_id: "SK-07".into(),
            point: "รพ.สต. ท่าไม้".into(),
            host: "hub.example".into(),
        })),
    );
    assert!(a.enrol.is_none());
    assert_eq!(a.shift.focus, StartFocus::Name);
    assert_eq!(a.kiosk_id, "SK-07");
    let seen = screen_text(&render(&a, 80, 24));
    assert!(!seen.contains("Enrolment code:"), "{seen}");
    assert!(
        seen.contains("SK-07") && seen.contains("รพ.สต. ท่าไม้"),
        "{seen}"
    );
    assert!(seen.contains("Enrolled as SK-07 at hub.example"), "{seen}");
}

#[test]
fn a_code_scanned_into_the_operators_name_is_taken_as_the_code() {
    let code = a_code();
    let mut a = unenrolled();
    a.shift.focus = StartFocus::Name;
    // The scanner types under the Thai layout, where some of the code's keys make Thai that the
    // name field refuses; the keys as typed still make the code.
    typ(&mut a, &under_thai_layout(&code));
    let fx = press(&mut a, KeyCode::Enter);
    assert_eq!(fx, vec![Effect::Enrol(code.clone())]);
    assert_eq!(a.operator_name(), "", "the code is not the operator's name");
    assert_eq!(a.shift.focus, StartFocus::Code);
    assert_eq!(a.enrol.as_ref().unwrap().code.text(), code);
    // A name is a name: Enter goes on as ever.
    let mut a = unenrolled();
    a.shift.focus = StartFocus::Name;
    typ(&mut a, "สมใจ");
    assert!(press(&mut a, KeyCode::Enter).is_empty());
    assert_eq!(a.operator_name(), "สมใจ");
    assert_eq!(a.screen, Screen::Form);
}

#[test]
fn a_mistyped_code_is_said_at_once_and_stays_and_an_empty_one_skips_to_the_name() {
    let code = a_code();
    let mut a = unenrolled();
    // One character changed: the check does not add up, no network asked.
    let mut wrong: Vec<char> = code.chars().collect();
    let at = wrong.len() / 2;
    wrong[at] = if wrong[at] == 'A' { 'B' } else { 'A' };
    let wrong: String = wrong.into_iter().collect();
    typ(&mut a, &wrong);
    assert!(press(&mut a, KeyCode::Enter).is_empty());
    assert_eq!(a.hint, Some(Hint::Enrol(EnrolProblem::Mistyped)));
    assert_eq!(a.enrol.as_ref().unwrap().code.text(), wrong);
    assert_eq!(a.screen, Screen::Start);
    // Not a code at all.
    ctrl(&mut a, 'u');
    typ(&mut a, "hello");
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.hint, Some(Hint::Enrol(EnrolProblem::NotACode)));
    // Cleared (Ctrl-U), Enter goes on to the operator's name; Up comes back.
    ctrl(&mut a, 'u');
    assert!(press(&mut a, KeyCode::Enter).is_empty());
    assert_eq!(a.shift.focus, StartFocus::Name);
    typ(&mut a, "สมใจ");
    assert_eq!(a.operator_name(), "สมใจ");
    press(&mut a, KeyCode::Up);
    assert_eq!(a.shift.focus, StartFocus::Code);
    // A pasted code under the Thai layout too.
    update(&mut a, Msg::Paste(under_thai_layout(&code)));
    assert_eq!(a.enrol.as_ref().unwrap().code.text(), code);
}

#[test]
fn a_kiosk_with_no_hub_is_enrolled_from_its_start_screen_and_its_registration_reaches_the_hub() {
    crate::hub::on(crate::hub::Backend::Sqlite, async {
        let hub_dir = tempfile::tempdir().unwrap();
        let (mut hub, url) = serve(hub_dir.path(), &[]);
        let out = hub_cmd(hub_dir.path())
            .args([
                "hub",
                "enrol",
                "sk-tha-mai-1",
                "--url",
                &url,
                "--point",
                "อบต.ท่าไม้",
            ])
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(out.status.success(), "{stdout}");
        let code = stdout.lines().last().unwrap().to_owned();
        let Some(t) = Tmux::start_env(None, &[crate::support::NO_CARD_READER]) else {
            let _ = hub.kill();
            return;
        };
        t.wait_for("รหัสลงทะเบียนเครื่อง:");
        // The scanner types the code and Enter, through the Thai layout.
        t.send(&under_thai_layout(&code));
        t.send("\r");
        t.wait_for("ลงทะเบียนเครื่องแล้ว");
        let screen = t.screen();
        assert!(!screen.contains("รหัสลงทะเบียนเครื่อง:"), "{screen}");
        assert!(screen.contains("อบต.ท่าไม้"), "{screen}");
        let config = std::fs::read_to_string(t.data_dir().join("config.toml")).unwrap();
        assert!(config.contains("hub_token = \"rjk_"), "{config}");
        t.send("สมใจ\r");
        crate::tui_first_start::register(&t);
        let reference = t.saved_reference();
        assert!(
            !ruamjai::core::refcode::is_provisional(
                ruamjai::core::refcode::prefix_in(&reference).unwrap()
            ),
            "made under the kiosk's name at the hub: {reference}"
        );
        // The sender started at enrolment delivers it (bounded).
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let accepted = loop {
            let out = hub_cmd(hub_dir.path())
                .args(["hub", "stats", "--json"])
                .output()
                .unwrap();
            let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let accepted = stats["accepted"].as_u64().unwrap_or(0);
            if accepted > 0 || std::time::Instant::now() > deadline {
                break accepted;
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        };
        let _ = hub.kill();
        let _ = hub.wait();
        assert_eq!(accepted, 1, "the hub has the registration:\n{}", t.log());
    });
}
