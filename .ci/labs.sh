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

echo "== labs: the engine's own tests with the reference plugged in =="
# The engine's model test, crash loop and compaction tests, included from
# engine/tests/ and run inside plug::with_labs (a shorter crash loop: the
# engine's own CI runs the full one).
STRATA_CRASH_ITERATIONS=300 cargo run -p strata-labs --example engine_tests --features reference
if cargo run -p strata-labs --example engine_tests >/dev/null 2>&1; then
    echo "the engine's tests passed on the untouched starter: nothing was plugged in" >&2
    exit 1
fi
echo "on the starter the engine-test runner refuses: no lab is ready"

echo "== labs: the visualizer on the labs' code (view-model, natively) =="
# Every chapter scene whose panel shows a lab runs through a session with
# the reference plugged in, with traces equal to the engine's; on the
# starter every lab falls back to the engine and its badge says why.
cargo test -p strata-web --features reference --lib labs
cargo test -p strata-web --features labs --lib labs
cargo clippy -p strata-web --all-targets --features reference -- -D warnings
cargo clippy -p strata-web --target wasm32-unknown-unknown --features labs -- -D warnings

echo "== labs: the visualizer's labs build for the browser =="
# The site tool probes the labs, bakes the report into the wasm build and
# builds the page on them; the page then runs a chapter scene with every
# panel saying whose code runs (web/e2e/labs.mjs, headless Chromium).
# On a fresh machine nothing has installed the browser yet: this step runs
# before the browser and visualizer tests.
# shellcheck source=../scripts/web-tools.sh
source scripts/web-tools.sh
ensure_browser
site=$(mktemp -d)
cargo run -p strata-site -- build --labs-reference --profile dev --no-wasm-opt --out "$site/reference"
cargo run -p strata-site -- build --labs --profile dev --no-wasm-opt --out "$site/starter"
(cd web/e2e && { [ -d node_modules ] || npm ci --no-audit --no-fund --silent; })
node web/e2e/labs.mjs "$site/reference" yours
node web/e2e/labs.mjs "$site/starter" engine
rm -rf "$site"
