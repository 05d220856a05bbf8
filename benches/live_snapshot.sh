#!/usr/bin/env bash
# Live benchmark: `kubeaudit snapshot` against `kubectl get … -A -o json` on a real kube-apiserver
# holding the synthetic 2,000-namespace cluster (benches/support/synthetic.rs).
#
#   benches/live_snapshot.sh [DIR] [NAMESPACES] [RUNS]
#
# DIR (default target/live-bench) holds the control plane started with tests/e2e/control-plane;
# loading the cluster takes a few minutes and is done once per DIR (delete DIR to start afresh).
# Prints, for each command, the median and range of RUNS (default 7) wall times and the peak RSS
# (GNU time when installed), and the ratio of the medians. Not a test: nothing here fails on a
# number. Results are reported in docs/performance.md.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mkdir -p "${1:-$repo/target/live-bench}" && cd "${1:-$repo/target/live-bench}" && pwd)
namespaces=${2:-2000}
runs=${3:-7}

cargo build --release --quiet --manifest-path "$repo/Cargo.toml" --bin kubeaudit --example gen_cluster
kubeaudit=$repo/target/release/kubeaudit

if [[ ! -f $dir/env ]] || ! "$dir/bin/kubectl" --kubeconfig "$dir/kubeconfig" get --raw /readyz >/dev/null 2>&1; then
    "$repo/tests/e2e/control-plane" down "$dir" 2>/dev/null || true
    rm -f "$dir/loaded"
    "$repo/tests/e2e/control-plane" up "$dir"
fi
kubectl=$dir/bin/kubectl
kubeconfig=$dir/kubeconfig

if [[ ! -f $dir/loaded ]]; then
    rm -rf "$dir/chunks"
    "$repo/target/release/examples/gen_cluster" "$namespaces" --chunks "$dir/chunks"
    echo "live-bench: loading $(ls "$dir/chunks" | wc -l) chunks into the API server …" >&2
    start=$(date +%s)
    chunks=("$dir"/chunks/*.json)
    # The first chunk holds the Namespaces, which everything else needs.
    "$kubectl" --kubeconfig "$kubeconfig" create -f "${chunks[0]}" >/dev/null
    printf '%s\n' "${chunks[@]:1}" |
        xargs -P 4 -n 1 "$kubectl" --kubeconfig "$kubeconfig" create -o name -f >/dev/null
    echo "live-bench: loaded in $(( $(date +%s) - start ))s" >&2
    touch "$dir/loaded"
fi

kinds=clusterroles,clusterrolebindings,roles,rolebindings,serviceaccounts,namespaces
# Wall milliseconds and peak RSS (KiB, "-" without GNU time) of one run of "$@".
measure() {
    local t0 t1 rss=- mem=$dir/measure.rss
    t0=$(date +%s%N)
    if [[ -x /usr/bin/time ]]; then
        /usr/bin/time -f '%M' -o "$mem" "$@" >/dev/null 2>&1
        rss=$(tail -1 "$mem")
    else
        "$@" >/dev/null 2>&1
    fi
    t1=$(date +%s%N)
    echo "$(( (t1 - t0) / 1000000 )) $rss"
}
# Median, min and max of whitespace-separated numbers.
stats() { tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {printf "%s %s %s\n", a[int((NR+1)/2)], a[1], a[NR]}'; }

ka_times=() ; kc_times=() ; ka_rss=() ; kc_rss=()
snapshot=$dir/snapshot.json
for ((i = 0; i <= runs; i++)); do
    read -r t r < <(measure "$kubeaudit" snapshot -o "$snapshot" --kubeconfig "$kubeconfig")
    read -r u s < <(measure "$kubectl" --kubeconfig "$kubeconfig" get "$kinds" -A -o json)
    (( i == 0 )) && continue # warm-up
    ka_times+=("$t"); kc_times+=("$u"); ka_rss+=("$r"); kc_rss+=("$s")
done
objects=$("$kubeaudit" snapshot -o "$snapshot" --kubeconfig "$kubeconfig" 2>&1 | grep -o '[0-9]* objects' || true)
read -r ka_med ka_min ka_max < <(echo "${ka_times[*]}" | stats)
read -r kc_med kc_min kc_max < <(echo "${kc_times[*]}" | stats)
echo "kube-apiserver $(grep VERSION= "$dir/env" | cut -d= -f2), $namespaces namespaces, snapshot: ${objects:-?}; $runs runs after a warm-up"
printf '%-22s %10s %10s %10s %14s\n' command median_ms min_ms max_ms median_rss_kib
printf '%-22s %10s %10s %10s %14s\n' "kubeaudit snapshot" "$ka_med" "$ka_min" "$ka_max" "$(echo "${ka_rss[*]}" | stats | cut -d' ' -f1)"
printf '%-22s %10s %10s %10s %14s\n' "kubectl get -A -o json" "$kc_med" "$kc_min" "$kc_max" "$(echo "${kc_rss[*]}" | stats | cut -d' ' -f1)"
echo "(kubectl get $kinds -A -o json)"
awk -v a="$ka_med" -v b="$kc_med" 'BEGIN {printf "ratio of medians (kubectl / kubeaudit): %.2f\n", b / a}'
