//! A stolen queue gives up its PIN slowly: `ruamjai pin set` refuses a short or easily guessed
//! PIN, and the PIN it takes is wrapped at a cost measured on this machine (64 MiB, as many
//! passes as make a try last a quarter of a second), stored with the key.

use crate::support::ruamjai;

/// `ruamjai pin set` with `pin` on standard input, at the kiosk's real cost.
fn pin_set(dir: &std::path::Path, pin: &str) -> (bool, String) {
    let out = ruamjai(dir)
        .env_remove("RUAMJAI_PIN")
        .env_remove("RUAMJAI_PIN_TRY_MS")
        .args(["pin", "set"])
        .write_stdin(format!("{pin}\n"))
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_pin_set_at_install_is_long_and_costly_to_guess() {
    let dir = crate::support::private_tempdir();
    for weak in ["2564", "000000", "123456", "121212"] {
        let (ok, said) = pin_set(dir.path(), weak);
        assert!(!ok, "{weak} was taken");
        assert!(said.contains("PIN"), "{weak}: {said}");
    }
    let (ok, said) = pin_set(dir.path(), "counter-7-day");
    assert!(ok, "{said}");
    let stored = crate::support::python(
        "import base64,sqlite3,struct,sys\n\
         c = sqlite3.connect(sys.argv[1])\n\
         v = c.execute(\"SELECT value FROM kiosk_meta WHERE key = 'shift_wrapped'\").fetchone()[0]\n\
         b = base64.b64decode(v)\n\
         print(b[:2].decode(), *struct.unpack('<II', b[2:10]))",
        &[dir.path().join("queue.sqlite3").as_os_str()],
    );
    let stored = String::from_utf8(stored).unwrap();
    let words: Vec<&str> = stored.split_whitespace().collect();
    assert_eq!(words[0], "P2", "{stored}");
    assert_eq!(words[1], "65536", "64 MiB a try: {stored}");
    assert!(words[2].parse::<u32>().unwrap() >= 2, "{stored}");
}
