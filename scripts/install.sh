#!/usr/bin/env bash
# Installs what Latchkey needs to build, run and test on Debian 12 (as root, or with sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# WebKitGTK for the window, Xvfb for headless runs, WebKitWebDriver for the end-to-end tests.
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  libwebkit2gtk-4.1-dev build-essential pkg-config curl file \
  xvfb xauth x11-apps webkit2gtk-driver keyutils iproute2 desktop-file-utils dbus ca-certificates >/dev/null

# Node packages exactly as locked: the UI's, and the test OpenID Provider's (with its own Node 22).
npm ci --no-audit --no-fund
npm ci --no-audit --no-fund --prefix tests/oidc

# tauri-driver bridges WebDriver to WebKitWebDriver for the end-to-end tests.
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v tauri-driver >/dev/null; then
  cargo install tauri-driver --locked --version 2.1.0
fi

# Rust crates exactly as locked.
cargo fetch --locked
