//! Time to draw one frame of the kiosk's form screen (filled in Thai) on ratatui's `TestBackend`,
//! at 80×24 and 120×40: the work done after every key press. Also the flood-relief campaign's
//! form (its own questions among the built-in fields) at 80×24, to hold it to the same cost; a
//! keystroke (a Thai letter typed and taken back, each through `update` and a frame) on either
//! campaign, and on the flood form with a newer version from the hub held until the form is
//! untouched (the check each message makes then); and the flood receipt with its answers.

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ruamjai::core::form::campaign::DEFAULT_CAMPAIGN;
use ruamjai::core::form::{Campaign, FieldKey};
use ruamjai::core::protocol::CampaignStatus;
use ruamjai::core::thai::Lang;
use ruamjai::core::thai::date::ThaiDate;
use ruamjai::kiosk::tui::{App, Msg, update};

fn filled_form() -> App {
    filled(
        DEFAULT_CAMPAIGN,
        &[
            "สมใจ\r\t1112034563562\t1\tสมชาย\tใจดี\t05072490\t1\t0812345678\t12/3\t4\t\t\tคลองมะเ\r",
            "\t\t\t3\t\t1\t",
        ],
    )
}

/// The flood-relief form filled for a farmer (group 2: the account asked too).
fn flood_form() -> App {
    filled(
        "flood-relief-2564",
        &[
            "สมใจ\r\t1112034563562\t1\tสมชาย\tใจดี\t0812345678\t2\t4\t3\t020123456\t12/3\t4\tคลองมะเ\r",
            "1\t",
        ],
    )
}

/// An app on campaign `id` after the keys of `typed`.
fn filled(id: &str, typed: &[&str]) -> App {
    let campaign = Campaign::load(id, None).expect("built-in campaign");
    let today = ThaiDate {
        day: Some(25),
        month: Some(11),
        year_be: 2569,
    };
    let mut app = App::new(campaign, "SK01", "รพ.สต.คลองมะเดื่อ", Lang::Th, today);
    let mut keys = |s: &str| {
        for c in s.chars() {
            let code = match c {
                '\t' => KeyCode::Tab,
                '\r' => KeyCode::Enter,
                c => KeyCode::Char(c),
            };
            update(&mut app, Msg::Key(KeyEvent::from(code)));
        }
    };
    for s in typed {
        keys(s);
    }
    app
}

/// A Thai letter typed into the note and taken back, each followed by a frame, at 80×24.
fn keystroke(c: &mut Criterion, name: &str, mut app: App) {
    app.form.focus_on(FieldKey::Note);
    let mut t = Terminal::new(TestBackend::new(80, 24)).expect("test terminal");
    c.bench_function(name, |b| {
        b.iter(|| {
            for code in [KeyCode::Char('ก'), KeyCode::Backspace] {
                update(&mut app, Msg::Key(KeyEvent::from(code)));
                t.draw(|f| ruamjai::kiosk::tui::ui::draw(f, &app))
                    .expect("draw");
            }
        });
    });
}

/// `app` holding its campaign's version 2 from the hub (taken once the form is untouched).
fn with_version_2_held(mut app: App) -> App {
    let mut definition = serde_json::to_value(&app.campaign).expect("campaign");
    definition["version"] = 2.into();
    app.sync.campaign = Some(CampaignStatus {
        campaign_id: app.campaign.id.clone(),
        total_quota: 5000,
        registered: 0,
        remaining: 5000,
        groups: Vec::new(),
        definition,
        seal_key: None,
        store_epoch: 0,
        site_id: None,
    });
    app
}

/// The flood form saved: its receipt, with the answers.
fn flood_receipt() -> App {
    let mut app = flood_form();
    update(&mut app, Msg::Key(KeyEvent::from(KeyCode::F(9))));
    let fx = update(&mut app, Msg::Key(KeyEvent::from(KeyCode::Enter)));
    let save = fx
        .into_iter()
        .find_map(|e| match e {
            ruamjai::kiosk::tui::Effect::Enqueue(s) => Some(*s),
            _ => None,
        })
        .expect("the flood form saves");
    let saved = save.saved(uuid::Uuid::now_v7(), "SK01-0001-7Q".into());
    update(&mut app, Msg::Enqueued(Ok(saved)));
    app
}

fn bench(c: &mut Criterion) {
    let app = filled_form();
    for (w, h) in [(80, 24), (120, 40)] {
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
        c.bench_function(&format!("form frame {w}x{h}"), |b| {
            b.iter(|| {
                t.draw(|f| ruamjai::kiosk::tui::ui::draw(f, &app))
                    .expect("draw");
            });
        });
    }
    let flood = flood_form();
    let mut t = Terminal::new(TestBackend::new(80, 24)).expect("test terminal");
    c.bench_function("flood form frame 80x24", |b| {
        b.iter(|| {
            t.draw(|f| ruamjai::kiosk::tui::ui::draw(f, &flood))
                .expect("draw");
        });
    });
    let receipt = flood_receipt();
    c.bench_function("flood receipt frame 80x24", |b| {
        b.iter(|| {
            t.draw(|f| ruamjai::kiosk::tui::ui::draw(f, &receipt))
                .expect("draw");
        });
    });
    keystroke(c, "keystroke 80x24", filled_form());
    keystroke(c, "flood keystroke 80x24", flood_form());
    keystroke(
        c,
        "flood keystroke 80x24, version 2 held",
        with_version_2_held(flood_form()),
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
