import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyProfile, profileFromInspect, toCreateOptions } from '../../../src/core/profiles';
import { CREATE_ORDER } from '../../../src/core/profiles/createOptions';
import { FIELDS, type ProfileKey } from '../../../src/core/profiles/fieldTable';

/** Fields with no `create` hook, and why (each other field adds its part to the Engine API create body). */
const NO_CREATE: Partial<Record<ProfileKey, string>> = {
  name: 'the profile label; createOptions.ts sets it with the owner and created-by labels',
  description: 'text shown next to the profile, not part of the container',
  host: 'chooses where to launch, not what',
  containerName: 'createOptions.ts resolves the name (the default template applies when it is unset)',
  gpuCapabilities: "inside gpus' device request (gpus' hook)",
  idle: 'its label is added by the launch (core/launchPlan.ts), which applies the policy',
  execUser: 'the user of docker exec terminals, not of the container',
  extraFlags: "createOptions.ts applies extraFlags.ts's table over the finished body, after every field",
  runArgs: 'parsed into the fields above; nothing of its own remains',
};

/** Fields with no `inspect` hook, and why (each other field reads itself back from a container's inspect). */
const NO_INSPECT: Partial<Record<ProfileKey, string>> = {
  name: 'profileFromInspect names the profile after the container (or its image)',
  description: 'not part of the container',
  host: 'not part of the container',
  gpuCapabilities: "read back by gpus' hook from the same device request",
  envFile: 'its lines come back in env (the engine keeps no file names)',
  labelFile: 'its lines come back in labels (the engine keeps no file names)',
  execUser: 'not part of the container',
  runArgs: 'read back as the fields it set',
};

void describe('the field table: create and inspect hooks', () => {
  void it('every field has a create hook or a reason not to, and the create order lists exactly the hooks', () => {
    for (const f of FIELDS)
      assert.ok(
        (f.create !== undefined) !== (NO_CREATE[f.key] !== undefined),
        `${f.key}: a create hook, or a reason in NO_CREATE (not both)`,
      );
    assert.deepEqual(
      [...CREATE_ORDER].sort(),
      FIELDS.filter((f) => f.create !== undefined)
        .map((f) => f.key)
        .sort(),
      'CREATE_ORDER lists each field with a create hook once',
    );
  });

  void it('every field has an inspect hook or a reason not to', () => {
    for (const f of FIELDS)
      assert.ok(
        (f.inspect !== undefined) !== (NO_INSPECT[f.key] !== undefined),
        `${f.key}: an inspect hook, or a reason in NO_INSPECT (not both)`,
      );
  });

  void it('the loops are the hooks: a body built by the hooks and read back by them', () => {
    const p = emptyProfile('hooks');
    p.image = 'ubuntu:22.04';
    p.workdir = '/w';
    p.capAdd = ['SYS_PTRACE'];
    const ctx = { user: 'u', uid: 1000, gid: 1000, env: {}, userHome: '/home/u', workspaceFolder: '/ws' };
    const { options } = toCreateOptions(p, ctx);
    assert.equal(options.WorkingDir, '/w');
    assert.deepEqual(options.HostConfig?.CapAdd, ['CAP_SYS_PTRACE']);
    const back = profileFromInspect({ Name: '/c', Config: options, HostConfig: options.HostConfig } as never);
    assert.equal(back.workdir, '/w');
    assert.deepEqual(back.capAdd, ['CAP_SYS_PTRACE']);
    assert.equal(back.image, 'ubuntu:22.04');
  });
});
