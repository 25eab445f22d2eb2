#!/usr/bin/env bash
# Installs what testing the visualizer needs, when missing. Sourced by
# .ci/web-tests.sh (bash, from the repository root). Building and serving
# need none of it: `cargo run -p strata-site -- build` does both with Rust
# alone.
#
#   ensure_wasm_opt      wasm-opt (npm binaryen 132) into .tools/
#   ensure_test_runner   wasm-bindgen-test-runner matching Cargo.lock
#   ensure_browser       Chromium and chromedriver (Debian packages), a
#                        Chinese font, node
#
# Debian's binaryen is too old for what current rustc emits;
# .tools/node_modules/.bin is put first on PATH.

BINARYEN_VERSION=132.0.0
WEB_TOOLS_DIR="${WEB_TOOLS_DIR:-$PWD/.tools}"
export PATH="$WEB_TOOLS_DIR/node_modules/.bin:$HOME/.cargo/bin:$PATH"

web_step() { printf '\n== %s ==\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@"
}

# The wasm-bindgen version Cargo.lock pins (the runner must match it exactly).
locked_wasm_bindgen() {
    awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_wasm_opt() {
    if ! wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
        if ! command -v npm >/dev/null; then
            apt_install nodejs npm
        fi
        echo "installing binaryen@$BINARYEN_VERSION (wasm-opt) into $WEB_TOOLS_DIR"
        mkdir -p "$WEB_TOOLS_DIR"
        npm install --prefix "$WEB_TOOLS_DIR" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
    fi
    wasm-opt --version
}

# The component tests run through wasm-bindgen's test runner (see
# .cargo/config.toml), which only the CLI package provides.
ensure_test_runner() {
    local want have
    want=$(locked_wasm_bindgen)
    if [ -z "$want" ]; then
        echo "no wasm-bindgen in Cargo.lock" >&2
        return 1
    fi
    have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
    if [ "$have" != "$want" ] || ! command -v wasm-bindgen-test-runner >/dev/null; then
        # Not --locked: a locked dependency of the CLI is gone from the
        # registry.
        echo "installing wasm-bindgen-cli $want (for wasm-bindgen-test-runner)"
        cargo install wasm-bindgen-cli --version "$want"
    fi
    wasm-bindgen --version
}

ensure_browser() {
    if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
        apt_install chromium chromium-driver
    fi
    # A Chinese font, so the screenshots of the Chinese pages show the
    # text rather than empty boxes (and its widths are real ones).
    if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
        apt_install fonts-wqy-microhei
    fi
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        apt_install nodejs npm
    fi
    /usr/bin/chromium --version
    /usr/bin/chromedriver --version
}
