import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { containerIdFromCgroup } from '../../../src/core/gpu/cgroup';
import { fixture } from './fixtures';

const C1 = 'd0f631ca1ddba8db3bcfcb9e057cdc98d0379f1bee00e75a545147a27dadd982';
const C2 = '9c0abe51c6e6655d81de2d044d4fb194931f058c0426c67c7285d8f5657ed64a';
const C3 = '7c1c97df17c066924822b0af09a65251554962c61e23329aed04cd19020dc3b8';
const P1 = '17c132990e8e8523ccd403287b6ae761c1cd57f764df278bce7ed310bbddd7f1';
const P2 = '3f8a5c1e2b7d4f6a9c0e1d2b3a4f5e6d7c8b9a0f1e2d3c4b5a6f7e8d9c0b1a2f';
const P3 = 'b44a0d5f2a6c1e9d8b7f3a2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e';
const OUTER = '560e3e12b1e0dafa161e62fb3327ad65c98b7cd53849b17c627e8d3e1d419d6a';

void describe('containerIdFromCgroup', () => {
  const cases: [string, unknown, string | undefined][] = [
    ['v1 docker (12:memory:/docker/<id>)', fixture('synthetic/cgroup-v1-docker.txt'), C1],
    ['v2 systemd (docker-<id>.scope)', fixture('synthetic/cgroup-v2-systemd.txt'), C2],
    ['v2 cgroupfs (0::/docker/<id>)', fixture('synthetic/cgroup-v2-cgroupfs.txt'), C3],
    ['rootless', fixture('synthetic/cgroup-v2-rootless.txt'), C2],
    ['docker in docker: the outer id', fixture('synthetic/cgroup-dind.txt'), OUTER],
    ['one v1 line', `12:memory:/docker/${C1}`, C1],
    ['uppercase hex is lowered', `0::/docker/${C1.toUpperCase()}`, C1],
    ['CRLF', `0::/docker/${C3}\r\n`, C3],
    ['nested path below the scope', `0::/system.slice/docker-${C2}.scope/init`, C2],
    ['real H100, not in a container', fixture('h100/cgroup.txt'), undefined],
    ['kubepods / containerd', fixture('synthetic/cgroup-kubepods.txt'), undefined],
    ['kubepods v1 with a bare 64-hex id', fixture('synthetic/cgroup-kubepods-v1.txt'), undefined],
    ['podman v2 systemd (libpod-<id>.scope/container)', fixture('synthetic/cgroup-podman.txt'), P1],
    ['podman rootless v2 (user@1001.service/…/libpod-<id>.scope)', fixture('synthetic/cgroup-podman-rootless.txt'), P2],
    ['podman v1 systemd (machine.slice/libpod-<id>.scope)', fixture('synthetic/cgroup-podman-v1-systemd.txt'), P3],
    ['podman v1 cgroupfs (/libpod_parent/libpod-<id>)', fixture('synthetic/cgroup-podman-v1-cgroupfs.txt'), P3],
    ['podman v2 cgroupfs (0::/libpod_parent/libpod-<id>)', fixture('synthetic/cgroup-podman-v2-cgroupfs.txt'), P1],
    ['podman pod: the container, not the pod', fixture('synthetic/cgroup-podman-pod.txt'), P2],
    [
      'podman look-alikes (conmon, pod slice, short, suffixed)',
      fixture('synthetic/cgroup-podman-lookalike.txt'),
      undefined,
    ],
    ['podman inside docker: the outer (docker) id', `0::/docker/${C1}/libpod_parent/libpod-${P1}`, C1],
    ['look-alikes', fixture('synthetic/cgroup-lookalike.txt'), undefined],
    ['host process', '0::/user.slice/user-1000.slice/session-3.scope\n', undefined],
    ['a docker path outside a cgroup line', `pid=1 /docker/${C1}`, undefined],
    ['empty', '', undefined],
    ['undefined', undefined, undefined],
    ['number', 12, undefined],
  ];
  for (const [name, input, want] of cases) void test(name, () => assert.equal(containerIdFromCgroup(input), want));
});
