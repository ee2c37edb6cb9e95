#!/usr/bin/env bash
# Remote hosts over ssh, on this machine, for the ssh transport's tests and bench (HARNESS §4). Idempotent
# and fast when already up:
#   - Debian's openssh-server; a client key (no passphrase, no agent needed) in authorized_keys;
#   - sshd #1 on 127.0.0.1:2222 (the main engine), sshd #2 on 127.0.0.1:2223 whose sessions get
#     DOCKER_HOST=unix:///run/gpuc2/docker.sock (a second dockerd in its own network namespace `gpuc2`,
#     with the test images copied in);
#   - ssh config aliases in a rig-owned file included from ~/.ssh/config:
#       gpuc-test        127.0.0.1:2222, User/IdentityFile/UserKnownHostsFile from the config (no user@)
#       gpuc-jump        the same sshd reached through ProxyJump gpuc-test
#       gpuc-unknownkey  the same sshd with an empty known_hosts and StrictHostKeyChecking yes
#       gpuc-host2       127.0.0.1:2223 (sees only the second dockerd)
#       gpuc-flaky       127.0.0.1:2224, an sshd the tests start and stop themselves (config only here)
set -euo pipefail
CACHE="${GPU_CONTAINERS_DEV_CACHE:-$HOME/.cache/gpu-containers-dev}"
R="$CACHE/ssh"
D2=/run/gpuc2
mkdir -p "$R" "$HOME/.ssh"
chmod 700 "$HOME/.ssh"
log() { echo "[rig:ssh] $*"; }

if [ ! -x /usr/sbin/sshd ]; then
  log "apt-get install openssh-server"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q openssh-server >"$R/apt.log" 2>&1 ||
    { apt-get update -q >>"$R/apt.log" 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q openssh-server >>"$R/apt.log" 2>&1; } ||
    { tail -20 "$R/apt.log"; exit 1; }
fi
ls /etc/ssh/ssh_host_*_key >/dev/null 2>&1 || ssh-keygen -A >/dev/null
mkdir -p /run/sshd
[ -f "$R/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C gpuc-rig -f "$R/id_ed25519"
touch "$HOME/.ssh/authorized_keys"
chmod 600 "$HOME/.ssh/authorized_keys"
grep -qF "$(cat "$R/id_ed25519.pub")" "$HOME/.ssh/authorized_keys" || cat "$R/id_ed25519.pub" >>"$HOME/.ssh/authorized_keys"
USER_NAME="$(id -un)"

# port, name, extra config lines
sshd_config() {
  cat >"$R/sshd_$2.conf" <<CONF
Port $1
ListenAddress 127.0.0.1
PidFile $R/sshd_$2.pid
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AuthorizedKeysFile .ssh/authorized_keys
UsePAM no
AllowTcpForwarding yes
$3
CONF
}
start_sshd() { # name
  local pid
  pid="$(cat "$R/sshd_$1.pid" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then return 0; fi
  /usr/sbin/sshd -f "$R/sshd_$1.conf" -E "$R/sshd_$1.log"
  log "sshd $1 started"
}
sshd_config 2222 main ""
sshd_config 2223 host2 "SetEnv DOCKER_HOST=unix://$D2/docker.sock"
sshd_config 2224 flaky ""
start_sshd main

# The second dockerd, in its own network namespace (never --bridge none in the main one).
if ! DOCKER_HOST="unix://$D2/docker.sock" docker info >/dev/null 2>&1; then
  mkdir -p "$D2"
  ip netns list 2>/dev/null | grep -qw gpuc2 || { ip netns add gpuc2 && ip netns exec gpuc2 ip link set lo up; }
  log "starting dockerd #2 (netns gpuc2)"
  nsenter --net=/var/run/netns/gpuc2 setsid dockerd --data-root "$CACHE/gpuc2-data" --exec-root "$D2/exec" \
    --pidfile "$D2/docker.pid" -H "unix://$D2/docker.sock" >"$R/dockerd2.log" 2>&1 </dev/null &
  for i in $(seq 1 60); do
    DOCKER_HOST="unix://$D2/docker.sock" docker info >/dev/null 2>&1 && break
    [ "$i" = 60 ] && { tail -20 "$R/dockerd2.log"; log "dockerd #2 did not answer in 30 s"; exit 1; }
    sleep 0.5
  done
fi
for img in gpu-containers-test/busybox:1 gpu-containers-test/bash:1; do
  if docker image inspect "$img" >/dev/null 2>&1 &&
    ! DOCKER_HOST="unix://$D2/docker.sock" docker image inspect "$img" >/dev/null 2>&1; then
    docker save "$img" | DOCKER_HOST="unix://$D2/docker.sock" docker load -q >/dev/null
  fi
done
start_sshd host2

: >"$R/known_hosts.empty"
cat >"$R/ssh_config" <<CONF
# Written by scripts/rig/ssh.sh (GPU Containers test rig); included from ~/.ssh/config.
# ssh takes the first value it finds for each option: specific blocks before the common one.
Host gpuc-test gpuc-jump gpuc-unknownkey
  Port 2222
Host gpuc-jump
  ProxyJump gpuc-test
Host gpuc-unknownkey
  UserKnownHostsFile $R/known_hosts.empty
  StrictHostKeyChecking yes
Host gpuc-host2
  Port 2223
Host gpuc-flaky
  Port 2224
Host gpuc-test gpuc-jump gpuc-unknownkey gpuc-host2 gpuc-flaky
  HostName 127.0.0.1
  User $USER_NAME
  IdentityFile $R/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $R/known_hosts
  StrictHostKeyChecking accept-new
CONF
touch "$HOME/.ssh/config"
# Include must come before any Host block to apply globally: prepend once.
if ! grep -qF "Include $R/ssh_config" "$HOME/.ssh/config"; then
  { echo "Include $R/ssh_config"; cat "$HOME/.ssh/config"; } >"$HOME/.ssh/config.gpuc-tmp"
  mv "$HOME/.ssh/config.gpuc-tmp" "$HOME/.ssh/config"
fi
chmod 600 "$HOME/.ssh/config"
ssh -o BatchMode=yes gpuc-test true && ssh -o BatchMode=yes gpuc-host2 true ||
  { log "ssh to the rig's sshd failed"; exit 1; }
log "ready: gpuc-test gpuc-jump gpuc-unknownkey gpuc-host2 (dockerd #2 at unix://$D2/docker.sock)"
