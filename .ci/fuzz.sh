#!/usr/bin/env bash
# Fuzzes each of Strata's decoders, whole directory images and operation
# sequences with crashes for a short time (FUZZ_SECONDS, default
# 20) and fails on the first crash. Installs cargo-fuzz and the nightly
# toolchain when missing. New inputs go to a scratch directory, so the
# committed seed corpus (fuzz/corpus/<target>) stays as it is; a crash
# leaves its input in fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

seconds="${FUZZ_SECONDS:-20}"
targets=(wal_reader table block bloom manifest batch trace directory operations)

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

cargo +nightly fuzz build
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
for target in "${targets[@]}"; do
    printf '\n== fuzz %s for %ss ==\n' "$target" "$seconds"
    mkdir -p "$scratch/$target"
    status=0
    cargo +nightly fuzz run "$target" "$scratch/$target" "corpus/$target" -- \
        -max_total_time="$seconds" -print_final_stats=1 >"$scratch/$target.log" 2>&1 || status=$?
    grep -E '^(Done|stat::number_of_executed_units)' "$scratch/$target.log" || true
    if [ "$status" -ne 0 ]; then
        tail -n 60 "$scratch/$target.log" >&2
        echo "fuzz target $target failed (exit $status); the input is in fuzz/artifacts/$target/" >&2
        exit "$status"
    fi
done
