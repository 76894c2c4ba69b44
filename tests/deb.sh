#!/usr/bin/env bash
# Installs the .deb built by the Tauri bundler on this machine (root), checks what it installs,
# and removes it again. Prints one "N passed, M failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
deb=$(ls -t target/release/bundle/deb/*.deb 2>/dev/null | head -n 1)
passed=0
failed=0
check() {
  local what=$1
  shift
  if "$@" >/dev/null 2>&1; then
    passed=$((passed + 1))
    echo "ok - $what"
  else
    failed=$((failed + 1))
    echo "not ok - $what"
  fi
}
check "a .deb was built" test -n "$deb"
if [ -n "$deb" ]; then
  echo "package: $deb ($(stat -c %s "$deb") bytes)"
  dpkg -r latchkey >/dev/null 2>&1 || true
  check "dpkg -i installs it" dpkg -i "$deb"
  check "latchkey is on the PATH at /usr/bin" test "$(command -v latchkey)" = /usr/bin/latchkey
  check "latchkey --version answers without a display" \
    bash -c 'env -u DISPLAY -u WAYLAND_DISPLAY latchkey --version | grep -qx "latchkey [0-9.]*"'
  check "the shipped binary has no --demo" bash -c 'latchkey --demo >/dev/null 2>&1; test $? -eq 2 && ! latchkey --help | grep -q -- --demo'
  check "--demo says the demo is a separate build" bash -c 'latchkey --demo 2>&1 >/dev/null | grep -q "only in demo builds"'
  check "the shipped binary has the shipped identity, not the demo build's" \
    bash -c 'grep -aq "org\.latchkey\.desktop" /usr/bin/latchkey && ! grep -aq "org\.latchkey\.desktop\.demo" /usr/bin/latchkey'
  for entry in /usr/share/applications/latchkey-forgot-password.desktop \
    /usr/share/applications/latchkey-url-handler.desktop \
    /etc/xdg/autostart/latchkey-onboarding.desktop \
    /etc/xdg/autostart/latchkey-expiry-reminder.desktop; do
    check "$entry is installed and valid" desktop-file-validate "$entry"
  done
  check "the app's own desktop entry is installed" bash -c 'ls /usr/share/applications/ | grep -qi "^latchkey.desktop$"'
  check "Forgot password runs --forgot-password" grep -qx "Exec=latchkey --forgot-password" /usr/share/applications/latchkey-forgot-password.desktop
  check "the autostart entry runs --onboarding" grep -qx "Exec=latchkey --onboarding" /etc/xdg/autostart/latchkey-onboarding.desktop
  check "the reminder entry runs --remind-expiry" grep -qx "Exec=latchkey --remind-expiry" /etc/xdg/autostart/latchkey-expiry-reminder.desktop
  check "latchkey:// is handled" grep -q "MimeType=x-scheme-handler/latchkey;" /usr/share/applications/latchkey-url-handler.desktop
  for example in okta entra; do
    check "example $example.toml ships" test -s "/usr/share/latchkey/examples/$example.toml"
  done
  # The sandbox's configuration is for demo builds only: the shipped build cannot use it.
  check "no sandbox example ships" bash -c '! ls /usr/share/latchkey/examples/ | grep -qi sandbox'
  check "dpkg -r removes it" dpkg -r latchkey
  check "nothing is left behind" bash -c '! test -e /usr/bin/latchkey && ! test -e /etc/xdg/autostart/latchkey-onboarding.desktop'
fi
echo "deb: $passed passed, $failed failed"
test "$failed" -eq 0
