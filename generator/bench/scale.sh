#!/usr/bin/env bash
# How `deling build` scales with the number of records: wall time, peak memory, output size and
# the time of each phase (`build --timings`), one row per size, on the synthetic corpus
# (`deling dev synth`). Issue 16 asks for 100,000 records in <= 30 s and <= 2 GB on 2 cores.
#
#   generator/bench/scale.sh [deling binary]      (needs /usr/bin/time, python3)
#
# Without a binary it builds target/release/deling first (CARGO_BUILD_JOBS=1 on a shared
# machine is kind). SIZES sets the record counts (default "1000 10000 30000 100000"); WORK the
# folder in which a new folder for the corpora and outputs is made (default /dev/shm, tmpfs, so
# the disk is not measured); that new folder is removed at the end, WORK itself never. BYTES=1
# also prints bytes per record by page type (generator/bench/bytes-by-type.py) for each size.
# ARTIFACT=1 also measures the Pages artifact: the output as a tar, gzipped, about what
# actions/upload-pages-artifact@v3 uploads (it zips the tar with upload-artifact@v4's default
# compression) and what actions/deploy-pages compares with its "1 GB", 1,073,741,824 bytes.
# GitHub documents 1 GB as the most a published site may hold: the output column, in MB of
# 10^6 bytes. pages.yml adds the open pull requests' previews, each a whole site, to both.
# Each size is built once, into an empty folder.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
if [ $# -ge 1 ]; then
  deling=$(realpath "$1")
else
  cargo build --release --quiet -p deling --manifest-path "$repo/Cargo.toml"
  deling="$repo/target/release/deling"
fi
command -v /usr/bin/time >/dev/null || { echo "missing /usr/bin/time (apt-get install time)"; exit 1; }
sizes=${SIZES:-"1000 10000 30000 100000"}
shm=/dev/shm; [ -d "$shm" ] || shm=${TMPDIR:-/tmp}
# Only a folder this script made is removed: a WORK given is kept, with a new folder inside it.
work=$(mktemp -d "${WORK:-$shm}/deling-scale.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "$(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GB; $("$deling" --version); output on $(df -T "$work" | awk 'NR==2 {print $2}')"
echo

rows=()
phases=""
for n in $sizes; do
  site="$work/site-$n" out="$work/out-$n"
  "$deling" dev synth --records "$n" --out "$site" --root "$repo" >/dev/null 2>&1
  log="$work/build-$n.log"
  /usr/bin/time -f 'wall=%e rss=%M' "$deling" build --timings --root "$site" --output "$out" >/dev/null 2>"$log"
  wall=$(sed -n 's/.*wall=\([0-9.]*\).*/\1/p' "$log")
  rss=$(sed -n 's/.*rss=\([0-9]*\).*/\1/p' "$log")
  timings=$(grep '^timings ' "$log" | head -1 | cut -d' ' -f2-)
  [ -z "$phases" ] && phases=$(echo "$timings" | tr ' ' '\n' | cut -d= -f1 | tr '\n' ' ')
  bytes=$(du -sb "$out" | cut -f1)
  files=$(find "$out" -type f | wc -l)
  artifact=""
  if [ "${ARTIFACT:-0}" = 1 ]; then
    artifact=" $(($(tar -C "$out" -cf - . | gzip -6 | wc -c) / 1000000)) |"
  fi
  cells=""
  for p in $phases; do
    cells+=" $(echo "$timings" | tr ' ' '\n' | sed -n "s/^$p=//p") |"
  done
  rows+=("| $n | $wall | $((rss / 1024)) | $((bytes / 1000000)) | $files | $((bytes / n)) |$artifact$cells")
  if [ "${BYTES:-0}" = 1 ]; then
    python3 "$repo/generator/bench/bytes-by-type.py" "$out" "$n"
    echo
  fi
  rm -rf "$site" "$out"
done

header="| records | wall, s | peak memory, MiB | output, MB | files | bytes per record |"
rule="| ---: | ---: | ---: | ---: | ---: | ---: |"
if [ "${ARTIFACT:-0}" = 1 ]; then header+=" artifact (tar.gz), MB |"; rule+=" ---: |"; fi
for p in $phases; do header+=" $p, s |"; rule+=" ---: |"; done
echo "$header"
echo "$rule"
printf '%s\n' "${rows[@]}"
