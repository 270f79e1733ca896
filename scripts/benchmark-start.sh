#!/usr/bin/env bash
# Start-up side by side: `validate` of the blog-post example with each executable given, taking
# turns run by run so that the machine's drift hits all of them alike; prints each one's minimum
# and median wall time, and the same for /bin/true (what starting any process costs here).
#   scripts/benchmark-start.sh [RUNS] EXECUTABLE...   (default 60 runs; EXECUTABLE defaults to artifacts/native/sls-fargate)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs=60
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then runs="$1"; shift; fi
[ $# -gt 0 ] || set -- "$root/artifacts/native/sls-fargate"
example="$root/examples/blog-post"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for _ in $(seq "$runs"); do
  i=0
  for bin in /bin/true "$@"; do
    start=$(date +%s%N)
    "$bin" validate "$example" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    echo $(( (end - start) / 1000 )) >> "$work/$i"
    i=$((i + 1))
  done
done

echo "validate examples/blog-post, $runs runs each, taking turns       min   median"
i=0
for bin in /bin/true "$@"; do
  sort -n "$work/$i" | awk -v l="$bin" '{a[NR]=$1} END {m=(NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2); printf "  %-56s %6.1f %6.1f ms\n", l, a[1]/1000, m/1000}'
  i=$((i + 1))
done
