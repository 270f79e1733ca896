#!/usr/bin/env bash
# Times `serverless package` (serverless@3.40.0, offline) for one service packaged with this
# repository's plugin and with the reference plugin (serverless-fargate@1.1.0): whole processes,
# alternating runs, medians.
#
#   scripts/benchmark-plugin.sh [RUNS]        (default 10)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-10}"
reference="${SLS_FARGATE_REFERENCE_DIR:-$root/.reference}"
[ -x "$reference/node_modules/.bin/serverless" ] || "$root/scripts/compare-with-reference.sh" >/dev/null

dotnet build "$root/src/ServerlessFargate.Cli" -c Release --nologo -v quiet >&2
export SERVERLESS_FARGATE_CLI="${SERVERLESS_FARGATE_CLI:-$root/src/ServerlessFargate.Cli/bin/Release/net10.0/sls-fargate}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" SLS_TELEMETRY_DISABLED=1 SLS_NOTIFICATIONS_MODE=off
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

make_service() { # folder plugin-name plugin-path
  mkdir -p "$1/node_modules"
  ln -s "$3" "$1/node_modules/$2"
  printf '#!/bin/sh\n' > "$1/bootstrap"
  cat > "$1/serverless.yml" <<YAML
service: bench
frameworkVersion: '3'
provider:
  name: aws
  region: eu-west-1
  runtime: provided.al2023
  ecr:
    images:
      app:
        uri: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
plugins:
  - $2
functions:
  api:
    handler: bootstrap
    events:
      - httpApi: GET /
fargate:
  vpc:
    subnetIds: [subnet-0123456789abcdef0]
  tasks:
    worker:
      image: app
    nightly:
      image: app
      schedule: rate(1 day)
    migrate:
      image: app
      service: false
YAML
}
make_service "$work/ours" serverless-fargate-dotnet "$root/integrations/serverless-plugin"
make_service "$work/reference" serverless-fargate "$reference/node_modules/serverless-fargate"

time_once() { # folder -> milliseconds
  local start end
  start=$(date +%s%N)
  (cd "$1" && "$reference/node_modules/.bin/serverless" package >/dev/null 2>&1)
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

time_once "$work/ours" >/dev/null       # warm the framework's schema cache for both
time_once "$work/reference" >/dev/null
ours=(); theirs=()
for _ in $(seq "$runs"); do
  ours+=("$(time_once "$work/ours")")
  theirs+=("$(time_once "$work/reference")")
done
o=$(printf '%s\n' "${ours[@]}" | median)
r=$(printf '%s\n' "${theirs[@]}" | median)
echo "serverless package, 3 tasks + 1 function, $runs runs each, $(nproc) cores"
echo "  reference plugin:   median ${r} ms  (${theirs[*]})"
echo "  this plugin:        median ${o} ms  (${ours[*]})"
awk -v o="$o" -v r="$r" 'BEGIN { printf "  difference:         %+.1f%% (of the medians)\n", (o - r) * 100 / r }'
# Each pair ran back to back, so the machine's slow and fast spells hit both of its runs: the
# median of the pairs' differences is steadier than the difference of the medians.
d=$(for i in "${!ours[@]}"; do echo $(( ours[i] - theirs[i] )); done | median)
awk -v d="$d" -v r="$r" -v n="$runs" 'BEGIN { printf "  paired difference:  %+d ms, %+.1f%% (median of the %d pairs)\n", d, d * 100 / r, n }'
