#!/usr/bin/env bash
# A third dockerd whose `--gpus` containers really START (HARNESS §6), for the GPU fairness UI checks
# (leases, idle policy, the wait queue, MIG): its own network namespace `gpuc3` (never --bridge none in the main
# one), a stand-in `nvidia-container-runtime-hook` (reads the OCI state on stdin, exits 0) on ITS PATH only, so
# dockerd registers its NVIDIA device driver, and `--add-runtime nvidia=runc`. No GPU reaches the containers:
# `DeviceRequests` are kept as asked, which is what the extension reads. The first and second engines keep no
# NVIDIA runtime (their "no NVIDIA runtime" paths stay testable). Idempotent; socket: unix:///run/gpuc3/docker.sock
set -euo pipefail
CACHE="${GPU_CONTAINERS_DEV_CACHE:-$HOME/.cache/gpu-containers-dev}"
D3=/run/gpuc3
R="$CACHE/gpuc3"
mkdir -p "$R/bin" "$D3"
log() { echo "[rig:gpu-docker] $*"; }
export DOCKER_HOST="unix://$D3/docker.sock"

cat >"$R/bin/nvidia-container-runtime-hook" <<'HOOK'
#!/bin/sh
# Stand-in NVIDIA hook (GPU Containers test rig): consumes the OCI state, injects nothing.
cat >/dev/null
exit 0
HOOK
chmod 755 "$R/bin/nvidia-container-runtime-hook"

if ! docker info >/dev/null 2>&1; then
  ip netns list 2>/dev/null | grep -qw gpuc3 || { ip netns add gpuc3 && ip netns exec gpuc3 ip link set lo up; }
  log "starting dockerd #3 (netns gpuc3, stand-in NVIDIA hook)"
  PATH="$R/bin:$PATH" nsenter --net=/var/run/netns/gpuc3 setsid dockerd --data-root "$R/data" --exec-root "$D3/exec" \
    --pidfile "$D3/docker.pid" -H "unix://$D3/docker.sock" --add-runtime "nvidia=$(command -v runc)" \
    >"$R/dockerd.log" 2>&1 </dev/null &
  for i in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    [ "$i" = 60 ] && { tail -20 "$R/dockerd.log"; log "dockerd #3 did not answer in 30 s"; exit 1; }
    sleep 0.5
  done
fi
for img in gpu-containers-test/busybox:1 gpu-containers-test/bash:1; do
  if DOCKER_HOST=unix:///var/run/docker.sock docker image inspect "$img" >/dev/null 2>&1 &&
    ! docker image inspect "$img" >/dev/null 2>&1; then
    DOCKER_HOST=unix:///var/run/docker.sock docker save "$img" | docker load -q >/dev/null
  fi
done
log "ready: dockerd #3 at $DOCKER_HOST (runtimes: $(docker info --format '{{range $k, $v := .Runtimes}}{{$k}} {{end}}'))"
