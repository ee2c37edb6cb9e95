#!/usr/bin/env bash
# A real GPU end to end, on a Linux machine with an NVIDIA GPU and driver but no NVIDIA Container Toolkit
# and no network:
#   1. start a private dockerd from Debian's docker.io, containerd and runc packages carried along
#      (downloaded beforehand elsewhere with `apt-get download docker.io containerd runc`), in its own
#      network namespace (never `--bridge none` in the main one: it would delete the host's docker0);
#   2. import a small rootfs image (a few symlinks; the host's /usr is mounted read-only for python3);
#   3. create a container with the GPU device nodes and the driver's libraries passed explicitly
#      (`--device /dev/nvidia0 …`, `-v libcuda.so.1:/gpuc-nvidia/lib64/…:ro` — outside the read-only /usr, where
#      runc could not create the mount points), and run a CUDA process in it (python3 + ctypes on libcuda:
#      cuInit, cuCtxCreate, cuMemAlloc 512 MiB — no PyTorch needed; `--torch` uses the host's);
#   4. run the extension's core (out/, from `npx tsc -p .`) through scripts/gpu-e2e-check.mjs: it must map
#      that process to that container, report its GPU memory, and show the GPU as held (not free);
#   5. keep nvidia-smi's outputs, the cgroup line and the check's report as fixtures.
# Nothing in CI runs this. `--dry-run` prints the plan without touching anything (no GPU needed).
# Any failure writes FAILED.txt into the out dir: the step, the command, its exit status and its stderr.
#
# usage: sudo scripts/gpu-e2e.sh --debs DIR [--out DIR] [--gpu N] [--torch] [--keep] [--dry-run]
set -Eeuo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEBS=""
OUT=""
GPU=0
TORCH=0
KEEP=0
DRY=0
NAME="gpuc-e2e-cuda"
IMAGE="gpuc-e2e/rootfs:1"

usage() {
  sed -n '2,/^# usage:/p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --debs) DEBS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --gpu) GPU="$2"; shift 2 ;;
    --torch) TORCH=1; shift ;;
    --keep) KEEP=1; shift ;;
    --dry-run) DRY=1; shift ;;
    -h | --help) usage 0 ;;
    *) echo "unknown argument: $1" >&2; usage 2 ;;
  esac
done

case "$GPU" in
  '' | *[!0-9]*) echo "--gpu takes an index (0, 1, …), not '$GPU'" >&2; exit 2 ;;
esac

WORK="${GPUC_E2E_WORK:-/tmp/gpuc-e2e}"
SOCK="$WORK/docker.sock"
[ -n "$OUT" ] || OUT="$REPO/test/fixtures/nvidia-smi/e2e/$(hostname -s 2>/dev/null || echo host)-$(date -u +%Y%m%d)"

STEP="(start)"
step() {
  STEP="$*"
  printf '\n== %s\n' "$*"
}
# Run a command, or print it in --dry-run.
run() {
  if [ "$DRY" = 1 ]; then
    printf '+'
    printf ' %q' "$@"
    printf '\n'
  else
    "$@"
  fi
}
# FAILED.txt in the out dir: the step, what failed, and the end of this run's stderr (kept in stderr.log).
record_failure() {
  if [ "$DRY" = 1 ] || [ ! -d "$OUT" ]; then return 0; fi
  sleep 0.2 # let tee write what the failed command printed
  {
    echo "step: $STEP"
    echo "$1"
    if [ -s "$OUT/stderr.log" ]; then
      echo "stderr (last 40 lines):"
      tail -n 40 "$OUT/stderr.log"
    fi
    if [ -s "$WORK/dockerd.log" ]; then
      echo "dockerd.log (last 20 lines):"
      tail -n 20 "$WORK/dockerd.log"
    fi
  } >"$OUT/FAILED.txt" 2>/dev/null || true
}
fail() {
  echo "gpu-e2e: $*" >&2
  record_failure "failed: $*"
  exit 1
}
# Every command that fails under `set -e` (also inside functions: -E) ends here.
on_err() {
  local rc=$? line=$1 cmd=$2
  echo "gpu-e2e: step \"$STEP\" failed (exit $rc, line $line): $cmd" >&2
  record_failure "command (line $line, exit status $rc): $cmd"
  exit "$rc"
}
trap 'on_err "$LINENO" "$BASH_COMMAND"' ERR
dockercli() { run "$WORK/root/usr/bin/docker" --host "unix://$SOCK" "$@"; }

if [ "$DRY" = 0 ]; then
  mkdir -p "$OUT"
  rm -f "$OUT/FAILED.txt" "$OUT/stderr.log"
  # This run's stderr, also kept for FAILED.txt.
  exec 2> >(tee -a "$OUT/stderr.log" >&2)
fi

step "0. what this machine has"
SMI_QUERY=(--query-gpu=index,uuid,name,memory.used,memory.total,utilization.gpu,temperature.gpu,driver_version,mig.mode.current,pci.bus_id --format=csv,noheader,nounits)
if [ "$DRY" = 0 ]; then
  [ "$(uname -s)" = Linux ] || fail "Linux only"
  command -v nvidia-smi >/dev/null || fail "nvidia-smi is not on PATH: no NVIDIA driver here"
  nvidia-smi "${SMI_QUERY[@]}" >"$OUT/query-gpu-before.csv"
  cat "$OUT/query-gpu-before.csv"
  indices="$(cut -d, -f1 "$OUT/query-gpu-before.csv" | tr -d ' ' | paste -sd, -)"
  case ",$indices," in
    *",$GPU,"*) ;;
    *) fail "nvidia-smi lists no GPU $GPU (it lists: ${indices:-none})" ;;
  esac
  [ -e "/dev/nvidia$GPU" ] || fail "/dev/nvidia$GPU does not exist"
  [ "$(id -u)" = 0 ] || fail "run as root (it starts a dockerd): sudo $0 …"
  if [ -z "$DEBS" ] || [ ! -d "$DEBS" ]; then
    fail "--debs DIR: a folder with the .deb files of docker.io, containerd and runc"
  fi
  command -v node >/dev/null || fail "node is not on PATH"
  command -v python3 >/dev/null || fail "python3 is not on PATH (the CUDA process runs the host's python3)"
  [ -f "$REPO/out/src/core/gpu/index.js" ] || fail "compile first: (cd $REPO && npx tsc -p .)"
else
  run nvidia-smi "${SMI_QUERY[@]}"
fi

step "1. unpack docker.io, containerd, runc (no install) into $WORK/root"
run mkdir -p "$WORK/root" "$WORK/data" "$WORK/exec"
if [ "$DRY" = 1 ]; then
  echo "+ for each of \$DEBS/{docker.io,containerd,runc}_*.deb: dpkg-deb -x <deb> $WORK/root"
else
  for pkg in docker.io containerd runc docker-cli; do
    deb="$(find "$DEBS" -maxdepth 1 -name "${pkg}_*.deb" | sort | tail -n 1)"
    if [ -z "$deb" ]; then
      # Newer Debian ships the CLI apart, as docker-cli; older docker.io has it inside.
      [ "$pkg" = docker-cli ] && continue
      fail "no ${pkg}_*.deb in $DEBS (apt-get download docker.io containerd runc)"
    fi
    dpkg-deb -x "$deb" "$WORK/root"
  done
  [ -x "$WORK/root/usr/sbin/dockerd" ] || fail "the docker.io package holds no usr/sbin/dockerd"
  [ -x "$WORK/root/usr/bin/docker" ] || fail "no docker CLI: also apt-get download docker-cli"
fi
export PATH="$WORK/root/usr/bin:$WORK/root/usr/sbin:$WORK/root/sbin:$PATH"

cleanup() {
  if [ "$DRY" = 1 ]; then return; fi
  if [ "$KEEP" = 0 ]; then
    "$WORK/root/usr/bin/docker" --host "unix://$SOCK" rm -f "$NAME" >/dev/null 2>&1 || true
  fi
  if [ -f "$WORK/dockerd.pid" ]; then
    kill "$(cat "$WORK/dockerd.pid")" 2>/dev/null || true
    sleep 2
  fi
  if [ "$KEEP" = 0 ]; then
    umount -R "$WORK/exec" 2>/dev/null || true
    rm -rf "$WORK/data" "$WORK/exec" "$WORK/root" "$WORK/rootfs"
  fi
}
trap cleanup EXIT

step "2. start dockerd in its own network namespace (containers use --network none)"
DOCKERD=(unshare --net --fork -- "$WORK/root/usr/sbin/dockerd"
  --host "unix://$SOCK" --data-root "$WORK/data" --exec-root "$WORK/exec" --pidfile "$WORK/dockerd.pid"
  --bridge none --iptables=false --ip6tables=false --userland-proxy=false)
if [ "$DRY" = 1 ]; then
  run "${DOCKERD[@]}"
else
  "${DOCKERD[@]}" >"$WORK/dockerd.log" 2>&1 &
  for _ in $(seq 1 60); do
    if docker --host "unix://$SOCK" version >/dev/null 2>&1; then break; fi
    sleep 1
  done
  if ! docker --host "unix://$SOCK" version >/dev/null 2>&1; then
    cp "$WORK/dockerd.log" "$OUT/dockerd-failure.log" || true
    fail "dockerd did not come up within 60 s; its log is in $OUT/dockerd-failure.log: $(tail -n 3 "$WORK/dockerd.log" | tr '\n' ' ')"
  fi
  docker --host "unix://$SOCK" info --format '{{json .}}' >"$OUT/docker-info.json"
fi

step "3. a small rootfs image (symlinks into the host's /usr, mounted read-only at run time)"
if [ "$DRY" = 1 ]; then
  echo "+ mkdir rootfs with bin -> usr/bin, lib -> usr/lib, lib64 -> usr/lib64, sbin -> usr/sbin, etc/, tmp/"
  echo "+ tar -C rootfs -c . | docker import - $IMAGE"
else
  rm -rf "$WORK/rootfs"
  mkdir -p "$WORK/rootfs/etc" "$WORK/rootfs/tmp" "$WORK/rootfs/proc" "$WORK/rootfs/dev" "$WORK/rootfs/sys" "$WORK/rootfs/usr"
  for d in bin lib lib64 sbin; do ln -s "usr/$d" "$WORK/rootfs/$d"; done
  printf 'root:x:0:0:root:/root:/bin/sh\n' >"$WORK/rootfs/etc/passwd"
  tar -C "$WORK/rootfs" -c . | docker --host "unix://$SOCK" import - "$IMAGE" >/dev/null
fi

step "4. the CUDA process (python3 + ctypes on libcuda, or PyTorch with --torch)"
PROC="$WORK/cuda_proc.py"
if [ "$DRY" = 0 ]; then
  if [ "$TORCH" = 1 ]; then
    cat >"$PROC" <<'PY'
import sys, time
import torch
x = torch.ones(128 * 1024 * 1024, device="cuda")  # 512 MiB
print("ready", torch.cuda.get_device_name(0), flush=True)
time.sleep(int(sys.argv[1]) if len(sys.argv) > 1 else 600)
PY
  else
    cat >"$PROC" <<'PY'
import ctypes, sys, time
cuda = ctypes.CDLL("libcuda.so.1")
def ok(r, what):
    if r != 0:
        print(what, "failed:", r, flush=True)
        sys.exit(1)
ok(cuda.cuInit(0), "cuInit")
dev = ctypes.c_int()
ok(cuda.cuDeviceGet(ctypes.byref(dev), 0), "cuDeviceGet")
ctx = ctypes.c_void_p()
ok(cuda.cuCtxCreate_v2(ctypes.byref(ctx), 0, dev), "cuCtxCreate")
ptr = ctypes.c_uint64()
ok(cuda.cuMemAlloc_v2(ctypes.byref(ptr), ctypes.c_size_t(512 << 20)), "cuMemAlloc")
print("ready", flush=True)
time.sleep(int(sys.argv[1]) if len(sys.argv) > 1 else 600)
PY
  fi
  # /dev/nvidia-uvm appears once something initialises CUDA on the host (nvidia-modprobe, run by libcuda).
  python3 -c 'import ctypes; ctypes.CDLL("libcuda.so.1").cuInit(0)' || true
fi

# Device nodes: the GPU asked for, the control and UVM nodes.
DEVICES=(--device "/dev/nvidia$GPU" --device /dev/nvidiactl)
for n in /dev/nvidia-uvm /dev/nvidia-uvm-tools /dev/nvidia-modeset; do
  if [ -e "$n" ] || [ "$DRY" = 1 ]; then DEVICES+=(--device "$n"); fi
done
# The driver's user-space libraries, passed explicitly (what the NVIDIA hook would mount), into a folder of
# the image's own root: never under /usr, which is the host's, bound read-only (runc cannot create mount
# points inside a read-only bind: "read-only file system").
NVLIB=/gpuc-nvidia/lib64
LIBS=()
if [ "$DRY" = 1 ]; then
  LIBS=(-v "/usr/lib/x86_64-linux-gnu/libcuda.so.1:$NVLIB/libcuda.so.1:ro")
else
  # 64-bit only (a 32-bit copy has the same name), one per name.
  while read -r lib; do
    LIBS+=(-v "$lib:$NVLIB/$(basename "$lib"):ro")
  done < <(ldconfig -p |
    awk '/libcuda\.so\.1 |libnvidia-ml\.so\.1 |libnvidia-ptxjitcompiler\.so\.1 / && /x86-64|AArch64|64bit/ {print $NF}' |
    awk -F/ '!seen[$NF]++')
  [ "${#LIBS[@]}" -gt 0 ] || fail "ldconfig -p lists no 64-bit libcuda.so.1: the driver's libraries are not installed"
fi
for spec in "${LIBS[@]}"; do
  case "$spec" in
    *:/usr/*) fail "a library mount under the read-only /usr: $spec" ;;
  esac
done

dockercli run -d --name "$NAME" --network none \
  --label gpu-containers.owner="${SUDO_USER:-root}" --label gpu-containers.created-by=gpu-e2e \
  "${DEVICES[@]}" "${LIBS[@]}" \
  -e LD_LIBRARY_PATH="$NVLIB" -e PYTHONDONTWRITEBYTECODE=1 \
  -v /usr:/usr:ro -v "$PROC:/cuda_proc.py:ro" \
  "$IMAGE" python3 /cuda_proc.py 600

if [ "$DRY" = 0 ]; then
  for _ in $(seq 1 60); do
    if docker --host "unix://$SOCK" logs "$NAME" 2>&1 | grep -q '^ready'; then break; fi
    if [ "$(docker --host "unix://$SOCK" inspect -f '{{.State.Running}}' "$NAME")" != true ]; then
      docker --host "unix://$SOCK" logs "$NAME" >"$OUT/cuda-process-failure.log" 2>&1 || true
      fail "the CUDA process exited: $(tail -n 3 "$OUT/cuda-process-failure.log" | tr '\n' ' ')"
    fi
    sleep 1
  done
  docker --host "unix://$SOCK" logs "$NAME" >"$OUT/cuda-process.log" 2>&1
  grep -q '^ready' "$OUT/cuda-process.log" || fail "the CUDA process did not get ready in 60 s"
fi

step "5. nvidia-smi's view, kept as fixtures"
if [ "$DRY" = 1 ]; then
  echo "+ nvidia-smi > nvidia-smi.txt; --query-gpu > query-gpu.csv; --query-compute-apps > query-apps.csv; -L; topo -m"
  echo "+ cat /proc/<pid of the CUDA process>/cgroup > cgroup.txt"
else
  nvidia-smi >"$OUT/nvidia-smi.txt" 2>&1 || true
  nvidia-smi "${SMI_QUERY[@]}" >"$OUT/query-gpu.csv"
  nvidia-smi --query-compute-apps=gpu_uuid,pid,used_memory --format=csv,noheader,nounits >"$OUT/query-apps.csv"
  nvidia-smi -L >"$OUT/nvidia-smi-L.txt" 2>&1 || true
  nvidia-smi topo -m >"$OUT/topo-m.txt" 2>&1 || true
  pid="$(docker --host "unix://$SOCK" inspect -f '{{.State.Pid}}' "$NAME")"
  # The python process is the container's init here; nvidia-smi lists host PIDs.
  cat "/proc/$pid/cgroup" >"$OUT/cgroup.txt"
  docker --host "unix://$SOCK" inspect "$NAME" >"$OUT/container-inspect.json"
fi

step "6. the extension's core maps the process to the container, its memory, and the GPU as held"
run node "$REPO/scripts/gpu-e2e-check.mjs" --host "unix://$SOCK" --name "$NAME" --gpu "$GPU" --out "$OUT"

if [ "$DRY" = 0 ]; then
  echo
  echo "gpu-e2e: OK — outputs in $OUT"
fi
