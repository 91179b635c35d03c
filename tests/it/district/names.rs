//! Kiosk names as a district writes them: `hub add-kiosk k1` with `kiosk_id = "k1"`, `SK-01`, a
//! name over 8 characters. The hub compares a reference's prefix with the one the kiosk makes
//! from its name, names are case-insensitive, and `add-kiosk` refuses a name that makes no
//! prefix, a provisional one, or another kiosk's. Records an older hub refused for the name alone
//! go again, as they are, and are accepted.

use std::path::Path;

use ruamjai::kiosk::queue::{ListFilter, State};

use crate::hub::TestHub;
use crate::support::ruamjai;
use crate::sync::{config, flush, kiosk};

/// `hub add-kiosk NAME` through the binary over the SQLite hub in `dir`: (exit code, stdout,
/// stderr).
pub(super) fn add_kiosk(dir: &Path, name: &str) -> (i32, String, String) {
    let out = ruamjai(dir)
        .env("RUAMJAI_HUB_DATABASE", "")
        .args(["hub", "add-kiosk", name])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).trim().to_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn states(dir: &Path, kiosk_id: &str) -> Vec<State> {
    crate::support::open_queue(&dir.join("queue.sqlite3"), kiosk_id)
        .unwrap()
        .list(&ListFilter::default())
        .unwrap()
        .into_iter()
        .map(|(r, _)| r.state)
        .collect()
}

#[test]
fn add_kiosk_takes_names_in_any_case_and_refuses_those_without_a_prefix_of_their_own() {
    let hub = tempfile::tempdir().unwrap();
    let (code, token, _) = add_kiosk(hub.path(), "k1");
    assert_eq!(code, 0);
    assert!(token.starts_with("rjk_"), "{token}");
    let (code, _, err) = add_kiosk(hub.path(), "K1");
    assert_ne!(code, 0, "K1 is k1");
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(add_kiosk(hub.path(), "SK-01").0, 0);
    let (code, _, err) = add_kiosk(hub.path(), "sk01");
    assert_ne!(code, 0);
    assert!(
        err.contains("SK01") && err.contains("SK-01"),
        "names the prefix and the kiosk that makes it: {err}"
    );
    let (code, _, err) = add_kiosk(hub.path(), "district-office-7");
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = add_kiosk(hub.path(), "district-office-8");
    assert_ne!(code, 0, "both make DISTRICT");
    assert!(err.contains("DISTRICT"), "{err}");
    for refused in ["00ABCDEF", "__"] {
        let (code, _, err) = add_kiosk(hub.path(), refused);
        assert_ne!(code, 0, "{refused}");
        assert!(err.contains("prefix"), "{refused}: {err}");
    }
    // Revoking in another case revokes the kiosk, and re-adding it works in any case.
    let revoke = ruamjai(hub.path())
        .env("RUAMJAI_HUB_DATABASE", "")
        .args(["hub", "revoke-kiosk", "K1"])
        .output()
        .unwrap();
    assert!(revoke.status.success(), "{revoke:?}");
    assert_eq!(add_kiosk(hub.path(), "K1").0, 0, "re-added after revoking");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kiosks_named_in_lower_case_with_dashes_or_long_names_have_their_records_accepted() {
    let hub_dir = tempfile::tempdir().unwrap();
    let names = ["k1", "SK-01", "district-office-7"];
    let tokens: Vec<String> = names
        .iter()
        .map(|n| {
            let (code, token, err) = add_kiosk(hub_dir.path(), n);
            assert_eq!(code, 0, "{err}");
            token
        })
        .collect();
    let hub = TestHub::start_at(hub_dir.path(), None, |_| {}).await;
    let kiosks: Vec<tempfile::TempDir> =
        names.iter().map(|_| tempfile::tempdir().unwrap()).collect();
    for (i, (name, token)) in names.iter().zip(&tokens).enumerate() {
        let dir = kiosks[i].path();
        kiosk(dir, name, 10 * i as u64 + 1, 2);
        let report = flush(&config(dir, name, &hub.url, token), 10).await;
        assert_eq!(
            (report.sent, report.unsent, report.rejected),
            (2, 0, 0),
            "{name}: {report:?}"
        );
        assert_eq!(
            states(dir, name),
            [State::Accepted, State::Accepted],
            "{name}"
        );
    }
    hub.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_made_under_another_name_wait_and_go_once_the_names_agree() {
    let hub_dir = tempfile::tempdir().unwrap();
    let (_, token_k1, _) = add_kiosk(hub_dir.path(), "k1");
    let hub = TestHub::start_at(hub_dir.path(), None, |_| {}).await;
    let dir = tempfile::tempdir().unwrap();
    // The kiosk was set up as k2 with k1's token: its receipts say K2-.
    kiosk(dir.path(), "k2", 1, 2);
    let report = flush(&config(dir.path(), "k2", &hub.url, &token_k1), 3).await;
    assert_eq!((report.sent, report.unsent), (0, 2), "{report:?}");
    let reason = report.reason.unwrap_or_default();
    assert!(
        reason.contains("kiosk_id = \"k1\""),
        "the flush names the fix: {reason}"
    );
    assert_eq!(states(dir.path(), "k2"), [State::Pending, State::Pending]);
    let stored = hub.rows("SELECT COUNT(*) FROM submissions", &[]);
    assert_eq!(stored[0].int(0).unwrap(), 0, "the hub kept nothing of them");
    // IT staff add the kiosk under the name its receipts carry: the same records go, as they are.
    let (_, token_k2, _) = add_kiosk(hub_dir.path(), "k2");
    let report = flush(&config(dir.path(), "k2", &hub.url, &token_k2), 10).await;
    assert_eq!((report.sent, report.unsent), (2, 0), "{report:?}");
    assert_eq!(states(dir.path(), "k2"), [State::Accepted, State::Accepted]);
    hub.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_an_older_hub_refused_for_the_name_alone_go_again_and_are_accepted() {
    let hub_dir = tempfile::tempdir().unwrap();
    let (_, token, _) = add_kiosk(hub_dir.path(), "k1");
    let hub = TestHub::start_at(hub_dir.path(), None, |_| {}).await;
    let dir = tempfile::tempdir().unwrap();
    kiosk(dir.path(), "k1", 1, 2);
    // As the queue of a kiosk named k1 was left by a hub that compared names as written.
    let conn = rusqlite::Connection::open(dir.path().join("queue.sqlite3")).unwrap();
    let refused = conn
        .execute(
            "UPDATE registrations SET state = 'rejected',
                 outcome = '{\"status\":\"rejected\",\"field\":\"reference\",\"reason\":\"x\"}',
                 last_error = 'reference: This kiosk is k1 at the hub, so its receipt references start with k1-: set kiosk_id = \"k1\" in the kiosk''s config.toml, then correct this record'",
            [],
        )
        .unwrap();
    assert_eq!(refused, 2);
    drop(conn);
    assert_eq!(states(dir.path(), "k1"), [State::Rejected, State::Rejected]);
    let report = flush(&config(dir.path(), "k1", &hub.url, &token), 10).await;
    assert_eq!(
        (report.sent, report.unsent, report.rejected),
        (2, 0, 0),
        "{report:?}"
    );
    assert_eq!(states(dir.path(), "k1"), [State::Accepted, State::Accepted]);
    hub.stop().await;
}

/// A kiosk that saved before it had a name: its receipts carry its provisional prefix, and once
/// `kiosk_id` is set they go as they are and are accepted; the prefix is then that kiosk's, and
/// another kiosk sending under it is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_saved_before_the_kiosk_had_a_name_are_delivered_as_printed() {
    let hub_dir = tempfile::tempdir().unwrap();
    let (_, token, _) = add_kiosk(hub_dir.path(), "sk-07");
    let (_, other, _) = add_kiosk(hub_dir.path(), "SK08");
    let hub = TestHub::start_at(hub_dir.path(), None, |_| {}).await;
    let dir = tempfile::tempdir().unwrap();
    {
        let q =
            ruamjai::kiosk::queue::Queue::open(&dir.path().join("queue.sqlite3"), "KIOSK").unwrap();
        let mut q = q.unnamed().unwrap();
        q.set_hub_key(&crate::support::test_hub_public()).unwrap();
        q.set_pin(crate::support::TEST_PIN).unwrap();
        let reg = crate::hub::registration(41);
        q.enqueue(
            &ruamjai::kiosk::queue::NewRecord::from_registration(&reg, "op", None),
            ruamjai::kiosk::queue::now_ms(),
        )
        .unwrap();
    }
    let printed: Vec<String> = crate::support::open_queue(&dir.path().join("queue.sqlite3"), "x")
        .unwrap()
        .list(&ListFilter::default())
        .unwrap()
        .into_iter()
        .map(|(r, _)| r.reference)
        .collect();
    assert_eq!(printed.len(), 1);
    let prefix = ruamjai::core::refcode::prefix_in(&printed[0])
        .unwrap()
        .to_owned();
    assert!(
        ruamjai::core::refcode::is_provisional(&prefix),
        "{printed:?}"
    );
    // Enrolled as sk-07: the record goes as printed.
    let report = flush(&config(dir.path(), "sk-07", &hub.url, &token), 10).await;
    assert_eq!(
        (report.sent, report.unsent, report.rejected),
        (1, 0, 0),
        "{report:?}"
    );
    assert_eq!(states(dir.path(), "sk-07"), [State::Accepted]);
    let stored = hub.rows(
        "SELECT s.reference, k.name FROM submissions s JOIN kiosks k ON k.id = s.kiosk_id",
        &[],
    );
    assert_eq!(stored[0].text(0).unwrap(), printed[0]);
    assert_eq!(stored[0].text(1).unwrap(), "sk-07");
    // The prefix is sk-07's now: SK08 sending under it is refused.
    let mut stolen = crate::hub::submission(42, &format!("{prefix}-0009-X"));
    stolen.created_at = ruamjai::kiosk::queue::now_ms();
    let out = crate::hub::submit(&hub, &other, &crate::hub::batch(vec![stolen])).await;
    assert!(
        matches!(&out[0].outcome, ruamjai::core::protocol::Outcome::Rejected { field, reason } if field == "reference" && reason.contains("sk-07")),
        "{out:?}"
    );
    hub.stop().await;
}
