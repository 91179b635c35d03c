//! Upgrades in any order, on the wire types alone: JSON a newer build writes (a field this build
//! does not know, a higher form version, a question type it does not have) read by this build,
//! and JSON the first build wrote (no `form_version`, no `answers`) read by this one.

use serde_json::json;

use super::tests::{campaign, ctx, good};
use super::*;

fn flood() -> Campaign {
    Campaign::load("flood-relief-2564", None).unwrap()
}

fn this_builds_record() -> Registration {
    validate(&campaign(), &good(), ctx()).registration.unwrap()
}

#[test]
fn a_newer_builds_record_is_read_and_its_unknown_fields_are_kept() {
    let mut sent = serde_json::to_value(this_builds_record()).unwrap();
    sent["form_version"] = json!(7);
    sent["answers"] = json!({"pets": "แมว"});
    sent["blood_type"] = json!("O");
    sent["gps"] = json!({"lat": 13.5, "lon": 100.2});
    let r: Registration = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(r.form_version, 7);
    assert_eq!(r.extra.len(), 2, "{:?}", r.extra);
    // Written again, it is what was sent: nothing lost, and a replay hashes the same.
    assert_eq!(serde_json::to_value(&r).unwrap(), sent);
    // Checked again (as the hub does), the unknown fields ride on the checked record.
    let checked = validate(&campaign(), &r.to_input(), ctx())
        .registration
        .unwrap();
    assert_eq!(checked.extra, r.extra);
    assert_eq!(checked.form_version, 7);
    assert_eq!(checked.answer("pets"), "แมว");
}

#[test]
fn unknown_fields_kept_are_bounded_and_harmless() {
    let mut r = this_builds_record();
    r.extra.insert("ok".into(), json!("fine"));
    r.extra.insert("Bad Key".into(), json!("x"));
    r.extra.insert("escape".into(), json!(["a\u{1b}[2J"]));
    r.extra.insert("bidi".into(), json!({"k": "a\u{202e}b"}));
    r.extra.insert("big".into(), json!("ก".repeat(1000)));
    let kept = validate(&campaign(), &r.to_input(), ctx())
        .registration
        .unwrap()
        .extra;
    assert_eq!(kept.keys().collect::<Vec<_>>(), ["ok"]);
    let many = (0..100)
        .map(|i| (format!("k{i}"), json!(i)))
        .collect::<BTreeMap<_, _>>();
    assert_eq!(question::kept_extra(&many).len(), question::MAX_EXTRA);
}

#[test]
fn the_first_builds_record_reads_as_version_1_and_writes_the_same_bytes() {
    // What the first build wrote: this build writes a version-1 record without answers so.
    let old_bytes = serde_json::to_string(&this_builds_record()).unwrap();
    assert!(!old_bytes.contains("form_version") && !old_bytes.contains("answers"));
    let r: Registration = serde_json::from_str(&old_bytes).unwrap();
    assert_eq!((r.form_version, r.answers.len(), r.extra.len()), (1, 0, 0));
    assert_eq!(serde_json::to_string(&r).unwrap(), old_bytes);
}

/// The flood campaign as a newer hub would publish it: version 3, `bank_account` of a type this
/// build does not know.
fn newer_hubs_definition() -> serde_json::Value {
    let mut d = serde_json::to_value(flood()).unwrap();
    d["version"] = json!(3);
    let fields = d["fields"].as_array_mut().unwrap();
    let bank = fields
        .iter_mut()
        .find(|f| f["key"] == "bank_account")
        .unwrap();
    bank["type"] = json!("bank_account_th");
    bank.as_object_mut().unwrap().remove("max_len");
    d
}

#[test]
fn a_newer_hubs_question_type_is_shown_as_text() {
    let c = Campaign::from_hub(&newer_hubs_definition()).unwrap();
    assert_eq!(c.version, 3);
    let shown: Vec<&str> = c.shown_as_text().map(|f| f.key.as_str()).collect();
    assert_eq!(shown, ["bank_account"]);
    let mut f = good();
    f.set(FieldKey::TargetGroup, "2");
    f.set_answer("household_size", "4");
    f.set_answer("damage", "partial");
    f.set_answer("bank_account", "  020-1234567 ");
    let v = validate(&c, &f, ctx());
    assert!(v.errors.is_empty(), "{:?}", v.errors);
    let r = v.registration.unwrap();
    assert_eq!(
        (r.form_version, r.answer("bank_account")),
        (3, "020-1234567")
    );
    // The same campaign of this build's own types reads with nothing shown as text.
    let same = Campaign::from_hub(&serde_json::to_value(flood()).unwrap()).unwrap();
    assert_eq!((same.shown_as_text().count(), same), (0, flood()));
}

#[test]
fn a_file_may_not_use_a_type_this_build_does_not_know() {
    let (_, text) = campaign::EMBEDDED
        .iter()
        .find(|(n, _)| *n == "flood-relief-2564.toml")
        .unwrap();
    let text = text.replace("type = \"text\"", "type = \"txt\"");
    let err = Campaign::from_toml("f.toml", &text)
        .unwrap_err()
        .to_string();
    assert!(err.contains("f.toml") && err.contains("line 94"), "{err}");
    assert!(
        err.contains("bank_account") && err.contains("does not know"),
        "{err}"
    );
}

#[test]
fn a_newer_hubs_rule_this_build_lacks_says_it_needs_an_upgrade() {
    let mut d = newer_hubs_definition();
    d["fields"][0]["mask"] = json!("x-xxxx-xxxxx-xx-x");
    let err = Campaign::from_hub(&d).unwrap_err();
    assert!(matches!(err, CampaignError::NeedsUpgrade { .. }), "{err}");
    let said = err.to_string();
    assert!(said.contains("mask") && said.contains("upgrade"), "{said}");
}
