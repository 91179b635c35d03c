//! Rebuild whenever a migration file is added or changed, so a new migration is never left out of a
//! binary (the SQL is embedded with `include_str!`).

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=assets");
}
