#!/usr/bin/env bash
# Publishes sls-fargate as a native (AOT) executable for this machine's platform (or RID) into
# artifacts/native/. Native AOT compiles for the platform it runs on: the release workflow
# (.github/workflows/release.yml) runs this on each operating system and architecture.
#   scripts/publish-native.sh [OUTPUT_DIR] [RID]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/artifacts/native}"
rid="${2:-$(bash "$root/scripts/host-rid.sh" | cut -d' ' -f1)}"
dotnet publish "$root/src/ServerlessFargate.Cli" -c Release -r "$rid" -p:PublishAot=true -o "$out" --nologo
echo "$out/sls-fargate"
