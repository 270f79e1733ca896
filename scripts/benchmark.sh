#!/usr/bin/env bash
# Whole-process timings of `sls-fargate validate` and `package`: the bundled examples and generated
# services of 10, 100 and 1,000 tasks; median wall time and median peak memory (RSS) over RUNS runs.
# When serverless@3.40.0 and the reference plugin are installed (scripts/compare-with-reference.sh
# installs them into .reference/), it also times `serverless package` with the reference plugin on
# the same generated services and prints the ratio.
#
#   scripts/benchmark.sh [RUNS] [hostile] (default 10; SLS_FARGATE_BIN picks the executable, default a native build)
# With `hostile`, only the hostile-input shapes (scripts/generate-hostile.sh) are timed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-10}"
bin="${SLS_FARGATE_BIN:-}"
if [ -z "$bin" ]; then
  bin="$root/artifacts/native/sls-fargate"
  [ -x "$bin" ] || bash "$root/scripts/publish-native.sh" >/dev/null
fi
reference="${SLS_FARGATE_REFERENCE_DIR:-$root/.reference}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# measure LABEL RUNS COMMAND... : median milliseconds and median peak RSS in MB
measure() {
  local label="$1" n="$2"; shift 2
  local times=() mems=() start end
  for _ in $(seq "$n"); do
    start=$(date +%s%N)
    /usr/bin/time -f %M -o "$work/mem" "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=("$(( (end - start) / 1000 ))")
    mems+=("$(cat "$work/mem" | tail -n 1)")
  done
  local t m
  t=$(printf '%s\n' "${times[@]}" | median)
  m=$(printf '%s\n' "${mems[@]}" | median)
  awk -v l="$label" -v t="$t" -v m="$m" 'BEGIN { printf "  %-34s %9.1f ms %8.1f MB\n", l, t / 1000, m / 1024 }'
  LAST_MS=$(awk -v t="$t" 'BEGIN { printf "%.1f", t / 1000 }')
}

echo "sls-fargate: $bin"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m); $runs runs each, medians"
hostile() {
  echo
  echo "hostile inputs (bounded: a diagnostic or a result)  wall time  peak RSS"
  bash "$root/scripts/generate-hostile.sh" "$work/hostile"
  for folder in "$work"/hostile/*/; do
    name=$(basename "$folder")
    if [ -f "$folder/merge-into.json" ]; then
      measure "package --merge-into $name" "$runs" "$bin" package "$folder" --merge-into "$folder/merge-into.json" --out "$work/out"
    else
      measure "validate $name" "$runs" "$bin" validate "$folder"
    fi
  done
}
if [ "${2:-}" = "hostile" ]; then
  hostile
  exit 0
fi

echo
echo "bundled examples                        wall time  peak RSS"
for example in "$root"/examples/*/; do
  name=$(basename "$example")
  measure "validate $name" "$runs" "$bin" validate "$example"
  measure "package $name" "$runs" "$bin" package "$example" --out "$work/out"
done

echo
echo "generated services                      wall time  peak RSS"
declare -A ours
for n in 10 100 1000; do
  bash "$root/scripts/generate-service.sh" "$n" "$work/gen-$n"
  measure "validate $n tasks" "$runs" "$bin" validate "$work/gen-$n"
  # 1,000 tasks exceed CloudFormation's 500 resources: package compiles and writes the template in
  # memory, reports FG3014/FG3015 and writes no file; the work timed is the same.
  measure "package $n tasks" "$runs" "$bin" package "$work/gen-$n" --out "$work/out"
  ours[$n]=$LAST_MS
done

hostile

if [ -x "$reference/node_modules/.bin/serverless" ] && [ -d "$reference/node_modules/serverless-fargate" ]; then
  echo
  echo "reference plugin, serverless package (serverless@3.40.0, offline), fewer runs"
  export HOME="$work/home" SLS_TELEMETRY_DISABLED=1 SLS_NOTIFICATIONS_MODE=off
  export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
  for n in 10 100 1000; do
    folder="$work/ref-$n"
    bash "$root/scripts/generate-service.sh" "$n" "$folder" serverless-fargate
    mkdir -p "$folder/node_modules"
    ln -s "$reference/node_modules/serverless-fargate" "$folder/node_modules/serverless-fargate"
    (cd "$folder" && "$reference/node_modules/.bin/serverless" package >/dev/null 2>&1) || true   # warm the schema cache
    reference_runs=$(( n == 1000 ? 3 : (runs < 5 ? runs : 5) ))
    measure "reference package $n tasks" "$reference_runs" bash -c "cd '$folder' && '$reference/node_modules/.bin/serverless' package"
    awk -v r="$LAST_MS" -v o="${ours[$n]}" -v n="$n" 'BEGIN { printf "  %-34s %9.0fx\n", "ratio, " n " tasks", r / o }'
  done
fi
