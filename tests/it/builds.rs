//! The two builds (docs/ARCHITECTURE.md, "Two builds"): the kiosk alone
//! (`--no-default-features`, with or without `card`) has none of the crates only the hub uses in
//! its `cargo tree`, and the default build has them all (so the list below stays the hub's).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// The crates only the hub builds with (the optional dependencies the feature `hub` turns on,
/// and what they alone bring in).
const HUB_ONLY: [&str; 10] = [
    "axum",
    "axum-core",
    "askama",
    "postgres",
    "tokio-postgres",
    "postgres-protocol",
    "prometheus-client",
    "rust_xlsxwriter",
    "matchit",
    "zip",
];

/// The names of the packages `cargo tree` lists for the library and binary's normal dependencies
/// with these flags.
fn tree(flags: &[&str]) -> BTreeSet<String> {
    let out = Command::new(env!("CARGO"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .args(["tree", "--locked", "--edges", "normal", "--prefix", "none"])
        .args(["--format", "{p}"])
        .args(flags)
        .output()
        .unwrap();
    assert!(out.status.success(), "cargo tree {flags:?}: {out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_kiosk_build_has_none_of_the_hubs_crates() {
    let full = tree(&[]);
    for name in HUB_ONLY {
        assert!(
            full.contains(name),
            "the default build lacks {name}: {full:?}"
        );
    }
    for flags in [
        &["--no-default-features"][..],
        &["--no-default-features", "--features", "card"][..],
    ] {
        let kiosk = tree(flags);
        assert!(
            kiosk.contains("ratatui") && kiosk.contains("rusqlite"),
            "{kiosk:?}"
        );
        let hub: Vec<&str> = HUB_ONLY
            .into_iter()
            .filter(|name| kiosk.contains(*name))
            .collect();
        assert!(hub.is_empty(), "cargo tree {flags:?} has the hub's {hub:?}");
        assert!(
            kiosk.len() + 20 < full.len(),
            "the kiosk build ({}) is hardly smaller than the full one ({})",
            kiosk.len(),
            full.len()
        );
    }
}
