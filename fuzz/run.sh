#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 10) and prints executions per target.
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`); without them it
# says so and exits 0, so CI without nightly still passes (the message says what was not run).
# A crash, a timeout (10 s per input) or more than 2 GB RSS fails the run; the input that
# caused it is left in fuzz/artifacts/<target>/ and belongs in a regression test.
#
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
# Env:   FUZZ_LOG=FILE  also append the per-target summary lines to FILE
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-10}"
shift || true
if ! cargo +nightly --version > /dev/null 2>&1; then
  echo "fuzz: SKIPPED (no nightly toolchain: rustup toolchain install nightly)"
  exit 0
fi
if ! cargo +nightly fuzz --version > /dev/null 2>&1; then
  echo "fuzz: SKIPPED (cargo-fuzz missing: cargo install cargo-fuzz)"
  exit 0
fi
targets=("$@")
[ ${#targets[@]} -eq 0 ] && mapfile -t targets < <(cargo +nightly fuzz list)
[ -d corpus ] || python3 seeds.py
cargo +nightly fuzz build -O > build.log 2>&1 || { tail -30 build.log; echo "fuzz: FAILED (build, fuzz/build.log)"; exit 1; }
status=0
summary=()
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  log="artifacts/$t.log"
  mkdir -p artifacts
  if cargo +nightly fuzz run -O "$t" "corpus/$t" -- -max_total_time="$secs" -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 > "$log" 2>&1; then
    result=ok
  else
    result=FAILED
    status=1
    grep -E "ERROR|panicked|Test unit written" "$log" | head -5 || true
  fi
  execs=$(awk '/stat::number_of_executed_units/ {print $NF}' "$log" | tail -1)
  line="fuzz $t: $result, ${execs:-0} executions in ${secs}s, corpus $(ls "corpus/$t" | wc -l) inputs"
  echo "$line"
  summary+=("$line")
done
if [ -n "${FUZZ_LOG:-}" ]; then
  printf '%s\n' "${summary[@]}" >> "$FUZZ_LOG"
fi
exit "$status"
