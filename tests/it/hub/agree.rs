//! The hub's list and the kiosks' lists agree: every record of every kiosk's `ruamjai export` is
//! in the hub's `hub export` with the same receipt reference, hub reference, state and
//! normalised fields, and the hub holds nothing no kiosk sent. Checked on the three-process
//! PostgreSQL herd (`postgres.rs`) and here on a few kiosks to one SQLite hub, after a
//! cancellation moved the waiting list.

use std::collections::BTreeMap;

use ruamjai::hub::intake::admin;

use super::TestHub;
use crate::sync::{config, flush, kiosk, kiosk_token};

/// The rows of a JSON Lines export from `cmd` (the real binary), by submission id.
fn exported(cmd: &mut assert_cmd::Command) -> BTreeMap<String, BTreeMap<String, String>> {
    crate::support::jsonl_export(cmd)
        .into_iter()
        .map(|row| (row["submission_id"].clone(), row))
        .collect()
}

/// The hub's `hub export` (on the store `hub_args` names, `--database URL` or none for the
/// SQLite store in the data directory) against each kiosk's `ruamjai export`; how many records
/// agreed, which is every row of the hub's.
pub(super) fn exports_agree(hub_args: &[&str], kiosk_dirs: &[tempfile::TempDir]) -> u64 {
    let hub_dir = tempfile::tempdir().unwrap();
    exports_agree_at(hub_dir.path(), hub_args, kiosk_dirs)
}

fn exports_agree_at(
    hub_dir: &std::path::Path,
    hub_args: &[&str],
    kiosk_dirs: &[tempfile::TempDir],
) -> u64 {
    let hub = exported(
        crate::support::ruamjai(hub_dir)
            .args(["hub", "export"])
            .args(hub_args),
    );
    let fields: Vec<&str> = ruamjai::core::form::FieldKey::ALL
        .iter()
        .map(|k| k.as_str())
        .collect();
    let mut checked = 0;
    for dir in kiosk_dirs {
        let kiosk = exported(crate::support::ruamjai(dir.path()).arg("export"));
        for (id, mine) in &kiosk {
            let state = mine["state"].as_str();
            assert!(
                ["accepted", "waitlisted", "duplicate", "cancelled"].contains(&state),
                "{mine:?}"
            );
            let theirs = hub
                .get(id)
                .unwrap_or_else(|| panic!("{id} is not in the hub's export"));
            assert_eq!(theirs["reference"], mine["reference"]);
            assert_eq!(theirs["state"], mine["state"], "{id}");
            // The kiosk keeps what the hub answered: the hub reference of a registration, the
            // first registration's receipt reference for a duplicate.
            let told = mine["server_reference"].as_str();
            if state == "duplicate" {
                assert_eq!(theirs["hub_reference"], "", "{id}");
                let first = format!("already registered as {told} at ");
                assert!(theirs["detail"].starts_with(&first), "{id}: {theirs:?}");
            } else {
                assert!(told.starts_with("RJ-"), "{id}: {mine:?}");
                assert_eq!(theirs["hub_reference"], told, "{id}");
            }
            for f in &fields {
                assert_eq!(theirs[*f], mine[*f], "{id}: {f}");
            }
            checked += 1;
        }
    }
    assert_eq!(hub.len() as u64, checked, "rows at the hub no kiosk holds");
    checked
}

/// Three kiosks to one SQLite hub with room for 8: neighbours register some of the same
/// people (duplicates), the rest wait; an admin cancels one, the first waiting moves up, and
/// every kiosk hears of it. Then the lists agree.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_few_kiosks_and_a_sqlite_hub_export_the_same_lists() {
    let hub_dir = tempfile::tempdir().unwrap();
    let names = ["SK01", "SK02", "SK03"];
    let tokens: Vec<String> = names
        .iter()
        .map(|n| kiosk_token(hub_dir.path(), n))
        .collect();
    let hub = TestHub::start_at(hub_dir.path(), None, |o| o.campaign.total_quota = 8).await;
    let dirs: Vec<_> = names
        .iter()
        .map(|_| crate::support::private_tempdir())
        .collect();
    let configs: Vec<_> = names
        .iter()
        .zip(&tokens)
        .zip(&dirs)
        .map(|((name, token), dir)| config(dir.path(), name, &hub.url, token))
        .collect();
    // Persons 100..106, 104..110, 108..114: two people in common between neighbours.
    for (i, (name, dir)) in names.iter().zip(&dirs).enumerate() {
        kiosk(dir.path(), name, 100 + 4 * i as u64, 6);
    }
    for c in &configs {
        assert_eq!(flush(c, 10).await.unsent, 0);
    }
    let mut campaign = super::campaign();
    campaign.total_quota = 8;
    let report = admin::cancel(hub.database(), &campaign, "RJ-0000002", "moved", "a").unwrap();
    assert_eq!(report.promoted, ["RJ-0000009"]);
    let mut heard = 0;
    for c in &configs {
        heard += flush(c, 10).await.changed;
    }
    assert_eq!(
        heard, 2,
        "the cancelled and the promoted, each at its kiosk"
    );
    let agreed = exports_agree_at(hub_dir.path(), &[], &dirs);
    assert_eq!(agreed, 18);
    let states = hub.rows(
        "SELECT status, count(*) FROM submissions GROUP BY status ORDER BY status",
        &[],
    );
    let states: Vec<(String, i64)> = states
        .iter()
        .map(|r| (r.text(0).unwrap(), r.int(1).unwrap()))
        .collect();
    let want = [
        ("accepted", 8),
        ("cancelled", 1),
        ("duplicate", 4),
        ("waitlisted", 5),
    ];
    let want: Vec<(String, i64)> = want.iter().map(|(s, n)| ((*s).to_owned(), *n)).collect();
    assert_eq!(states, want);
    hub.stop().await;
}
