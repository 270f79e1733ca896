#!/usr/bin/env bash
# Prints this machine's platform in both spellings the packaging uses: the .NET runtime identifier
# and the npm package suffix (process.platform-process.arch), e.g. "linux-x64 linux-x64".
set -euo pipefail
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) echo "linux-x64 linux-x64" ;;
  Linux-aarch64 | Linux-arm64) echo "linux-arm64 linux-arm64" ;;
  Darwin-x86_64) echo "osx-x64 darwin-x64" ;;
  Darwin-arm64) echo "osx-arm64 darwin-arm64" ;;
  MINGW*-x86_64 | MSYS*-x86_64 | CYGWIN*-x86_64) echo "win-x64 win32-x64" ;;
  *) echo "unsupported platform: $(uname -s) $(uname -m)" >&2; exit 1 ;;
esac
