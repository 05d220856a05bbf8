#!/usr/bin/env bash
# Runs every fuzz target in turn for SECONDS each (default 60), seeded from the repository's own
# examples and test fixtures, with the Kubernetes dictionary. Needs cargo-fuzz and a nightly
# toolchain (`cargo install cargo-fuzz`; `rustup toolchain install nightly`). Not run by CI: every
# finding becomes a regression test in the main suite.
#
#   fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(manifest model_queries review netpol kubeconfig abac can_i_args lint_sarif escalation)
root=$(cd .. && pwd)

# Seeds: the manifests, reviews, kubeconfigs and policies the tests use (copied, never moved).
seed() {
  local target=$1 dir=corpus/$1
  mkdir -p "$dir"
  case "$target" in
    kubeconfig) find "$root/tests" -name '*kubeconfig*' -type f -size -256k ;;
    abac) find "$root/tests" -name '*.jsonl' -type f -size -256k ;;
    can_i_args) printf 'get\0pods\0default' >"$dir/seed-get-pods"; printf 'create\0deployments.apps/web\0shop' >"$dir/seed-create"; return ;;
    *) find "$root/examples" "$root/tests/fixtures" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -size -256k ;;
  esac | while read -r f; do cp -n "$f" "$dir/seed-$(echo "$f" | sha1sum | cut -c1-12)" 2>/dev/null || true; done
}

status=0
for t in "${targets[@]}"; do
  seed "$t"
  echo "== fuzz target $t for ${seconds}s"
  if ! cargo +nightly fuzz run "$t" "corpus/$t" -- \
      -max_total_time="$seconds" -dict=kubernetes.dict -rss_limit_mb=2048 -timeout=10 \
      -print_final_stats=1 2>&1 | tail -n 25; then
    echo "!! $t: a finding (the crashing input is in fuzz/artifacts/$t/)"
    status=1
  fi
done
exit $status
