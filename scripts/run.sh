#!/usr/bin/env bash
# Builds the release app with the embedded sandbox tenant (incrementally) and opens it. Extra
# arguments go to latchkey; without any, it opens in demo mode on the sandbox tenant.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
CI=true npx tauri build --no-bundle --features demo
[ "$#" -gt 0 ] || set -- --demo
exec ./target/release/latchkey "$@"
