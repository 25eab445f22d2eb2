#!/usr/bin/env bash
# The engine as WebAssembly in headless Chromium beside the engine natively,
# one workload (200k random puts, then gets, over MemStorage; then the same
# over IndexedDB with the time until it is persisted), for three builds of
# the wasm: the one the page ships (profile wasm-release: the engine, its
# storage, checksum and compression at opt-level 3, the rest "z", then
# wasm-opt -Oz), everything for size (wasm-size, then -Oz) and everything for
# speed (wasm-speed: opt-level 3, then wasm-opt -O3).
#
#   bash bench-wasm/run.sh [OPS] [RUNS]
#
# BENCH_WASM_VARIANTS="wasm-release:-Oz" runs only the builds listed
# (profile:wasm-opt level), for a quicker before/after of the page build.
# Prints one JSON line per run and a table of medians. Installs what it
# needs when missing (see scripts/web-tools.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ops="${1:-200000}"
runs="${2:-3}"
source scripts/web-tools.sh
ensure_wasm_opt >/dev/null
ensure_test_runner >/dev/null
ensure_browser >/dev/null
(cd web/e2e && [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --silent)

out=target/bench-wasm
results="$out/results.jsonl"
mkdir -p "$out"
: >"$results"

web_step "native"
cargo build -q --release -p strata-bench-wasm
target/release/strata-bench-wasm --ops "$ops" --runs "$runs" | tee -a "$results"

for variant in ${BENCH_WASM_VARIANTS:-wasm-release:-Oz wasm-size:-Oz wasm-speed:-O3}; do
    profile="${variant%%:*}"
    level="${variant##*:}"
    web_step "wasm, profile $profile, wasm-opt $level"
    cargo build -q -p strata-bench-wasm --lib --target wasm32-unknown-unknown --profile "$profile"
    dir="$out/$profile"
    rm -rf "$dir"
    wasm-bindgen --target web --no-typescript --out-dir "$dir" \
        "target/wasm32-unknown-unknown/$profile/strata_bench_wasm.wasm"
    wasm-opt "$level" --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
        --enable-mutable-globals --enable-reference-types --enable-multivalue "$dir/strata_bench_wasm_bg.wasm" -o "$dir/strata_bench_wasm_bg.wasm"
    cp bench-wasm/index.html "$dir/"
    echo "wasm: $(stat -c %s "$dir/strata_bench_wasm_bg.wasm") bytes"
    node bench-wasm/run.mjs "$dir" "$profile" "$ops" "$runs" | tee -a "$results"
done

web_step "best and median runs (µs per operation; ratio = native time / browser time, best runs)"
node bench-wasm/summary.mjs "$results"
