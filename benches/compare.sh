#!/usr/bin/env bash
# The offline performance table of docs/performance.md: kubeaudit's commands on the generated
# 2,000-namespace cluster, each timed in turn with `jq -c .` on the same file (the yardstick),
# medians of RUNS runs by farm-bench when it is installed, else by /usr/bin/time.
#
#   benches/compare.sh [NAMESPACES] [RUNS]
#
# Prints one row per command: median wall seconds, jq's median, the ratio, peak RSS, and the
# phases of one extra run (KUBEAUDIT_TIMINGS=1: read, inventory, compile).
set -euo pipefail
cd "$(dirname "$0")/.."
ns=${1:-2000}
runs=${2:-5}
work=${KUBEAUDIT_BENCH_DIR:-${TMPDIR:-/tmp}/kubeaudit-bench}
mkdir -p "$work"
cargo build --release --locked --quiet
cargo build --release --locked --quiet --example gen_cluster
bin=target/release/kubeaudit
json="$work/cluster-$ns.json"
[ -s "$json" ] || target/release/examples/gen_cluster "$ns" >"$json"
yaml="$work/cluster-$ns.yaml"
[ -s "$yaml" ] || python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
out=open(sys.argv[2],"w")
for item in d["items"]:
    out.write("---\n"); json.dump(item,out); out.write("\n")' "$json" "$yaml"
echo "input: $json ($(du -h "$json" | cut -f1)), $yaml"

commands=(
  "can-i get secrets -n ns-1 --as user-1 -f $json"
  "who-can get secrets -A -f $json"
  "who-can get secrets -A -f $yaml"
  "access-matrix --as user-1 -n ns-1 -f $json"
  "lint -f $json"
  "escalation -A -f $json"
)
printf '%-48s %10s %10s %7s %10s  %s\n' COMMAND "MEDIAN(s)" "JQ(s)" RATIO "PEAK(MB)" PHASES
for c in "${commands[@]}"; do
  phases=$(KUBEAUDIT_TIMINGS=1 $bin $c 2>&1 >/dev/null | sed -n 's/^timing: \([^:]*\): \([0-9.]*\) s.*$/\1 \2/p' | tr '\n' ' ')
  if command -v farm-bench >/dev/null 2>&1; then
    # A and B in turn, the ratio pair by pair; quote the medians.
    echo "== kubeaudit ${c%% -f*}"
    farm-bench -n "$runs" --timeout 1800 --vs "jq -c . $json" -- $bin $c 2>&1 | sed 's/^/    /'
  else
    t=$( { /usr/bin/time -f '%e %M' $bin $c >/dev/null 2>/dev/null; } 2>&1 | tail -1)
    j=$( { /usr/bin/time -f '%e' jq -c . "$json" >/dev/null; } 2>&1 | tail -1)
    printf '%-48s %10s %10s %7s %10s  %s\n' "${c%% -f*}" "${t% *}" "$j" "-" "$(( ${t#* } / 1024 ))" "$phases"
    continue
  fi
  echo "    phases of one run: $phases"
done
