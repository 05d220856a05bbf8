#!/usr/bin/env bash
# The offline performance table of docs/performance.md: kubeaudit's commands on the generated
# 2,000-namespace cluster, each timed in turn with `jq -c .` on the same file (the yardstick),
# timed in turn (kubeaudit, jq, kubeaudit, jq …) by GNU time over RUNS runs after a warm-up;
# medians are quoted, and the ratio is the median of the pair-by-pair ratios, so it holds when
# a shared machine's speed drifts.
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
# The same cluster as one YAML List, as `kubectl get -o yaml` or PyYAML print it (block style).
yaml_list="$work/cluster-$ns.list.yaml"
[ -s "$yaml_list" ] || python3 -c 'import json,sys,yaml
yaml.safe_dump(json.load(open(sys.argv[1])), open(sys.argv[2],"w"), sort_keys=False)' "$json" "$yaml_list" || rm -f "$yaml_list"
# The same cluster with pods and workload templates: 5 running pods, 2 Deployments and 2
# ReplicaSets a namespace.
pods_json="$work/cluster-$ns-pods.json"
[ -s "$pods_json" ] || python3 benches/add_workloads.py "$json" "$pods_json" 2 --pods 5
echo "input: $json ($(du -hL "$json" | cut -f1)), $yaml, $yaml_list, $pods_json"

commands=(
  "can-i get secrets -n ns-1 --as user-1 -f $json"
  "who-can get secrets -A -f $json"
  "who-can get secrets -A -f $yaml"
  "who-can get secrets -A -f $yaml_list"
  "access-matrix --as user-1 -n ns-1 -f $json"
  "lint -f $json"
  "escalation -A -f $json"
  "lint -f $pods_json"
  "escalation -A -f $pods_json"
)
printf '%-48s %10s %10s %7s %10s  %s\n' COMMAND "MEDIAN(s)" "JQ(s)" RATIO "PEAK(MB)" PHASES
# One run: "wall-seconds peak-KiB" of a whole process.
run() {
  local out
  out=$(mktemp)
  /usr/bin/time -o "$out" -f '%e %M' "$@" >/dev/null 2>&1 || true
  tail -1 "$out"
  rm -f "$out"
}
# What a row's input is, when not the JSON List.
label() {
  case "$1" in
    *.list.yaml) echo ' (YAML List)' ;;
    *.yaml) echo ' (YAML documents)' ;;
    *-pods.json) echo ' (with pods)' ;;
  esac
}
for c in "${commands[@]}"; do
  # (No YAML List without PyYAML.)
  [ -s "${c##* -f }" ] || continue
  phases=$(KUBEAUDIT_TIMINGS=1 $bin $c 2>&1 >/dev/null | sed -n 's/^timing: \([^:]*\): \([0-9.]*\) s.*$/\1 \2/p' | tr '\n' ' ' || true)
  run $bin $c >/dev/null
  run jq -c . "$json" >/dev/null
  pairs=()
  for _ in $(seq "$runs"); do
    pairs+=("$(run $bin $c) $(run jq -c . "$json")")
  done
  printf '%s\n' "${pairs[@]}" | python3 -c '
import statistics, sys
rows = [list(map(float, line.split())) for line in sys.stdin if line.strip()]
med = lambda xs: statistics.median(xs)
a, peak, b = med([r[0] for r in rows]), max(r[1] for r in rows), med([r[2] for r in rows])
ratio = med([r[0] / r[2] for r in rows if r[2] > 0])
print(f"{sys.argv[1]:<48} {a:>10.2f} {b:>10.2f} {ratio:>7.2f} {peak / 1024:>10.0f}  {sys.argv[2]}")
' "${c%% -f*}$(label "$c")" "$phases"
done
