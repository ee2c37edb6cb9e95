import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ALL_CAPABILITIES,
  CAPABILITIES,
  COMMAND_CAPABILITY,
  backendOf,
  cannotMessage,
  capabilityFlags,
  describeBackend,
  isEngineError,
  lackingContextKey,
  missingCapabilities,
  openEngine,
  type Capability,
  type ContainerSummary,
  type Endpoint,
  type Engine,
} from '../../../src/core/docker';
import { KUBE_CAPABILITIES } from '../../../src/core/kube/kubeUnsupported';
import { containerContextValue } from '../../../src/core/tree/containerRows';
import { imageContextValue } from '../../../src/core/tree/imageRows';
import { hostContextValue } from '../../../src/core/hosts/tree';

const ROOT = path.resolve(__dirname, '../../../..');
const docker: Endpoint = {
  host: 'unix:///nonexistent/docker.sock',
  kind: 'unix',
  socketPath: '/nonexistent/docker.sock',
  terminalEnv: {},
} as Endpoint;
const podman: Endpoint = { ...docker, engine: 'podman' };
const kube: Endpoint = {
  host: 'kubernetes://ctx/ns',
  kind: 'kubernetes',
  engine: 'kubernetes',
  terminalEnv: {},
  kube: { kubeconfig: '/nonexistent/kubeconfig', context: 'ctx', namespace: 'ns' },
} as Endpoint;

function opened(e: Endpoint): Engine {
  return openEngine(e, { env: { KUBECONFIG: '/nonexistent/kubeconfig' } }).engine;
}

describe('engine capabilities, declared per backend', () => {
  it('Docker and Podman declare everything; Kubernetes declares none of the optional operations', () => {
    for (const e of [docker, podman]) {
      const engine = opened(e);
      assert.deepEqual(missingCapabilities(engine.capabilities), [], e.engine ?? 'docker');
      engine.dispose();
    }
    const k = opened(kube);
    assert.deepEqual(missingCapabilities(k.capabilities), [...CAPABILITIES]);
    assert.equal(k.capabilities, KUBE_CAPABILITIES);
    k.dispose();
  });

  it('every capability Kubernetes lacks is an engine call that rejects (build runs the CLI: no engine call)', async () => {
    const k = opened(kube);
    const calls: Record<Exclude<Capability, 'build'>, Array<() => Promise<unknown>>> = {
      images: [() => k.removeImage('x'), () => k.tagImage('x', 'y', 'z')],
      pull: [() => k.pullImage('x', () => undefined)],
      saveLoad: [() => k.exportImages(['x'])],
      push: [() => k.pushImage('x', 'y', {})],
      commit: [() => k.commitContainer('x', { repo: 'r', tag: 't' })],
      restartInPlace: [() => k.restartContainer('x')],
    };
    for (const [cap, fns] of Object.entries(calls)) {
      for (const fn of fns) await assert.rejects(fn(), (err) => isEngineError(err), cap);
    }
    k.dispose();
  });

  it('the registry keys backends by the host kind, dockerd when the address does not say', () => {
    assert.notEqual(backendOf(docker), backendOf(podman));
    assert.notEqual(backendOf(docker), backendOf(kube));
    assert.equal(backendOf({ ...docker, engine: undefined }), backendOf({ ...docker, engine: 'docker' }));
    assert.equal(describeBackend(kube), 'a Kubernetes cluster');
    assert.equal(describeBackend(podman), 'a Podman engine');
  });

  it('the refusal names the host and what it is', () => {
    const m = cannotMessage('saveLoad', 'alice-k8s', describeBackend(kube));
    assert.match(m, /^alice-k8s is a Kubernetes cluster: it has no images to save/);
    for (const c of CAPABILITIES)
      assert.match(cannotMessage(c, 'h', 'a Kubernetes cluster'), /^h is a Kubernetes cluster: /);
  });
});

describe('context values carry what the host can do', () => {
  const c = {
    id: 'abc',
    name: 'x',
    state: 'running',
    labels: {},
    image: 'i',
    ports: [],
  } as unknown as ContainerSummary;

  it('a Docker row carries can-commit and can-restartInPlace; a pod row does not', () => {
    const d = containerContextValue(c, 'me', ALL_CAPABILITIES);
    const k = containerContextValue(c, 'me', KUBE_CAPABILITIES);
    assert.match(d, /^runningContainer;/);
    assert.match(d, /;can-commit(;|$)/);
    assert.match(d, /;can-restartInPlace(;|$)/);
    assert.equal(k, 'runningContainer');
    assert.equal(containerContextValue(c, 'me'), 'runningContainer', 'no host known: the row as before');
  });

  it('image rows and host nodes carry the flags after their own', () => {
    const row = { image: { id: 'sha', tags: ['a:1'] }, tag: 'a:1' } as never;
    assert.match(imageContextValue(row, ALL_CAPABILITIES), /^image;tagged;can-images;can-pull/);
    const ok = { name: 'k', state: { kind: 'ok' } } as never;
    assert.equal(hostContextValue(ok, false, KUBE_CAPABILITIES), 'host;ok');
    assert.equal(
      hostContextValue(ok, true, ALL_CAPABILITIES),
      `host;ok;local;${capabilityFlags(ALL_CAPABILITIES).join(';')}`,
    );
  });
});

describe('package.json: every menu entry of a capability-gated command hides on a host that cannot', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    contributes: {
      menus: Record<string, Array<{ command?: string; when?: string }>>;
      commands: Array<{ command: string }>;
    };
  };
  const regexes = (when: string): RegExp[] =>
    [...when.matchAll(/viewItem =~ \/((?:\\\/|[^/])*)\//g)].map((m) => new RegExp(m[1].replace(/\\\//g, '/')));

  it('names only contributed commands', () => {
    const ids = new Set(pkg.contributes.commands.map((c) => c.command));
    for (const id of Object.keys(COMMAND_CAPABILITY)) assert.ok(ids.has(id), id);
  });

  it('row menus match can-<capability>; view title and Explorer menus hide on gpuContainers.no.<capability>', () => {
    let checked = 0;
    for (const [menu, entries] of Object.entries(pkg.contributes.menus)) {
      if (menu === 'commandPalette') continue; // the palette runs it, and the dispatcher says why not
      for (const e of entries) {
        const cap = e.command ? COMMAND_CAPABILITY[e.command] : undefined;
        if (!cap) continue;
        checked++;
        const when = e.when ?? '';
        if (menu === 'view/item/context') {
          const gate = regexes(when).filter((r) => r.source.includes(`can-${cap}`));
          assert.equal(gate.length, 1, `${menu} ${e.command}: ${when}`);
          assert.ok(gate[0].test(`x;${capabilityFlags(ALL_CAPABILITIES).join(';')}`), `${e.command} shows on Docker`);
          assert.ok(!gate[0].test(`runningContainer;mine;gpu`), `${e.command} hides on Kubernetes`);
        } else {
          assert.ok(when.includes(`!${lackingContextKey(cap)}`), `${menu} ${e.command}: ${when}`);
        }
      }
    }
    assert.ok(checked >= 12, `checked ${checked}`);
  });

  it('the flags appended to a running Docker row still match every container menu that showed before', () => {
    const c = {
      id: 'a',
      name: 'x',
      state: 'running',
      labels: {},
      image: 'i',
      ports: [],
    } as unknown as ContainerSummary;
    const value = containerContextValue(c, 'me', ALL_CAPABILITIES);
    const shown = pkg.contributes.menus['view/item/context'].filter((e) => {
      const rs = regexes(e.when ?? '');
      return (e.when ?? '').includes('view == gpuContainers.containers') && rs.some((r) => r.test(value));
    });
    for (const id of ['attachTerminal', 'stop', 'restart', 'commitContainer', 'remove', 'inspect'])
      assert.ok(
        shown.some((e) => e.command === `gpuContainers.${id}`),
        id,
      );
  });
});
