//! Everything of the hub that reads a record follows the campaign's form, on a real hub running
//! the flood-relief campaign: `GET /v1/registrations` carries each record's `form_version` and its
//! answers by key (an empty object for a row that holds none), the dashboard's download is the
//! file `hub export` writes, a column per question, and the dashboard counts each answer of the
//! `choice` question among the live registrations only (a cancelled or superseded one is not
//! counted; each value of a `choices` answer once), in the page's language — over HTTP on both stores, and in a real browser as it
//! updates itself.

use std::time::Duration;

use reqwest::StatusCode;
use ruamjai::core::form::{Campaign, Context, FieldKey, FormInput, Registration, validate};
use ruamjai::core::protocol::{Outcome, Submission};
use ruamjai::core::thai::date::ThaiDate;
use serde_json::{Value, json};
use uuid::Uuid;

use super::dashboard::{browserless, cookie_of, sign_in};
use super::waitlist::cancel_at_kiosk;
use super::{TestHub, batch, database_args, get_json, submit};
use crate::browser::Browser;
use crate::support::{missing, thai_id};

fn flood() -> Campaign {
    Campaign::load("flood-relief-2564", None).unwrap()
}

/// The flood campaign with its damage question a `choices` one (several answers).
fn flood_with_choices() -> Campaign {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/campaigns/flood-relief-2564.toml");
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains("type = \"choice\"\n"));
    Campaign::from_toml(
        "f",
        &text.replace("type = \"choice\"\n", "type = \"choices\"\n"),
    )
    .unwrap()
}

/// Person `n` of group `group` with `campaign`'s questions' `answers`, as a kiosk sends it.
fn registration_in(
    campaign: &Campaign,
    n: u64,
    group: u8,
    answers: &[(&str, &str)],
) -> Registration {
    let mut f = FormInput::default();
    for (k, v) in [
        (FieldKey::IdType, "thai_id"),
        (FieldKey::FirstName, "สมชาย"),
        (FieldKey::LastName, "ใจดี"),
        (FieldKey::Tambon, "คลองมะเดื่อ"),
        (FieldKey::Amphoe, "กระทุ่มแบน"),
        (FieldKey::Province, "สมุทรสาคร"),
        (FieldKey::Consent, "yes"),
    ] {
        f.set(k, v);
    }
    f.set(FieldKey::IdNumber, &thai_id(130_000_000_000 + n));
    f.set(FieldKey::TargetGroup, &group.to_string());
    for (k, v) in answers {
        f.set_answer(k, v);
    }
    let today = ThaiDate {
        day: Some(15),
        month: Some(10),
        year_be: 2564,
    };
    let v = validate(campaign, &f, Context { today });
    v.registration.unwrap_or_else(|| panic!("{:?}", v.errors))
}

fn flood_submission(n: u64, group: u8, answers: &[(&str, &str)]) -> Submission {
    submission_in(&flood(), n, group, answers)
}

fn submission_in(campaign: &Campaign, n: u64, group: u8, answers: &[(&str, &str)]) -> Submission {
    Submission {
        submission_id: Uuid::now_v7(),
        reference: format!("SK01-{n:04}"),
        created_at: 1_626_400_800_000,
        operator: "clerk".into(),
        replaces: None,
        registration: Some(registration_in(campaign, n, group, answers)),
        sealed: None,
    }
}

/// A flood hub holding: person 1 (total damage, account), 2 (partial), 3 (partial, then
/// cancelled), 4 (total, corrected to none), and 5 sent without the answers (refused).
async fn a_flood_hub(refresh: Duration) -> (TestHub, String, String) {
    let hub = TestHub::start_with(|o| {
        o.campaign = flood();
        o.dashboard.refresh = refresh;
    })
    .await;
    let kiosk = hub.kiosk("SK01");
    let admin = hub.admin();
    let first = flood_submission(
        1,
        2,
        &[
            ("household_size", "4"),
            ("damage", "เสียหายทั้งหมด"),
            ("bank_account", "020-111"),
        ],
    );
    let second = flood_submission(2, 1, &[("household_size", "2"), ("damage", "partial")]);
    let third = flood_submission(3, 1, &[("household_size", "3"), ("damage", "Partial")]);
    let fourth = flood_submission(4, 1, &[("household_size", "5"), ("damage", "total")]);
    // Sent without its answers: refused by the hub (they are required), its copy kept.
    let mut nothing = flood_submission(5, 1, &[("household_size", "1"), ("damage", "none")]);
    if let Some(r) = nothing.registration.as_mut() {
        r.answers.clear();
    }
    let (third_id, fourth_id) = (third.submission_id, fourth.submission_id);
    let out = submit(
        &hub,
        &kiosk,
        &batch(vec![first, second, third, fourth, nothing]),
    )
    .await;
    let accepted = |o: &Outcome| matches!(o, Outcome::Accepted { .. });
    let states: Vec<bool> = out.iter().map(|o| accepted(&o.outcome)).collect();
    assert_eq!(states, [true, true, true, true, false], "{out:?}");
    let cancelled = cancel_at_kiosk(&hub, &kiosk, &[third_id]).await;
    assert!(
        matches!(cancelled[0].outcome, Outcome::Cancelled { .. }),
        "{cancelled:?}"
    );
    let mut correction = flood_submission(4, 1, &[("household_size", "5"), ("damage", "none")]);
    correction.reference = "SK01-0006".into();
    correction.replaces = Some(fourth_id);
    let out = submit(&hub, &kiosk, &batch(vec![correction])).await;
    assert!(accepted(&out[0].outcome), "{out:?}");
    (hub, kiosk, admin)
}

/// `(label, count)` of each choice of `question` in `html`'s table of answers.
fn chosen(html: &str, question: &str) -> Vec<(String, u64)> {
    let start = html
        .find(&format!("data-question=\"{question}\""))
        .unwrap_or_else(|| panic!("no table of {question}:\n{html}"));
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    table
        .split("<tr data-choice=")
        .skip(1)
        .map(|row| {
            let label = row.split("<th scope=\"row\">").nth(1).unwrap();
            let label = &label[..label.find("</th>").unwrap()];
            let n = row.split("class=\"num chosen\">").nth(1).unwrap();
            let n = n[..n.find('<').unwrap()].parse().unwrap();
            (label.to_owned(), n)
        })
        .collect()
}

/// The dashboard's download of the accepted: the file `hub export` writes, a column per question.
async fn the_download_is_hub_export_with_the_questions(hub: &TestHub, cookie: &str) {
    let r = browserless()
        .get(format!(
            "{}/dashboard/export?format=csv&state=accepted",
            hub.url
        ))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body = r.bytes().await.unwrap();
    let out = crate::support::ruamjai(hub.path())
        .args(["hub", "export", "--state", "accepted"])
        .args(database_args(hub.database()))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        body, out.stdout,
        "the download is the file `hub export` writes"
    );
    let mut csv = csv::Reader::from_reader(&body[3..]);
    let header: Vec<String> = csv.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(
        header[header.len() - 3..],
        ["household_size", "damage", "bank_account"],
        "{header:?}"
    );
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut rows: Vec<[String; 4]> = csv
        .records()
        .map(|r| {
            let r = r.unwrap();
            [
                col("reference"),
                col("household_size"),
                col("damage"),
                col("bank_account"),
            ]
            .map(|c| r[c].to_owned())
        })
        .collect();
    rows.sort();
    assert_eq!(
        rows,
        [
            ["SK01-0001", "4", "total", "020-111"],
            ["SK01-0002", "2", "partial", ""],
            ["SK01-0006", "5", "none", ""],
        ]
        .map(|r| r.map(str::to_owned))
    );
}

async fn flood_answers_read_back_through_the_api_the_download_and_the_dashboard() {
    let (hub, _kiosk, admin) = a_flood_hub(Duration::from_millis(200)).await;

    // The API: each record's form version and answers by key; {} for the row that holds none.
    let page1: Value = get_json(&format!("{}/v1/registrations?limit=10", hub.url), &admin).await;
    let items = page1["registrations"].as_array().unwrap();
    let by_ref = |r: &str| {
        items
            .iter()
            .find(|i| i["reference"] == r)
            .unwrap_or_else(|| panic!("{r} in {page1}"))
    };
    let first = by_ref("SK01-0001");
    assert_eq!(first["form_version"], json!(1));
    assert_eq!(
        first["answers"],
        json!({"household_size": "4", "damage": "total", "bank_account": "020-111"})
    );
    assert_eq!(first["state"], "accepted");
    assert_eq!(
        by_ref("SK01-0002")["answers"],
        json!({"household_size": "2", "damage": "partial"}),
        "group 1 is not asked the account"
    );
    let none = by_ref("SK01-0005");
    assert_eq!(none["state"], "rejected");
    assert_eq!(
        (&none["answers"], &none["form_version"]),
        (&json!({}), &json!(1))
    );
    assert_eq!(by_ref("SK01-0004")["state"], "superseded");
    assert_eq!(by_ref("SK01-0006")["answers"]["damage"], "none");
    assert_eq!(page1["more"], json!(false));

    let cookie = cookie_of(&sign_in(&browserless(), &hub.url, &admin).await);
    the_download_is_hub_export_with_the_questions(&hub, &cookie).await;

    // The dashboard's counts: live registrations only (3 cancelled, 4 superseded by 6).
    let en = crate::hub::dashboard_cancellations::page(&hub, &cookie, "en").await;
    assert!(en.contains("What registrants answered"), "{en}");
    assert!(
        !en.contains("data-question=\"household_size\""),
        "a number is not counted"
    );
    let want = |none: &str, partial: &str, total: &str| {
        vec![
            (none.to_owned(), 1),
            (partial.to_owned(), 1),
            (total.to_owned(), 1),
        ]
    };
    assert_eq!(chosen(&en, "damage"), want("None", "Partial", "Total"));
    let th = crate::hub::dashboard_cancellations::page(&hub, &cookie, "th").await;
    assert_eq!(
        chosen(&th, "damage"),
        want("ไม่เสียหาย", "เสียหายบางส่วน", "เสียหายทั้งหมด")
    );
    assert!(th.contains("ความเสียหาย"), "the question's Thai label");
    hub.stop().await;
}

async fn a_choices_answer_counts_once_for_each_value_chosen() {
    let campaign = flood_with_choices();
    let hub = TestHub::start_with(|o| o.campaign = flood_with_choices()).await;
    let kiosk = hub.kiosk("SK01");
    let admin = hub.admin();
    let items = [
        (1, "total;partial"),
        (2, "Total"),
        (3, "ไม่เสียหาย; เสียหายบางส่วน"),
    ]
    .map(|(n, damage)| {
        submission_in(
            &campaign,
            n,
            1,
            &[("household_size", "2"), ("damage", damage)],
        )
    })
    .to_vec();
    submit(&hub, &kiosk, &batch(items)).await;
    let page1: Value = get_json(&format!("{}/v1/registrations", hub.url), &admin).await;
    let damage: Vec<&Value> = page1["registrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["answers"]["damage"])
        .collect();
    assert_eq!(
        damage,
        [
            &json!("partial;total"),
            &json!("total"),
            &json!("none;partial")
        ]
    );
    let cookie = cookie_of(&sign_in(&browserless(), &hub.url, &admin).await);
    let en = crate::hub::dashboard_cancellations::page(&hub, &cookie, "en").await;
    let counted = vec![
        ("None".to_owned(), 1),
        ("Partial".to_owned(), 2),
        ("Total".to_owned(), 2),
    ];
    assert_eq!(chosen(&en, "damage"), counted);
    hub.stop().await;
}

async fn the_dashboard_counts_a_new_answer_without_a_reload_in_a_browser() {
    let (hub, kiosk, admin) = a_flood_hub(Duration::from_millis(300)).await;
    let Some(mut b) = Browser::start(1280, 900) else {
        missing("chromium (Debian's package; .ci/run installs it)");
        hub.stop().await;
        return;
    };
    let url = hub.url.clone();
    let count = |b: &mut Browser, value: &str| {
        b.peek(&format!(
            "(document.querySelector('[data-question=damage] tr[data-choice={value}] .chosen') \
             || {{innerText: '-1'}}).innerText"
        ))
        .and_then(|v| v.as_str().and_then(|t| t.trim().parse::<i64>().ok()))
        .unwrap_or(-1)
    };
    let mut b = tokio::task::spawn_blocking(move || {
        b.goto(&format!("{url}/dashboard/signin?lang=en"));
        b.eval("document.getElementById('token').focus()");
        b.type_text(&admin);
        b.click("button[type=submit]");
        b.wait_for("the dashboard after signing in", |b| {
            b.peek("location.pathname === '/dashboard' && document.readyState === 'complete'")
                == Some(json!(true))
        });
        assert_eq!(
            [
                count(&mut b, "none"),
                count(&mut b, "partial"),
                count(&mut b, "total")
            ],
            [1, 1, 1]
        );
        let caption = b.eval("document.querySelector('[data-question=damage] caption').innerText");
        assert_eq!(
            caption,
            json!("Damage"),
            "the question in the page's language"
        );
        b.eval("window.notReloaded = true");
        b
    })
    .await
    .unwrap();

    let more = flood_submission(7, 1, &[("household_size", "1"), ("damage", "total")]);
    submit(&hub, &kiosk, &batch(vec![more])).await;
    let b = tokio::task::spawn_blocking(move || {
        b.wait_for("the new answer on the open page", |b| {
            count(b, "total") == 2
        });
        assert_eq!(
            b.eval("window.notReloaded"),
            json!(true),
            "updated in place"
        );
        b
    })
    .await
    .unwrap();
    drop(b);
    hub.stop().await;
}

on_both_backends!(
    flood_answers_read_back_through_the_api_the_download_and_the_dashboard,
    a_choices_answer_counts_once_for_each_value_chosen,
);

#[test]
fn the_dashboard_counts_a_new_answer_without_a_reload() {
    super::on(
        super::Backend::Sqlite,
        the_dashboard_counts_a_new_answer_without_a_reload_in_a_browser(),
    );
}
