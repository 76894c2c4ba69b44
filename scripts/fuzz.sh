#!/usr/bin/env bash
# Fuzzes latchkey-core's parsers (the targets in fuzz/, docs/fuzzing.md), one target after
# another, one libFuzzer process at a time.
#
#   scripts/fuzz.sh [SECONDS]     every target for SECONDS each (default 60)
#   scripts/fuzz.sh --smoke       every target for a few seconds: for CI
#   FUZZ_TARGETS="config launch" scripts/fuzz.sh 600     only those targets
#   FUZZ_RUNS=1000000 scripts/fuzz.sh 900   stop a target at that many runs (or SECONDS)
#
# Works on the stable toolchain: RUSTC_BOOTSTRAP=1 lets it take cargo-fuzz's -Z flags, and
# `-s none` needs no sanitizer runtime (the targets are safe Rust: the property is "no panic",
# and overflow checks are on through `-a`). FUZZ_SANITIZER=address turns ASan on where the
# toolchain ships its runtime. Corpora grow in fuzz/corpus/ (not in git), seeded from
# fuzz/seeds/; a crash leaves its input in fuzz/artifacts/<target>/ and fails the run.
set -euo pipefail

cd "$(dirname "$0")/../fuzz"

seconds=60
case "${1:-}" in
  --smoke) seconds=5 ;;
  '') ;;
  *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS | --smoke]" >&2; exit 2 ;;
  *) seconds=$1 ;;
esac

# libfuzzer-sys compiles libFuzzer from C++.
if ! command -v c++ >/dev/null && ! command -v g++ >/dev/null && ! command -v clang++ >/dev/null; then
  echo "fuzz.sh: no C++ compiler; on Debian: apt-get install g++" >&2
  exit 1
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz.sh: installing cargo-fuzz from crates.io"
  cargo install cargo-fuzz --locked
fi

export RUSTC_BOOTSTRAP=1
sanitizer=${FUZZ_SANITIZER:-none}
flags=(-s "$sanitizer" -a)

start=$(date +%s)
cargo fuzz build "${flags[@]}"
echo "fuzz.sh: built in $(($(date +%s) - start)) s"

bin=target/$(rustc -vV | sed -n 's/^host: //p')/release
targets=${FUZZ_TARGETS:-$(cargo fuzz list)}
logs=target/fuzz-logs
mkdir -p "$logs"
runs=()
[[ -n ${FUZZ_RUNS:-} ]] && runs=("-runs=$FUZZ_RUNS")

failed=()
printf '%-18s %12s %10s %8s %s\n' target executions exec/s corpus result
for t in $targets; do
  mkdir -p "corpus/$t"
  dirs=("corpus/$t")
  [[ -d seeds/$t ]] && dirs+=("seeds/$t")
  result=ok
  mkdir -p "artifacts/$t"
  # The binary `cargo fuzz build` made, run as `cargo fuzz run` would, without its rebuild: every
  # target fuzzes the same build even if the sources change meanwhile.
  if ! "$bin/$t" -artifact_prefix="artifacts/$t/" -max_total_time="$seconds" \
      -print_final_stats=1 "${runs[@]}" "${dirs[@]}" >"$logs/$t.log" 2>&1; then
    result="CRASH (see fuzz/$logs/$t.log, fuzz/artifacts/$t/)"
    failed+=("$t")
  fi
  # libFuzzer's closing lines: `stat::number_of_executed_units: N`, `stat::average_exec_per_sec: N`
  # and `#N DONE … corp: UNITS/SIZE …` (absent after a crash: then the last status line counts).
  execs=$(grep -a '^stat::number_of_executed_units:' "$logs/$t.log" | awk '{print $2}' | tail -1)
  rate=$(grep -a '^stat::average_exec_per_sec:' "$logs/$t.log" | awk '{print $2}' | tail -1)
  corpus=$(grep -aoE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$logs/$t.log" | tail -1 | cut -d' ' -f2)
  printf '%-18s %12s %10s %8s %s\n' "$t" "${execs:-?}" "${rate:-?}" "${corpus:-?}" "$result"
done

echo "fuzz.sh: $(($(date +%s) - start)) s in all"
if ((${#failed[@]})); then
  echo "fuzz.sh: crashes in: ${failed[*]}" >&2
  exit 1
fi
