#!/usr/bin/env bash
# Builds the release app (incrementally) and opens it. Extra arguments go to latchkey;
# without any, it opens on the example sandbox configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
CI=true npx tauri build --no-bundle
[ "$#" -gt 0 ] || set -- --config examples/sandbox.toml
exec ./target/release/latchkey "$@"
