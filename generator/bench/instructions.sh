#!/usr/bin/env bash
# Instructions a build executes, counted by callgrind, for comparing builds that differ by a few
# per cent. Wall and CPU time cannot show that on a shared 2-core machine: the same 10,000-record
# build took 6.7 to 9.3 CPU-seconds from run to run. Two callgrind counts of one binary in one run
# of this script differed by 0.07 %, and across runs by up to 0.4 %, so compare binaries within one
# run. This measures work, not speed: it does not see memory stalls, page faults or the kernel, so
# a speed claim still needs hyperfine (build.sh).
#
#   generator/bench/instructions.sh [--records N] [--only FUNCTION] [BINARY...]   (needs valgrind)
#
# Builds one synthetic site of N records (default 1,000) with each BINARY (default: this
# checkout's release build), two at a time under valgrind (about 90 s each at 1,000 records),
# and prints each binary's instructions and the change from the first. With --only, counts only
# inside the functions FUNCTION matches (callgrind's --toggle-collect, `*` a wildcard): page
# rendering is `--only 'deling::render::pages::render*'`. At 1,000 records over half of a whole
# build is the first answers, whose number does not grow with the site.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
records=1000
only=()
while [ $# -gt 0 ]; do
  case $1 in
    --records) records=$2; shift 2 ;;
    --only) only=(--toggle-collect="$2"); shift 2 ;;
    *) break ;;
  esac
done
command -v valgrind >/dev/null || { echo "missing valgrind (apt-get install valgrind)"; exit 1; }
if [ $# -eq 0 ]; then
  cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
  set -- "$repo/target/release/deling"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$1" dev synth --records "$records" --out "$work/site" --root "$repo" >/dev/null 2>"$work/synth.log" ||
  { echo "$1 dev synth failed:"; cat "$work/synth.log"; exit 1; }

# Instructions of one build of the site with binary $1, into output folder $2; nothing if the
# build failed.
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null --log-file="$2.log" "${only[@]}" \
    "$1" build --root "$work/site" --output "$2" >/dev/null 2>&1 || return 0
  sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p' "$2.log"
}

i=0
for binary in "$@"; do
  i=$((i + 1))
  count "$binary" "$work/out-$i" >"$work/count-$i" &
  # Two at a time: callgrind runs a build on one core.
  [ $((i % 2)) -eq 0 ] && wait
done
wait

i=0
for binary in "$@"; do
  i=$((i + 1))
  [ -s "$work/count-$i" ] || { echo "no count for $binary: its build failed under valgrind (run it without)"; exit 1; }
done

echo "| binary | instructions, $records records${only:+, only ${only#--toggle-collect=}} | change |"
echo "| --- | ---: | ---: |"
i=0
for binary in "$@"; do
  i=$((i + 1))
  python3 - "$binary" "$(cat "$work/count-$i")" "$(cat "$work/count-1")" <<'PY'
import sys
binary, n, first = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
print(f"| {binary} | {n / 1e9:.3f} G | {100 * (n - first) / first:+.2f} % |")
PY
done
