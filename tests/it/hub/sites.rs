//! Vaccination sites and appointments (issue 33): a sites file imported (and its problems named
//! by line), each acceptance given the earliest seat at a site serving the person's amphoe or
//! tambon in acceptance order, never beyond a day's capacity or a slot's share of it (also with
//! two hub processes on one PostgreSQL), the default site for an address no site serves, a
//! cancellation's seat going to the person moved up, a closed day's no-shows moving the list, a
//! closed site's people moved, and each change reaching the kiosk's outcome feed.

use ruamjai::core::protocol::{
    Appointment, BatchResponse, Cancellation, CancellationBatch, ItemOutcome, Outcome,
    OutcomeChanges, Submission, appointment_state as state,
};
use ruamjai::hub::Database;
use ruamjai::hub::intake::admin::in_write;
use ruamjai::hub::intake::history::Why;
use ruamjai::hub::sites::close_day::{self, DayClosed, Days};
use ruamjai::hub::sites::{catalog, file, listing};

use super::{TestHub, batch, client, get_json, post, submission, submit};

/// Three sites: Krathum Baen's hospital (the whole amphoe, two days of 2 in two slots), Lak Sam's
/// health centre (one tambon of Ban Phaeo), the city hall (the default site, one seat).
pub const SITES: &str = "\
site_id,name_th,name_en,serves,first_day,last_day,per_day,slots
KTB-01,โรงพยาบาลกระทุ่มแบน,Krathum Baen Hospital,อำเภอกระทุ่มแบน,01/03/2600,02/03/2600,2,09:00-12:00;13:00-16:00
BP-01,รพ.สต. หลักสาม,Lak Sam health centre,บ้านแพ้ว/หลักสาม,01/03/2600,01/03/2600,5,
MUANG-01,ศาลากลางจังหวัด,City Hall,เมืองสมุทรสาคร,01/03/2600,01/03/2600,1,
";

fn why() -> Why {
    Why {
        actor: "admin:somchai".into(),
        reason: "test".into(),
        now: ruamjai::hub::clock::now_ms(),
    }
}

/// Imports `csv` into `database` as `hub sites import` does.
pub fn import(database: &Database, csv: &str, default: Option<&'static str>) -> catalog::Imported {
    let rows = file::parse(csv).unwrap_or_else(|e| panic!("{e:?}"));
    let database = database.clone();
    std::thread::spawn(move || {
        in_write(&database, |db, counts| {
            catalog::import(db, counts, &rows, default, &why())
        })
        .unwrap()
    })
    .join()
    .unwrap()
}

fn run<T: Send + 'static>(
    database: &Database,
    work: impl FnOnce(&Database) -> T + Send + 'static,
) -> T {
    let database = database.clone();
    std::thread::spawn(move || work(&database)).join().unwrap()
}

fn sites_now(database: &Database) -> listing::Sites {
    run(database, |d| {
        let mut conn = d.connect(false).unwrap();
        listing::list(conn.as_mut()).unwrap()
    })
}

fn close_days(database: &Database, quota: u64, days: Days) -> DayClosed {
    run(database, move |d| {
        let mut campaign = super::campaign();
        campaign.total_quota = quota;
        in_write(d, |db, counts| {
            close_day::close_day(db, counts, &campaign, &days, &why()).map(Ok)
        })
        .unwrap()
    })
}

/// Person `n` living in `tambon` of `amphoe` (Samut Sakhon).
pub fn living_in(
    n: u64,
    reference: &str,
    amphoe: &str,
    tambon: &str,
    postcode: &str,
) -> Submission {
    let mut s = submission(n, reference);
    let r = s.registration.as_mut().unwrap();
    r.address.amphoe = amphoe.into();
    r.address.tambon = tambon.into();
    r.address.postcode = postcode.into();
    s
}

/// Where and when, as `(site, date, slot)`.
fn seat(a: Option<&Appointment>) -> Option<(&str, &str, Option<&str>)> {
    a.map(|a| (a.site_id.as_str(), a.date.as_str(), a.slot.as_deref()))
}

async fn changes(hub: &TestHub, token: &str) -> OutcomeChanges {
    get_json(&format!("{}/v1/outcomes?after=0", hub.url), token).await
}

async fn appointments_go_in_acceptance_order_by_amphoe_and_tambon_within_capacity() {
    let hub = TestHub::start().await;
    let token = hub.kiosk("SK01");
    let done = import(hub.database(), SITES, Some("MUANG-01"));
    assert_eq!((done.added, done.updated, done.allocated), (3, 0, 0));
    let mut items: Vec<Submission> = (1..=5)
        .map(|n| submission(n, &format!("SK01-{n:04}")))
        .collect();
    items.push(living_in(6, "SK01-0006", "บ้านแพ้ว", "หลักสาม", "74120"));
    items.push(living_in(7, "SK01-0007", "บ้านแพ้ว", "คลองตัน", "74120"));
    items.push(living_in(8, "SK01-0008", "บ้านแพ้ว", "คลองตัน", "74120"));
    let out = submit(&hub, &token, &batch(items)).await;
    let seats: Vec<_> = out.iter().map(|o| seat(o.appointment.as_ref())).collect();
    let (morning, afternoon) = (Some("09:00-12:00"), Some("13:00-16:00"));
    assert_eq!(
        seats,
        [
            Some(("KTB-01", "2057-03-01", morning)),
            Some(("KTB-01", "2057-03-01", afternoon)),
            Some(("KTB-01", "2057-03-02", morning)),
            Some(("KTB-01", "2057-03-02", afternoon)),
            // Krathum Baen is served, and full: no seat, and not the default site either.
            None,
            Some(("BP-01", "2057-03-01", None)),
            // No site serves Khlong Tan: the default site, while it has room.
            Some(("MUANG-01", "2057-03-01", None)),
            None,
        ]
    );
    for o in out.iter().filter_map(|o| o.appointment.as_ref()) {
        let code = o.security_code.as_deref().unwrap();
        assert!(
            code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit()),
            "{code}"
        );
        assert_eq!(o.state, state::BOOKED);
        assert!(
            o.site_name_th
                .chars()
                .any(|c| ('\u{0E01}'..='\u{0E5B}').contains(&c))
        );
    }
    assert!(
        out.iter()
            .all(|o| matches!(o.outcome, Outcome::Accepted { .. }))
    );
    let listed = sites_now(hub.database());
    assert_eq!(listed.by_default, 1);
    let ktb: Vec<_> = listed
        .days
        .iter()
        .filter(|d| d.site_id == "KTB-01")
        .collect();
    assert_eq!(ktb.len(), 4);
    assert!(
        ktb.iter()
            .all(|d| d.capacity == 1 && d.booked == 1 && d.free == 0),
        "{ktb:?}"
    );
    // Asked again, the same appointment, code and all.
    let url = format!("{}/v1/submissions/{}", hub.url, out[0].submission_id);
    let looked: ItemOutcome = get_json(&url, &token).await;
    assert_eq!(looked.appointment, out[0].appointment);

    // Three a day now: person 5, accepted without a seat, is given the new one, and hears it.
    let more = SITES.replace(",2,09:00-12:00", ",3,09:00-12:00");
    let done = import(hub.database(), &more, None);
    assert_eq!((done.added, done.updated, done.allocated), (0, 3, 1));
    let feed = changes(&hub, &token).await;
    assert_eq!(feed.changes.len(), 1, "{feed:?}");
    let change = &feed.changes[0];
    assert_eq!(change.submission_id, out[4].submission_id);
    assert_eq!(
        seat(change.appointment.as_ref()),
        Some(("KTB-01", "2057-03-01", morning))
    );
    assert!(change.appointment.as_ref().unwrap().security_code.is_some());
}

/// `sites` imported, then people 1 to `n` of Krathum Baen registered at `token`'s kiosk
/// (`SK01-0001` …); their answers.
async fn people_at(hub: &TestHub, token: &str, sites: &str, n: u64) -> Vec<ItemOutcome> {
    import(hub.database(), sites, None);
    let items = (1..=n)
        .map(|i| submission(i, &format!("SK01-{i:04}")))
        .collect();
    submit(hub, token, &batch(items)).await
}

async fn a_cancellation_gives_its_seat_to_the_person_moved_up() {
    let hub = TestHub::start_with(|o| o.campaign.total_quota = 2).await;
    let token = hub.kiosk("SK01");
    let one_day = "site_id,name_th,name_en,serves,first_day,last_day,per_day\n\
                   KTB-01,โรงพยาบาลกระทุ่มแบน,Krathum Baen Hospital,กระทุ่มแบน,01/03/2600,01/03/2600,2\n";
    let out = people_at(&hub, &token, one_day, 3).await;
    assert!(out[0].appointment.is_some() && out[1].appointment.is_some());
    assert!(matches!(out[2].outcome, Outcome::Waitlisted { .. }));
    assert_eq!(out[2].appointment, None);
    let body = CancellationBatch {
        items: vec![Cancellation {
            submission_id: out[0].submission_id,
            reason: "ย้ายไปต่างจังหวัด".into(),
        }],
    };
    let r = post(
        &client(),
        &format!("{}/v1/cancellations", hub.url),
        &token,
        &body,
    )
    .await;
    let answer = r.json::<BatchResponse>().await.unwrap().outcomes;
    assert_eq!(
        answer[0].appointment.as_ref().unwrap().state,
        state::CANCELLED
    );
    let feed = changes(&hub, &token).await;
    let promoted = feed
        .changes
        .iter()
        .find(|c| c.submission_id == out[2].submission_id)
        .expect("the person moved up hears it");
    assert!(matches!(promoted.outcome, Outcome::Accepted { .. }));
    assert_eq!(
        seat(promoted.appointment.as_ref()),
        Some(("KTB-01", "2057-03-01", None))
    );
    let day = &sites_now(hub.database()).days[0];
    assert_eq!((day.booked, day.free), (2, 0), "{day:?}");
}

async fn a_closed_day_s_no_shows_move_the_waiting_list() {
    let hub = TestHub::start_with(|o| o.campaign.total_quota = 2).await;
    let token = hub.kiosk("SK01");
    let days = "site_id,name_th,name_en,serves,first_day,last_day,per_day\n\
                KTB-01,โรงพยาบาลกระทุ่มแบน,Krathum Baen Hospital,กระทุ่มแบน,01/03/2600,03/03/2600,2\n";
    let out = people_at(&hub, &token, days, 4).await;
    assert!(matches!(out[3].outcome, Outcome::Waitlisted { .. }));
    let closed = close_days(
        hub.database(),
        2,
        Days::One {
            site: "KTB-01".into(),
            day: "2057-03-01".into(),
        },
    );
    assert_eq!((closed.days, closed.no_shows), (1, 2));
    assert_eq!(closed.promoted, ["RJ-0000003", "RJ-0000004"]);
    let feed = changes(&hub, &token).await;
    let of = |i: usize| {
        feed.changes
            .iter()
            .rfind(|c| c.submission_id == out[i].submission_id)
            .unwrap()
    };
    for i in [0, 1] {
        assert!(matches!(of(i).outcome, Outcome::Cancelled { .. }));
        assert_eq!(of(i).appointment.as_ref().unwrap().state, state::NO_SHOW);
    }
    // The closed day takes nobody: the people moved up come on the next day.
    for i in [2, 3] {
        assert_eq!(
            seat(of(i).appointment.as_ref()),
            Some(("KTB-01", "2057-03-02", None))
        );
    }
    let listed = sites_now(hub.database());
    let first = &listed.days[0];
    assert_eq!(
        (first.no_shows, first.booked, first.free),
        (2, 0, 0),
        "{first:?}"
    );
    assert!(first.day_closed);
    let counts = hub.rows("SELECT accepted, waitlisted FROM group_counts", &[]);
    assert_eq!(
        (
            counts[0].int("accepted").unwrap(),
            counts[0].int("waitlisted").unwrap()
        ),
        (2, 0)
    );
    // The timer's form closes what is left before a day, and finds nothing booked twice.
    let again = close_days(hub.database(), 2, Days::Before("2057-03-02".into()));
    assert_eq!((again.days, again.no_shows), (0, 0));
}

async fn a_closed_site_s_people_are_moved_in_acceptance_order() {
    let hub = TestHub::start().await;
    let token = hub.kiosk("SK01");
    let two = "site_id,name_th,name_en,serves,first_day,last_day,per_day\n\
               A-01,โรงเรียนวัดท่าไม้,Wat Tha Mai School,กระทุ่มแบน,01/03/2600,01/03/2600,2\n\
               B-01,วัดคลองมะเดื่อ,Wat Khlong Maduea,กระทุ่มแบน/คลองมะเดื่อ,02/03/2600,02/03/2600,2\n";
    let out = people_at(&hub, &token, two, 3).await;
    let code = out[0].appointment.as_ref().unwrap().security_code.clone();
    assert_eq!(
        seat(out[2].appointment.as_ref()),
        Some(("B-01", "2057-03-02", None))
    );
    let refused = run(hub.database(), |d| {
        in_write(d, |db, _| catalog::remove(db, "A-01")).unwrap_err()
    });
    assert!(
        refused.to_string().contains("hub sites close A-01"),
        "{refused}"
    );
    let closed = run(hub.database(), |d| {
        in_write(d, |db, counts| catalog::close(db, counts, "A-01", &why())).unwrap()
    });
    assert_eq!((closed.moved, closed.unplaced), (1, 1));
    let feed = changes(&hub, &token).await;
    assert_eq!(feed.changes.len(), 2, "{feed:?}");
    assert_eq!(feed.changes[0].submission_id, out[0].submission_id);
    let moved = feed.changes[0].appointment.as_ref().unwrap();
    assert_eq!(seat(Some(moved)), Some(("B-01", "2057-03-02", None)));
    assert_eq!(
        moved.security_code, code,
        "a moved person keeps the code on their slip"
    );
    assert_eq!(feed.changes[1].appointment, None);
    assert!(
        sites_now(hub.database())
            .days
            .iter()
            .all(|d| d.free == 0 || d.site_closed)
    );
}

/// The dashboard and `/metrics` say per site and day what is booked, vaccinated, not come and
/// free, and how many were given the default site.
async fn the_dashboard_and_the_metrics_show_each_site_s_days() {
    let hub = TestHub::start().await;
    let kiosk = hub.kiosk("SK01");
    let admin = hub.admin();
    import(hub.database(), SITES, Some("MUANG-01"));
    let items = vec![
        submission(1, "SK01-0001"),
        living_in(2, "SK01-0002", "บ้านแพ้ว", "คลองตัน", "74120"),
    ];
    submit(&hub, &kiosk, &batch(items)).await;
    let c = super::dashboard::browserless();
    let signed = super::dashboard::sign_in(&c, &hub.url, &admin).await;
    let cookie = super::dashboard::cookie_of(&signed);
    let page = c
        .get(format!("{}/dashboard/live", hub.url))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let row = page
        .split("<tr data-site=\"KTB-01\" data-day=\"01/03/2600\">")
        .nth(1)
        .unwrap_or_else(|| panic!("{page}"));
    let row = row.split("</tr>").next().unwrap();
    assert!(row.contains("โรงพยาบาลกระทุ่มแบน"), "{row}");
    assert!(row.contains("<td class=\"num booked\">1</td>"), "{row}");
    assert!(row.contains("<td class=\"num free\">0</td>"), "{row}");
    assert!(
        page.contains("<span class=\"num\" data-by-default>1</span>"),
        "{page}"
    );
    let metrics = c
        .get(format!("{}/metrics", hub.url))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for line in [
        "ruamjai_hub_site_day{site=\"KTB-01\",day=\"2057-03-01\",state=\"booked\"} 1",
        "ruamjai_hub_site_day{site=\"KTB-01\",day=\"2057-03-01\",state=\"free\"} 1",
        "ruamjai_hub_site_day{site=\"MUANG-01\",day=\"2057-03-01\",state=\"free\"} 0",
        "ruamjai_hub_site_by_default 1",
    ] {
        assert!(metrics.lines().any(|l| l == line), "{line}\n{metrics}");
    }
}

/// A kiosk's correction of an accepted record gives back its seat and takes one: never two.
async fn a_correction_holds_one_seat_not_two() {
    let hub = TestHub::start().await;
    let token = hub.kiosk("SK01");
    let one = "site_id,name_th,name_en,serves,first_day,last_day,per_day\n\
               KTB-01,โรงพยาบาลกระทุ่มแบน,Krathum Baen Hospital,กระทุ่มแบน,01/03/2600,02/03/2600,1\n";
    import(hub.database(), one, None);
    let first = submit(&hub, &token, &batch(vec![submission(1, "SK01-0001")])).await;
    let mut fixed = submission(1, "SK01-0002");
    fixed.registration.as_mut().unwrap().last_name = "ใจงาม".into();
    fixed.replaces = Some(first[0].submission_id);
    let out = submit(&hub, &token, &batch(vec![fixed])).await;
    assert_eq!(
        seat(out[0].appointment.as_ref()),
        Some(("KTB-01", "2057-03-01", None))
    );
    let booked = hub.rows(
        "SELECT COUNT(*) AS n FROM appointments WHERE state = 'booked'",
        &[],
    );
    assert_eq!(booked[0].int("n").unwrap(), 1);
    let seats = hub.rows("SELECT CAST(SUM(taken) AS BIGINT) AS n FROM site_days", &[]);
    assert_eq!(seats[0].int("n").unwrap(), 1);
}

on_both_backends!(
    a_correction_holds_one_seat_not_two,
    the_dashboard_and_the_metrics_show_each_site_s_days,
    appointments_go_in_acceptance_order_by_amphoe_and_tambon_within_capacity,
    a_cancellation_gives_its_seat_to_the_person_moved_up,
    a_closed_day_s_no_shows_move_the_waiting_list,
    a_closed_site_s_people_are_moved_in_acceptance_order,
);

#[test]
fn a_sites_file_s_problems_are_named_by_line() {
    let bad = "\
site_id,name_th,name_en,serves,first_day,last_day,per_day,slots
OK-01,ศาลากลาง,City Hall,เมืองสมุทรสาคร,01/03/2600,01/03/2600,10,
bad id,ศาลากลาง,City Hall,เมืองสมุทรสาคร,01/03/2600,01/03/2600,10,
X-02,วัด,Temple,ในเมือง,01/03/2600,01/03/2600,10,
X-03,วัด,Temple,กระทุ่มแบน,01/03/2057,01/03/2600,10,
X-04,วัด,Temple,กระทุ่มแบน,02/03/2600,01/03/2600,0,09:00-12:00
OK-01,ศาลากลาง,City Hall,เมืองสมุทรสาคร,01/03/2600,01/03/2600,10,
";
    let problems = file::parse(bad).unwrap_err();
    let said: Vec<String> = problems.iter().map(ToString::to_string).collect();
    let on = |line: u64, words: &str| {
        assert!(
            problems
                .iter()
                .any(|p| p.line == line && p.reason.contains(words)),
            "line {line} {words:?}: {said:#?}"
        );
    };
    on(3, "site_id");
    on(4, "write AMPHOE/ในเมือง");
    on(5, "Christian-era");
    on(6, "per_day");
    on(6, "last_day is before first_day");
    on(7, "also on line 2");
    assert!(!problems.iter().any(|p| p.line == 2), "{said:#?}");
    let missing = file::parse("site_id,name_th\nA,B\n").unwrap_err();
    assert!(
        missing
            .iter()
            .any(|p| p.line == 1 && p.reason.contains("serves"))
    );
}

/// The real binary: a Windows-874 sites file with a problem is refused by line and changes
/// nothing; the good one loads; the hub's answer carries the appointment; `hub close-day` makes
/// the person a no-show, and the kiosk's feed says so with the code.
#[test]
fn through_the_binary_import_serve_and_close_a_day() {
    use super::binary::{add_kiosk, hub_cmd, serve};
    let dir = tempfile::tempdir().unwrap();
    let token = add_kiosk(dir.path(), "SK01", &[]);
    let windows_874 = |text: &str| encoding_rs::WINDOWS_874.encode(text).0.into_owned();
    let bad = SITES.replace("อำเภอกระทุ่มแบน", "กระทุ่มแบ");
    let file = dir.path().join("sites.csv");
    std::fs::write(&file, windows_874(&bad)).unwrap();
    let out = hub_cmd(dir.path())
        .args(["hub", "sites", "import"])
        .arg(&file)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        said.contains("line 2: serves:") && said.contains("กระทุ่มแบ\""),
        "{said}"
    );
    let listed = hub_cmd(dir.path()).args(["hub", "sites"]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&listed.stdout).contains("no sites"),
        "{listed:?}"
    );
    std::fs::write(&file, windows_874(SITES)).unwrap();
    let out = hub_cmd(dir.path())
        .args(["hub", "sites", "import", "--default", "MUANG-01"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Windows-874"),
        "{out:?}"
    );
    let listed = hub_cmd(dir.path()).args(["hub", "sites"]).output().unwrap();
    let table = String::from_utf8_lossy(&listed.stdout).into_owned();
    assert!(table.contains("KTB-01 โรงพยาบาลกระทุ่มแบน"), "{table}");
    // Days in BE, as the file and `hub close-day` write them.
    assert!(
        table.contains("01/03/2600") && !table.contains("2057-03-01"),
        "{table}"
    );

    let (mut child, url) = serve(dir.path(), &[]);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let answer = runtime.block_on(async {
        let body = batch(vec![submission(1, "SK01-0001")]);
        let r = post(&client(), &format!("{url}/v1/submissions"), &token, &body).await;
        r.json::<BatchResponse>().await.unwrap().outcomes
    });
    let given = answer[0]
        .appointment
        .clone()
        .expect("an appointment with the answer");
    assert_eq!(
        seat(Some(&given)),
        Some(("KTB-01", "2057-03-01", Some("09:00-12:00")))
    );
    let out = hub_cmd(dir.path())
        .args(["hub", "close-day", "KTB-01", "01/03/2600", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("\"no_shows\":1"),
        "{out:?}"
    );
    let feed: OutcomeChanges =
        runtime.block_on(get_json(&format!("{url}/v1/outcomes?after=0"), &token));
    let _ = child.kill();
    let _ = child.wait();
    let change = &feed.changes[0];
    let now = change.appointment.as_ref().unwrap();
    assert_eq!(now.state, state::NO_SHOW);
    assert_eq!(now.security_code, given.security_code);
    assert!(matches!(change.outcome, Outcome::Cancelled { .. }));
}

/// Two hub processes of the real binary on one PostgreSQL, two kiosks sending at once: one
/// site's five seats go to exactly five people, whichever process took them.
#[test]
fn two_hub_processes_never_book_beyond_a_day() {
    let Some(cluster) = crate::pg::cluster() else {
        return;
    };
    let url = cluster.database("sites");
    let store = Database::Postgres { url: url.clone() };
    let dirs: Vec<_> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut hubs = super::postgres::hub_processes(&url, &dirs, 1000);
    let five = "site_id,name_th,name_en,serves,first_day,last_day,per_day\n\
                KTB-01,โรงพยาบาลกระทุ่มแบน,Krathum Baen Hospital,กระทุ่มแบน,01/03/2600,01/03/2600,5\n";
    import(&store, five, None);
    let tokens: Vec<String> = ["SK01", "SK02"]
        .iter()
        .map(|k| ruamjai::hub::add_kiosk(&store, k, "", false).unwrap())
        .collect();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let answers = runtime.block_on(async {
        let send = |hub: String, token: String, kiosk: &'static str, from: u64| async move {
            let mut given = Vec::new();
            for round in 0..4 {
                let items = (0..3)
                    .map(|i| {
                        let n = from + round * 3 + i;
                        submission(n, &format!("{kiosk}-{n:04}"))
                    })
                    .collect();
                let r = post(
                    &client(),
                    &format!("{hub}/v1/submissions"),
                    &token,
                    &batch(items),
                )
                .await;
                given.extend(r.json::<BatchResponse>().await.unwrap().outcomes);
            }
            given
        };
        let (a, b) = tokio::join!(
            send(hubs[0].1.clone(), tokens[0].clone(), "SK01", 100),
            send(hubs[1].1.clone(), tokens[1].clone(), "SK02", 200)
        );
        a.into_iter().chain(b).collect::<Vec<_>>()
    });
    for (child, _) in &mut hubs {
        let _ = child.kill();
        let _ = child.wait();
    }
    assert!(
        answers
            .iter()
            .all(|o| matches!(o.outcome, Outcome::Accepted { .. }))
    );
    let booked = answers.iter().filter(|o| o.appointment.is_some()).count();
    assert_eq!(booked, 5);
    let db = url.rsplit('/').next().unwrap();
    assert_eq!(
        cluster.psql(db, "SELECT taken || '/' || capacity FROM site_days"),
        "5/5"
    );
    assert_eq!(cluster.psql(db, "SELECT COUNT(*) FROM appointments"), "5");
}

/// A district's sites and appointments move into PostgreSQL with `hub migrate-store`, the
/// history's appointments with them, and a second run copies nothing twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_district_s_appointments_move_into_postgres() {
    let Some(cluster) = crate::pg::cluster() else {
        return;
    };
    let district = TestHub::start().await;
    let token = district.kiosk("SK01");
    import(district.database(), SITES, None);
    let items = vec![submission(1, "SK01-0001"), submission(2, "SK01-0002")];
    let out = submit(&district, &token, &batch(items)).await;
    let body = CancellationBatch {
        items: vec![Cancellation {
            submission_id: out[0].submission_id,
            reason: "ย้ายบ้าน".into(),
        }],
    };
    post(
        &client(),
        &format!("{}/v1/cancellations", district.url),
        &token,
        &body,
    )
    .await;
    let from = format!("sqlite:{}", district.path().display());
    let url = cluster.database("sites_moved");
    let migrate = || {
        let dir = tempfile::tempdir().unwrap();
        let out = crate::support::ruamjai(dir.path())
            .args([
                "hub",
                "migrate-store",
                "--from",
                &from,
                "--to",
                &url,
                "--json",
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    assert_eq!(migrate()["appointments"], serde_json::json!([2, 0]));
    assert_eq!(migrate()["appointments"], serde_json::json!([0, 2]));
    let db = url.rsplit('/').next().unwrap();
    let sql = "SELECT string_agg(state, ',' ORDER BY hub_seq) FROM appointments";
    assert_eq!(cluster.psql(db, sql), "cancelled,booked");
    let seats = cluster.psql(db, "SELECT SUM(taken) FROM site_days");
    assert_eq!(seats, "1");
    let history = "SELECT COUNT(appointment) FROM outcome_history";
    assert_eq!(cluster.psql(db, history), "1");
    assert_eq!(cluster.psql(db, "SELECT COUNT(*) FROM sites"), "3");
}
