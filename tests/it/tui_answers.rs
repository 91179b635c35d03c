//! A record's answers to the campaign's questions where the kiosk shows a record, through the
//! state machine and drawn at 80×24: on the receipt and in the queue screen's detail, each with
//! its label in the screen's language and a choice in words, a question taking several ticked
//! with Space in a list of check boxes (also with the Thai layout on), a record made with an
//! earlier version read with that version's labels, and a receipt with more answers than room
//! saying how many it left out while its keys stay on screen.

use std::collections::BTreeMap;

use crossterm::event::KeyCode;
use ruamjai::core::form::{Campaign, Registration};
use ruamjai::core::thai::Lang;
use ruamjai::kiosk::queue::State;
use ruamjai::kiosk::tui::app::{KeyLayout, Receipt, RecordRow, Screen};
use ruamjai::kiosk::tui::{App, Effect, Msg, update};

use crate::tui_support::{ID, app, press, render, saved, screen_text, typ};

/// The flood-relief campaign's file.
pub const FLOOD: &str = include_str!("../../assets/campaigns/flood-relief-2564.toml");

/// A question taking several choices, after the flood-relief campaign's last field.
pub const NEEDS: &str = r#"
[[fields]]
key = "needs"
th = "ความช่วยเหลือที่ต้องการ"
en = "Help needed"
type = "choices"
choices = [
  { value = "food", th = "อาหาร", en = "Food" },
  { value = "water", th = "น้ำดื่ม", en = "Drinking water" },
  { value = "medicine", th = "ยารักษาโรค", en = "Medicine" },
  { value = "repair", th = "ซ่อมแซมบ้าน", en = "Home repair" },
]
"#;

/// The flood-relief campaign with [`NEEDS`], as a file.
pub fn flood_with_needs() -> String {
    format!("{FLOOD}\n{NEEDS}")
}

fn kiosk(campaign_file: &str, lang: Lang) -> App {
    let campaign = Campaign::from_toml("flood-relief-2564.toml", campaign_file).unwrap();
    let mut a = App::new(campaign, "SK01", "อบต.คลองมะเดื่อ", lang, app(lang).today);
    a.view.utc_offset_secs = 7 * 3600;
    typ(&mut a, "สมใจ");
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.screen, Screen::Form);
    a
}

/// A household of group 1 typed up to its consent (house totally damaged, 4 people).
fn household(a: &mut App) {
    for (value, then) in [
        ("", "id_number"),
        (ID, "title"),
        ("1", "first_name"),
        ("สมชาย", "last_name"),
        ("ใจดี", "phone"),
        ("0812345678", "target_group"),
        ("1", "household_size"),
        ("4", "damage"),
        ("3", "house_no"),
        ("12/3", "moo"),
        ("4", "tambon"),
    ] {
        typ(a, value);
        press(a, KeyCode::Tab);
        assert_eq!(a.form.focus.as_str(), then);
    }
    typ(a, "คลองมะเ");
    press(a, KeyCode::Enter);
    assert_eq!(a.form.focus.as_str(), "consent");
    typ(a, "1");
}

/// Review and save; the registration handed to the queue, and the kiosk on its receipt.
fn save(a: &mut App) -> Registration {
    press(a, KeyCode::F(9));
    assert_eq!(a.screen, Screen::Review, "{:?}", a.form.errors);
    let fx = press(a, KeyCode::Enter);
    let reg = fx
        .iter()
        .find_map(|e| match e {
            Effect::Enqueue(s) => Some(s.registration.clone()),
            _ => None,
        })
        .expect("saved");
    update(a, saved(&fx, uuid::Uuid::now_v7(), "SK01-0001-7Q"));
    assert_eq!(a.screen, Screen::Receipt);
    reg
}

fn row(reg: &Registration) -> RecordRow {
    RecordRow {
        submission_id: uuid::Uuid::now_v7(),
        reference: "SK01-0001-7Q".into(),
        state: State::Pending,
        created_at: 1_700_000_000_000,
        operator: "สมใจ".into(),
        registration: Some(reg.clone()),
        outcome: None,
        last_error: None,
        moved_from: None,
        appointment: None,
    }
}

/// The queue screen with `rows`, the `selected` one's detail drawn at 80×24.
fn queue_screen(a: &mut App, rows: Vec<RecordRow>, selected: usize) -> String {
    if a.screen != Screen::Queue {
        press(a, KeyCode::F(4));
    }
    assert_eq!(a.screen, Screen::Queue);
    update(a, Msg::Listed(Ok(rows)));
    a.queue.selected = selected;
    screen_text(&render(a, 80, 24))
}

#[test]
fn several_choices_are_ticked_with_space_and_the_answers_are_on_the_receipt_and_in_the_queue() {
    let mut a = kiosk(&flood_with_needs(), Lang::Th);
    household(&mut a);
    press(&mut a, KeyCode::Tab);
    press(&mut a, KeyCode::Tab);
    assert_eq!(a.form.focus.as_str(), "needs");
    let text = screen_text(&render(&a, 80, 24));
    assert!(
        text.contains("‹[ ] อาหาร›"),
        "the list, the highlight on the first:\n{text}"
    );
    press(&mut a, KeyCode::Char(' '));
    press(&mut a, KeyCode::Right);
    press(&mut a, KeyCode::Right);
    press(&mut a, KeyCode::Char(' '));
    let text = screen_text(&render(&a, 80, 24));
    // Too many for the row: the ones around the highlight, a mark where the first is left out.
    assert!(
        text.contains("…  [ ] น้ำดื่ม ‹[x] ยารักษาโรค› [ ] ซ่อมแซมบ้าน"),
        "{text}"
    );
    // With the Thai layout on in the kiosk and in the system, Space is still Space and the key
    // of 4 (`ภ` in Kedmanee) ticks the fourth.
    a.layout = KeyLayout::Th;
    a.system_layout = KeyLayout::Th;
    press(&mut a, KeyCode::Char(' '));
    press(&mut a, KeyCode::Char(' '));
    press(&mut a, KeyCode::Char('ภ'));
    let reg = save(&mut a);
    assert_eq!(
        reg.answer("needs"),
        "food;medicine;repair",
        "in the file's order"
    );
    assert_eq!(reg.answer("damage"), "total");

    let receipt = screen_text(&render(&a, 80, 24));
    for said in ["ความเสียหาย", "เสียหายทั้งหมด", "อาหาร, ยารักษาโรค, ซ่อมแซมบ้าน"]
    {
        assert!(receipt.contains(said), "{said} on the receipt:\n{receipt}");
    }
    assert!(
        !receipt.contains("total") && !receipt.contains("food"),
        "{receipt}"
    );
    let detail = queue_screen(&mut a, vec![row(&reg)], 0);
    assert!(
        detail.contains("จำนวนสมาชิกในครัวเรือน: 4 · ความเสียหาย: เสียหายทั้งหมด"),
        "{detail}"
    );
    update(
        &mut a,
        Msg::Key(crossterm::event::KeyEvent::from(KeyCode::F(2))),
    );
    let detail = screen_text(&render(&a, 80, 24));
    assert!(
        detail.contains("Household size: 4 · Damage: Total · Help needed: Food, Medicine,"),
        "in English after F2:\n{detail}"
    );
}

/// The flood-relief campaign as the hub publishes version 2: the damage question renamed and
/// its choices reworded.
fn version_2(a: &App) -> Msg {
    let mut d = serde_json::to_value(&a.campaign).unwrap();
    d["version"] = 2.into();
    for f in d["fields"].as_array_mut().unwrap() {
        if f["key"] == "damage" {
            f["en"] = "Damage to the home".into();
            f["choices"][2]["en"] = "Destroyed".into();
        }
    }
    Msg::Sync(ruamjai::kiosk::sync::SyncStatus {
        campaign: Some(ruamjai::core::protocol::CampaignStatus {
            campaign_id: "flood-relief-2564".into(),
            total_quota: 5000,
            registered: 0,
            remaining: 5000,
            groups: Vec::new(),
            definition: d,
            seal_key: None,
            store_epoch: 0,
            site_id: None,
        }),
        ..Default::default()
    })
}

#[test]
fn a_record_reads_with_the_labels_of_the_version_it_was_made_with() {
    let mut a = kiosk(FLOOD, Lang::En);
    household(&mut a);
    let first = save(&mut a);
    assert_eq!(first.form_version, 1);
    let v2 = version_2(&a);
    update(&mut a, v2);
    assert_eq!(a.campaign.version, 2, "taken at the untouched form");
    let mut second = first.clone();
    second.form_version = 2;
    let rows = vec![row(&first), row(&second)];
    let one = queue_screen(&mut a, rows.clone(), 0);
    assert!(one.contains("Damage: Total"), "version 1's words:\n{one}");
    let two = queue_screen(&mut a, rows, 1);
    assert!(two.contains("Damage to the home: Destroyed"), "{two}");
}

#[test]
fn a_receipt_with_more_answers_than_room_says_how_many_it_left_out() {
    let mut file = FLOOD.to_owned();
    let mut answers = BTreeMap::new();
    for i in 1..=12 {
        let field = format!(
            "\n[[fields]]\nkey = \"extra_{i}\"\nth = \"คำถามข้อที่ {i}\"\nen = \"Question {i}\"\ntype = \"text\"\n"
        );
        file.push_str(&field);
        answers.insert(format!("extra_{i}"), format!("คำตอบ {i}"));
    }
    let mut a = kiosk(&file, Lang::En);
    a.receipt = Some(Receipt {
        submission_id: uuid::Uuid::now_v7(),
        reference: "SK01-0001-7Q".into(),
        name: "นายสมชาย ใจดี".into(),
        id_shown: "1 1120 34563 56 2".into(),
        group: "1 Households with a damaged home".into(),
        state: State::Pending,
        outcome: None,
        corrects: None,
        appointment: None,
        form_version: 1,
        answers,
    });
    a.screen = Screen::Receipt;
    let text = screen_text(&render(&a, 80, 24));
    assert!(
        text.contains("Question 1 ") && text.contains("คำตอบ 1"),
        "{text}"
    );
    assert!(!text.contains("คำตอบ 12"), "{text}");
    let said = text
        .lines()
        .find(|l| l.contains("more answers"))
        .unwrap_or_else(|| panic!("a line says how many are left out:\n{text}"));
    let shown = (1..=12)
        .filter(|i| text.contains(&format!("Question {i} ")))
        .count();
    assert!(
        said.contains(&format!("… and {} more answers", 12 - shown)),
        "{shown} shown:\n{text}"
    );
    assert!(text.contains("Enter next person"), "the keys stay:\n{text}");
}

/// Types a household of group 1 at the flood-relief form in tmux (4 people, house totally
/// damaged), up to the field after the consent.
pub fn household_in_tmux(t: &crate::tui_tmux::Tmux) {
    t.send("\t1112034563562\t1\tสมชาย\tใจดี\t0812345678\t1\t4\t3\t12/3\t4\t");
    t.send("คลองมะเ");
    t.wait_for("กระทุ่มแบน");
    t.send("\r1\t");
}

/// The real binary: several choices ticked in tmux with the kiosk's Thai layout on (Space is
/// Space, `4` ticks the fourth), the answers in words on the receipt and in the queue's detail,
/// every step equal to the kiosk's full redraw.
#[test]
fn in_tmux_several_choices_are_ticked_and_the_answers_are_on_the_receipt_and_in_the_queue() {
    let config = "campaign = \"flood-relief-2564\"\n";
    let file = flood_with_needs();
    let Some(t) =
        crate::tui_tmux::kiosk_in_tmux("answers", config, &[("flood-relief-2564.toml", &file)])
    else {
        return;
    };
    t.wait_for("F10/^Q");
    t.send("สมใจ\r");
    t.wait_for("F9/^R");
    household_in_tmux(&t);
    t.send("\t");
    t.wait_for("‹[ ] อาหาร›");
    let mut stale = t.stale_cells("the list of needs");
    t.keys(&["F3"]);
    t.wait_for("แป้น TH");
    t.keys(&["Space", "Right", "Right", "Space"]);
    t.send("4");
    t.wait_for("‹[x] ซ่อมแซมบ้าน›");
    stale.extend(t.stale_cells("needs ticked"));
    t.keys(&["F9"]);
    t.wait_for("ตรวจทานก่อนบันทึก");
    t.keys(&["Enter"]);
    t.wait_for("บันทึกแล้ว");
    let receipt = t.screen();
    for said in [
        "จำนวนสมาชิกในครัวเรือน",
        "เสียหายทั้งหมด",
        "อาหาร, ยารักษาโรค, ซ่อมแซมบ้าน",
    ] {
        assert!(receipt.contains(said), "{said} on the receipt:\n{receipt}");
    }
    stale.extend(t.stale_cells("receipt"));
    t.keys(&["F4"]);
    t.wait_for("ความเสียหาย: เสียหายทั้งหมด");
    let queue = t.screen();
    assert!(
        queue.contains("จำนวนสมาชิกในครัวเรือน: 4 · ความเสียหาย: เสียหายทั้งหมด"),
        "{queue}"
    );
    stale.extend(t.stale_cells("queue"));
    assert!(stale.is_empty(), "{}", stale.join("\n"));
}
