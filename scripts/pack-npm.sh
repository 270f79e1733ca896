#!/usr/bin/env bash
# Writes the npm tarballs for this machine into OUT_DIR: the plugin (serverless-fargate-dotnet)
# and the package holding the native engine for this platform (serverless-fargate-dotnet-<os>-<cpu>).
# Every package takes the version in Directory.Build.props, the one place it is set.
#   scripts/pack-npm.sh OUT_DIR
# SLS_FARGATE_NATIVE_BIN names an engine already published for this platform (sls-fargate, with
# sls-fargate-aws beside it, as scripts/publish-native.sh writes them); otherwise it is built.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "${1:?usage: pack-npm.sh OUT_DIR}"
out="$(cd "$1" && pwd)"
version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props")"
read -r rid platform < <(bash "$root/scripts/host-rid.sh")
os="${platform%-*}"
cpu="${platform#*-}"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

exe=""
[ "$os" = win32 ] && exe=".exe"
bin="${SLS_FARGATE_NATIVE_BIN:-}"
if [ -z "$bin" ]; then
  bash "$root/scripts/publish-native.sh" "$stage/native" "$rid" >/dev/null
  bin="$stage/native/sls-fargate$exe"
fi

# The plugin, packed from a copy so the source tree stays as it is.
mkdir -p "$stage/plugin"
cp "$root/integrations/serverless-plugin/index.js" "$root/integrations/serverless-plugin/package.json" "$root/LICENSE" "$stage/plugin/"
cp "$root/schema/fargate.schema.json" "$root/schema/provider.schema.json" "$root/schema/serverless.schema.json" "$stage/plugin/"
node - "$stage/plugin/package.json" "$version" <<'JS'
const fs = require('fs');
const [file, version] = process.argv.slice(2);
const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
manifest.version = version;
for (const name of Object.keys(manifest.optionalDependencies || {})) manifest.optionalDependencies[name] = version;
delete manifest.scripts;
manifest.files = [...manifest.files, 'serverless.schema.json', 'LICENSE'];
fs.writeFileSync(file, JSON.stringify(manifest, null, 2) + '\n');
JS
(cd "$stage/plugin" && npm pack --silent --pack-destination "$out" >/dev/null)

# The engine for this platform, both executables; npm installs it only where os and cpu match.
aws="$(dirname "$bin")/sls-fargate-aws$exe"
[ -x "$aws" ] || { echo "pack-npm.sh: $aws is missing; scripts/publish-native.sh writes it beside sls-fargate" >&2; exit 1; }
mkdir -p "$stage/engine/bin"
cp "$bin" "$stage/engine/bin/sls-fargate$exe"
cp "$aws" "$stage/engine/bin/sls-fargate-aws$exe"
cp "$root/LICENSE" "$stage/engine/"
cat > "$stage/engine/package.json" <<JSON
{
  "name": "serverless-fargate-dotnet-$platform",
  "version": "$version",
  "description": "The native sls-fargate engine of serverless-fargate-dotnet for $os $cpu",
  "license": "MIT",
  "os": ["$os"],
  "cpu": ["$cpu"],
  "files": ["bin/", "LICENSE"]
}
JSON
(cd "$stage/engine" && npm pack --silent --pack-destination "$out" >/dev/null)
ls "$out"/serverless-fargate-dotnet-"$version".tgz "$out"/serverless-fargate-dotnet-"$platform"-"$version".tgz
