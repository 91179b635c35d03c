//! The map in `docs/ARCHITECTURE.md` stays true: every path named in `src/` (each `use` tree
//! expanded, each path in code resolved against its file's module, comments and literals left
//! out: `scan`) is checked against the arrows that must never exist (`rules`).

use std::path::{Path, PathBuf};

mod layout;
mod lex;
mod rules;
mod scan;

use rules::RULES;
use scan::{named_paths, within};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every file under `src` with what it names: (path inside `src/`, named paths).
fn named_in(src: &Path) -> Vec<(String, Vec<String>)> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    files
        .iter()
        .map(|file| {
            let rel = file
                .strip_prefix(src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let named = named_paths(&rel, &std::fs::read_to_string(file).unwrap());
            (rel, named)
        })
        .collect()
}

/// Every arrow in `src/` that a rule forbids: (file, named, why).
fn violations(src: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for (rel, named) in named_in(src) {
        for rule in RULES.iter().filter(|r| rel.starts_with(r.from)) {
            for what in rule.to {
                if let Some(path) = named.iter().find(|p| within(p, what)) {
                    found.push(format!("src/{rel} names {what} ({path}): {}", rule.why));
                }
            }
        }
    }
    found
}

#[test]
fn no_forbidden_arrow_exists_in_src() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = violations(&src);
    assert!(
        found.is_empty(),
        "docs/ARCHITECTURE.md is no longer true:\n{}",
        found.join("\n")
    );
}

/// Typed errors in the library, `anyhow` only in `main.rs`, where the binary prints them.
#[test]
fn anyhow_is_named_only_where_the_binary_prints_errors() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found: Vec<String> = named_in(&src)
        .into_iter()
        .filter(|(rel, named)| rel != "main.rs" && named.iter().any(|p| within(p, "anyhow")))
        .map(|(rel, _)| rel)
        .collect();
    assert!(found.is_empty(), "anyhow beyond main.rs: {found:?}");
}

#[test]
fn the_check_sees_a_forbidden_arrow_and_ignores_comments() {
    let tmp = tempfile::tempdir().unwrap();
    let thai = tmp.path().join("core/thai");
    std::fs::create_dir_all(&thai).unwrap();
    std::fs::write(thai.join("a.rs"), "use crate::core::form::Campaign;\n").unwrap();
    std::fs::write(
        thai.join("b.rs"),
        "//! See [`crate::core::form`].\nuse crate::core::thai::x;\n",
    )
    .unwrap();
    std::fs::write(thai.join("c.rs"), "use crate::core::formatting;\n").unwrap();
    let hub = tmp.path().join("hub");
    std::fs::create_dir_all(&hub).unwrap();
    std::fs::write(
        hub.join("d.rs"),
        "fn f() { let _ = reqwest::Client::new(); }\n",
    )
    .unwrap();
    let found = violations(tmp.path());
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].contains("src/core/thai/a.rs names crate::core::form")
            || found[1].contains("src/core/thai/a.rs")
    );
    assert!(
        found
            .iter()
            .any(|f| f.contains("src/hub/d.rs names reqwest::"))
    );
}

#[test]
fn the_map_names_every_top_level_module() {
    let map =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ARCHITECTURE.md"))
            .unwrap();
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    for module in lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod ")?.strip_suffix(';'))
    {
        let file = format!("`{module}.rs`");
        let dir = format!("`{module}/`");
        assert!(
            map.contains(&file) || map.contains(&dir),
            "docs/ARCHITECTURE.md lacks {module}"
        );
    }
}

/// Writes `files` (path inside `src/`, text) under a temporary `src/` and returns its violations.
fn violations_of(files: &[(&str, &str)]) -> Vec<String> {
    let tmp = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let path = tmp.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    violations(tmp.path())
}

#[test]
fn grouped_nested_and_relative_imports_are_read_as_the_paths_they_are() {
    let found = violations_of(&[
        // Grouped at the crate root: once the substring check's blind spot.
        ("core/thai/a.rs", "use crate::core::{form::Campaign};\n"),
        ("core/form/b.rs", "use crate::{hub, kiosk::queue};\n"),
        // Nested groups, `self`, and the handle named after a grouped import.
        (
            "kiosk/tui/app/c.rs",
            "use crate::{kiosk::sync::{self, Link}, core::thai::Lang};\nfn f(h: sync::SyncHandle) {}\n",
        ),
        // Relative paths climbing out of the module (thai::sub::d, up to thai, up to the root).
        (
            "core/thai/sub/d.rs",
            "use super::super::super::form::Campaign;\n",
        ),
        (
            "kiosk/tui/ui/e.rs",
            "fn f() { let _ = super::super::super::queue::Queue::open; }\n",
        ),
        // A module brought in by name, then a path through it.
        (
            "kiosk/tui/app/f.rs",
            "use crate::kiosk::queue;\nfn f(q: &queue::Queue) {}\n",
        ),
        // A child module's own path is not the crate's: `tui::app::queue` is fine there.
        (
            "kiosk/tui/app/g.rs",
            "mod queue;\nuse queue::list;\nuse self::queue::Queue;\n",
        ),
        // Inline paths in code.
        (
            "kiosk/card/h.rs",
            "fn f() { crate::kiosk::config::load(); }\n",
        ),
    ]);
    let said = |file: &str, what: &str| {
        found
            .iter()
            .any(|f| f.starts_with(&format!("src/{file} names {what} ")))
    };
    assert!(said("core/thai/a.rs", "crate::core::form"), "{found:#?}");
    assert!(said("core/form/b.rs", "crate::hub") && said("core/form/b.rs", "crate::kiosk::queue"));
    assert!(
        said("kiosk/tui/app/c.rs", "crate::kiosk::sync::SyncHandle"),
        "{found:#?}"
    );
    assert!(
        said("core/thai/sub/d.rs", "crate::core::form"),
        "{found:#?}"
    );
    assert!(
        said("kiosk/tui/ui/e.rs", "crate::kiosk::queue::Queue"),
        "{found:#?}"
    );
    assert!(
        said("kiosk/tui/app/f.rs", "crate::kiosk::queue::Queue"),
        "{found:#?}"
    );
    assert!(
        !found.iter().any(|f| f.contains("kiosk/tui/app/g.rs")),
        "{found:#?}"
    );
    assert!(
        said("kiosk/card/h.rs", "crate::kiosk::config"),
        "{found:#?}"
    );
    // The two arrows into the kiosk part also break "the core knows neither side".
    assert_eq!(found.len(), 11, "{found:#?}");
}

#[test]
fn comments_and_literals_hide_nothing_and_invent_nothing() {
    let found = violations_of(&[
        // A `//` inside a string no longer cuts the line: the path after it is read.
        (
            "core/thai/a.rs",
            "const U: &str = \"http://hub\"; use crate::core::form::Campaign;\n",
        ),
        // Block comments (nested too), strings, raw strings and chars name nothing.
        (
            "core/thai/b.rs",
            "/* use crate::core::form; /* crate::kiosk::queue */ crate::hub */\n\
             const A: &str = \"crate::core::form::x\";\n\
             const B: &str = r#\"use crate::core::form; \"quoted\" \"#;\n\
             const C: char = '\"'; const D: char = '\\''; fn f<'a>(x: &'a str) {}\n\
             const E: &[u8] = b\"crate::kiosk::queue\";\n",
        ),
        // ... and what follows them is still read.
        (
            "core/thai/c.rs",
            "const C: char = '\"'; use crate::kiosk::sync::Link;\n",
        ),
        // `use<…>` in a signature is not an import.
        (
            "core/seal/d.rs",
            "fn f() -> impl Fn() + use<> { || () }\nfn g() { let _ = std::fs::read; }\n",
        ),
    ]);
    let said = |file: &str, what: &str| {
        found
            .iter()
            .any(|f| f.starts_with(&format!("src/{file} names {what} ")))
    };
    assert!(said("core/thai/a.rs", "crate::core::form"), "{found:#?}");
    assert!(
        !found.iter().any(|f| f.contains("core/thai/b.rs")),
        "{found:#?}"
    );
    assert!(said("core/thai/c.rs", "crate::kiosk::sync"), "{found:#?}");
    assert!(said("core/seal/d.rs", "std::fs"), "{found:#?}");
    // `crate::kiosk::sync` from the core is named twice: by the text core's rule and the core's.
    assert_eq!(found.len(), 4, "{found:#?}");
}

#[test]
fn paths_resolve_against_the_files_module() {
    use scan::{module_of, named_paths};
    assert_eq!(
        module_of("hub/dashboard/view.rs"),
        ["hub", "dashboard", "view"]
    );
    assert_eq!(module_of("kiosk/queue/mod.rs"), ["kiosk", "queue"]);
    assert!(module_of("lib.rs").is_empty());
    let named = named_paths(
        "hub/dashboard/snapshot.rs",
        "use super::super::store::{Db, DbError};\nuse super::*;\n\
         mod tests { use super::Cache; use crate::core::{seal::{self as s}}; fn f() { s::open(); } }\n\
         use ::std::fs as files;\nfn g() { files::read(); }\n",
    );
    for want in [
        "crate::hub::store::Db",
        "crate::hub::store::DbError",
        "crate::hub::dashboard::*",
        "crate::hub::dashboard::snapshot::Cache",
        "crate::core::seal",
        "crate::core::seal::open",
        "std::fs",
        "std::fs::read",
    ] {
        assert!(named.iter().any(|n| n == want), "{want} in {named:#?}");
    }
    assert!(within(
        "crate::kiosk::queue::*",
        "crate::kiosk::queue::Queue"
    ));
    assert!(!within("crate::formatting", "crate::core::form"));
    assert!(!within(
        "crate::kiosk::queue::QueueError",
        "crate::kiosk::queue::Queue"
    ));
}

#[test]
fn the_three_parts_never_name_each_other() {
    let found = violations_of(&[
        ("kiosk/sync/a.rs", "use crate::hub::Hub;\n"),
        (
            "kiosk/tui/b.rs",
            "fn f() { let _ = axum::Router::new(); }\n",
        ),
        ("hub/c.rs", "use crate::kiosk::queue::State;\n"),
        ("core/form/d.rs", "use crate::kiosk::config;\n"),
        (
            "core/thai/e.rs",
            "fn f() { postgres::Client::connect(); }\n",
        ),
        // Both sides naming the core is the point of it.
        ("hub/f.rs", "use crate::core::form::Campaign;\n"),
        ("kiosk/queue/g.rs", "use crate::core::seal::Sealer;\n"),
    ]);
    let said = |file: &str, what: &str| {
        found
            .iter()
            .any(|f| f.starts_with(&format!("src/{file} names {what} ")))
    };
    assert!(said("kiosk/sync/a.rs", "crate::hub"), "{found:#?}");
    assert!(said("kiosk/tui/b.rs", "axum::"), "{found:#?}");
    assert!(said("hub/c.rs", "crate::kiosk"), "{found:#?}");
    assert!(said("core/form/d.rs", "crate::kiosk"), "{found:#?}");
    assert!(said("core/thai/e.rs", "postgres::"), "{found:#?}");
    assert!(
        !found
            .iter()
            .any(|f| f.contains("hub/f.rs") || f.contains("kiosk/queue/g.rs")),
        "{found:#?}"
    );
}

/// No file in `src/hub/` names a path into a file that names one back into it, however long the
/// way round: each part of the hub can be read (and moved) knowing only what it uses.
#[test]
fn no_file_in_the_hub_is_in_an_import_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = layout::file_graph(&named_in(&src), "hub/");
    let found = layout::cycles(&graph);
    let said: Vec<String> = found
        .iter()
        .map(|set| {
            let edges: Vec<String> = set
                .iter()
                .flat_map(|a| {
                    graph[a]
                        .iter()
                        .filter(|b| set.contains(b))
                        .map(move |b| format!("{a} -> {b}"))
                })
                .collect();
            format!("{set:?}\n    {}", edges.join("\n    "))
        })
        .collect();
    assert!(
        found.is_empty(),
        "import cycles in src/hub:\n{}",
        said.join("\n")
    );
}

#[test]
fn the_cycle_check_sees_a_cycle_the_long_way_round() {
    let files = [
        ("hub/a.rs", "use crate::hub::b::B;\n"),
        (
            "hub/b/mod.rs",
            "pub struct B; fn f() { crate::hub::c::g(); }\n",
        ),
        ("hub/c.rs", "use super::a;\npub fn g() {}\n"),
        ("hub/d.rs", "use crate::hub::a;\n"),
    ];
    let named: Vec<(String, Vec<String>)> = files
        .iter()
        .map(|(rel, text)| ((*rel).to_owned(), named_paths(rel, text)))
        .collect();
    let found = layout::cycles(&layout::file_graph(&named, "hub/"));
    assert_eq!(found, [["hub/a.rs", "hub/b/mod.rs", "hub/c.rs"]]);
}

/// Small files: none in `src/hub/`, `src/kiosk/` or `src/core/` over [`layout::MAX_LINES`]
/// lines (a longer one is split by what it does).
#[test]
fn no_file_in_the_hub_the_kiosk_or_core_is_over_the_line_mark() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for part in ["hub", "kiosk", "core"] {
        rust_files(&src.join(part), &mut files);
    }
    assert!(
        files.len() > 100,
        "the three parts were read: {}",
        files.len()
    );
    let mut long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let lines = std::fs::read_to_string(f).unwrap().lines().count();
            (lines > layout::MAX_LINES).then(|| format!("{} ({lines})", f.display()))
        })
        .collect();
    long.sort();
    assert!(
        long.is_empty(),
        "over {} lines: {long:?}",
        layout::MAX_LINES
    );
}
