import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { watchPods } from '../../../src/core/kube/kubeWatch';
import type { KubeApi, KubeWatchEvent } from '../../../src/core/kube/kubeErrors';
import type { EngineEvent } from '../../../src/core/docker';
import type { Pod } from '../../../src/core/kube/kubeTypes';

const pod = (name: string, phase: string): Pod => ({
  metadata: { name, labels: {} },
  spec: { containers: [{ name: 'main', image: 'x' }] },
  status: { phase: phase as 'Running' },
});

/** A scripted API: each list answers the next list; each watch plays the next script (events, then an end). */
function scripted(
  lists: Array<{ rv: string; pods: Pod[] }>,
  watches: Array<{ events: KubeWatchEvent[]; end: 'close' | 'gone' | 'hang' }>,
) {
  const calls: string[] = [];
  const api: KubeApi = {
    request: <T>(method: string, path: string) => {
      calls.push(`${method} ${path}`);
      const l = lists.shift();
      if (!l) return new Promise<T>(() => undefined);
      return Promise.resolve({ metadata: { resourceVersion: l.rv }, items: l.pods } as T);
    },
    watch: (path, o) => {
      calls.push(`WATCH ${path} rv=${o.resourceVersion}`);
      const w = watches.shift();
      if (!w) return new Promise(() => undefined);
      for (const e of w.events) o.onEvent(e);
      if (w.end === 'gone') return Promise.reject(Object.assign(new Error('too old'), { kind: 'gone', status: 410 }));
      if (w.end === 'hang') return new Promise(() => undefined);
      return Promise.resolve({ resourceVersion: '99' });
    },
    dispose: () => undefined,
  };
  return { api, calls };
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(cond());
}

void describe('the pod watch as engine events', () => {
  void it("lists once, watches from the list's resourceVersion, maps pod changes to create/start/die/destroy", async () => {
    const { api, calls } = scripted(
      [{ rv: '10', pods: [pod('a', 'Pending')] }],
      [
        {
          events: [
            { type: 'MODIFIED', object: pod('a', 'Running') },
            { type: 'ADDED', object: pod('b', 'Pending') },
            { type: 'BOOKMARK', object: { metadata: { resourceVersion: '12' } } },
            { type: 'MODIFIED', object: pod('a', 'Succeeded') },
            { type: 'DELETED', object: pod('a', 'Succeeded') },
          ],
          end: 'hang',
        },
      ],
    );
    const events: EngineEvent[] = [];
    const states: string[] = [];
    const forgot: string[] = [];
    const sub = watchPods(
      { api, path: '/p', endpoint: 'k', namespace: 'n', disposed: () => false, forget: (n) => forgot.push(n) },
      (e) => events.push(e),
      { onState: (s) => states.push(s) },
    );
    await until(() => events.length === 4);
    sub.dispose();
    assert.deepEqual(states, ['connected']);
    assert.deepEqual(calls, ['GET /p', 'WATCH /p rv=10']);
    assert.deepEqual(
      events.map((e) => `${e.action} ${e.id}`),
      ['start a', 'create b', 'die a', 'destroy a'],
    );
    assert.deepEqual(forgot, ['a']);
  });

  void it('a 410 Gone lists again and watches from the new resourceVersion; a closed stream resumes from the last', async () => {
    const { api, calls } = scripted(
      [
        { rv: '10', pods: [] },
        { rv: '50', pods: [] },
      ],
      [
        { events: [], end: 'close' },
        { events: [], end: 'gone' },
        { events: [], end: 'hang' },
      ],
    );
    const states: string[] = [];
    const sub = watchPods(
      { api, path: '/p', endpoint: 'k', namespace: 'n', disposed: () => false, forget: () => undefined },
      () => undefined,
      { onState: (s) => states.push(s) },
    );
    await until(() => calls.length === 5);
    sub.dispose();
    assert.deepEqual(calls, ['GET /p', 'WATCH /p rv=10', 'WATCH /p rv=99', 'GET /p', 'WATCH /p rv=50']);
    assert.deepEqual(states, ['connected', 'disconnected', 'connected']);
  });
});
