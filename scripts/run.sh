#!/usr/bin/env bash
# Builds the release app with the embedded sandbox tenant (incrementally) and opens it. Extra
# arguments go to latchkey; without any, it opens in demo mode on the sandbox tenant.
# The demo build has its own identity (tauri.demo.conf.json): its single-instance lock, data
# folders and keyring entry never mix with an installed Latchkey's.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
CI=true npx tauri build --no-bundle --features demo --config tauri.demo.conf.json
[ "$#" -gt 0 ] || set -- --demo
exec ./target/release/latchkey "$@"
