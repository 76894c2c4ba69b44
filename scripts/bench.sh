#!/usr/bin/env bash
# Benchmarks, not tests: Latchkey against a bare Tauri app built the same way (same Tauri, same
# release profile, same bundler), in one run, as ratios; and the offline verdict in each network
# fault. Writes docs/benchmarks.md. Needs what scripts/install.sh installs, root (for the network
# namespaces) and about 10 minutes. Usage: bash scripts/bench.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$HOME/.cargo/bin:$PATH"
runs=${1:-5}
out=docs/benchmarks.md
bare=target/bench/bare-app

echo "==> the shipped Latchkey (no sandbox) and its .deb"
CI=true npx tauri build --bundles deb >/dev/null

echo "==> a bare Tauri app, built the same way"
rm -rf "$bare"
mkdir -p "$bare/src" "$bare/dist"
cat > "$bare/Cargo.toml" <<EOF
[package]
name = "bare"
version = "0.1.0"
edition = "2021"

[build-dependencies]
tauri-build = { version = "2.7", features = [] }

[dependencies]
tauri = { version = "2.12", features = [] }

[workspace]

$(sed -n '/^\[profile.release\]/,/^$/p' Cargo.toml)
EOF
cat > "$bare/build.rs" <<'EOF'
fn main() {
    tauri_build::build()
}
EOF
cat > "$bare/src/main.rs" <<'EOF'
fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .expect("the bare app runs");
}
EOF
cat > "$bare/dist/index.html" <<'EOF'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bare</title></head>
<body><h1 id="ready">A bare Tauri app</h1></body></html>
EOF
cat > "$bare/tauri.conf.json" <<'EOF'
{
  "productName": "bare",
  "version": "0.1.0",
  "identifier": "org.latchkey.bench.bare",
  "build": { "frontendDist": "dist" },
  "app": { "windows": [{ "title": "Bare", "width": 760, "height": 700 }] },
  "bundle": { "active": true, "targets": ["deb"], "icon": ["icons/32x32.png", "icons/128x128.png", "icons/128x128@2x.png", "icons/icon.png"] }
}
EOF
cp -r icons "$bare/icons"
cp Cargo.lock "$bare/Cargo.lock"
(cd "$bare" && CI=true CARGO_TARGET_DIR="$root/target" "$root/node_modules/.bin/tauri" build --bundles deb >/dev/null)

echo "==> start-up and memory ($runs runs each, under Xvfb)"
cargo build -q -p latchkey-e2e --bin bench
table=$(xvfb-run -a --server-args="-screen 0 1280x800x24" target/debug/bench "$root/target/release/bare" "$runs")

echo "==> offline verdict in network namespaces"
cargo build -q --release -p latchkey-core --bin latchkey-reachability
probe=$root/target/release/latchkey-reachability
ns=lkb$$
cleanup() {
  ip netns delete "${ns}c" 2>/dev/null || true
  ip netns delete "${ns}p" 2>/dev/null || true
  rm -rf "/etc/netns/${ns}c"
  kill "${server:-0}" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "${ns}c"
ip netns add "${ns}p"
ip -n "${ns}c" link set lo up
ip -n "${ns}p" link set lo up
verdict() { # URL -> "verdict ms" (median of 3)
  local ms=() v=""
  for _ in 1 2 3; do
    read -r v m < <(ip netns exec "${ns}c" "$probe" check "$1" | sed -E 's/.*"elapsed_ms":([0-9]+).*"verdict":"([a-z_]+)".*/\2 \1/')
    ms+=("$m")
  done
  printf '%s %s\n' "$v" "$(printf '%s\n' "${ms[@]}" | sort -n | sed -n 2p)"
}
read -r v1 t1 < <(verdict "http://10.214.0.2:8080/")
ip link add "${ns}a" netns "${ns}c" type veth peer name "${ns}b" netns "${ns}p"
ip -n "${ns}c" addr add 10.214.1.1/24 dev "${ns}a"
ip -n "${ns}p" addr add 10.214.1.2/24 dev "${ns}b"
ip -n "${ns}c" link set "${ns}a" up
ip -n "${ns}p" link set "${ns}b" up
read -r v2 t2 < <(verdict "http://10.214.1.99:8080/")
mkdir -p "/etc/netns/${ns}c"
printf 'nameserver 10.214.1.99\noptions timeout:5 attempts:3\n' > "/etc/netns/${ns}c/resolv.conf"
read -r v3 t3 < <(verdict "http://provider.latchkey.test:8080/")
ip netns exec "${ns}p" "$probe" serve-silent 10.214.1.2:8080 > /dev/null &
server=$!
sleep 0.3
read -r v4 t4 < <(verdict "http://10.214.1.2:8080/")

bin_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
{
  echo "# Benchmarks"
  echo
  echo "Made by \`bash scripts/bench.sh $runs\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(uname -sr), Xvfb)."
  echo "Both apps are release builds with the same Tauri, the same \`[profile.release]\` and the same"
  echo "bundler; Latchkey is the shipped build (no sandbox). Start-up is from asking tauri-driver for a"
  echo "session (which starts the app) to the first screen one can use: for Latchkey, \`--forgot-password\`"
  echo "showing its username form (online, against a sandbox tenant on loopback) or the offline screen"
  echo "(nothing listening at the provider's address); for the bare app, its page. Memory is the resident"
  echo "memory of the app and the WebKit processes it started, 1.5 s after that screen. Targets: start-up"
  echo "and memory within 1.15× the bare app; an offline verdict within 1 s."
  echo
  echo "$table"
  echo
  echo "## Offline verdict (network namespaces made by the script; median of 3)"
  echo
  echo "| fault | verdict | time (ms) |"
  echo "|---|---|---|"
  echo "| no route (a namespace with no link) | $v1 | $t1 |"
  echo "| packets silently dropped (an on-link address nobody has) | $v2 | $t2 |"
  echo "| DNS that never answers | $v3 | $t3 |"
  echo "| the provider accepts TCP but never answers HTTP | $v4 | $t4 |"
} > "$out"
cat "$out"
