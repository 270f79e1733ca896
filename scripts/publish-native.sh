#!/usr/bin/env bash
# Publishes the native (AOT) executables for this machine's platform (or RID) into OUTPUT_DIR
# (default artifacts/native/): sls-fargate, which validates and packages, and sls-fargate-aws
# beside it, the same program with the commands that call AWS, which sls-fargate hands those
# commands to (src/ServerlessFargate.Cli/AwsHandOff.cs says why there are two). Native AOT compiles
# for the platform it runs on: the release workflow (.github/workflows/release.yml) runs this on
# each operating system and architecture.
#   scripts/publish-native.sh [OUTPUT_DIR] [RID]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/artifacts/native}"
rid="${2:-$(bash "$root/scripts/host-rid.sh" | cut -d' ' -f1)}"
exe=""
case "$rid" in win-*) exe=".exe" ;; esac
full="$(mktemp -d)"
trap 'rm -rf "$full"' EXIT
publish() { dotnet publish "$root/src/ServerlessFargate.Cli" -c Release -r "$rid" -p:PublishAot=true --nologo "$@"; }
publish -o "$full"
publish -o "$out" -p:AwsCommandsInProcess=false
cp "$full/sls-fargate$exe" "$out/sls-fargate-aws$exe"
echo "$out/sls-fargate$exe"
