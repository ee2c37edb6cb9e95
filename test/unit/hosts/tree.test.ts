import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { hostContextValue, hostItem, idOnHost } from '../../../src/core/hosts/tree';

void describe('hostItem', () => {
  void it('reachable: GPU count, then the view’s extra; local/remote icon', () => {
    const m = hostItem(
      { name: 'gpubox', state: { kind: 'ok' }, gpus: { free: 5, total: 8 } },
      { local: false, address: 'ssh://gpubox', extra: '3 running' },
    );
    assert.equal(m.id, 'host:gpubox');
    assert.equal(m.label, 'gpubox');
    assert.equal(m.description, '5 of 8 GPUs free · 3 running');
    assert.equal(m.contextValue, 'host;ok');
    assert.equal(m.icon.id, 'remote-explorer');
    assert.equal(m.tooltip, '**gpubox** ssh://gpubox');
  });
  void it('unreachable: the reason wins over extra; Retry matches its context value', () => {
    const m = hostItem(
      { name: 'b', state: { kind: 'unreachable', reason: 'Connection refused', fix: 'Start *sshd*.' } },
      { local: true, address: 'unix:///x', extra: '3 running' },
    );
    assert.equal(m.description, 'unreachable: Connection refused');
    assert.match(m.contextValue, /^host;unreachable/);
    assert.equal(m.contextValue, 'host;unreachable;local');
    assert.equal(m.icon.color, 'errorForeground');
    assert.equal(m.tooltip, '**b** unix:///x  \nConnection refused  \nStart \\*sshd\\*.');
  });
  void it('connecting and ids', () => {
    assert.equal(hostContextValue({ name: 'x', state: { kind: 'connecting' } }, false), 'host;connecting');
    assert.equal(idOnHost('gpubox', 'sha256:abc'), 'gpubox/sha256:abc');
  });
});

void describe('host node menus (package.json)', () => {
  // Compiled to out/test/unit/hosts; package.json is at the repository root.
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8')) as {
    contributes: { menus: Record<string, Array<{ command: string; when?: string; group?: string }>> };
  };
  const entries = pkg.contributes.menus['view/item/context'].filter((m) => /viewItem =~ \/\^host;/.test(m.when ?? ''));
  const shows = (command: string, view: string, contextValue: string) =>
    entries.some((m) => {
      if (m.command !== command) return false;
      const views = /view =~ \/(.+?)\/ /.exec(m.when ?? '')?.[1];
      const item = /viewItem =~ \/(.+?)\/(?=\s|$)/.exec(m.when ?? '')?.[1];
      return !!views && !!item && new RegExp(views).test(view) && new RegExp(item).test(contextValue);
    });
  const ok = hostContextValue({ name: 'h', state: { kind: 'ok' } }, false);
  const down = hostContextValue({ name: 'h', state: { kind: 'unreachable', reason: 'x' } }, true);
  void it('Retry is inline on an unreachable host in each view, never on a reachable one', () => {
    for (const view of ['gpuContainers.containers', 'gpuContainers.images', 'gpuContainers.gpus']) {
      assert.equal(shows('gpuContainers.retry', view, down), true, view);
      assert.equal(shows('gpuContainers.retry', view, ok), false, view);
      assert.equal(shows('gpuContainers.refresh', view, ok), true, view);
    }
    assert.equal(entries.find((m) => m.command === 'gpuContainers.retry')?.group, 'inline');
  });
});
