//! Issue 33's loop through the real binaries, from the counter to the site's day: vaccination
//! sites imported at the hub (`hub sites import`), a group's quota of two, people registered at
//! two kiosks (each its own `import` and `flush` against the real `hub serve`); the two accepted
//! hear their appointments (`status --json`, `export` with the security code), the third waits;
//! `hub close-day` makes the two no-shows, their doses go back and the waiting person is moved
//! up and given the next day, which that kiosk hears at its next `flush`, while the first kiosk
//! hears that its two did not come. Check-in at the site (part 4) runs through the real binaries in
//! `checkin_kiosk.rs` (`a_site_kiosk_downloads_its_list_and_sends_a_dose_recorded_offline_once`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::hub::binary::{add_kiosk, hub_cmd, serve};
use crate::support::{HEADER, jsonl_export, private_tempdir, ruamjai, thai_id};

/// A kiosk's data directory, named at the hub and pointed at it.
pub fn kiosk(name: &str, url: &str, token: &str) -> tempfile::TempDir {
    let dir = private_tempdir();
    std::fs::write(
        dir.path().join("config.toml"),
        format!("kiosk_id = {name:?}\nhub_url = {url:?}\nhub_token = {token:?}\n"),
    )
    .unwrap();
    dir
}

/// People of group 3 living in Krathum Baen (the sites' first serves it), imported at `dir`.
fn import(dir: &Path, stems: &[u64]) {
    let mut csv = format!("{HEADER}\n");
    for stem in stems {
        let _ = writeln!(
            csv,
            "thai_id,{},นาง,มาลี,ใจงาม,05/07/2490,female,0812345678,,,,,คลองมะเดื่อ,กระทุ่มแบน,สมุทรสาคร,74110,3,yes,",
            thai_id(*stem)
        );
    }
    let file = dir.join("list.csv");
    std::fs::write(&file, csv).unwrap();
    let out = ruamjai(dir).arg("import").arg(&file).output().unwrap();
    assert!(out.status.success(), "{out:?}");
}

fn flush(dir: &Path) {
    let out = ruamjai(dir)
        .args(["flush", "--timeout", "20"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}

fn status(dir: &Path) -> serde_json::Value {
    let out = ruamjai(dir).args(["status", "--json"]).output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

fn export(dir: &Path) -> Vec<BTreeMap<String, String>> {
    jsonl_export(ruamjai(dir).arg("export"))
}

#[test]
fn sites_imported_people_registered_at_two_kiosks_a_day_closed_and_the_waiting_person_moved_up() {
    crate::hub::on(crate::hub::Backend::Sqlite, async { the_loop() });
}

fn the_loop() {
    let hub_dir = tempfile::tempdir().unwrap();
    let sites = hub_dir.path().join("sites.csv");
    std::fs::write(&sites, crate::hub::sites::SITES).unwrap();
    let hub = |args: &[&str]| {
        let out = hub_cmd(hub_dir.path()).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let (token_a, token_b) = (
        add_kiosk(hub_dir.path(), "sk-01", &[]),
        add_kiosk(hub_dir.path(), "sk-02", &[]),
    );
    hub(&["hub", "sites", "import", sites.to_str().unwrap()]);
    hub(&["hub", "set-quota", "--group", "3", "2"]);
    let (mut child, url) = serve(hub_dir.path(), &[]);
    let a = kiosk("sk-01", &url, &token_a);
    let b = kiosk("sk-02", &url, &token_b);

    import(a.path(), &[3301, 3302]);
    flush(a.path());
    import(b.path(), &[3303]);
    flush(b.path());

    let seen_a = status(a.path());
    assert_eq!(seen_a["appointments_received"], 2, "{seen_a}");
    let rows = export(a.path());
    assert_eq!(rows.len(), 2);
    for row in &rows {
        assert_eq!(row["site_id"], "KTB-01", "{row:?}");
        assert_eq!(row["appointment_date"], "2057-03-01", "{row:?}");
        let code = &row["security_code"];
        assert!(
            code.len() == 4 && code.chars().all(|c| c.is_ascii_digit()),
            "{row:?}"
        );
    }
    let slots: Vec<&str> = rows
        .iter()
        .map(|r| r["appointment_slot"].as_str())
        .collect();
    assert!(slots.contains(&"09:00-12:00"), "{slots:?}");
    let seen_b = status(b.path());
    assert_eq!(seen_b["appointments_received"], 0, "waiting: {seen_b}");
    assert_eq!(export(b.path())[0]["state"], "waitlisted");

    // The day is over and nobody came: two no-shows, their doses back, the waiting one moved
    // up and given the next day with room.
    let closed = hub(&["hub", "close-day", "KTB-01", "01/03/2600", "--json"]);
    assert!(closed.contains("\"no_shows\":2"), "{closed}");
    flush(b.path());
    let rows = export(b.path());
    assert_eq!(rows[0]["state"], "accepted", "{rows:?}");
    assert_eq!(rows[0]["site_id"], "KTB-01");
    assert_eq!(rows[0]["appointment_date"], "2057-03-02", "{rows:?}");
    assert_eq!(status(b.path())["appointments_received"], 1);
    flush(a.path());
    let seen_a = status(a.path());
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(seen_a["appointments"]["no_show"], 2, "{seen_a}");
}
