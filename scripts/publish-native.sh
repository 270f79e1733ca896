#!/usr/bin/env bash
# Publishes sls-fargate as a native (AOT) executable for linux-x64 into artifacts/native/.
#   scripts/publish-native.sh [OUTPUT_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/artifacts/native}"
dotnet publish "$root/src/ServerlessFargate.Cli" -c Release -r linux-x64 -p:PublishAot=true -o "$out" --nologo
echo "$out/sls-fargate"
