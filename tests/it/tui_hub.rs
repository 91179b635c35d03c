//! The hub address in use on the status line (issue 13, kiosks fail over): what the sender
//! reports reaches the real state machine and is drawn on an 80-column test terminal, in Thai and
//! English, with the counts still whole; an address that is not answering is not named.

use ruamjai::core::thai::Lang;
use ruamjai::kiosk::sync::{Link, SyncStatus};
use ruamjai::kiosk::tui::app::{Msg, update};

use crate::tui_support::{on_form, render, screen_text};

fn status_line(link: Link, hub: &str, lang: Lang) -> String {
    let mut app = on_form(lang);
    let _ = update(
        &mut app,
        Msg::Sync(SyncStatus {
            link,
            hub: Some(hub.into()),
            ..SyncStatus::default()
        }),
    );
    let shown = screen_text(&render(&app, 80, 24));
    shown.lines().last().unwrap_or_default().to_owned()
}

#[test]
fn the_status_line_names_the_hub_in_use_within_80_columns() {
    let th = status_line(Link::Online, "http://127.0.0.1:54321", Lang::Th);
    assert!(
        th.contains("● ออนไลน์ │ ศูนย์ 127.0.0.1:54321 │ รอส่ง 0"),
        "{th}"
    );
    assert!(th.contains("ส่งล่าสุด —") && !th.contains('…'), "{th}");
    let en = status_line(Link::Online, "https://hub-b.go.th:8443/", Lang::En);
    assert!(
        en.contains("● online │ hub hub-b.go.th:8443 │ pending 0 │ last sync —"),
        "{en}"
    );
    // A long name is cut, not its port nor the counts after it.
    let long = status_line(
        Link::Online,
        "https://ruamjai-hub-2.samut-sakhon.moph.go.th:8443",
        Lang::En,
    );
    assert!(
        long.contains("hub ruamjai-hub-2.…:8443 │ pending 0"),
        "{long}"
    );
    assert!(
        long.contains("last sync —") && !long.ends_with('…'),
        "{long}"
    );
    let long = status_line(
        Link::Online,
        "https://ruamjai-hub.samut-sakhon.go.th",
        Lang::En,
    );
    assert!(
        long.contains("hub ruamjai-hub.samut-s… │ pending 0"),
        "{long}"
    );
    // The hub that refused the token is named too: that is where IT staff look.
    let refused = status_line(Link::NotAuthorised, "http://10.0.0.2:8080", Lang::En);
    assert!(
        refused.contains("not authorised │ hub 10.0.0.2:8080"),
        "{refused}"
    );
}

#[test]
fn no_address_is_named_when_none_answered() {
    let offline = Link::Offline {
        error: "no hub address answered".into(),
        retry_at: 0,
    };
    let en = status_line(offline, "http://127.0.0.1:54321", Lang::En);
    assert!(en.contains("○ offline │ pending 0"), "{en}");
    assert!(!en.contains("127.0.0.1"), "{en}");
}
