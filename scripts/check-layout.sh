#!/usr/bin/env bash
# The layout rules of docs/architecture.md, checked: no import circle, no file over 500 lines
# and no function over 60 (UI; Rust functions are clippy's too_many_lines), and the provider
# kind named only where the configuration is parsed and where providers are built.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 scripts/check-imports.py
node scripts/check-size.mjs
kinds=$(grep -rln "ProviderKind::" src-tauri --include=*.rs | grep -v -e '/tests/' -e '/tests\.rs$' \
  | grep -v -e '^src-tauri/core/src/config/' -e '^src-tauri/core/src/providers/mod\.rs$' || true)
if [ -n "$kinds" ]; then
  echo "ProviderKind is matched outside the configuration and providers::provider_for:"
  echo "$kinds"
  exit 1
fi
echo "provider kind check: only config/ and providers/mod.rs name ProviderKind"
