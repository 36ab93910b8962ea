#!/usr/bin/env bash
# Build benchmark: `deling build` against Hugo (Debian's `hugo`) on the same synthetic records,
# side by side in one run, on 1,000 and 10,000 records; then the time from saving a record to
# the reload message in `deling serve` on the 10,000-record site.
#
#   generator/bench/build.sh [work dir]      (needs hyperfine, hugo, python3, /usr/bin/time)
#
# Every build writes into an empty folder, first on the work dir's disk, then on tmpfs
# (/dev/shm, if there is one), which shows the tools' own speed without the disk. Hugo builds
# the same pages with related content, as Deling's pages have, and without it (cheaper for
# Hugo). RUNS sets the runs per measurement (default 5; 2 for Hugo with related content,
# which takes a minute per build on 10,000 records).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-$(mktemp -d)}
runs=${RUNS:-5}
for tool in hyperfine hugo python3 /usr/bin/time curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install hyperfine hugo time curl)"; exit 1; }
done
cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
deling="$repo/target/release/deling"
echo "$(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GB; hugo $(hugo version | cut -d' ' -f2); work dir on $(df -T "$work" | awk 'NR==2 {print $2}')"

# Median peak RSS in MB over $1 runs of a command that writes to $out.
peak_mb() {
  local n=$1; shift
  for _ in $(seq "$n"); do
    rm -rf "$out"
    /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1
  done | sort -n | awk '{a[NR]=$1} END {printf "%.0f", a[int((NR+1)/2)] / 1024}'
}

median() { # name in a hyperfine export
  python3 -c "import json,sys; r=[x for x in json.load(open(sys.argv[1]))['results'] if x['command']==sys.argv[2]][0]; print(f\"{r['median']:.2f} (±{r['stddev'] or 0:.2f})\")" "$1" "$2"
}

for n in 1000 10000; do
  site="$work/deling-$n" hugo_site="$work/hugo-$n"
  "$deling" dev synth --records "$n" --out "$site" --hugo "$hugo_site" --root "$repo" 2>/dev/null
  rm -rf "$hugo_site-norelated" && cp -r "$hugo_site" "$hugo_site-norelated"
  python3 - "$hugo_site-norelated/layouts/_default/single.html" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
open(p, "w").write(re.sub(r"  \{\{- \$related.*?\{\{- end \}\}\n", "", s, flags=re.S))
PY
done

storages=("$work")
[ -d /dev/shm ] && storages+=("/dev/shm/deling-bench")
for base in "${storages[@]}"; do
  mkdir -p "$base"
  out="$base/out"
  echo
  echo "Output on $(df -T "$base" | awk 'NR==2 {print $2}') ($base):"
  echo
  echo "| records | tool | median wall, s (± sd) | peak memory, MB | Hugo ÷ Deling (wall) |"
  echo "| --- | --- | --- | --- | --- |"
  for n in 1000 10000; do
    site="$work/deling-$n" hugo_site="$work/hugo-$n"
    json="$base/build-$n.json"
    hyperfine --runs "$runs" --warmup 1 --export-json "$json.a" --style none --prepare "rm -rf $out" \
      -n deling "$deling build --root $site --output $out" \
      -n hugo-without-related "hugo --quiet --source $hugo_site-norelated --destination $out" >/dev/null 2>&1
    hyperfine --runs 2 --export-json "$json.b" --style none --prepare "rm -rf $out" \
      -n hugo "hugo --quiet --source $hugo_site --destination $out" >/dev/null 2>&1
    ours=$(python3 -c "import json,sys; print([x for x in json.load(open(sys.argv[1]))['results'] if x['command']=='deling'][0]['median'])" "$json.a")
    for name in deling hugo-without-related hugo; do
      file="$json.a"; [ "$name" = hugo ] && file="$json.b"
      theirs=$(python3 -c "import json,sys; print([x for x in json.load(open(sys.argv[1]))['results'] if x['command']==sys.argv[2]][0]['median'])" "$file" "$name")
      case $name in
        deling) mem=$(peak_mb 3 "$deling" build --root "$site" --output "$out"); ratio="–" ;;
        hugo-without-related) mem=$(peak_mb 3 hugo --quiet --source "$hugo_site-norelated" --destination "$out") ;;
        hugo) mem=$(peak_mb 1 hugo --quiet --source "$hugo_site" --destination "$out") ;;
      esac
      [ "$name" != deling ] && ratio=$(python3 -c "print(f'{$theirs / $ours:.1f}×')")
      echo "| $n | $name | $(median "$file" "$name") | $mem | $ratio |"
    done
  done
  rm -rf "$out"
done

echo
echo "Save to reload message, deling serve on 10,000 records:"
port=11999
"$deling" serve --root "$work/deling-10000" --port "$port" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
until curl -sf "http://127.0.0.1:$port/" >/dev/null; do sleep 0.2; done
record=$(cd "$work/deling-10000" && find content/nettverk -path "*/erfaringer/*.md" -print -quit)
python3 "$repo/generator/bench/reload-latency.py" "$work/deling-10000" "$port" "$record" 15
