//! Appointments, measured (not a test): 66,000 acceptances (the first lot's doses) sent to the
//! hub in this process (SQLite, 127.0.0.1:0) by 8 kiosks in batches of 50, once on a hub with no
//! sites and once with 50 sites imported (40 serving one tambon each of Samut Sakhon, 10 a whole
//! amphoe; 30 days of 60, half of them in two slots), the people spread over the province's 40
//! tambons, in the same run. Prints the time, acceptances/s, the batch latency (p50, p99) and
//! the cost of allocation per acceptance; checks that every acceptance got an appointment and
//! that no day holds more than its capacity. Then check-in at one site on that store: a site's
//! kiosk downloads its list (today and the two days after; everyone else hashed) and sends 500
//! doses, then the same 500 again (answered from their stored rows), beside the run's batches of
//! registrations.
//!
//! ```text
//! cargo bench --bench hub_sites -- [--people 66000] [--write]
//! ```

#[path = "common/section.rs"]
mod section;
#[path = "../tests/it/support.rs"]
mod support;

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use ruamjai::core::form::Campaign;
use ruamjai::core::form::campaign::DEFAULT_CAMPAIGN;
use ruamjai::core::protocol::{BatchResponse, Dose, DoseBatch, DoseResponse, SiteList, Submission};
use ruamjai::core::thai::date::iso_to_be;
use ruamjai::hub::intake::admin::in_write;
use ruamjai::hub::intake::history::Why;
use ruamjai::hub::sites::{catalog, file};
use ruamjai::hub::{self, Hub, HubOptions};

const MARK_BEGIN: &str = "<!-- hub_sites: begin -->";
const MARK_END: &str = "<!-- hub_sites: end -->";
const KIOSKS: usize = 8;
const BATCH: usize = 50;
const SITES: usize = 50;

/// The province's tambons from the national list: (amphoe, tambon, postcode).
fn tambons() -> Vec<(&'static str, &'static str, &'static str)> {
    include_str!("../assets/thai-address.tsv")
        .lines()
        .filter_map(|l| {
            let c: Vec<&'static str> = l.split('\t').collect();
            (c.len() == 4 && c[0] == "สมุทรสาคร").then(|| (c[1], c[2], c[3].trim()))
        })
        .collect()
}

/// Today and 29 days on in Thailand, BE (`DD/MM/YYYY`): the sites' days, so that a site's
/// list of today and the days after holds people.
fn days() -> (String, String) {
    let today = ruamjai::hub::sites::allocate::today(ruamjai::hub::clock::now_ms());
    let first = chrono::NaiveDate::parse_from_str(&today, "%Y-%m-%d").expect("today");
    let last = first + chrono::Duration::days(29);
    let be = |d: chrono::NaiveDate| iso_to_be(&d.to_string()).expect("a day");
    (be(first), be(last))
}

/// The sites file: one site per tambon, then whole amphoes, to `SITES`.
fn sites_csv(places: &[(&str, &str, &str)]) -> String {
    let (first, last) = days();
    let mut csv = String::from("site_id,name_th,name_en,serves,first_day,last_day,per_day,slots\n");
    let amphoes = ["กระทุ่มแบน", "บ้านแพ้ว", "เมืองสมุทรสาคร"];
    for i in 0..SITES {
        let serves = places.get(i).map_or_else(
            || amphoes[i % amphoes.len()].to_owned(),
            |(a, t, _)| format!("{a}/{t}"),
        );
        let slots = if i % 2 == 0 {
            "09:00-12:00;13:00-16:00"
        } else {
            ""
        };
        let _ = writeln!(
            csv,
            "S-{i:02},สถานที่ {i},Site {i},{serves},{first},{last},60,{slots}"
        );
    }
    csv
}

/// One JSON item per tambon with `@ID@` and `@REF@` to fill.
fn templates(campaign: &Campaign, places: &[(&str, &str, &str)]) -> Vec<String> {
    places
        .iter()
        .map(|(amphoe, tambon, postcode)| {
            let mut r = support::registration(campaign, 999_999);
            r.id_number = "@ID@".into();
            r.address.amphoe = (*amphoe).into();
            r.address.tambon = (*tambon).into();
            r.address.postcode = (*postcode).into();
            serde_json::to_string(&Submission {
                submission_id: uuid::Uuid::nil(),
                reference: "@REF@".into(),
                created_at: 1_626_400_800_000,
                operator: "bench".into(),
                replaces: None,
                registration: Some(r),
                sealed: None,
            })
            .expect("json")
        })
        .collect()
}

struct Run {
    seconds: f64,
    latencies: Vec<Duration>,
    accepted: u64,
    appointments: u64,
    /// Check-in at site S-00 on the store the run left (with sites only).
    check_in: Option<CheckIn>,
}

/// One site's check-in, measured.
struct CheckIn {
    list_bytes: usize,
    list_ms: f64,
    people: usize,
    elsewhere: usize,
    doses: usize,
    recorded: usize,
    doses_ms: f64,
    replay_ms: f64,
}

/// A site's kiosk at S-00 on the serving hub at `base`: its list downloaded, then 500 of the
/// site's booked people (any day: the hub does not check the day) dosed, and the same doses sent
/// again.
fn check_in(base: &str, database: &hub::Database) -> CheckIn {
    let token = hub::add_site_kiosk(database, "CHECK-S00", "", "S-00").expect("site kiosk");
    let mut conn = database.connect(false).expect("store");
    let rows = conn
        .query(
            "SELECT s.reference AS reference, a.security_code AS code
             FROM appointments a JOIN submissions s ON s.submission_id = a.submission_id
             WHERE a.site_id = 'S-00' AND a.state = 'booked' ORDER BY a.day, s.row_seq LIMIT 500",
            &[],
        )
        .expect("read");
    let now = ruamjai::hub::clock::now_ms();
    let doses: Vec<Dose> = rows
        .iter()
        .map(|r| Dose {
            dose_id: uuid::Uuid::now_v7().to_string(),
            reference: r.text("reference").expect("reference"),
            site_id: "S-00".into(),
            security_code: r.text("code").expect("code"),
            lot: "BENCH-1".into(),
            dose_number: 1,
            given_at: now,
            operator: "bench".into(),
        })
        .collect();
    let batch = DoseBatch { doses };
    let base = base.to_owned();
    runtime().block_on(async move {
        let client = reqwest::Client::new();
        let t = Instant::now();
        let body = client
            .get(format!("{base}/v1/site/list?days=3"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("list")
            .bytes()
            .await
            .expect("list body");
        let list_ms = ms(t.elapsed());
        let list: SiteList = serde_json::from_slice(&body).expect("a site list");
        let send = || async {
            let t = Instant::now();
            let answer: DoseResponse = client
                .post(format!("{base}/v1/doses"))
                .bearer_auth(&token)
                .json(&batch)
                .send()
                .await
                .expect("doses")
                .json()
                .await
                .expect("doses answer");
            (answer, ms(t.elapsed()))
        };
        let (first, doses_ms) = send().await;
        let (again, replay_ms) = send().await;
        assert_eq!(first, again, "a replay is answered as the first time");
        CheckIn {
            list_bytes: body.len(),
            list_ms,
            people: list.people.len(),
            elsewhere: list.elsewhere.len(),
            doses: batch.doses.len(),
            recorded: first
                .results
                .iter()
                .filter(|r| r.status == "recorded")
                .count(),
            doses_ms,
            replay_ms,
        }
    })
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

/// The kiosks' batches, each kiosk sending its `per_kiosk` people one batch after another: per
/// kiosk, the batches' latencies, the acceptances and the appointments given.
fn send(
    url: &str,
    tokens: Vec<String>,
    templates: &[String],
    per_kiosk: u64,
) -> Vec<(Vec<Duration>, u64, u64)> {
    let (url, templates) = (url.to_owned(), templates.to_vec());
    runtime().block_on(async {
        let client = reqwest::Client::new();
        let tasks = tokens.into_iter().enumerate().map(|(k, token)| {
            let (client, url, templates) = (client.clone(), url.clone(), templates.clone());
            tokio::spawn(async move {
                let (mut lat, mut accepted, mut given) = (Vec::new(), 0, 0);
                let mut n = 0;
                while n < per_kiosk {
                    let items: Vec<String> = (n..(n + BATCH as u64).min(per_kiosk))
                        .map(|i| {
                            let person = k as u64 * per_kiosk + i;
                            templates[usize::try_from(person).unwrap_or(0) % templates.len()]
                                .replace("@ID@", &support::thai_id(110_000_000_000 + person))
                                .replace("@REF@", &format!("B{k:02}-{i:07}"))
                                .replace(
                                    "00000000-0000-0000-0000-000000000000",
                                    &uuid::Uuid::now_v7().to_string(),
                                )
                        })
                        .collect();
                    n += items.len() as u64;
                    let body = format!("{{\"items\":[{}]}}", items.join(","));
                    let t = Instant::now();
                    let r = client
                        .post(&url)
                        .bearer_auth(&token)
                        .header("content-type", "application/json")
                        .body(body)
                        .send()
                        .await
                        .expect("send");
                    let answer: BatchResponse = r.json().await.expect("answer");
                    lat.push(t.elapsed());
                    for o in &answer.outcomes {
                        accepted += u64::from(o.outcome.state_name() == "accepted");
                        given += u64::from(o.appointment.is_some());
                    }
                }
                (lat, accepted, given)
            })
        });
        let mut out = Vec::new();
        for t in tasks.collect::<Vec<_>>() {
            out.push(t.await.expect("kiosk"));
        }
        out
    })
}

/// Sends `people` registrations to a fresh hub (with sites when `with_sites`).
fn run(people: u64, with_sites: bool, places: &[(&str, &str, &str)]) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let campaign = Campaign::load(DEFAULT_CAMPAIGN, None).expect("campaign");
    let templates = templates(&campaign, places);
    let mut opts = HubOptions::new(dir.path().join("hub"), campaign);
    opts.campaign.total_quota = people;
    opts.kiosk_rate_per_sec = 0.0;
    opts.keys = Some(support::test_hub_keys());
    let database = opts.database.clone();
    let tokens: Vec<String> = (0..KIOSKS)
        .map(|k| hub::add_kiosk(&database, &format!("B{k:02}"), "", false).expect("kiosk"))
        .collect();
    if with_sites {
        let rows = file::parse(&sites_csv(places)).expect("sites file");
        let why = Why {
            actor: "admin:bench".into(),
            reason: "bench".into(),
            now: ruamjai::hub::clock::now_ms(),
        };
        in_write(&database, |db, counts| {
            catalog::import(db, counts, &rows, None, &why)
        })
        .expect("import");
    }
    let hub_rt = runtime();
    let hub = Hub::open(opts).expect("hub");
    let listener = hub_rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let url = format!("{base}/v1/submissions");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = hub_rt.spawn(hub::serve(listener, hub, async move {
        let _ = stopped.await;
    }));
    let per_kiosk = people / KIOSKS as u64;
    let started = Instant::now();
    let results = send(&url, tokens, &templates, per_kiosk);
    let seconds = started.elapsed().as_secs_f64();
    let check_in = with_sites.then(|| check_in(&base, &database));
    let _ = stop.send(());
    let _ = hub_rt.block_on(server);
    if with_sites {
        let mut conn = database.connect(false).expect("store");
        let over = conn
            .query_one("SELECT COUNT(*) FROM site_days WHERE taken > capacity", &[])
            .expect("read")
            .int(0)
            .expect("count");
        assert_eq!(over, 0, "a day beyond its capacity");
    }
    let mut latencies = Vec::new();
    let (mut accepted, mut appointments) = (0, 0);
    for (l, a, g) in results {
        latencies.extend(l);
        accepted += a;
        appointments += g;
    }
    latencies.sort();
    Run {
        seconds,
        latencies,
        accepted,
        appointments,
        check_in,
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn pct(l: &[Duration], p: f64) -> Duration {
    l.get(((l.len() as f64 - 1.0) * p) as usize)
        .copied()
        .unwrap_or_default()
}

/// The check-in paragraph of the report, beside the run's batches of registrations.
fn checked_in(c: &CheckIn, r: &Run) -> String {
    format!(
        "Check-in at one of those sites (S-00), same run and store: its kiosk's list of today and \
         the two days after is {:.1} MB of JSON ({} of its people with their details, {} others \
         hashed), answered in {:.0} ms; {} doses of its people ({} recorded) took {:.0} ms in \
         one `POST /v1/doses`, the same {} sent again {:.0} ms (answered from their rows), \
         beside {:.1} ms for the median batch of {BATCH} registrations.\n\n",
        c.list_bytes as f64 / 1e6,
        c.people,
        c.elsewhere,
        c.list_ms,
        c.doses,
        c.recorded,
        c.doses_ms,
        c.doses,
        c.replay_ms,
        ms(pct(&r.latencies, 0.5)),
    )
}

fn main() {
    let v: Vec<String> = std::env::args().collect();
    let people = v
        .iter()
        .position(|a| a == "--people")
        .and_then(|i| v.get(i + 1))
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(66_000);
    let places = tambons();
    assert_eq!(places.len(), 40, "Samut Sakhon's tambons");
    let plain = run(people, false, &places);
    let sites = run(people, true, &places);
    assert_eq!(
        sites.appointments, sites.accepted,
        "every acceptance has a seat"
    );
    let line = |name: &str, r: &Run| {
        format!(
            "| {name} | {} | {} | {:.1} | {:.0} | {:.1} | {:.1} |",
            r.accepted,
            r.appointments,
            r.seconds,
            r.accepted as f64 / r.seconds,
            ms(pct(&r.latencies, 0.5)),
            ms(pct(&r.latencies, 0.99)),
        )
    };
    let overhead_ms = (sites.seconds - plain.seconds) * 1000.0 / people as f64;
    let p50 = ms(pct(&sites.latencies, 0.5)) - ms(pct(&plain.latencies, 0.5));
    let section = format!(
        "{MARK_BEGIN}\n## Appointments (issue 33): 66,000 acceptances over 50 sites\n\n\
         `cargo bench --bench hub_sites -- --write`: the hub in this process on SQLite, {KIOSKS} \
         kiosks sending batches of {BATCH} in clear over loopback, {people} people spread over \
         Samut Sakhon's 40 tambons, the quota {people}; the same run without sites, then with 50 \
         sites (40 serving one tambon each, 10 a whole amphoe, 30 days of 60, every other site \
         in two slots).\n\n\
         | hub | accepted | with an appointment | seconds | acceptances/s | batch p50 ms | batch p99 ms |\n\
         |---|---|---|---|---|---|---|\n{}\n{}\n\n\
         Allocation costs {overhead_ms:.3} ms of wall time per acceptance ({p50:+.1} ms on the \
         median batch of {BATCH}); no day was booked beyond its capacity.\n\n{}{MARK_END}\n",
        line("no sites", &plain),
        line("50 sites", &sites),
        sites
            .check_in
            .as_ref()
            .map_or_else(String::new, |c| checked_in(c, &sites)),
    );
    print!("{section}");
    if v.iter().any(|a| a == "--write") {
        section::write(MARK_BEGIN, MARK_END, &section);
    }
}
