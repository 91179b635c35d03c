//! A password on `--database` is in the process list for any user of the machine to read: the
//! real binary warns once on standard error and names the places that keep it out
//! (`RUAMJAI_HUB_DATABASE`, `hub.toml`), which bring no warning; the password itself is never
//! printed.

use crate::support::ruamjai;

/// Runs `hub stats` with `args` and `env` (a store on a closed port: the command fails after
/// the warning); its standard error.
fn stats_stderr(args: &[&str], env: Option<&str>) -> String {
    let dir = crate::support::private_tempdir();
    let mut cmd = ruamjai(dir.path());
    cmd.args(["hub", "stats"]).args(args);
    match env {
        Some(url) => cmd.env("RUAMJAI_HUB_DATABASE", url),
        None => cmd.env_remove("RUAMJAI_HUB_DATABASE"),
    };
    let out = cmd.output().unwrap();
    assert!(!out.status.success(), "no store on port 1");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_password_on_the_command_line_is_warned_about_once() {
    let url = "postgres://clerk:s3cret@127.0.0.1:1/ruamjai";
    let said = stats_stderr(&["--database", url], None);
    assert_eq!(
        said.matches("warning: --database holds a password").count(),
        1,
        "{said}"
    );
    assert!(
        said.contains("RUAMJAI_HUB_DATABASE") && said.contains("hub.toml"),
        "{said}"
    );
    assert!(!said.contains("s3cret"), "{said}");
    // From the environment, or with no password: no warning.
    for (args, env) in [
        (&[][..], Some(url)),
        (
            &["--database", "postgres://clerk@127.0.0.1:1/ruamjai"][..],
            None,
        ),
    ] {
        let said = stats_stderr(args, env);
        assert!(!said.contains("warning"), "{said}");
        assert!(said.contains("127.0.0.1"), "it tried that store: {said}");
    }
}
