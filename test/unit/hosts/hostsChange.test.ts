import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostsChange, hostsReadKey, remoteHostsHint, type HostsRead } from '../../../src/core/hosts/hostsChange';
import type { ResolvedHost } from '../../../src/core/hosts/endpoints';

const host = (name: string, url: string, implicit = false): ResolvedHost => ({
  name,
  spec: { name, host: url, kind: url.startsWith('ssh') ? 'ssh' : 'unix' },
  endpoint: { source: 'setting', host: url, kind: url.startsWith('ssh') ? 'ssh' : 'unix', terminalEnv: {} },
  local: !url.startsWith('ssh'),
  problems: [],
  implicit,
});
const three = [host('local', 'unix:///var/run/docker.sock'), host('lab1', 'ssh://a'), host('lab2', 'ssh://b')];
const one = [host('local', 'unix:///var/run/docker.sock', true)];
const read = (hosts: ResolvedHost[], trusted = true): HostsRead => ({
  key: hostsReadKey(hosts),
  configured: hosts.filter((h) => !h.implicit).length,
  trusted,
});

void describe('hostsChange: what a settings change does to the host list', () => {
  void it('the first read builds the list', () => {
    assert.deepEqual(hostsChange(undefined, read(three), false), { kind: 'rebuild', vanishedInRemote: false });
  });
  void it('an identical read keeps the hosts as they are', () => {
    assert.deepEqual(hostsChange(read(three), read([...three]), true), { kind: 'same' });
  });
  void it('a changed host rebuilds', () => {
    const changed = [three[0], host('lab1', 'ssh://c'), three[2]];
    assert.deepEqual(hostsChange(read(three), read(changed), true), { kind: 'rebuild', vanishedInRemote: false });
  });
  void it('hosts vanishing on a Workspace Trust change are kept (trust cannot change a user setting)', () => {
    assert.deepEqual(hostsChange(read(three, false), read(one, true), true), { kind: 'keep' });
    assert.deepEqual(hostsChange(read(three, false), read(one, true), false), { kind: 'keep' });
  });
  void it('hosts removed in a remote window are dropped, and the window says where the setting goes', () => {
    assert.deepEqual(hostsChange(read(three), read(one), true), { kind: 'rebuild', vanishedInRemote: true });
    assert.deepEqual(hostsChange(read(three), read(one), false), { kind: 'rebuild', vanishedInRemote: false });
  });
  void it('the hint names the Remote settings command', () => {
    const hint = remoteHostsHint('ssh-remote');
    assert.match(hint, /ssh-remote/);
    assert.match(hint, /Preferences: Open Remote Settings \(JSON\)/);
  });
});
