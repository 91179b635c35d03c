//! The writer's commits: a failed job gives back what it took, and a stored rejection that the
//! hub no longer makes is decided again.

use tokio::sync::oneshot;

use crate::core::form::campaign::DEFAULT_CAMPAIGN;
use crate::core::protocol::{ItemOutcome, Outcome};
use crate::hub::intake::prepare::Prepared;
use crate::hub::intake::writer::*;
use crate::hub::places::kiosks::Caller;

fn item(campaign: &str, n: u8, reference: &str) -> Prepared {
    Prepared {
        submission_id: uuid::Uuid::now_v7(),
        reference: reference.to_owned(),
        operator: "op".into(),
        created_at: 0,
        replaces: None,
        campaign_id: campaign.to_owned(),
        content_hash: [n; 32],
        person_key: format!("ID:{n}"),
        target_group: 3,
        registration_json: "{}".into(),
        amphoe: String::new(),
        tambon: String::new(),
        rejection: None,
        unpublished_version: None,
        claim: None,
    }
}

#[test]
fn a_job_rolled_back_gives_back_its_number_and_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let database = Database::Sqlite {
        data_dir: dir.path().to_path_buf(),
    };
    crate::hub::places::kiosks::add(&database, "K1", "", false).unwrap();
    let mut db = database.connect(false).unwrap();
    let conn = db.as_mut();
    // The storage fails for one submission only (as a full disk might, mid-commit).
    conn.batch(
        "CREATE TRIGGER fail_one BEFORE INSERT ON submissions WHEN NEW.reference = 'FAIL'
         BEGIN SELECT RAISE(ABORT, 'injected'); END;",
    )
    .unwrap();
    let kiosk_id = conn
        .query_one("SELECT id FROM kiosks WHERE name = 'K1'", &[])
        .unwrap()
        .int(0)
        .unwrap();
    let campaign = crate::core::form::Campaign::load(DEFAULT_CAMPAIGN, None).unwrap();
    let caller = Caller {
        id: kiosk_id,
        name: "K1".into(),
        prefix: "K1".into(),
        point: String::new(),
        admin: false,
        role: None,
        reach: crate::hub::access::roles::Reach::default(),
        site: None,
    };
    let mut replies = Vec::new();
    let jobs = [("A", 1), ("FAIL", 2), ("C", 3)]
        .into_iter()
        .map(|(reference, n)| {
            let (reply, rx) = oneshot::channel();
            replies.push(rx);
            Job::Batch {
                caller: caller.clone(),
                items: vec![item(&campaign.id, n, reference)],
                reply,
            }
        })
        .collect();
    let config = writer_config(&database, &campaign, dir.path());
    assert!(commit_group(conn, &config, jobs).is_ok());

    let answers: Vec<_> = replies
        .into_iter()
        .map(|mut r| r.try_recv().unwrap())
        .collect();
    assert!(answers[1].is_err(), "{:?}", answers[1]);
    let reference = |a: &Result<Vec<ItemOutcome>, HubError>| match &a.as_ref().unwrap()[0].outcome {
        Outcome::Accepted { hub_reference } => hub_reference.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(reference(&answers[0]), "RJ-0000001");
    assert_eq!(reference(&answers[2]), "RJ-0000002", "the number came back");
    let row = conn
        .query_one(
            "SELECT (SELECT COUNT(*) FROM submissions WHERE status = 'accepted'),
                    (SELECT SUM(accepted) FROM group_counts WHERE campaign_id = ?1)",
            &[(&campaign.id).into()],
        )
        .unwrap();
    let (rows, counted) = (row.int(0).unwrap(), row.int(1).unwrap());
    assert_eq!((rows, counted), (2, 2), "the place came back");
}

/// The writer's settings over `database` in data directory `dir`, as the tests commit with them.
fn writer_config(
    database: &Database,
    campaign: &crate::core::form::Campaign,
    dir: &std::path::Path,
) -> WriterConfig {
    WriterConfig {
        backlog: Arc::default(),
        campaign: Arc::new(campaign.clone()),
        database: database.clone(),
        commit_delay: Duration::ZERO,
        bounds: decide::Bounds {
            max_rejected_per_kiosk: 10,
        },
        rejected_retention: Duration::from_secs(3600),
        metrics: Arc::default(),
        data_dir: dir.to_path_buf(),
    }
}

/// A store with kiosks `names` (their callers, in order) and a writer's settings over it.
fn store_with(
    dir: &std::path::Path,
    names: &[&str],
) -> (
    Database,
    Vec<Caller>,
    WriterConfig,
    crate::core::form::Campaign,
) {
    let database = Database::Sqlite {
        data_dir: dir.to_path_buf(),
    };
    let mut callers = Vec::new();
    for name in names {
        crate::hub::places::kiosks::add(&database, name, "", false).unwrap();
        let mut db = database.connect(false).unwrap();
        let id = db
            .query_one("SELECT id FROM kiosks WHERE name = ?1", &[(*name).into()])
            .unwrap()
            .int(0)
            .unwrap();
        callers.push(Caller {
            id,
            name: (*name).to_owned(),
            prefix: crate::core::refcode::prefix_of(name),
            point: String::new(),
            admin: false,
            role: None,
            reach: crate::hub::access::roles::Reach::default(),
            site: None,
        });
    }
    let campaign = crate::core::form::Campaign::load(DEFAULT_CAMPAIGN, None).unwrap();
    let config = writer_config(&database, &campaign, dir);
    (database, callers, config, campaign)
}

/// Commits `items` from `caller` as one job; its answers.
fn commit(
    database: &Database,
    config: &WriterConfig,
    caller: &Caller,
    items: Vec<Prepared>,
) -> Vec<Outcome> {
    let (reply, mut rx) = oneshot::channel();
    let job = Job::Batch {
        caller: caller.clone(),
        items,
        reply,
    };
    let mut db = database.connect(false).unwrap();
    assert!(commit_group(db.as_mut(), config, vec![job]).is_ok());
    rx.try_recv()
        .unwrap()
        .unwrap()
        .into_iter()
        .map(|o| o.outcome)
        .collect()
}

fn count(database: &Database, sql: &str) -> i64 {
    let mut db = database.connect(false).unwrap();
    db.query_one(sql, &[]).unwrap().int(0).unwrap()
}

#[test]
fn a_stored_rejection_the_hub_no_longer_makes_is_decided_again() {
    let dir = tempfile::tempdir().unwrap();
    let (database, callers, config, campaign) = store_with(dir.path(), &["k1"]);
    let mut first = item(&campaign.id, 1, "K1-0001-X");
    // As a hub from before prefixes answered a kiosk named k1: stored, and counted.
    first.rejection = Some((
        "reference".into(),
        "This kiosk is k1 at the hub, so its receipt references start with k1-".into(),
    ));
    let answer = commit(&database, &config, &callers[0], vec![first.clone()]);
    assert!(matches!(answer[0], Outcome::Rejected { .. }), "{answer:?}");
    let rejected_rows = "SELECT COUNT(*) FROM submissions WHERE status = 'rejected'";
    assert_eq!(count(&database, rejected_rows), 1);
    // The same record again, which this hub takes: accepted, the old row gone.
    let mut again = first.clone();
    again.rejection = None;
    let answer = commit(&database, &config, &callers[0], vec![again.clone()]);
    assert!(matches!(answer[0], Outcome::Accepted { .. }), "{answer:?}");
    assert_eq!(count(&database, rejected_rows), 0);
    assert_eq!(
        count(
            &database,
            "SELECT value FROM counters WHERE name LIKE 'rejected:%'"
        ),
        0,
        "the kiosk's count of stored rejections went down"
    );
    // And a replay of it now answers the acceptance.
    let answer = commit(&database, &config, &callers[0], vec![again]);
    assert!(matches!(answer[0], Outcome::Accepted { .. }), "{answer:?}");
    assert_eq!(
        count(&database, "SELECT COUNT(*) FROM submissions"),
        1,
        "one row for the record"
    );
}

#[test]
fn a_refusal_for_the_kiosks_name_is_not_stored() {
    let dir = tempfile::tempdir().unwrap();
    let (database, callers, config, campaign) = store_with(dir.path(), &["K1"]);
    let mut p = item(&campaign.id, 1, "K9-0001-X");
    p.rejection = Some((
        crate::core::protocol::NOT_THIS_KIOSK_NAME.into(),
        "name".into(),
    ));
    let answer = commit(&database, &config, &callers[0], vec![p]);
    assert!(
        matches!(&answer[0], Outcome::Rejected { field, .. } if field == crate::core::protocol::NOT_THIS_KIOSK_NAME),
        "{answer:?}"
    );
    assert_eq!(count(&database, "SELECT COUNT(*) FROM submissions"), 0);
}

#[test]
fn a_provisional_prefix_belongs_to_the_first_kiosk_that_sends_it() {
    let dir = tempfile::tempdir().unwrap();
    let (database, callers, config, campaign) = store_with(dir.path(), &["K1", "K2"]);
    let provisional = crate::core::refcode::provisional_from([3, 1, 4, 1, 5, 9]);
    let made = |n: u8| {
        let mut p = item(
            &campaign.id,
            n,
            &crate::core::refcode::encode(&provisional, u64::from(n)).unwrap(),
        );
        p.claim = Some(provisional.clone());
        p
    };
    let answer = commit(&database, &config, &callers[0], vec![made(1), made(2)]);
    assert!(
        answer.iter().all(|o| matches!(o, Outcome::Accepted { .. })),
        "{answer:?}"
    );
    let answer = commit(&database, &config, &callers[1], vec![made(3)]);
    assert!(
        matches!(&answer[0], Outcome::Rejected { field, reason } if field == "reference" && reason.contains("K1")),
        "{answer:?}"
    );
    let answer = commit(&database, &config, &callers[0], vec![made(4)]);
    assert!(matches!(answer[0], Outcome::Accepted { .. }), "{answer:?}");
}
