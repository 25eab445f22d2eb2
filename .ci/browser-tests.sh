#!/usr/bin/env bash
# Browser tests: the IndexedDB storage backend and the engine, run by
# wasm-bindgen-test in headless Chromium through chromedriver.
#
# Works on a fresh machine: installs the wasm32 target, Chromium with its
# driver, and the wasm-bindgen test runner matching Cargo.lock when they are
# missing, then runs the suites. Natively these test files compile to nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n== %s ==\n' "$*"; }
SECONDS=0

step "wasm32 target"
rustup target add wasm32-unknown-unknown

step "chromium and chromedriver"
if [ ! -x /usr/bin/chromedriver ]; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver
fi
/usr/bin/chromedriver --version

step "wasm-bindgen test runner"
# The runner must be exactly the wasm-bindgen version the tests link.
want=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$want" ]; then
    echo "no wasm-bindgen in Cargo.lock" >&2
    exit 1
fi
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$want" ] || ! command -v wasm-bindgen-test-runner >/dev/null; then
    # Not --locked: one of the CLI's locked dependencies is no longer on the
    # registry.
    cargo install wasm-bindgen-cli --version "$want"
fi
wasm-bindgen --version
echo "setup took ${SECONDS}s"

step "browser tests"
tests_started=$SECONDS
CHROMEDRIVER=/usr/bin/chromedriver \
    cargo test -p strata-storage -p strata-engine --target wasm32-unknown-unknown
echo "browser tests took $((SECONDS - tests_started))s (${SECONDS}s in all)"
