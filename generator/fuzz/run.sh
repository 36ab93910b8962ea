#!/usr/bin/env bash
# Runs every fuzz target for a bounded time: generator/fuzz/run.sh [seconds-per-target] (60).
# Fails on any crash (a panic), hang (one input taking over 10 s) or memory blow-up (2 GiB), and
# prints the input that caused it. New interesting inputs collect in corpus/<target>/ (ignored by
# Git), so later runs start where earlier ones stopped; seeds/<target>/ are the committed starts.
#
# `run.sh check` only compiles the targets against today's code (type-checks, no fuzzing build):
# .ci/run does that on every change so they never rot; the fuzzing itself runs nightly in the
# Fuzz workflow (.github/workflows/fuzz.yml), or by hand.
#
# cargo-fuzz needs nightly-only compiler flags (-Z sanitizer, sanitizer coverage). CI has only
# the stable toolchain, so the build runs on stable with RUSTC_BOOTSTRAP=1, which unlocks them.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${1:-60}"
targets=(front_matter markdown query)

# The workspace's lock file, so the fuzzed code builds with the dependency versions that ship;
# cargo adds only libFuzzer's own crates to this copy (ignored by Git).
[ Cargo.lock -nt ../../Cargo.lock ] || cp ../../Cargo.lock Cargo.lock

if [ "$seconds" = check ]; then
  # No instrumentation, no code generation and no libFuzzer (C++): seconds, not the minutes of
  # a fuzzing build. In the workspace's target folder, with its lock file and patches, so the
  # dependencies `cargo clippy` already checked are not checked again.
  CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-../../target}" cargo check --quiet --bins --no-default-features
  echo "the fuzz targets (${targets[*]}) compile against today's code"
  exit 0
fi
# Stable, even where a nightly is installed: this must work where CI runs it.
export RUSTUP_TOOLCHAIN="${RUSTUP_TOOLCHAIN:-stable}"
export RUSTC_BOOTSTRAP=1
# AddressSanitizer, cargo-fuzz's default, works this way too; debug assertions and overflow
# checks are on (cargo-fuzz's default), so arithmetic slips panic instead of wrapping.
flags=(--sanitizer address)

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz"
  cargo install cargo-fuzz --locked --version 0.13.2
fi
cargo fuzz build "${flags[@]}"

# One of libFuzzer's closing statistics (-print_final_stats=1) from a target's log.
final_stat() {
  grep -oE "stat::$2:[[:space:]]+[0-9]+" "logs/$1.log" | grep -oE '[0-9]+$' || echo '?'
}

mkdir -p logs
failed=()
summary=()
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  dict=()
  [ -f "dictionaries/$target.dict" ] && dict=("-dict=dictionaries/$target.dict")
  echo "== fuzzing $target for ${seconds}s"
  # corpus/ first: libFuzzer writes new inputs to the first folder only, never to seeds/.
  if cargo fuzz run "${flags[@]}" "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    "${dict[@]}" >"logs/$target.log" 2>&1; then
    status=ok
  else
    status=FAILED
    failed+=("$target")
    # libFuzzer's report from the first sign of trouble: the panic or timeout, its stack, the
    # saved input; without progress lines and the recommended dictionary.
    awk '/panicked at|ERROR:|ALARM:|ParseDictionary|^error/ { on = 1 } on' "logs/$target.log" |
      grep -Ev '^#[0-9]|# Uses:|Recommended dictionary|^\s*[0-9]+: ' |
      cut -c 1-200 | head -n 40 || true
  fi
  # The last status line says runs, coverage (cov: edges, ft: features) and corpus size.
  last=$(grep -E '^#[0-9]+' "logs/$target.log" | tail -n 1 || true)
  runs=$(final_stat "$target" number_of_executed_units)
  rate=$(final_stat "$target" average_exec_per_sec)
  summary+=("$(printf '%-13s %-7s %10s runs %7s/s  %s' "$target" "$status" "$runs" "$rate" \
    "$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*' <<<"$last" || true)")")
done

echo "== fuzzing summary (${seconds}s per target; full logs in generator/fuzz/logs/)"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  for target in "${failed[@]}"; do
    echo "FAILED: $target; input saved as:"
    { ls -t "artifacts/$target"/* 2>/dev/null || true; } | head -n 3 | sed 's|^|  generator/fuzz/|'
    echo "  reproduce: (cd generator/fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run ${flags[*]} $target <input>)"
  done
  exit 1
fi
