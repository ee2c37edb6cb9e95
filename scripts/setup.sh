#!/usr/bin/env bash
# Sets up everything the extension's tests and dev loop need on a bare Debian machine, idempotently:
# a real Docker engine with the test images, the VS Code rig (Node 24, code-server, Chromium), and
# node_modules. Fast when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/rig/docker.sh
bash scripts/rig/vscode.sh
bash scripts/rig/ssh.sh
bash scripts/rig/gpu-docker.sh
bash scripts/rig/podman.sh
bash scripts/rig/k8s.sh
stamp=node_modules/.gpu-containers-lock.sha
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "[setup] npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" >"$stamp"
fi
echo "[setup] ready"
