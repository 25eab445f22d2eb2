#!/usr/bin/env bash
# Serves the visualizer on http://127.0.0.1:8080, installing what is missing.
# Until the visualizer lands the page is static HTML, served as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${PORT:-8080}"
echo "Serving Strata on http://127.0.0.1:${port}/ (Ctrl-C to stop)"
exec python3 -m http.server "$port" --bind 127.0.0.1
