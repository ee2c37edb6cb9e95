import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dockerEventChange } from '../../../src/core/docker/eventChange';
import { parseEventLine } from '../../../src/core/docker/imageEventMapping';
import { podEvent } from '../../../src/core/kube/podMapping';

void describe('events in neutral words: what each backend says an event means for the views', () => {
  void it("Docker's actions", () => {
    const c = (a: string) => dockerEventChange('container', a);
    assert.deepEqual(['create', 'stop', 'kill', 'rename', 'update', 'oom', 'restart'].map(c), Array(7).fill('changed'));
    assert.deepEqual(['start', 'die', 'pause', 'unpause'].map(c), Array(4).fill('settled'));
    assert.equal(c('destroy'), 'removed');
    for (const a of ['exec_start: bash -l', 'exec_create: sh', 'attach', 'resize', 'top', 'health_status: healthy'])
      assert.equal(c(a), 'none', a);
    assert.equal(dockerEventChange('image', 'pull'), 'images');
    assert.equal(dockerEventChange('image', 'untag'), 'images');
    assert.equal(dockerEventChange('network', 'connect'), 'none');
  });

  void it('a line of the events stream carries its meaning', () => {
    const line = JSON.stringify({
      Type: 'container',
      Action: 'die',
      Actor: { ID: 'abc', Attributes: {} },
      timeNano: 1,
    });
    assert.equal(parseEventLine(line)?.change, 'settled');
  });

  void it("Kubernetes' watch: added, deleted, running, ended", () => {
    const pod = (phase: string) => ({ metadata: { name: 'p' }, status: { phase } }) as Parameters<typeof podEvent>[1];
    assert.equal(podEvent('ADDED', pod('Pending'), undefined)?.change, 'changed');
    assert.equal(podEvent('DELETED', pod('Running'), 'running')?.change, 'removed');
    assert.equal(podEvent('MODIFIED', pod('Running'), 'created')?.change, 'settled');
    assert.equal(podEvent('MODIFIED', pod('Succeeded'), 'running')?.change, 'settled');
    assert.equal(podEvent('MODIFIED', pod('Running'), 'running')?.change, 'changed');
  });
});
