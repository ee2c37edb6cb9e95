#!/usr/bin/env bash
# A real Kubernetes cluster for tests, on this machine (after scripts/rig/docker.sh, whose test images it
# imports). Idempotent and fast when already up; `bash scripts/rig/k8s.sh stop` stops all it started.
#   - binaries: kube-apiserver, kube-scheduler, kube-controller-manager, kubelet (k8s.io/kubernetes v1.34.4,
#     built from the Go module proxy by scripts/rig/k8s/go.mod) and fakegpu (a stand-in NVIDIA device plugin),
#     built once into $CACHE/k8s/bin (rebuilt when go.mod, go.sum, fakegpu/main.go or the build line change),
#   - etcd (Debian etcd-server) on 127.0.0.1:23790; the apiserver on https://10.203.0.1:16443 (a bridge gpuck0
#     in the root network namespace: reachable from the host and from the nodes), RBAC + Node authorization,
#     scheduler and controller-manager on loopback,
#   - two worker nodes gpuc-node-a / gpuc-node-b, each in its own network namespace (gpuc-k8s-a / -b, a veth on
#     gpuck0: 10.203.0.11 / .12) with its own containerd (Debian 1.6, CRI, CNI bridge) and kubelet (cgroup v1,
#     cgroupfs, no QoS cgroups: see ../shared/HARNESS.md §5), and fakegpu advertising 2 nvidia.com/gpu each
#     (NVIDIA_VISIBLE_DEVICES=GPU-fake-<node>-<i> and /dev/nvidia<i>, a c 1 3 device node),
#     Each node also has its own mount namespace where /var/lib/kubelet is its own directory: the kubelet's
#     device-plugin socket path is fixed, and two kubelets would take it from each other,
#   - the test images (gpu-containers-test/busybox:1, bash:1) in every node's containerd (pods use IfNotPresent),
#   - $CACHE/k8s/kubeconfig (600): contexts gpuc-admin, gpuc-alice (token), gpuc-alice-exec (exec plugin),
#     gpuc-alice-cert (client certificate), gpuc-bob (token), gpuc-nobody (no rights); namespaces alice (alice and
#     bob may use pods, exec, logs, port-forward, events there; read nodes cluster-wide) and team-empty,
#   - readiness: /readyz, every node Ready and untainted with its GPUs allocatable, and a 1-GPU smoke pod
#     Succeeded with the expected log.
# Ports: etcd 127.0.0.1:23790/23800, apiserver 10.203.0.1:16443, scheduler 127.0.0.1:10259, controller-manager
# 127.0.0.1:10257; kubelets (10250) and containerd's streaming servers only inside the nodes' namespaces.
# Logs: $CACHE/k8s/logs; node data: /var/lib/gpu-containers-test/k8s (kept by stop, like etcd's data).
# Writes $CACHE/k8s.env (GPU_CONTAINERS_TEST_KUBECONFIG, _KUBE_NODES, _KUBE_GPUS_PER_NODE).
set -euo pipefail
CACHE="${GPU_CONTAINERS_DEV_CACHE:-$HOME/.cache/gpu-containers-dev}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
K="$CACHE/k8s"
BIN="$K/bin"
PKI="$K/pki"
LOGS="$K/logs"
PIDS="$K/pids"
DATA=/var/lib/gpu-containers-test/k8s # node roots (kubelet, containerd); sockets stay short under /run
STATE=/run/gpu-containers-test/k8s
KUBECONFIG_FILE="$K/kubeconfig"
NODES=(a b)
GPUS=2
API_IP=10.203.0.1
API_PORT=16443
ETCD_PORT=23790
BRIDGE=gpuck0
T0=$(date +%s.%N)
log() { echo "[rig:k8s] $*"; }
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }'; }
node_name() { echo "gpuc-node-$1"; }
node_ns() { echo "gpuc-k8s-$1"; }
node_ip() { case $1 in a) echo 10.203.0.11 ;; b) echo 10.203.0.12 ;; esac; }
node_pod_cidr() { case $1 in a) echo 10.204.1.0/24 ;; b) echo 10.204.2.0/24 ;; esac; }
kc() { kubectl --kubeconfig "$KUBECONFIG_FILE" --context gpuc-admin "$@"; }

# wait_for DESC SECONDS CMD...: polls CMD until it succeeds; fails with DESC after SECONDS.
wait_for() {
  local desc=$1 secs=$2
  shift 2
  local end=$(($(date +%s) + secs))
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$end" ]; then
      log "timed out after ${secs}s waiting for $desc"
      return 1
    fi
    sleep 0.2
  done
}
alive() { # NAME: its pid file names a live process that runs the expected program (pids get reused)
  local pid prog=${1%-[ab]}
  [ "$prog" = mnt ] && prog=sleep
  [ -s "$PIDS/$1.pid" ] && pid=$(cat "$PIDS/$1.pid") && kill -0 "$pid" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$prog"
}
# start NAME -|NODE CMD...: in its own session (and the node's network and mount namespaces), log to
# $LOGS/NAME.log.
start() {
  local name=$1 n=$2
  shift 2
  if [ "$n" = - ]; then
    setsid "$@" >"$LOGS/$name.log" 2>&1 </dev/null 9>&- &
  else
    setsid nsenter --net="/var/run/netns/$(node_ns "$n")" --mount="/proc/$(cat "$PIDS/mnt-$n.pid")/ns/mnt" \
      "$@" >"$LOGS/$name.log" 2>&1 </dev/null 9>&- &
  fi
  echo $! >"$PIDS/$name.pid"
}
running_pid() { # a live process (a zombie waiting for its reaper counts as gone)
  kill -0 "$1" 2>/dev/null && [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" != Z ]
}
stop_many() { # NAME...: SIGTERM to all, 8 s to exit, then SIGKILL
  local name pids=() pid
  for name in "$@"; do
    [ -s "$PIDS/$name.pid" ] || continue
    pid=$(cat "$PIDS/$name.pid")
    running_pid "$pid" && kill "$pid" 2>/dev/null && pids+=("$pid")
    rm -f "$PIDS/$name.pid"
  done
  for pid in "${pids[@]}"; do
    wait_for "process $pid to exit" 8 bash -c "! { kill -0 $pid && [ \"\$(awk '{ print \$3 }' /proc/$pid/stat)\" != Z ]; }" ||
      kill -9 "$pid" 2>/dev/null || true
  done
}
stop_one() { stop_many "$1"; }
fail_with_log() {
  log "$1; last lines of $LOGS/$2.log:"
  tail -25 "$LOGS/$2.log" >&2 || true
  exit 1
}

# ---------------------------------------------------------------------------------------------- stop
# Kills every CRI container of a node's containerd (the shims outlive containerd) and frees their mounts.
kill_node_containers() {
  local n=$1 sock="$STATE/$1/containerd.sock" id
  [ -S "$sock" ] && alive "containerd-$n" || return 0
  for id in $(ctr -a "$sock" -n k8s.io tasks ls -q 2>/dev/null); do
    ctr -a "$sock" -n k8s.io tasks rm -f "$id" >/dev/null 2>&1 || true # SIGKILL, wait, delete
  done
}
unmount_under() { # every mount below $1, deepest first
  local m
  for m in $(awk -v p="$1/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
}
do_stop() {
  local n
  stop_many $(for n in "${NODES[@]}"; do echo "fakegpu-$n" "kubelet-$n"; done)
  for n in "${NODES[@]}"; do kill_node_containers "$n"; done
  stop_many $(for n in "${NODES[@]}"; do echo "containerd-$n"; done)
  stop_many $(for n in "${NODES[@]}"; do echo "mnt-$n"; done) kube-controller-manager kube-scheduler kube-apiserver
  stop_many etcd
  unmount_under "$STATE"
  unmount_under "$DATA"
  for n in "${NODES[@]}"; do
    ip link del "gpuck-$n" 2>/dev/null || true
    [ -e "/var/run/netns/$(node_ns "$n")" ] && ip netns del "$(node_ns "$n")"
  done
  ip link del "$BRIDGE" 2>/dev/null || true
  rm -f "$CACHE/k8s.env"
  log "stopped ($(since "$T0"))"
}
mkdir -p "$BIN" "$PKI" "$LOGS" "$PIDS"
exec 9>"$K/rig.lock" # one start or stop at a time; the daemons are started without this descriptor
flock 9
if [ "${1:-}" = stop ]; then
  do_stop
  exit 0
fi

# ---------------------------------------------------------------------------------------------- packages
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >"$LOGS/apt.log" 2>&1; then
    apt-get update -q >>"$LOGS/apt.log" 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >>"$LOGS/apt.log" 2>&1 ||
      { tail -20 "$LOGS/apt.log"; exit 1; }
  fi
}
apt_install etcd-server containerd runc containernetworking-plugins openssl iproute2
command -v kubectl >/dev/null || { log "kubectl is not on PATH"; exit 1; }
# Debian's etcd-server may start a system etcd; this rig runs its own.

# ---------------------------------------------------------------------------------------------- binaries
# The key covers the module, the stand-in plugin and the exact build line; binaries built by hand with the same
# line can be adopted with `bash scripts/rig/k8s.sh stamp`.
LDFLAGS="-s -w -X k8s.io/component-base/version.gitVersion=v1.34.4 -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=34"
TARGETS=(k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-scheduler
  k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kubelet ./fakegpu)
BUILD_LINE="go build -tags providerless -trimpath -ldflags \"$LDFLAGS\" -o \$CACHE/k8s/bin/ ${TARGETS[*]}"
build_key() {
  { cat "$HERE/k8s/go.mod" "$HERE/k8s/go.sum" "$HERE/k8s/fakegpu/main.go"; echo "$BUILD_LINE"; } | sha256sum | cut -d' ' -f1
}
binaries_ok() {
  local b
  for b in kube-apiserver kube-scheduler kube-controller-manager kubelet fakegpu; do [ -x "$BIN/$b" ] || return 1; done
  [ "$(cat "$BIN/.build-key" 2>/dev/null)" = "$(build_key)" ]
}
if [ "${1:-}" = stamp ]; then
  build_key >"$BIN/.build-key"
  binaries_ok && log "binaries stamped" || { log "binaries missing"; exit 1; }
  exit 0
fi
if ! binaries_ok; then
  command -v go >/dev/null || export PATH="$PATH:/usr/local/go/bin"
  command -v go >/dev/null || { log "Go is needed to build the cluster's binaries (once)"; exit 1; }
  log "building Kubernetes v1.34.4 + fakegpu (once; log: $LOGS/build.log)"
  tb=$(date +%s.%N)
  rm -rf "$K/bin.new"
  mkdir -p "$K/bin.new"
  (cd "$HERE/k8s" && go build -tags providerless -trimpath -ldflags "$LDFLAGS" -o "$K/bin.new/" "${TARGETS[@]}") \
    >"$LOGS/build.log" 2>&1 || fail_with_log "the build failed" build
  log "built in $(since "$tb")"
  # A cluster running on the old binaries is stopped (its data stays) and started again below.
  ls "$PIDS"/*.pid >/dev/null 2>&1 && do_stop
  mv -f "$K/bin.new"/* "$BIN/"
  rmdir "$K/bin.new"
  build_key >"$BIN/.build-key"
fi

# ---------------------------------------------------------------------------------------------- network
# gpuck0 (10.203.0.1/24, root namespace) carries the apiserver; each node's namespace has eth0 on it.
if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
  ip link add "$BRIDGE" type bridge
  ip addr add "$API_IP/24" dev "$BRIDGE"
fi
ip link set "$BRIDGE" up
for n in "${NODES[@]}"; do
  ns=$(node_ns "$n")
  [ -e "/var/run/netns/$ns" ] || ip netns add "$ns"
  if ! ip link show "gpuck-$n" >/dev/null 2>&1; then
    ip -n "$ns" link del eth0 2>/dev/null || true
    ip link add "gpuck-$n" type veth peer name eth0 netns "$ns"
  fi
  ip link set "gpuck-$n" master "$BRIDGE" up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr replace "$(node_ip "$n")/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" route replace default via "$API_IP"
done

# ---------------------------------------------------------------------------------------------- PKI
cert() { # NAME SUBJECT EXTENSIONS: an EC key and a certificate signed by the rig's CA
  [ -s "$PKI/$1.crt" ] && return 0
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$PKI/$1.key" -subj "$2" \
    -out "$PKI/$1.csr" 2>/dev/null
  openssl x509 -req -in "$PKI/$1.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial -days 3650 \
    -extfile <(printf '%s\n' "$3") -out "$PKI/$1.crt" 2>/dev/null
  rm -f "$PKI/$1.csr"
}
umask 077
if [ ! -s "$PKI/ca.crt" ]; then
  rm -f "$PKI"/*
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$PKI/ca.key" \
    -subj /CN=gpuc-k8s-ca -days 3650 -addext keyUsage=critical,keyCertSign,cRLSign -out "$PKI/ca.crt" 2>/dev/null
  openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
  openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
fi
CLIENT="extendedKeyUsage=clientAuth"
cert apiserver /CN=kube-apiserver "subjectAltName=IP:$API_IP,IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
extendedKeyUsage=serverAuth"
cert apiserver-kubelet-client /O=system:masters/CN=kube-apiserver-kubelet-client "$CLIENT"
cert admin /O=system:masters/CN=gpuc-admin "$CLIENT"
cert scheduler /CN=system:kube-scheduler "$CLIENT"
cert controller-manager /CN=system:kube-controller-manager "$CLIENT"
cert alice /CN=alice "$CLIENT"
for n in "${NODES[@]}"; do cert "node-$n" "/O=system:nodes/CN=system:node:$(node_name "$n")" "$CLIENT"; done
if [ ! -s "$PKI/tokens.csv" ]; then
  for u in alice bob nobody; do
    tok=$(openssl rand -hex 24)
    echo "$tok" >"$PKI/$u.token"
    echo "$tok,$u,$u-uid" >>"$PKI/tokens.csv"
  done
fi
b64() { base64 -w0 <"$1"; }
cluster_yaml() {
  printf 'clusters:\n- name: gpuc\n  cluster:\n    server: https://%s:%s\n    certificate-authority-data: %s\n' \
    "$API_IP" "$API_PORT" "$(b64 "$PKI/ca.crt")"
}
component_kubeconfig() { # FILE CERTNAME
  { echo 'apiVersion: v1'; echo 'kind: Config'; cluster_yaml
    printf 'users:\n- name: u\n  user:\n    client-certificate-data: %s\n    client-key-data: %s\n' "$(b64 "$PKI/$2.crt")" "$(b64 "$PKI/$2.key")"
    printf 'contexts:\n- name: c\n  context: {cluster: gpuc, user: u}\ncurrent-context: c\n'
  } >"$1"
}
component_kubeconfig "$PKI/scheduler.kubeconfig" scheduler
component_kubeconfig "$PKI/controller-manager.kubeconfig" controller-manager
for n in "${NODES[@]}"; do component_kubeconfig "$PKI/kubelet-$n.kubeconfig" "node-$n"; done
# The exec credential plugin: prints alice's token as a client.authentication.k8s.io/v1 ExecCredential.
cat >"$K/alice-exec-credential.sh" <<SH
#!/bin/sh
# generated by scripts/rig/k8s.sh: a stand-in for a login plugin (kubeconfig user.exec)
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}\n' "\$(cat '$PKI/alice.token')"
SH
chmod 700 "$K/alice-exec-credential.sh"
{
  echo 'apiVersion: v1'
  echo 'kind: Config'
  cluster_yaml
  echo 'users:'
  printf -- '- name: gpuc-admin\n  user:\n    client-certificate-data: %s\n    client-key-data: %s\n' "$(b64 "$PKI/admin.crt")" "$(b64 "$PKI/admin.key")"
  printf -- '- name: alice\n  user:\n    token: %s\n' "$(cat "$PKI/alice.token")"
  printf -- '- name: alice-exec\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: %s\n      interactiveMode: Never\n' "$K/alice-exec-credential.sh"
  printf -- '- name: alice-cert\n  user:\n    client-certificate-data: %s\n    client-key-data: %s\n' "$(b64 "$PKI/alice.crt")" "$(b64 "$PKI/alice.key")"
  printf -- '- name: bob\n  user:\n    token: %s\n' "$(cat "$PKI/bob.token")"
  printf -- '- name: nobody\n  user:\n    token: %s\n' "$(cat "$PKI/nobody.token")"
  echo 'contexts:'
  echo '- {name: gpuc-admin, context: {cluster: gpuc, user: gpuc-admin, namespace: default}}'
  echo '- {name: gpuc-alice, context: {cluster: gpuc, user: alice, namespace: alice}}'
  echo '- {name: gpuc-alice-exec, context: {cluster: gpuc, user: alice-exec, namespace: alice}}'
  echo '- {name: gpuc-alice-cert, context: {cluster: gpuc, user: alice-cert, namespace: alice}}'
  echo '- {name: gpuc-bob, context: {cluster: gpuc, user: bob, namespace: alice}}'
  echo '- {name: gpuc-nobody, context: {cluster: gpuc, user: nobody, namespace: alice}}'
  echo 'current-context: gpuc-admin'
} >"$KUBECONFIG_FILE.tmp"
mv "$KUBECONFIG_FILE.tmp" "$KUBECONFIG_FILE"
chmod 600 "$KUBECONFIG_FILE"
umask 022

# ---------------------------------------------------------------------------------------------- control plane
started=0
if ! alive etcd; then
  log "starting etcd"
  start etcd - etcd --name gpuc --data-dir "$K/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls http://127.0.0.1:23800 --initial-advertise-peer-urls http://127.0.0.1:23800 \
    --initial-cluster gpuc=http://127.0.0.1:23800 --listen-metrics-urls "" --log-level warn
  started=1
fi
wait_for "etcd health" 30 curl -fsS "http://127.0.0.1:$ETCD_PORT/health" || fail_with_log "etcd did not start" etcd

readyz() { curl -fsS --cacert "$PKI/ca.crt" "https://$API_IP:$API_PORT/readyz"; }
if ! alive kube-apiserver; then
  log "starting kube-apiserver"
  start kube-apiserver - "$BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address "$API_IP" --secure-port "$API_PORT" --advertise-address "$API_IP" \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" --client-ca-file "$PKI/ca.crt" \
    --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$PKI/sa.pub" \
    --service-account-signing-key-file "$PKI/sa.key" --service-cluster-ip-range 10.96.0.0/24 \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction --token-auth-file "$PKI/tokens.csv" \
    --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" \
    --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types InternalIP,Hostname --allow-privileged=true --profiling=false
  started=1
fi
wait_for "the apiserver's /readyz" 120 readyz || fail_with_log "kube-apiserver did not become ready" kube-apiserver

if ! alive kube-scheduler; then
  log "starting kube-scheduler"
  start kube-scheduler - "$BIN/kube-scheduler" --kubeconfig "$PKI/scheduler.kubeconfig" \
    --authentication-kubeconfig "$PKI/scheduler.kubeconfig" --authorization-kubeconfig "$PKI/scheduler.kubeconfig" \
    --leader-elect=false --bind-address 127.0.0.1 --secure-port 10259
fi
if ! alive kube-controller-manager; then
  log "starting kube-controller-manager"
  start kube-controller-manager - "$BIN/kube-controller-manager" \
    --kubeconfig "$PKI/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$PKI/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$PKI/controller-manager.kubeconfig" \
    --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
    --use-service-account-credentials=true --cluster-signing-cert-file "$PKI/ca.crt" \
    --cluster-signing-key-file "$PKI/ca.key" --leader-elect=false --bind-address 127.0.0.1 --secure-port 10257
fi

# ---------------------------------------------------------------------------------------------- images
# One tar of the test images and a sandbox ("pause") image: busybox sleeping (no registry here).
IMAGES=(gpu-containers-test/busybox:1 gpu-containers-test/bash:1)
docker image inspect "${IMAGES[@]}" >/dev/null 2>&1 || bash "$HERE/docker.sh"
images_key=$(docker image inspect -f '{{.Id}}' "${IMAGES[@]}" | sha256sum | cut -c1-16)
if [ "$(cat "$K/images.key" 2>/dev/null)" != "$images_key" ] || [ ! -s "$K/images.tar" ]; then
  log "saving the test images and a sandbox image"
  cid=$(docker create gpu-containers-test/busybox:1)
  docker export "$cid" | docker import -c 'ENTRYPOINT ["/bin/sleep", "2147483647"]' - gpu-containers-test/pause:1 >/dev/null
  docker rm "$cid" >/dev/null
  docker save "${IMAGES[@]}" gpu-containers-test/pause:1 >"$K/images.tar.tmp"
  docker rmi gpu-containers-test/pause:1 >/dev/null
  mv "$K/images.tar.tmp" "$K/images.tar"
  echo "$images_key" >"$K/images.key"
fi

# ---------------------------------------------------------------------------------------------- nodes
containerd_config() { # NODE
  local n=$1
  cat <<TOML
# generated by scripts/rig/k8s.sh
version = 2
root = "$DATA/$n/containerd"
state = "$STATE/$n/containerd"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "$STATE/$n/containerd.sock"
[debug]
  level = "warn"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "docker.io/gpu-containers-test/pause:1"
  restrict_oom_score_adj = true
  disable_apparmor = true
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$DATA/$n/cni"
TOML
}
kubelet_config() { # NODE
  local n=$1
  cat <<YAML
# generated by scripts/rig/k8s.sh
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
containerRuntimeEndpoint: unix://$STATE/$n/containerd.sock
address: $(node_ip "$n")
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: AlwaysAllow}
cgroupDriver: cgroupfs
cgroupsPerQOS: false
enforceNodeAllocatable: []
failSwapOn: false
failCgroupV1: false
oomScoreAdj: 0
localStorageCapacityIsolation: false
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "1Mi", nodefs.available: "1%", nodefs.inodesFree: "1%", imagefs.available: "1%"}
podLogsDir: $DATA/$n/pod-logs
volumePluginDir: $DATA/$n/volume-plugins
clusterDomain: cluster.local
podCIDR: $(node_pod_cidr "$n")
YAML
}
for n in "${NODES[@]}"; do
  mkdir -p "$DATA/$n/cni" "$DATA/$n/dev" "$DATA/$n/kubelet" "$DATA/$n/pod-logs" "$STATE/$n"
  for ((i = 0; i < GPUS; i++)); do [ -c "$DATA/$n/dev/nvidia$i" ] || mknod "$DATA/$n/dev/nvidia$i" c 1 3; done
  cat >"$DATA/$n/cni/10-gpuc.conflist" <<JSON
{"cniVersion": "0.4.0", "name": "gpuc-$n", "plugins": [{"type": "bridge", "bridge": "cni0", "isGateway": true,
 "ipMasq": false, "hairpinMode": true, "ipam": {"type": "host-local", "ranges": [[{"subnet": "$(node_pod_cidr "$n")"}]],
 "routes": [{"dst": "0.0.0.0/0"}], "dataDir": "$DATA/$n/cni-ipam"}}]}
JSON
  containerd_config "$n" >"$DATA/$n/containerd.toml"
  kubelet_config "$n" >"$DATA/$n/kubelet.yaml"
  # The kubelet's device-plugin socket is always /var/lib/kubelet/device-plugins/kubelet.sock: each node gets a
  # mount namespace (held by a sleeping process) where /var/lib/kubelet is its own directory; its containerd,
  # kubelet and fakegpu all run there, so the kubelet's volume mounts are seen by its containers.
  if ! alive "mnt-$n"; then
    for p in "fakegpu-$n" "kubelet-$n" "containerd-$n"; do stop_one "$p"; done
    mkdir -p /var/lib/kubelet
    setsid nsenter --net="/var/run/netns/$(node_ns "$n")" unshare --mount --propagation slave \
      sh -c "mount --bind '$DATA/$n/kubelet' /var/lib/kubelet && exec sleep 2147483647" \
      >"$LOGS/mnt-$n.log" 2>&1 </dev/null 9>&- &
    echo $! >"$PIDS/mnt-$n.pid"
    wait_for "the mount namespace of $(node_name "$n")" 10 \
      grep -q " /var/lib/kubelet " "/proc/$(cat "$PIDS/mnt-$n.pid")/mountinfo" || fail_with_log "no mount namespace" "mnt-$n"
  fi
  if ! alive "containerd-$n"; then
    log "starting containerd on $(node_name "$n")"
    start "containerd-$n" "$n" containerd --config "$DATA/$n/containerd.toml"
  fi
done
for n in "${NODES[@]}"; do
  sock="$STATE/$n/containerd.sock"
  wait_for "containerd on $(node_name "$n")" 30 ctr -a "$sock" version || fail_with_log "containerd did not start" "containerd-$n"
  if [ "$(cat "$DATA/$n/images.key" 2>/dev/null)" != "$images_key" ]; then
    log "importing the test images into $(node_name "$n")"
    ctr -a "$sock" -n k8s.io images import "$K/images.tar" >"$LOGS/import-$n.log" 2>&1 ||
      fail_with_log "image import failed" "import-$n"
    echo "$images_key" >"$DATA/$n/images.key"
  fi
  if ! alive "kubelet-$n"; then
    log "starting kubelet on $(node_name "$n")"
    start "kubelet-$n" "$n" "$BIN/kubelet" --config "$DATA/$n/kubelet.yaml" \
      --kubeconfig "$PKI/kubelet-$n.kubeconfig" --root-dir "$DATA/$n/kubelet" --hostname-override "$(node_name "$n")" \
      --node-ip "$(node_ip "$n")" --node-labels "gpu-containers-test/node=$n"
    started=1
  fi
  if ! alive "fakegpu-$n"; then
    start "fakegpu-$n" "$n" "$BIN/fakegpu" -count "$GPUS" -node "$(node_name "$n")" \
      -dir /var/lib/kubelet/device-plugins -dev-dir "$DATA/$n/dev"
  fi
done

# ---------------------------------------------------------------------------------------------- identities
kc apply -f - >"$LOGS/rbac.log" 2>&1 <<'YAML' || fail_with_log "RBAC apply failed" rbac
apiVersion: v1
kind: Namespace
metadata: {name: alice}
---
apiVersion: v1
kind: Namespace
metadata: {name: team-empty}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: gpuc-pod-user, namespace: alice}
rules:
- {apiGroups: [""], resources: [pods], verbs: [create, get, list, watch, delete]}
- {apiGroups: [""], resources: [pods/exec, pods/portforward], verbs: [create, get]}
- {apiGroups: [""], resources: [secrets], verbs: [create, patch, delete]}
- {apiGroups: [""], resources: [pods/log], verbs: [get, list, watch]}
- {apiGroups: ["", events.k8s.io], resources: [events], verbs: [get, list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: gpuc-pod-users, namespace: alice}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: gpuc-pod-user}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}
- {apiGroup: rbac.authorization.k8s.io, kind: User, name: bob}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: gpuc-node-viewer}
rules:
- {apiGroups: [""], resources: [nodes], verbs: [get, list, watch]}
- {apiGroups: [""], resources: [namespaces], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: gpuc-node-viewers}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: gpuc-node-viewer}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}
- {apiGroup: rbac.authorization.k8s.io, kind: User, name: bob}
YAML

# ---------------------------------------------------------------------------------------------- readiness
node_ready() { # NODE: Ready, no taints, GPUs allocatable
  local out
  out=$(kc get node "$1" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}|{.spec.taints}|{.status.allocatable.nvidia\.com/gpu}') || return 1
  [ "$out" = "True||$GPUS" ]
}
for n in "${NODES[@]}"; do
  wait_for "$(node_name "$n") Ready, untainted, with $GPUS GPUs" 120 node_ready "$(node_name "$n")" || {
    kc get node "$(node_name "$n")" -o jsonpath='{.status.conditions[?(@.type=="Ready")].message} {.spec.taints} {.status.allocatable}' >&2 || true
    echo >&2
    fail_with_log "$(node_name "$n") is not ready" "kubelet-$n"
  }
done
wait_for "the default service account" 60 kc -n default get serviceaccount default ||
  fail_with_log "no default service account" kube-controller-manager

# The smoke pod: one GPU through the device plugin, offline image.
SMOKE=gpuc-rig-smoke
kc -n default delete pod "$SMOKE" --ignore-not-found --grace-period=0 --force >/dev/null 2>&1 || true
kc -n default apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata: {name: $SMOKE, labels: {gpu-containers-test/rig: smoke}}
spec:
  restartPolicy: Never
  automountServiceAccountToken: false
  containers:
  - name: smoke
    image: gpu-containers-test/busybox:1
    imagePullPolicy: IfNotPresent
    command: [sh, -c, 'echo \$NVIDIA_VISIBLE_DEVICES; ls /dev/nvidia*']
    resources: {limits: {nvidia.com/gpu: 1}}
YAML
smoke_done() {
  local phase
  phase=$(kc -n default get pod "$SMOKE" -o jsonpath='{.status.phase}')
  [ "$phase" = Failed ] && return 0
  [ "$phase" = Succeeded ]
}
wait_for "the smoke pod to finish" 90 smoke_done || {
  kc -n default describe pod "$SMOKE" | tail -15 >&2
  log "the smoke pod did not finish"
  exit 1
}
smoke_log=$(kc -n default logs "$SMOKE")
phase=$(kc -n default get pod "$SMOKE" -o jsonpath='{.status.phase} {.spec.nodeName}')
if ! [[ "$phase" == Succeeded* ]] || ! [[ "$smoke_log" =~ ^GPU-fake-gpuc-node-[ab]-([0-9]+)$'\n'/dev/nvidia([0-9]+)$ ]] ||
  [ "${BASH_REMATCH[1]}" != "${BASH_REMATCH[2]}" ]; then
  log "the smoke pod ($phase) logged: $smoke_log"
  exit 1
fi
kc -n default delete pod "$SMOKE" --wait=true >/dev/null
log "smoke pod on ${phase#* }: $(echo "$smoke_log" | tr '\n' ' ')"

cat >"$CACHE/k8s.env" <<ENV
GPU_CONTAINERS_TEST_KUBECONFIG=$KUBECONFIG_FILE
GPU_CONTAINERS_TEST_KUBE_NODES=${#NODES[@]}
GPU_CONTAINERS_TEST_KUBE_GPUS_PER_NODE=$GPUS
ENV
log "ready: ${#NODES[@]} nodes x $GPUS GPUs, kubeconfig $KUBECONFIG_FILE (start $(since "$T0"))"
