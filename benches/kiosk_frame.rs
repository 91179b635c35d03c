//! Time to draw one frame of the kiosk's form screen (filled in Thai) on ratatui's `TestBackend`,
//! at 80×24 and 120×40: the work done after every key press.

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ruamjai::core::form::Campaign;
use ruamjai::core::form::campaign::DEFAULT_CAMPAIGN;
use ruamjai::core::thai::Lang;
use ruamjai::core::thai::date::ThaiDate;
use ruamjai::kiosk::tui::{App, Msg, update};

fn filled_form() -> App {
    let campaign = Campaign::load(DEFAULT_CAMPAIGN, None).expect("built-in campaign");
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
    keys("สมใจ\r\t1112034563562\t1\tสมชาย\tใจดี\t05072490\t1\t0812345678\t12/3\t4\t\t\tคลองมะเ\r");
    keys("\t\t\t3\t\t1\t");
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
}

criterion_group!(benches, bench);
criterion_main!(benches);
