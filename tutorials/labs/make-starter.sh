#!/usr/bin/env bash
# Makes the students' copy of the repository: everything at HEAD, with the
# labs' reference solutions removed (src/reference/, the `reference`
# feature, and the lines of src/lib.rs that choose between the two; the
# visualizer's `reference` feature; tests/probe.rs, which checks the probe
# on the untouched starter and on the reference).
#
#   tutorials/labs/make-starter.sh /tmp/strata-course
#
# Only committed files are copied (git archive HEAD).
set -euo pipefail
out=${1:?usage: make-starter.sh OUT_DIR (must not exist yet)}
if [ -e "$out" ]; then
    echo "make-starter: $out exists; give a new directory" >&2
    exit 1
fi
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
mkdir -p "$out"
git -C "$root" archive HEAD | tar -x -C "$out"
labs="$out/tutorials/labs"
rm -rf "$labs/src/reference" "$labs/make-starter.sh" "$labs/tests/probe.rs"
# lib.rs: `#[cfg_attr(feature = "reference", path = "reference/x.rs")]` goes,
# `#[cfg_attr(not(feature = "reference"), path = "student/x.rs")]` becomes
# `#[path = "student/x.rs"]`.
sed -i \
    -e "/^\/\/! Teacher's copy:/,/^\/\/!\$/d" \
    -e '/^#\[cfg_attr(feature = "reference", path = "reference\//d' \
    -e 's/^#\[cfg_attr(not(feature = "reference"), \(path = "[^"]*"\))\]/#[\1]/' \
    "$labs/src/lib.rs"
# Cargo.toml: the feature and its comment.
sed -i -e '/^# Build the labs from `src\/reference\/`/,/^reference = \[\]/d' "$labs/Cargo.toml"
# web/Cargo.toml: the visualizer on the reference.
sed -i -e "/^# The same with the labs' reference solutions\.\$/d" \
    -e '/^reference = \["labs", "strata-labs\/reference"\]$/d' "$out/web/Cargo.toml"
if grep -q 'reference' "$labs/src/lib.rs" || grep -q '^reference' "$labs/Cargo.toml" ||
    grep -q 'strata-labs/reference' "$out/web/Cargo.toml"; then
    echo "make-starter: a reference to the solutions is left in $labs" >&2
    exit 1
fi
echo "starter written to $out: run 'cargo run -p strata-labs --bin grade' there"
