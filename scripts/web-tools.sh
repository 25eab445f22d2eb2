#!/usr/bin/env bash
# Installs what building and testing the visualizer needs, when missing.
# Sourced by scripts/serve.sh and .ci/web-tests.sh (bash, from the
# repository root). Versions: docs in Trunk.toml and web/Cargo.toml.
#
#   ensure_web_tools   wasm32 target, trunk, wasm-bindgen-cli, wasm-opt
#   ensure_browser     Chromium and chromedriver (Debian packages)
#
# wasm-opt comes from npm's binaryen@132 into .tools/ (Debian's binaryen is
# too old for what current rustc emits); .tools/node_modules/.bin is put
# first on PATH.

TRUNK_VERSION=0.21.14
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

# The wasm-bindgen version Cargo.lock pins (the CLI must match it exactly).
locked_wasm_bindgen() {
    awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_web_tools() {
    local started=$SECONDS
    rustup target add wasm32-unknown-unknown >/dev/null

    if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
        echo "installing trunk $TRUNK_VERSION (about 15 minutes on 2 cores)"
        cargo install --locked "trunk@$TRUNK_VERSION"
    fi
    trunk --version

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
        echo "installing wasm-bindgen-cli $want"
        cargo install wasm-bindgen-cli --version "$want"
    fi
    wasm-bindgen --version

    if ! wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
        if ! command -v npm >/dev/null; then
            apt_install nodejs npm
        fi
        echo "installing binaryen@$BINARYEN_VERSION (wasm-opt) into $WEB_TOOLS_DIR"
        mkdir -p "$WEB_TOOLS_DIR"
        npm install --prefix "$WEB_TOOLS_DIR" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
    fi
    wasm-opt --version
    echo "web tools ready in $((SECONDS - started))s"
}

ensure_browser() {
    if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
        apt_install chromium chromium-driver
    fi
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        apt_install nodejs npm
    fi
    /usr/bin/chromium --version
    /usr/bin/chromedriver --version
}
