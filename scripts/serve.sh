#!/usr/bin/env bash
# Serves the visualizer and the chapters on http://127.0.0.1:8080/
# (Ctrl-C to stop; PORT=… picks another port).
#
# Needs only Rust through rustup: `strata-site` (site/) adds the wasm32
# target when it is missing, compiles the app, writes its JavaScript glue
# with the wasm-bindgen library at Cargo.lock's version, and serves dist/.
# Serving skips wasm-opt (it would add seconds to every start); pass
# --wasm-opt to run one of binaryen 132 or newer from PATH or .tools/.
# Extra arguments go to `strata-site serve` (`cargo run -p strata-site --
# help` lists them).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
echo "building the site tool, then the visualizer (the first time takes a few minutes)"
exec cargo run -p strata-site -- serve "$@"
