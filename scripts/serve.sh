#!/usr/bin/env bash
# Serves the visualizer on http://127.0.0.1:8080/ (Ctrl-C to stop).
#
# On a fresh machine it first installs what is missing — the wasm32
# target, trunk, the wasm-bindgen CLI matching Cargo.lock, and wasm-opt
# (binaryen 132 from npm, into .tools/) — then fetches the crates and runs
# `trunk serve` on an optimised build (the first build takes a few
# minutes; later ones rebuild what changed). PORT=… picks another port.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/web-tools.sh
source scripts/web-tools.sh

web_step "tools"
ensure_web_tools

web_step "crates"
# Trunk.toml builds offline: everything must be fetched first.
cargo fetch

web_step "serve"
port="${PORT:-8080}"
echo "Strata visualizer: http://127.0.0.1:${port}/"
exec trunk serve --skip-version-check --disable-address-lookup --release --address 127.0.0.1 --port "$port"
