import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LaunchBlocked, planLaunch } from '../../../src/core/launchPlan';
import { parseProfiles } from '../../../src/core/profiles';
import { IDLE_POLICY_LABEL } from '../../../src/core/docker/labels';

const ctx = { userHome: '/home/tom', user: 'tom', uid: 1000, gid: 1000, env: {}, workspaceFolder: '/work/bert' };
const profile = (raw: Record<string, unknown>) => {
  const { profiles } = parseProfiles([{ name: 'bert', ...raw }]);
  assert.equal(profiles.length, 1);
  return profiles[0];
};

void describe('planLaunch: a launch decided in core', () => {
  void it('gives the name, the create body and no notes for a plain profile', () => {
    const plan = planLaunch(profile({ gpus: 'all', shmSize: '16g', containerName: '${user}-bert' }), 'img:1', ctx);
    assert.equal(plan.name, 'tom-bert');
    assert.equal(plan.image, 'img:1');
    assert.equal(plan.options.Image, 'img:1');
    assert.equal(plan.options.HostConfig?.ShmSize, 16 * 1024 ** 3);
    assert.equal(plan.options.HostConfig?.DeviceRequests?.length, 1);
    assert.deepEqual(plan.notes, []);
    assert.equal(plan.free, undefined);
  });

  void it('stops a profile with errors before anything is asked, naming each field', () => {
    assert.throws(
      () => planLaunch(profile({ gpus: 'all' }), '', ctx),
      (e: unknown) => e instanceof LaunchBlocked && /bert/.test(e.message) && /image/.test(e.message),
    );
  });

  void it('says a name whose variable characters were replaced (a note, not a question)', () => {
    const plan = planLaunch(profile({ containerName: '${user}-${workspaceFolderBasename}' }), 'img:1', {
      ...ctx,
      workspaceFolder: '/work/My Bert',
    });
    assert.equal(plan.name, 'tom-My-Bert');
    assert.equal(plan.notes.length, 1);
    assert.match(plan.notes[0], /^containerName: /);
  });

  void it('carries the idle policy as labels and the "N free GPUs" request', () => {
    const plan = planLaunch(
      profile({ gpus: { free: 2 }, idle: { below: '5%', for: '2h', then: 'stop' } }),
      'img:1',
      ctx,
    );
    assert.ok(plan.options.Labels?.[IDLE_POLICY_LABEL], 'the idle label');
    assert.equal(plan.free?.count, 2);
  });
});
