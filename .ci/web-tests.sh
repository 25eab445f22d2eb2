#!/usr/bin/env bash
# The visualizer's tests: the site build (strata-site: wasm32 build,
# wasm-bindgen library, wasm-opt), the site tool's own tests, the yew
# component tests in headless Chromium (wasm-bindgen-test through
# chromedriver), and the end-to-end tests of the built site — the
# visualizer (web/e2e/run.mjs) and the chapter pages (web/e2e/site.mjs) —
# with playwright-core driving Debian's Chromium, the site served by
# python's http.server under a sub-path.
#
# Works on a fresh machine: installs wasm-opt, the matching
# wasm-bindgen-test-runner, Chromium with its driver and playwright-core
# when missing. Screenshots land in web/e2e/screenshots/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/web-tools.sh
source scripts/web-tools.sh
SECONDS=0

web_step "tools"
ensure_wasm_opt
ensure_test_runner
ensure_browser

web_step "site build (strata-site build)"
build_started=$SECONDS
site=dist
cargo run --quiet -p strata-site -- build --out "$site"
echo "build took $((SECONDS - build_started))s; $site/:"
ls -l "$site"
echo "wasm gzip -9: $(gzip -9 -c "$site/strata-web_bg.wasm" | wc -c) bytes"

web_step "site tool tests"
cargo test -p strata-site

web_step "component tests (wasm-bindgen-test, headless Chromium)"
tests_started=$SECONDS
CHROMEDRIVER=/usr/bin/chromedriver \
    cargo test -p strata-web --target wasm32-unknown-unknown
echo "component tests took $((SECONDS - tests_started))s"

web_step "end-to-end tests (playwright-core, headless Chromium)"
e2e_started=$SECONDS
(cd web/e2e && npm ci --no-audit --no-fund --silent)
node web/e2e/run.mjs "$site"
node web/e2e/site.mjs "$site"
echo "end-to-end tests took $((SECONDS - e2e_started))s (${SECONDS}s in all)"
