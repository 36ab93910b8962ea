#!/usr/bin/env bash
# Build benchmark: `deling build` against Hugo (Debian's `hugo`) on the same synthetic records,
# side by side in one run, on 1,000 and 10,000 records; then the time from saving a record to
# the reload message in `deling serve` on the 10,000-record site.
#
#   generator/bench/build.sh [work dir]      (needs hyperfine, hugo, python3, /usr/bin/time)
#
# Every build writes into an empty folder. Hugo builds two variants of the same pages: with
# related content (Deling's pages list related records) and without (the cheaper variant).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-$(mktemp -d)}
runs=${RUNS:-5}
for tool in hyperfine hugo python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install hyperfine hugo time)"; exit 1; }
done
cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
deling="$repo/target/release/deling"

peak_mb() { # median peak RSS in MB of three runs of a command
  for _ in 1 2 3; do
    rm -rf "$work/mem-out"
    /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1
  done | sort -n | sed -n 2p | awk '{printf "%.0f", $1 / 1024}'
}

echo "| records | tool | median wall (s) | peak memory (MB) |"
echo "| --- | --- | --- | --- |"
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
  hyperfine --runs "$runs" --warmup 1 --export-json "$work/build-$n.json" --style none \
    --prepare "rm -rf $work/out" \
    -n deling "$deling build --root $site --output $work/out" \
    -n hugo "hugo --quiet --source $hugo_site --destination $work/out" \
    -n hugo-without-related "hugo --quiet --source $hugo_site-norelated --destination $work/out" >/dev/null
  for name in deling hugo hugo-without-related; do
    median=$(python3 -c "import json,sys; r=[x for x in json.load(open('$work/build-$n.json'))['results'] if x['command']=='$name'][0]; print(f\"{r['median']:.2f} (±{r['stddev']:.2f})\")")
    case $name in
      deling) mem=$(peak_mb "$deling" build --root "$site" --output "$work/mem-out") ;;
      hugo) mem=$(peak_mb hugo --quiet --source "$hugo_site" --destination "$work/mem-out") ;;
      *) mem=$(peak_mb hugo --quiet --source "$hugo_site-norelated" --destination "$work/mem-out") ;;
    esac
    echo "| $n | $name | $median | $mem |"
  done
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
