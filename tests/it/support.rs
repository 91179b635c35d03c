//! Shared helpers for the integration tests: temp data directories, the binary, fixtures.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use ruamjai::core::form::{Campaign, Context, FieldKey, FormInput, Registration, validate};
use ruamjai::core::thai::date::ThaiDate;

/// Environment variables the binary reads that a test must not inherit from whoever runs it.
pub const INHERITED_ENV: [&str; 9] = [
    "RUAMJAI_CONFIG",
    "RUAMJAI_HUB_DATABASE",
    "RUAMJAI_HUB_URL",
    "RUAMJAI_HUB_TOKEN",
    "RUAMJAI_LANG",
    "RUAMJAI_DATA_DIR",
    "RUAMJAI_WIDTH_PROFILE",
    "NO_COLOR",
    "RUAMJAI_CARD_READER",
];

/// The counter's PIN of every test kiosk (`RUAMJAI_PIN`): the shift opens at start, as when a
/// clerk typed it.
pub const TEST_PIN: &str = "2468-test";
/// The private key of every test hub (`RUAMJAI_HUB_KEY`), so that kiosks failing over between
/// test hubs, or hub processes sharing one database, seal to one key as a province's would.
pub const TEST_HUB_KEY: &str = "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=";
/// Both, for a spawned `ruamjai`.
pub const SEALING_ENV: [(&str, &str); 3] = [
    ("RUAMJAI_PIN", TEST_PIN),
    ("RUAMJAI_HUB_KEY", TEST_HUB_KEY),
    // A try at the test PIN costs next to nothing (a kiosk's takes a quarter of a second).
    ("RUAMJAI_PIN_TRY_MS", "0"),
];

/// The test hubs' public key.
pub fn test_hub_public() -> ruamjai::core::seal::PublicKey {
    ruamjai::hub::keys::HubKeys::parse(TEST_HUB_KEY)
        .unwrap()
        .current()
}

/// The test hubs' keys.
pub fn test_hub_keys() -> ruamjai::hub::keys::HubKeys {
    ruamjai::hub::keys::HubKeys::parse(TEST_HUB_KEY).unwrap()
}

/// The queue at `path` as a test kiosk opens it: the test hubs' key pinned and the shift open
/// with [`TEST_PIN`] (set on the first open).
pub fn open_queue(
    path: &Path,
    kiosk_id: &str,
) -> Result<ruamjai::kiosk::queue::Queue, ruamjai::kiosk::queue::QueueError> {
    let mut q = ruamjai::kiosk::queue::Queue::open(path, kiosk_id)?;
    q.set_pin_cost(std::time::Duration::ZERO);
    if q.hub_key().is_none() {
        q.set_hub_key(&test_hub_public())?;
    }
    if q.pin_set() {
        q.open_shift(TEST_PIN, ruamjai::kiosk::queue::now_ms())?;
    } else {
        q.set_pin(TEST_PIN)?;
    }
    q.seal_waiting()?;
    Ok(q)
}

/// Kiosks started by tests watch no card reader, so a virtual card the card tests insert fills
/// no other test's form; the card tests name their reader instead.
pub const NO_CARD_READER: (&str, &str) = ("RUAMJAI_CARD_READER", "none");

/// The columns of a paper list for `import`, as the tests write them.
pub const HEADER: &str = "id_type,id_number,title,first_name,last_name,birth_date,sex,phone,\
house_no,moo,soi,road,tambon,amphoe,province,postcode,target_group,consent,note";

/// Says loudly that a test could not run for want of `what`; under `CI=true` (where `.ci/run`
/// installs or provides everything) that is a failure, not a pass.
///
/// The line goes to the process's standard error itself, past the test harness's capture
/// (which holds only what the print macros write, and shows it only for a failed test), so every
/// `cargo test` shows it; `.ci/run` counts these lines and closes with `N skipped: …`.
pub fn missing(what: &str) {
    use std::io::Write as _;
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{what}: CI must provide it (.ci/run installs it)"
    );
    let line = format!("SKIPPED (not a pass): {what}\n");
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// A temp directory open to its owner only, as ruamjai makes its data directories (`tempfile`
/// makes them with the umask's mode, which every kiosk command would warn about before its screen).
pub fn private_tempdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    dir
}

/// The `ruamjai` binary under test, with no inherited configuration.
pub fn ruamjai(data_dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ruamjai"));
    for var in INHERITED_ENV {
        cmd.env_remove(var);
    }
    cmd.envs(SEALING_ENV);
    cmd.arg("--data-dir").arg(data_dir);
    cmd
}

/// A file under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The 3,000 real Thai names of the fixture.
pub fn thai_names() -> Vec<String> {
    std::fs::read_to_string(fixture("thai-names-sample.txt"))
        .expect("names fixture")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A valid Thai national ID built from a 12-digit stem (the 13th is the check digit).
pub fn thai_id(stem: u64) -> String {
    let digits: Vec<u32> = format!("{:012}", stem % 1_000_000_000_000)
        .chars()
        .map(|c| c.to_digit(10).unwrap())
        .collect();
    let mut d = digits.clone();
    if d[0] == 0 || d[0] == 9 {
        d[0] = 1;
    }
    let sum: u32 = d.iter().enumerate().map(|(i, v)| v * (13 - i as u32)).sum();
    let check = (11 - sum % 11) % 10;
    d.iter()
        .chain(std::iter::once(&check))
        .map(|v| char::from_digit(*v, 10).unwrap())
        .collect()
}

/// A 13-digit ID as the card prints it: `1-1020-34580-04-1`.
pub fn dashed_id(id: &str) -> String {
    format!(
        "{}-{}-{}-{}-{}",
        &id[..1],
        &id[1..5],
        &id[5..10],
        &id[10..12],
        &id[12..]
    )
}

/// A valid registration for person `n` in `campaign` (aged 70+ at its reference date, group 3),
/// as a kiosk would send it.
pub fn registration(campaign: &Campaign, n: u64) -> Registration {
    let mut f = FormInput::default();
    for (k, v) in [
        (FieldKey::IdType, "thai_id"),
        (FieldKey::Title, "นาง"),
        (FieldKey::FirstName, "มาลี"),
        (FieldKey::LastName, "ศรีสุข"),
        (FieldKey::BirthDate, "01/02/2480"),
        (FieldKey::Sex, "female"),
        (FieldKey::Tambon, "คลองมะเดื่อ"),
        (FieldKey::Amphoe, "กระทุ่มแบน"),
        (FieldKey::Province, "สมุทรสาคร"),
        (FieldKey::Postcode, "74110"),
        (FieldKey::TargetGroup, "3"),
        (FieldKey::Consent, "yes"),
    ] {
        f.set(k, v);
    }
    f.set(FieldKey::IdNumber, &thai_id(120_000_000_000 + n));
    let ctx = Context {
        today: ThaiDate {
            day: Some(25),
            month: Some(11),
            year_be: 2569,
        },
    };
    let v = validate(campaign, &f, ctx);
    v.registration.unwrap_or_else(|| panic!("{:?}", v.errors))
}

/// What `python3 -c SCRIPT ARGS…` prints: an independent reader of what our writers made
/// (`python3` is on every test machine).
pub fn python(script: &str, args: &[&std::ffi::OsStr]) -> Vec<u8> {
    let out = Command::new("python3")
        .args(["-c", script])
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "python3 {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Member `name` of the zip file at `path`, as text, read by Python's own `zipfile` (an
/// independent reader of what our xlsx writer made).
pub fn unzip(path: &Path, name: &str) -> String {
    let script = "import sys, zipfile; \
        sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode('utf-8'))";
    String::from_utf8(python(script, &[path.as_os_str(), name.as_ref()])).unwrap()
}

/// The rows of the JSON Lines export `cmd` writes (the real binary's `export` or `hub export`,
/// given `--format jsonl` here), each column → text, in the order written.
pub fn jsonl_export(cmd: &mut Command) -> Vec<std::collections::BTreeMap<String, String>> {
    let out = cmd.args(["--format", "jsonl"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
