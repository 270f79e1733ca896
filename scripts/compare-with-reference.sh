#!/usr/bin/env bash
# Packages each bundled example with the reference Node.js plugin (serverless-fargate@1.1.0 under
# serverless@3.40.0, offline, fake credentials, images given as digest URIs) and with sls-fargate,
# then compares the Fargate resources and outputs. Intended differences (README, "Migrating from
# the reference plugin") are listed; any other difference fails the script.
#
#   scripts/compare-with-reference.sh [EXAMPLE_DIR ...]     (default: every folder in examples/)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
reference="${SLS_FARGATE_REFERENCE_DIR:-$root/.reference}"

if [ ! -x "$reference/node_modules/.bin/serverless" ] || [ ! -d "$reference/node_modules/serverless-fargate" ]; then
  echo "installing serverless@3.40.0 and serverless-fargate@1.1.0 into $reference" >&2
  mkdir -p "$reference"
  [ -f "$reference/package.json" ] || echo '{"private": true}' > "$reference/package.json"
  npm install --prefix "$reference" --no-audit --no-fund --loglevel=error serverless@3.40.0 serverless-fargate@1.1.0 >&2
fi

cli="${SERVERLESS_FARGATE_CLI:-}"
if [ -z "$cli" ]; then
  dotnet build "$root/src/ServerlessFargate.Cli" -c Release --nologo -v quiet >&2
  cli="$root/src/ServerlessFargate.Cli/bin/Release/net10.0/sls-fargate"
fi

if [ $# -eq 0 ]; then
  # examples/production uses keys the reference plugin does not have (secrets, health checks,
  # autoscaling, …), so there is nothing to compare it with.
  # examples/events uses events and alerts, which the reference plugin does not have.
  # examples/web has no subnets (sls-fargate generates a network) and http services, which the
  # reference plugin does not have either; the comparison holds for configurations with subnets.
  set -- $(ls -d "$root"/examples/*/ | grep -v -e '/production/$' -e '/web/$' -e '/events/$')
fi
exec node "$root/scripts/compare-with-reference.mjs" "$reference" "$cli" "$@"
