#!/usr/bin/env bash
# The visualizer's tests: the release build (trunk), the yew component
# tests in headless Chromium (wasm-bindgen-test through chromedriver) and
# the end-to-end test of the built dist/ (playwright-core driving Debian's
# Chromium, site served by python's http.server under a sub-path).
#
# Works on a fresh machine: installs the wasm32 target, trunk, the matching
# wasm-bindgen CLI, wasm-opt, Chromium with its driver and playwright-core
# when missing. Screenshots land in web/e2e/screenshots/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/web-tools.sh
source scripts/web-tools.sh
SECONDS=0

web_step "tools"
ensure_web_tools
ensure_browser

web_step "crates"
cargo fetch

web_step "release build (trunk build --release)"
build_started=$SECONDS
trunk build --skip-version-check --release
echo "build took $((SECONDS - build_started))s; dist/:"
ls -l dist

web_step "component tests (wasm-bindgen-test, headless Chromium)"
tests_started=$SECONDS
CHROMEDRIVER=/usr/bin/chromedriver \
    cargo test -p strata-web --target wasm32-unknown-unknown
echo "component tests took $((SECONDS - tests_started))s"

web_step "end-to-end test (playwright-core, headless Chromium)"
e2e_started=$SECONDS
(cd web/e2e && npm ci --no-audit --no-fund --silent)
node web/e2e/run.mjs dist
echo "end-to-end test took $((SECONDS - e2e_started))s (${SECONDS}s in all)"
