#!/usr/bin/env bash
# Runs GPU Containers in a real VS Code on this machine.
#   bash scripts/dev.sh [FOLDER]      (FOLDER defaults to the current directory)
# With VS Code desktop (`code` on PATH): opens it with --extensionDevelopmentPath.
# Otherwise: sets up the rig, packages the VSIX, installs it into code-server and serves the workbench on
# 127.0.0.1 (PORT, default 8080), printing the URL. Over SSH: ssh -L 8080:127.0.0.1:8080 <server>.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
folder="$(cd "${1:-$PWD}" && pwd)"
cd "$repo"
if command -v code >/dev/null 2>&1 && code --version >/dev/null 2>&1 && [ -z "${GPU_CONTAINERS_FORCE_CODE_SERVER:-}" ]; then
  bash scripts/setup.sh
  npm run build
  exec code --extensionDevelopmentPath="$repo" "$folder"
fi
bash scripts/setup.sh
npm run package --silent
exec node scripts/serve.mjs "$folder"
