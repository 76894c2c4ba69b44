#!/usr/bin/env bash
# Runs every test of Latchkey. Needs what scripts/install.sh installs.
# Order: cheap checks first, then the one release build, then the end-to-end tests against it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
step() { printf '\n==> [%4d s] %s\n' "$SECONDS" "$*"; }

step "format"
cargo fmt --all -- --check

step "TypeScript type check and UI catalogue tests"
npm run --silent typecheck
node --test ui/tests/

step "layout: no import circle, no file over 500 lines, no UI function over 60, one provider choice"
bash scripts/check-layout.sh

step "UI build (the app embeds ui/dist at compile time, clippy included)"
npm run --silent build

step "clippy (warnings are errors), for the shipped build and the demo build"
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy -p latchkey -p latchkey-core --all-targets --features latchkey/demo --locked -- -D warnings

step "core tests: unit, sign-in against oidc-provider, OS keyring (in a fresh session keyring)"
keyctl session - cargo test -p latchkey-core --locked

step "sandbox tenant: every endpoint over loopback HTTP, and the contract suite against the vendors' specs"
# The contract suite (src-tauri/sandbox/tests/contract/) prints one coverage line per vendor.
cargo test -p latchkey-contract -p latchkey-sandbox --locked

step "the shipped package: a .deb without the sandbox, installed with dpkg -i, checked, removed"
CI=true npx tauri build --bundles deb
./tests/deb.sh
# The shipped binary, kept for tests/e2e/tests/shipped.rs before the demo build replaces it.
mkdir -p target/shipped
cp target/release/latchkey target/shipped/latchkey

step "the Tauri layer on the mock runtime: every command through IPC, the shipped identity"
# In release, right after the shipped build, so the GTK/WebKit stack is compiled once, not
# again in debug. The demo build's identity is checked end to end: the e2e tests find its
# keyring entry.
cargo test --release -p latchkey --lib --locked

step "release build of the app with the embedded sandbox (once for all end-to-end tests)"
# With the demo build's own identity (tauri.demo.conf.json), as scripts/run.sh builds it.
CI=true npx tauri build --no-bundle --features demo --config tauri.demo.conf.json

step "end-to-end tests: the demo release binary through WebDriver, and the shipped binary by keystrokes, under Xvfb"
# A fresh session keyring, shared by the tests and the app they start (keep_refresh_token).
keyctl session - xvfb-run -a --server-args="-screen 0 1280x800x24" \
  cargo test -p latchkey-e2e --locked -- --test-threads=1
