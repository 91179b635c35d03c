//! Check-in at a vaccination site (issue 33, part 4), the hub's side: a kiosk enrolled for a
//! site (`hub add-kiosk NAME --site ID`) is told so in `GET /v1/campaign`, downloads its site's
//! coming days (its own people with what the clerk checks and the code, everyone else by keyed
//! hash alone, no ID number anywhere) and sends the doses it recorded: each recorded once (a
//! replay answered as the first time, a second dose of the same person refused, also when two
//! kiosks dose one person at once), a wrong code, another site's person, an unknown or cancelled
//! one each refused, and the kiosk that registered the person hearing `vaccinated` in its feed.

use chrono::Datelike;
use ruamjai::core::form::person_key;
use ruamjai::core::protocol::{
    Appointment, CampaignStatus, Cancellation, CancellationBatch, Dose, DoseBatch, DoseResponse,
    DoseResult, ItemOutcome, OutcomeChanges, SiteList, appointment_state as state,
    dose_status as status, person_hash,
};

use super::sites::{import, living_in};
use super::{TestHub, batch, client, get_json, post, submission, submit};

/// The day `offset` days from today in Thailand, as a sites file writes it (`DD/MM/YYYY` BE)
/// and as ISO.
pub fn thai_day(offset: i64) -> (String, String) {
    let day = (chrono::Utc::now() + chrono::Duration::hours(7) + chrono::Duration::days(offset))
        .date_naive();
    let be = format!("{:02}/{:02}/{}", day.day(), day.month(), day.year() + 543);
    (be, day.to_string())
}

/// Krathum Baen's hospital (the whole amphoe, two a day) and Lak Sam's health centre, both from
/// today for a week.
pub fn sites_from_today() -> String {
    let (first, last) = (thai_day(0).0, thai_day(6).0);
    format!(
        "site_id,name_th,name_en,serves,first_day,last_day,per_day\n\
         KTB-01,โรงพยาบาลกระทุ่มแบน,Krathum Baen Hospital,กระทุ่มแบน,{first},{last},2\n\
         BP-01,รพ.สต. หลักสาม,Lak Sam health centre,บ้านแพ้ว/หลักสาม,{first},{last},5\n"
    )
}

/// A check-in kiosk `name` for `site`; its token.
fn site_kiosk(hub: &TestHub, name: &str, site: &str) -> String {
    ruamjai::hub::add_site_kiosk(hub.database(), name, "โรงพยาบาลกระทุ่มแบน", site).unwrap()
}

/// Six people of Krathum Baen (two a day from today at KTB-01) and one of Lak Sam (BP-01),
/// registered at SK01; their answers.
async fn registered(hub: &TestHub, token: &str) -> Vec<ItemOutcome> {
    import(hub.database(), &sites_from_today(), None);
    let mut items: Vec<_> = (1..=6)
        .map(|n| submission(n, &format!("SK01-{n:04}")))
        .collect();
    items.push(living_in(7, "SK01-0007", "บ้านแพ้ว", "หลักสาม", "74120"));
    let out = submit(hub, token, &batch(items)).await;
    assert!(out.iter().all(|o| o.appointment.is_some()), "{out:?}");
    out
}

async fn site_list(hub: &TestHub, token: &str, query: &str) -> reqwest::Response {
    client()
        .get(format!("{}/v1/site/list{query}", hub.url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

fn dose(id: &str, reference: &str, site: &str, code: &str) -> Dose {
    Dose {
        dose_id: id.to_owned(),
        reference: reference.to_owned(),
        site_id: site.to_owned(),
        security_code: code.to_owned(),
        lot: "AB1234".into(),
        dose_number: 1,
        given_at: 1_900_000_000_000,
        operator: "พยาบาลสมศรี".into(),
    }
}

async fn send_doses(hub: &TestHub, token: &str, doses: Vec<Dose>) -> Vec<DoseResult> {
    let n = doses.len();
    let r = post(
        &client(),
        &format!("{}/v1/doses", hub.url),
        token,
        &DoseBatch { doses },
    )
    .await;
    assert_eq!(r.status(), 200, "{:?}", r.text().await);
    let results = r.json::<DoseResponse>().await.unwrap().results;
    assert_eq!(results.len(), n);
    results
}

/// The `n`th dose id of a test.
fn id(n: u32) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

/// `o`'s registration cancelled by its kiosk.
async fn cancel_at_counter(hub: &TestHub, token: &str, o: &ItemOutcome) {
    let body = CancellationBatch {
        items: vec![Cancellation {
            submission_id: o.submission_id,
            reason: "ย้ายบ้าน".into(),
        }],
    };
    let url = format!("{}/v1/cancellations", hub.url);
    assert_eq!(post(&client(), &url, token, &body).await.status(), 200);
}

fn code(o: &ItemOutcome) -> String {
    o.appointment
        .as_ref()
        .unwrap()
        .security_code
        .clone()
        .unwrap()
}

async fn a_site_kiosk_lists_its_coming_days_with_no_id_number() {
    let hub = TestHub::start().await;
    let token = hub.kiosk("SK01");
    let out = registered(&hub, &token).await;
    let checkin = site_kiosk(&hub, "KTB-CHECKIN", "ktb-01");
    let told: CampaignStatus = get_json(&format!("{}/v1/campaign", hub.url), &checkin).await;
    assert_eq!(
        told.site_id.as_deref(),
        Some("KTB-01"),
        "stored as the site spells it"
    );
    let not: CampaignStatus = get_json(&format!("{}/v1/campaign", hub.url), &token).await;
    assert_eq!(not.site_id, None);

    let r = site_list(&hub, &checkin, "?days=2").await;
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    let list: SiteList = serde_json::from_str(&text).unwrap();
    let (today, tomorrow, third) = (thai_day(0).1, thai_day(1).1, thai_day(2).1);
    assert_eq!(
        (list.first_day.as_str(), list.last_day.as_str()),
        (today.as_str(), tomorrow.as_str())
    );
    assert_eq!(list.site_id, "KTB-01");
    assert_eq!(list.site_name_en, "Krathum Baen Hospital");
    let key: [u8; 32] = ruamjai::core::seal::from_b64(&list.person_hash_key)
        .unwrap()
        .try_into()
        .unwrap();
    // Today's and tomorrow's four, in day order, with what the clerk checks and the code.
    let people: Vec<&str> = list.people.iter().map(|p| p.reference.as_str()).collect();
    assert_eq!(people, ["SK01-0001", "SK01-0002", "SK01-0003", "SK01-0004"]);
    for (n, (p, o)) in (1..).zip(list.people.iter().zip(&out)) {
        let reg = super::registration(n);
        assert_eq!(
            p.person_hash,
            person_hash(&key, &person_key(reg.id_type, &reg.id_number))
        );
        assert_eq!(p.id_tail, reg.id_number[9..]);
        assert_eq!(p.birth_date.as_deref(), Some("01/02/2480"));
        assert_eq!((p.first_name.as_str(), p.target_group), ("มาลี", 3));
        assert_eq!(p.appointment.security_code, Some(code(o)));
        assert_eq!(p.appointment.state, state::BOOKED);
        assert!(!text.contains(&reg.id_number), "no ID number is listed");
    }
    assert_eq!(list.people[0].appointment.date, today);
    assert_eq!(list.people[3].appointment.date, tomorrow);
    // Everyone else: the site's third day and the other site, no code, no name.
    let elsewhere: Vec<(&str, &str, &str)> = list
        .elsewhere
        .iter()
        .map(|e| {
            assert_eq!(e.appointment.security_code, None);
            (
                e.reference.as_str(),
                e.appointment.site_id.as_str(),
                e.appointment.date.as_str(),
            )
        })
        .collect();
    assert_eq!(elsewhere.len(), 3, "{elsewhere:?}");
    for want in [
        ("SK01-0005", "KTB-01", third.as_str()),
        ("SK01-0006", "KTB-01", third.as_str()),
        ("SK01-0007", "BP-01", today.as_str()),
    ] {
        assert!(elsewhere.contains(&want), "{want:?} in {elsewhere:?}");
    }
    // A new key for every list: the same person hashes otherwise.
    let again: SiteList = site_list(&hub, &checkin, "").await.json().await.unwrap();
    assert_ne!(again.person_hash_key, list.person_hash_key);
    assert_ne!(again.people[0].person_hash, list.people[0].person_hash);
    assert_eq!(again.last_day, third, "three days unless asked");
    assert_eq!(again.people.len(), 6);

    // The download is a read of personal data, in the access log.
    let log = hub.rows(
        "SELECT who, what, filter, rows FROM access_log ORDER BY seq",
        &[],
    );
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].text("who").unwrap(), "kiosk:KTB-CHECKIN");
    assert_eq!(log[0].text("what").unwrap(), "GET /v1/site/list");
    assert_eq!(log[0].text("filter").unwrap(), "site=KTB-01 days=2");
    assert_eq!(log[0].int("rows").unwrap(), 4);
    hub.stop().await;
}

async fn only_a_site_s_kiosk_is_given_a_list_or_takes_doses() {
    let hub = TestHub::start().await;
    let token = hub.kiosk("SK01");
    import(hub.database(), &sites_from_today(), None);
    let checkin = site_kiosk(&hub, "KTB-CHECKIN", "KTB-01");
    // Not a site's kiosk, an admin, a day count out of range.
    for (who, path) in [(&token, "/v1/site/list"), (&token, "/v1/doses")] {
        let r = if path.ends_with("doses") {
            post(
                &client(),
                &format!("{}{path}", hub.url),
                who,
                &DoseBatch { doses: vec![] },
            )
            .await
        } else {
            site_list(&hub, who, "").await
        };
        assert_eq!(r.status(), 404);
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["error"], "not_a_site_kiosk", "{body}");
    }
    assert_eq!(site_list(&hub, &hub.admin(), "").await.status(), 403);
    for days in ["0", "15", "soon"] {
        let r = site_list(&hub, &checkin, &format!("?days={days}")).await;
        assert_eq!(r.status(), 400, "days={days}");
    }
    hub.stop().await;
}

async fn a_dose_is_recorded_once_and_the_registering_kiosk_hears_it() {
    let hub = TestHub::start().await;
    let token = hub.kiosk("SK01");
    let out = registered(&hub, &token).await;
    let checkin = site_kiosk(&hub, "KTB-CHECKIN", "KTB-01");
    // Person 4 is cancelled at the counter before coming.
    cancel_at_counter(&hub, &token, &out[3]).await;
    let before = get_json::<OutcomeChanges>(&format!("{}/v1/outcomes?after=0", hub.url), &token)
        .await
        .next;

    let doses = vec![
        dose(&id(1), "SK01-0001", "KTB-01", &code(&out[0])),
        // The same dose again in the same batch, and another dose of the same person.
        dose(&id(1), "SK01-0001", "KTB-01", &code(&out[0])),
        dose(&id(2), "SK01-0001", "KTB-01", &code(&out[0])),
        dose(&id(3), "SK01-0002", "KTB-01", "0000x"),
        dose(&id(4), "SK01-0007", "KTB-01", &code(&out[6])),
        dose(&id(5), "SK99-0001", "KTB-01", "1234"),
        dose(&id(6), "SK01-0004", "KTB-01", &code(&out[3])),
    ];
    let results = send_doses(&hub, &checkin, doses.clone()).await;
    let said: Vec<&str> = results.iter().map(|r| r.status.as_str()).collect();
    assert_eq!(
        said,
        [
            status::RECORDED,
            status::RECORDED,
            status::ALREADY_VACCINATED,
            status::WRONG_CODE,
            status::OTHER_SITE,
            status::UNKNOWN,
            status::UNKNOWN,
        ]
    );
    for (r, d) in results.iter().zip(&doses) {
        assert_eq!(r.dose_id, d.dose_id);
        assert!(r.message.as_deref().is_some_and(|m| !m.is_empty()), "{r:?}");
        let no_code = r
            .appointment
            .as_ref()
            .is_none_or(|a| a.security_code.is_none());
        assert!(no_code, "an answer never carries a code: {r:?}");
    }
    assert_eq!(
        results[0], results[1],
        "a replay is answered as the first time"
    );
    let vaccinated: &Appointment = results[0].appointment.as_ref().unwrap();
    assert_eq!(vaccinated.state, state::VACCINATED);
    assert_eq!(vaccinated.vaccinated_at, Some(1_900_000_000_000));
    assert_eq!(
        results[2].appointment.as_ref().unwrap().vaccinated_at,
        Some(1_900_000_000_000)
    );
    assert_eq!(results[4].appointment.as_ref().unwrap().site_id, "BP-01");
    assert_eq!(
        results[6].appointment.as_ref().unwrap().state,
        state::CANCELLED
    );

    // Sent again, later: the same answers, nothing recorded twice.
    let again = send_doses(&hub, &checkin, doses).await;
    assert_eq!(again, results);
    let stored = hub.rows("SELECT status FROM doses ORDER BY status, dose_id", &[]);
    assert_eq!(stored.len(), 6, "one row per dose id");
    let recorded = hub.rows(
        "SELECT COUNT(*) AS n FROM doses WHERE status = 'recorded'",
        &[],
    );
    assert_eq!(recorded[0].int("n").unwrap(), 1);

    // The kiosk that registered person 1 hears it, once, with the dose's time.
    let feed: OutcomeChanges =
        get_json(&format!("{}/v1/outcomes?after={before}", hub.url), &token).await;
    assert_eq!(feed.changes.len(), 1, "{feed:?}");
    let change = &feed.changes[0];
    assert_eq!(change.submission_id, out[0].submission_id);
    let now = change.appointment.as_ref().unwrap();
    assert_eq!(
        (now.state.as_str(), now.vaccinated_at),
        (state::VACCINATED, Some(1_900_000_000_000))
    );
    assert_eq!(
        now.security_code,
        Some(code(&out[0])),
        "its own kiosk keeps the code"
    );
    let history = hub.rows(
        "SELECT actor, reason FROM outcome_history WHERE submission_id = ?1",
        &[&out[0].submission_id.to_string()],
    );
    assert_eq!(history[0].text("actor").unwrap(), "kiosk:KTB-CHECKIN");
    assert_eq!(
        history[0].text("reason").unwrap(),
        "dose 1 given at KTB-01, lot AB1234"
    );

    // The site's list now says so, and `hub sites` counts it.
    let list: SiteList = site_list(&hub, &checkin, "").await.json().await.unwrap();
    assert_eq!(list.people[0].appointment.state, state::VACCINATED);
    let counted = hub.rows(
        "SELECT COUNT(*) AS n FROM appointments WHERE state = 'vaccinated'",
        &[],
    );
    assert_eq!(counted[0].int("n").unwrap(), 1);
    hub.stop().await;
}

async fn a_dose_no_kiosk_could_make_fails_its_batch_and_records_nothing() {
    let hub = TestHub::start().await;
    let token = hub.kiosk("SK01");
    let out = registered(&hub, &token).await;
    let checkin = site_kiosk(&hub, "KTB-CHECKIN", "KTB-01");
    let good = dose(&id(1), "SK01-0001", "KTB-01", &code(&out[0]));
    let mut no_lot = good.clone();
    no_lot.dose_id = id(2);
    no_lot.lot = "  ".into();
    let mut not_uuid = good.clone();
    not_uuid.dose_id = "dose-1".into();
    let mut zeroth = good.clone();
    zeroth.dose_id = id(3);
    zeroth.dose_number = 0;
    for (bad, field) in [
        (no_lot, "lot"),
        (not_uuid, "dose_id"),
        (zeroth, "dose_number"),
    ] {
        let body = DoseBatch {
            doses: vec![good.clone(), bad],
        };
        let r = post(&client(), &format!("{}/v1/doses", hub.url), &checkin, &body).await;
        assert_eq!(r.status(), 400);
        let said: serde_json::Value = r.json().await.unwrap();
        let message = said["message"].as_str().unwrap();
        assert!(message.contains(&format!("doses[1]: {field}")), "{message}");
    }
    let stored = hub.rows("SELECT COUNT(*) AS n FROM doses", &[]);
    assert_eq!(stored[0].int("n").unwrap(), 0);
    let too_many = DoseBatch {
        doses: vec![good; 501],
    };
    let r = post(
        &client(),
        &format!("{}/v1/doses", hub.url),
        &checkin,
        &too_many,
    )
    .await;
    assert_eq!(r.status(), 413);
    hub.stop().await;
}

/// A record corrected at the counter after its person was dosed is given a new appointment, but
/// the person is not dosed again under it.
async fn a_record_corrected_after_its_dose_is_not_dosed_again() {
    let hub = TestHub::start().await;
    let token = hub.kiosk("SK01");
    let out = registered(&hub, &token).await;
    let checkin = site_kiosk(&hub, "KTB-CHECKIN", "KTB-01");
    let first = dose(&id(1), "SK01-0001", "KTB-01", &code(&out[0]));
    assert_eq!(
        send_doses(&hub, &checkin, vec![first]).await[0].status,
        status::RECORDED
    );
    let mut corrected = submission(1, "SK01-0008");
    corrected.replaces = Some(out[0].submission_id);
    let now = submit(&hub, &token, &batch(vec![corrected])).await;
    let again = dose(&id(2), "SK01-0008", "KTB-01", &code(&now[0]));
    let said = send_doses(&hub, &checkin, vec![again]).await;
    assert_eq!(said[0].status, status::ALREADY_VACCINATED, "{said:?}");
    assert!(
        said[0].message.as_deref().unwrap().contains("SK01-0001"),
        "{said:?}"
    );
    let first_dose = said[0].appointment.as_ref().unwrap();
    assert_eq!(first_dose.state, state::VACCINATED);
    hub.stop().await;
}

/// Two kiosks of the site, both offline, dosed the same person: whichever arrives second is
/// told the person was already vaccinated.
async fn two_kiosks_dosing_one_person_at_once_record_one_dose() {
    let hub = TestHub::start().await;
    let token = hub.kiosk("SK01");
    let out = registered(&hub, &token).await;
    let (a, b) = (
        site_kiosk(&hub, "KTB-A", "KTB-01"),
        site_kiosk(&hub, "KTB-B", "KTB-01"),
    );
    let send = |token: String, n: u32| {
        let d = dose(&id(n), "SK01-0002", "KTB-01", &code(&out[1]));
        let hub = &hub;
        async move { send_doses(hub, &token, vec![d]).await }
    };
    let (x, y) = tokio::join!(send(a, 1), send(b, 2));
    let mut said = [x[0].status.clone(), y[0].status.clone()];
    said.sort();
    assert_eq!(said, [status::ALREADY_VACCINATED, status::RECORDED]);
    hub.stop().await;
}

/// A person vaccinated and then cancelled at the counter: the dose is given, so the registration,
/// its appointment and its group's count stay as they were (no one waiting is handed a place
/// with no dose behind it).
async fn a_vaccinated_person_is_not_cancelled() {
    let hub = TestHub::start().await;
    let token = hub.kiosk("SK01");
    let out = registered(&hub, &token).await;
    let checkin = site_kiosk(&hub, "KTB-CHECKIN", "KTB-01");
    let counts = |hub: &TestHub| {
        let r = hub.rows(
            "SELECT accepted FROM group_counts WHERE target_group = 3",
            &[],
        );
        r[0].int("accepted").unwrap()
    };
    let before = counts(&hub);
    let results = send_doses(
        &hub,
        &checkin,
        vec![dose(&id(1), "SK01-0001", "KTB-01", &code(&out[0]))],
    )
    .await;
    assert_eq!(results[0].status, status::RECORDED);
    cancel_at_counter(&hub, &token, &out[0]).await;
    let id = out[0].submission_id.to_string();
    let row = hub.rows(
        "SELECT s.status AS status, a.state AS state FROM submissions s
         JOIN appointments a ON a.submission_id = s.submission_id WHERE s.submission_id = ?1",
        &[&id],
    );
    assert_eq!(row[0].text("status").unwrap(), "accepted");
    assert_eq!(row[0].text("state").unwrap(), state::VACCINATED);
    assert_eq!(counts(&hub), before, "the dose stays counted");
    // The same person cancelled with no dose given is cancelled, as before.
    cancel_at_counter(&hub, &token, &out[1]).await;
    assert_eq!(counts(&hub), before - 1);
    hub.stop().await;
}

on_both_backends!(
    a_vaccinated_person_is_not_cancelled,
    a_site_kiosk_lists_its_coming_days_with_no_id_number,
    only_a_site_s_kiosk_is_given_a_list_or_takes_doses,
    a_dose_is_recorded_once_and_the_registering_kiosk_hears_it,
    a_dose_no_kiosk_could_make_fails_its_batch_and_records_nothing,
    two_kiosks_dosing_one_person_at_once_record_one_dose,
    a_record_corrected_after_its_dose_is_not_dosed_again,
);

/// The real binary: `hub add-kiosk --site` refuses a site the store does not have and an admin
/// with a site; `hub enrol --site` makes a site's kiosk too.
#[test]
fn the_binary_enrols_a_kiosk_for_a_site_it_has() {
    use super::binary::{add_kiosk, hub_cmd};
    let dir = tempfile::tempdir().unwrap();
    let sites = dir.path().join("sites.csv");
    std::fs::write(&sites, sites_from_today()).unwrap();
    let refused = hub_cmd(dir.path())
        .args(["hub", "add-kiosk", "KTB-CHECKIN", "--site", "KTB-01"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("no site KTB-01"), "{said}");
    let out = hub_cmd(dir.path())
        .args(["hub", "sites", "import"])
        .arg(&sites)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let token = add_kiosk(dir.path(), "KTB-CHECKIN", &["--site", "ktb-01"]);
    assert!(token.starts_with("rjk_"), "{token}");
    let admin = hub_cmd(dir.path())
        .args(["hub", "add-kiosk", "boss", "--admin", "--site", "KTB-01"])
        .output()
        .unwrap();
    assert!(!admin.status.success(), "{admin:?}");
    let enrolled = hub_cmd(dir.path())
        .args([
            "hub",
            "enrol",
            "BP-CHECKIN",
            "--site",
            "BP-01",
            "--url",
            "http://127.0.0.1:9",
        ])
        .output()
        .unwrap();
    assert!(enrolled.status.success(), "{enrolled:?}");
    let store = super::sqlite_store(dir.path());
    let rows = std::thread::spawn(move || {
        let mut db = store.connect(false).unwrap();
        db.query("SELECT name, site_id FROM kiosks ORDER BY name", &[])
            .unwrap()
            .iter()
            .map(|r| (r.text("name").unwrap(), r.opt_text("site_id").unwrap()))
            .collect::<Vec<_>>()
    })
    .join()
    .unwrap();
    assert_eq!(
        rows,
        [
            ("BP-CHECKIN".to_owned(), Some("BP-01".to_owned())),
            ("KTB-CHECKIN".to_owned(), Some("KTB-01".to_owned())),
        ]
    );
}

/// A district's check-in kiosks and their doses move into PostgreSQL with `hub migrate-store`
/// (the kiosk's site, each dose with its answer), and a second run copies nothing twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_district_s_doses_move_into_postgres() {
    let Some(cluster) = crate::pg::cluster() else {
        return;
    };
    let district = TestHub::start().await;
    let token = district.kiosk("SK01");
    let out = registered(&district, &token).await;
    let checkin = site_kiosk(&district, "KTB-CHECKIN", "KTB-01");
    let doses = vec![
        dose(&id(1), "SK01-0001", "KTB-01", &code(&out[0])),
        dose(&id(2), "SK01-0002", "KTB-01", "9999x"),
    ];
    send_doses(&district, &checkin, doses).await;
    let from = format!("sqlite:{}", district.path().display());
    let url = cluster.database("doses_moved");
    let moved = super::postgres::migrate_store(&from, &url);
    assert_eq!(moved["doses"], serde_json::json!([2, 0]), "{moved}");
    let rerun = super::postgres::migrate_store(&from, &url);
    assert_eq!(rerun["doses"], serde_json::json!([0, 2]), "{rerun}");
    let db = url.rsplit('/').next().unwrap();
    let sql = "SELECT string_agg(d.status || ':' || k.name, ',' ORDER BY d.dose_id)
               FROM doses d JOIN kiosks k ON k.id = d.kiosk_id";
    assert_eq!(
        cluster.psql(db, sql),
        "recorded:KTB-CHECKIN,wrong_code:KTB-CHECKIN"
    );
    let site = "SELECT site_id FROM kiosks WHERE name = 'KTB-CHECKIN'";
    assert_eq!(cluster.psql(db, site), "KTB-01");
    district.stop().await;
}
