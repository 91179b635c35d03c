//! The Debian package: `assets/debian/build.sh --no-build` packs the binary under test with
//! cargo-deb as the release package is packed (same Cargo.toml metadata, same generated man pages,
//! completions and units); dpkg-deb reads its control data and contents; it is unpacked into a
//! throwaway root and the binary run from there, serving `/v1/health` under the packaged unit's
//! command. The maintainer scripts (`scripts`) and the hub unit's hardening and journal logging
//! (`unit`) have their own files.

mod scripts;
mod unit;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::packaging::has;
use crate::support::missing;

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `cmd`, which must succeed; its standard output.
fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{cmd:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The package built from the binary under test in `work`, and its path.
fn build(work: &Path) -> PathBuf {
    let target = work.join("target");
    std::fs::create_dir_all(target.join("release")).unwrap();
    std::fs::copy(
        env!("CARGO_BIN_EXE_ruamjai"),
        target.join("release/ruamjai"),
    )
    .unwrap();
    let said = run(Command::new("sh")
        .arg(manifest().join("assets/debian/build.sh"))
        // A test binary carries debug information: strip it, and compress fast.
        .args(["--no-build", "--strip", "--fast"])
        .env("CARGO_TARGET_DIR", &target));
    let deb = PathBuf::from(said.lines().last().unwrap_or_default().trim());
    assert!(
        deb.is_file(),
        "build.sh's last line is not the package: {said}"
    );
    deb
}

/// `GET /v1/health` on `url` (`http://ADDR`); the response's status line.
fn health(url: &str) -> String {
    let addr = url.strip_prefix("http://").unwrap();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(b"GET /v1/health HTTP/1.1\r\nHost: hub\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer.lines().next().unwrap_or_default().to_owned()
}

#[test]
fn the_package_installs_the_binary_pages_completions_units_and_scripts_and_the_hub_runs_from_it() {
    for tool in ["cargo-deb", "dpkg-deb", "dpkg-shlibdeps"] {
        if !has(tool) {
            missing(tool);
            return;
        }
    }
    let work = tempfile::tempdir().unwrap();
    let deb = build(work.path());
    let arch = run(Command::new("dpkg").arg("--print-architecture"));
    let version = format!("{}-1", env!("CARGO_PKG_VERSION"));
    assert_eq!(
        deb.file_name().unwrap().to_string_lossy(),
        format!("ruamjai_{version}_{}.deb", arch.trim())
    );
    let changelog = std::fs::read_to_string(manifest().join("assets/debian/changelog")).unwrap();
    assert!(
        changelog.starts_with(&format!("ruamjai ({version}) ")),
        "assets/debian/changelog's first entry is not {version}: a new version needs its entry"
    );
    eprintln!(
        "{}: {} KiB",
        deb.display(),
        std::fs::metadata(&deb).unwrap().len() / 1024
    );

    let info = run(Command::new("dpkg-deb").arg("--info").arg(&deb));
    for line in [
        "Package: ruamjai".to_owned(),
        format!("Version: {version}"),
        "Suggests: pcscd".to_owned(),
    ] {
        assert!(info.lines().any(|l| l.trim() == line), "no {line}: {info}");
    }
    let depends = info
        .lines()
        .find_map(|l| l.trim().strip_prefix("Depends: "))
        .unwrap_or_else(|| panic!("no Depends: {info}"));
    assert!(
        depends.split(", ").any(|d| d == "adduser"),
        "the postinst runs adduser: {depends}"
    );
    for script in ["postinst", "prerm", "postrm"] {
        assert!(
            info.lines()
                .any(|l| l.split_whitespace().any(|w| w == script)),
            "no {script}: {info}"
        );
    }

    contents(&deb);
    let root = work.path().join("root");
    run(Command::new("dpkg-deb").arg("-x").arg(&deb).arg(&root));
    let control = work.path().join("control");
    run(Command::new("dpkg-deb").arg("-e").arg(&deb).arg(&control));
    for script in ["postinst", "prerm", "postrm"] {
        assert_eq!(
            std::fs::read(control.join(script)).unwrap(),
            std::fs::read(manifest().join("assets/debian").join(script)).unwrap(),
            "the packaged {script} is not assets/debian/{script}"
        );
    }
    runs_from(&root);
    unit::packaged_unit_verifies_and_is_rated_ok(&root);
}

/// What `dpkg-deb --contents` lists: the binary, pages (gzipped), completions, units and
/// copyright, each owned by root (0/0) with its mode.
fn contents(deb: &Path) {
    let listing = run(Command::new("dpkg-deb").arg("--contents").arg(deb));
    let entry = |path: &str| {
        listing
            .lines()
            .find(|l| l.ends_with(path))
            .unwrap_or_else(|| panic!("{path} not in the package:\n{listing}"))
    };
    let binary = entry("./usr/bin/ruamjai");
    assert!(binary.starts_with("-rwxr-xr-x 0/0 "), "{binary}");
    let man = listing
        .lines()
        .filter(|l| l.contains("./usr/share/man/man1/ruamjai") && l.ends_with(".1.gz"))
        .count();
    assert!(man >= 6, "{man} manual pages:\n{listing}");
    entry("./usr/share/man/man1/ruamjai-hub-serve.1.gz");
    for path in [
        "./usr/share/bash-completion/completions/ruamjai",
        "./usr/share/zsh/vendor-completions/_ruamjai",
        "./usr/share/fish/vendor_completions.d/ruamjai.fish",
        "./usr/lib/systemd/system/ruamjai-hub.service",
        "./usr/lib/systemd/user/ruamjai-flush.service",
        "./usr/lib/systemd/user/ruamjai-flush.timer",
        "./usr/share/doc/ruamjai/copyright",
        "./usr/share/doc/ruamjai/changelog.Debian.gz",
    ] {
        let line = entry(path);
        assert!(line.starts_with("-rw-r--r-- 0/0 "), "{line}");
    }
}

/// The unpacked binary says its version, and serves under the packaged hub unit's own command
/// (its data directory and address moved to a temp directory and a free port) until SIGTERM.
fn runs_from(root: &Path) {
    let bin = root.join("usr/bin/ruamjai");
    let said = run(Command::new(&bin).arg("--version"));
    assert!(said.contains(env!("CARGO_PKG_VERSION")), "{said}");

    let unit =
        std::fs::read_to_string(root.join("usr/lib/systemd/system/ruamjai-hub.service")).unwrap();
    let exec = unit
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .unwrap_or_else(|| panic!("no ExecStart=: {unit}"));
    let mut words = exec.split_whitespace();
    assert_eq!(words.next(), Some("/usr/bin/ruamjai"), "{exec}");
    let data = crate::support::private_tempdir();
    let mut args: Vec<String> = words.map(str::to_owned).collect();
    for (flag, value) in [
        ("--data-dir", data.path().display().to_string()),
        ("--listen", "127.0.0.1:0".to_owned()),
    ] {
        let at = args.iter().position(|a| a == flag).unwrap() + 1;
        args[at] = value;
    }
    let (mut child, url) = crate::hub::binary::listening(
        Command::new(&bin)
            .envs(crate::support::SEALING_ENV)
            .env_remove("RUAMJAI_DATA_DIR")
            .env_remove("RUAMJAI_HUB_DATABASE")
            .args(&args)
            .stderr(Stdio::null()),
    );
    let status = health(&url);
    crate::hub::binary::signal(&child, "-TERM");
    let code = crate::hub::binary::wait_exit(&mut child, Duration::from_secs(30));
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    assert_eq!(code, Some(0), "the packaged hub must drain and exit 0");
}
