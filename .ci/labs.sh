#!/usr/bin/env bash
# The labs (tutorials/labs): every lab can be solved — the reference
# solutions pass every test — and every test can fail — the untouched
# starter fails every test of every lab. Then the students' copy made by
# make-starter.sh builds without the reference.
set -euo pipefail
cd "$(dirname "$0")/.."

labs=(skiplist wal block bloom merge picking fates snapshots)

echo "== labs: clippy on the reference (the workspace's clippy sees the starter) =="
cargo clippy -p strata-labs --all-targets --features reference -- -D warnings

echo "== labs: the reference passes every test =="
cargo test -p strata-labs --features reference --no-fail-fast

echo "== labs: the starter fails every test of every lab =="
status=0
for lab in "${labs[@]}"; do
    out=$(cargo test -p strata-labs --test "$lab" 2>&1 || true)
    summary=$(grep -E '^test result:' <<<"$out" | tail -1 || true)
    if grep -qE '^test result: FAILED\. 0 passed; [1-9][0-9]* failed' <<<"$summary"; then
        echo "$lab: every test fails on the starter ($summary)"
    else
        echo "$lab: expected every test to fail on the starter, got: ${summary:-no test result}" >&2
        grep -E '^test .* ok$' <<<"$out" >&2 || true
        status=1
    fi
done
[ "$status" -eq 0 ]

echo "== labs: the students' copy builds without the reference =="
copy=$(mktemp -d)/strata-course
tutorials/labs/make-starter.sh "$copy"
(cd "$copy" && cargo test -p strata-labs --no-run)
rm -rf "$(dirname "$copy")"
