#!/usr/bin/env bash
# A real Docker engine for tests, on a bare Debian machine. Idempotent and fast when already there:
#   - installs Debian's docker.io (dockerd) and busybox-static if missing,
#   - starts dockerd in the background (own session) if `docker info` fails, waits until it answers,
#   - builds the registry-free test images by `docker import` of root filesystems made here:
#       gpu-containers-test/busybox:1  (busybox-static: sh and the usual applets)
#       gpu-containers-test/bash:1     (the same + /bin/bash and the libraries it needs)
set -euo pipefail
CACHE="${GPU_CONTAINERS_DEV_CACHE:-$HOME/.cache/gpu-containers-dev}"
mkdir -p "$CACHE"
log() { echo "[rig:docker] $*"; }

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >"$CACHE/apt.log" 2>&1; then
    apt-get update -q >>"$CACHE/apt.log" 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >>"$CACHE/apt.log" 2>&1 ||
      { tail -20 "$CACHE/apt.log"; exit 1; }
  fi
}

command -v dockerd >/dev/null 2>&1 && [ -x /bin/busybox ] || apt_install docker.io busybox-static
command -v docker >/dev/null 2>&1 || apt_install docker.io

if ! docker info >/dev/null 2>&1; then
  log "starting dockerd"
  setsid dockerd >"$CACHE/dockerd.log" 2>&1 </dev/null &
  for i in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    [ "$i" = 60 ] && { tail -30 "$CACHE/dockerd.log"; log "dockerd did not answer in 30 s"; exit 1; }
    sleep 0.5
  done
fi
# The docker group exists with docker.io; make sure the socket is root:docker 0660 (tests of
# "permission denied" rely on a non-root user being refused).
log "engine $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"

make_rootfs() { # $1 = dir; busybox with applet links
  local dir=$1
  rm -rf "$dir"; mkdir -p "$dir/bin" "$dir/tmp" "$dir/etc" "$dir/root" "$dir/workspace"
  cp /bin/busybox "$dir/bin/busybox"
  for applet in $("$dir/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$dir/bin/$applet"
  done
  chmod 1777 "$dir/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$dir/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$dir/etc/group"
}

if ! docker image inspect gpu-containers-test/busybox:1 >/dev/null 2>&1; then
  log "building gpu-containers-test/busybox:1"
  make_rootfs "$CACHE/rootfs-busybox"
  tar -C "$CACHE/rootfs-busybox" -c . | docker import -c 'CMD ["/bin/sh"]' -c 'WORKDIR /' - gpu-containers-test/busybox:1 >/dev/null
fi

if ! docker image inspect gpu-containers-test/bash:1 >/dev/null 2>&1; then
  log "building gpu-containers-test/bash:1"
  dir="$CACHE/rootfs-bash"
  make_rootfs "$dir"
  rm -f "$dir/bin/sh" "$dir/bin/bash"
  cp /bin/bash "$dir/bin/bash"
  ln -sf bash "$dir/bin/sh"
  for lib in $(ldd /bin/bash | grep -o '/[^ ]*'); do
    mkdir -p "$dir$(dirname "$lib")"
    cp -L "$lib" "$dir$lib"
  done
  printf 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$dir/etc/passwd"
  tar -C "$dir" -c . | docker import -c 'CMD ["/bin/bash"]' -c 'WORKDIR /' - gpu-containers-test/bash:1 >/dev/null
fi
log "ready: $(docker images --format '{{.Repository}}:{{.Tag}}' 'gpu-containers-test/*' | sort | tr '\n' ' ')"
