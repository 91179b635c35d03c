#!/bin/sh
# Builds the Debian package, target/debian/ruamjai_VERSION-1_ARCH.deb (its path is the last line):
# the release binary, and what that binary generates for it (man pages, bash/zsh/fish completions),
# the systemd units with ExecStart at /usr/bin/ruamjai, and the maintainer scripts beside this file.
# cargo-deb packs them as [package.metadata.deb] in Cargo.toml lists; this script makes the
# generated files first, into $CARGO_TARGET_DIR/release/deb/ (cargo-deb maps target/release/ there).
#
#   assets/debian/build.sh              build the release binary (LTO: minutes) and package it
#   assets/debian/build.sh --no-build   package the binary already at $CARGO_TARGET_DIR/release/ruamjai
#                                       (tests/it/deb.rs packages the binary under test this way)
# Further arguments go to cargo deb (--fast, --strip, --output DIR …).
#
# Needs cargo-deb (cargo install --locked cargo-deb --no-default-features) and dpkg-dev.
set -eu
cd "$(dirname "$0")/../.."
target=${CARGO_TARGET_DIR:-target}
case "$target" in /*) ;; *) target="$PWD/$target" ;; esac
if [ "${1:-}" = --no-build ]; then
    shift
else
    # The features [package.metadata.deb] names.
    cargo build --locked --release --features card
fi
bin="$target/release/ruamjai"
out="$target/release/deb"
rm -rf "$out"
mkdir -p "$out/man" "$out/completions" "$out/systemd"
"$bin" man --dir "$out/man" 2>/dev/null
# Debian's manual pages are gzipped; cargo-deb compresses only files it did not find under target/.
gzip -9n "$out"/man/*.1
"$bin" completions bash >"$out/completions/ruamjai"
"$bin" completions zsh >"$out/completions/_ruamjai"
"$bin" completions fish >"$out/completions/ruamjai.fish"
# The units in assets/systemd/ name /usr/local/bin, where the README's hand install puts the
# binary; the package's is /usr/bin. Only ExecStart= changes.
for unit in ruamjai-hub.service ruamjai-flush.service ruamjai-flush.timer; do
    sed 's|^ExecStart=/usr/local/bin/ruamjai |ExecStart=/usr/bin/ruamjai |' \
        "assets/systemd/$unit" >"$out/systemd/$unit"
done
grep -q '^ExecStart=/usr/bin/ruamjai ' "$out/systemd/ruamjai-hub.service"
CARGO_TARGET_DIR="$target" cargo deb --no-build --locked "$@" | tail -n 1
