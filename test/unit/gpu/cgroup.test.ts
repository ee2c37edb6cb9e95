import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { containerIdFromCgroup } from '../../../src/core/gpu/cgroup';
import { fixture } from './fixtures';

const C1 = 'd0f631ca1ddba8db3bcfcb9e057cdc98d0379f1bee00e75a545147a27dadd982';
const C2 = '9c0abe51c6e6655d81de2d044d4fb194931f058c0426c67c7285d8f5657ed64a';
const C3 = '7c1c97df17c066924822b0af09a65251554962c61e23329aed04cd19020dc3b8';
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
    ['podman', fixture('synthetic/cgroup-podman.txt'), undefined],
    ['look-alikes', fixture('synthetic/cgroup-lookalike.txt'), undefined],
    ['host process', '0::/user.slice/user-1000.slice/session-3.scope\n', undefined],
    ['a docker path outside a cgroup line', `pid=1 /docker/${C1}`, undefined],
    ['empty', '', undefined],
    ['undefined', undefined, undefined],
    ['number', 12, undefined],
  ];
  for (const [name, input, want] of cases) void test(name, () => assert.equal(containerIdFromCgroup(input), want));
});
