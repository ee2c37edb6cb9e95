import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_GRACE_SECONDS,
  POD_GONE_MARGIN_MS,
  podGoneDeadlineMs,
  podGoneProbeDelayMs,
  podNotGoneMessage,
} from '../../../src/core/kube/podGone';
import type { Pod } from '../../../src/core/kube/kubeTypes';

function pod(meta: Partial<Pod['metadata']> = {}, spec: Partial<Pod['spec']> = {}): Pod {
  return {
    metadata: { name: 'alice-bert', ...meta },
    spec: { containers: [{ name: 'main', image: 'x' }], ...spec },
  };
}

describe('podGone: how long a deleted pod may take to go', () => {
  it("the deletion's grace wins over the spec's, plus the margin", () => {
    const p = pod({ deletionGracePeriodSeconds: 5 }, { terminationGracePeriodSeconds: 10 });
    assert.equal(podGoneDeadlineMs(p), 5_000 + POD_GONE_MARGIN_MS);
  });

  it("the spec's grace when the deletion set none (the profiles' pods: 10 s → 40 s)", () => {
    assert.equal(podGoneDeadlineMs(pod({}, { terminationGracePeriodSeconds: 10 })), 40_000);
  });

  it("the API server's default grace for a pod that says none, and for a pod that could not be read", () => {
    assert.equal(podGoneDeadlineMs(pod()), DEFAULT_GRACE_SECONDS * 1000 + POD_GONE_MARGIN_MS);
    assert.equal(podGoneDeadlineMs(undefined), 60_000);
  });

  it('a given margin (the tests), never negative', () => {
    assert.equal(podGoneDeadlineMs(pod({ deletionGracePeriodSeconds: 0 }), 2_000), 2_000);
    assert.equal(podGoneDeadlineMs(pod({ deletionGracePeriodSeconds: -3 }), -1), 0);
  });

  it('direct reads back off from 1 s to every 5 s', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 10].map(podGoneProbeDelayMs), [1000, 2000, 4000, 5000, 5000, 5000]);
  });
});

describe('podGone: what is said when it does not go', () => {
  it('finalizers: named, with the kubectl command that shows them', () => {
    const m = podNotGoneMessage('alice-bert', 'alice', 40_000, {
      pod: pod({ finalizers: ['example.com/a', 'example.com/b'] }),
    });
    assert.match(m, /^The pod alice-bert is still there 40 s after it was deleted/);
    assert.match(m, /finalizers \(example\.com\/a, example\.com\/b\)/);
    assert.match(m, /kubectl get pod alice-bert -n alice -o yaml/);
  });

  it('no finalizers: its node may not be answering, and how to force it', () => {
    const m = podNotGoneMessage('alice-bert', 'alice', 40_400, { pod: pod({}, { nodeName: 'node-a' }) });
    assert.match(m, /still terminating 40 s after it was deleted; its node \(node-a\)/);
    assert.match(m, /kubectl delete pod alice-bert -n alice --grace-period=0 --force/);
  });

  it('the cluster could not be asked: its error, and how to look', () => {
    const m = podNotGoneMessage('alice-bert', 'alice', 60_000, { error: 'connect ECONNREFUSED' });
    assert.match(m, /cannot say whether it is gone \(connect ECONNREFUSED\)/);
    assert.match(m, /kubectl get pod alice-bert -n alice,/);
  });
});
