//! Rebuild whenever a migration file is added or changed, so a new migration is never left out of a
//! binary (the SQL is embedded with `include_str!`). And `cfg(card_reader)`: this build reads ID
//! cards through PC/SC (feature `card`, or Windows and macOS, where the platform has PC/SC).

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=assets");
    println!("cargo::rustc-check-cfg=cfg(card_reader)");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if std::env::var_os("CARGO_FEATURE_CARD").is_some() || os == "windows" || os == "macos" {
        println!("cargo:rustc-cfg=card_reader");
    }
}
