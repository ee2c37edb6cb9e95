import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  importDevcontainer,
  parseJsonc,
  parseProfiles,
  pyxisImage,
  toDstackYaml,
  toProfileSettings,
  toSkyPilotYaml,
  toSlurmSrun,
  tokenizeShellLine,
  type Profile,
} from '../../../src/core/profiles';

const CANARY = 'hf_bridgeCanary0123456789abcdefABCDEF';

function profile(o: Record<string, unknown>): Profile {
  const r = parseProfiles([{ name: 'bert', image: 'nvcr.io/nvidia/pytorch:24.01-py3', ...o }], { source: 'user' });
  assert.deepEqual(r.problems, []);
  return r.profiles[0];
}

const full = () =>
  profile({
    gpus: { free: 2, model: 'H100', minFreeMemory: '40g' },
    shmSize: '16g',
    volumes: ['~/.cache/huggingface:/root/.cache/huggingface', '${workspaceFolder}:/workspace'],
    ports: ['30000:30000'],
    env: { HF_TOKEN: '${env:HF_TOKEN}', MODE: 'fast', LEAKED: CANARY },
    workdir: '/workspace',
    command: 'python train.py --lr 1e-4',
  });

describe('cluster exports (issue 29 item 6)', () => {
  it('Slurm: srun with pyxis, GPUs by count and model, mounts, workdir, env by name, the command', () => {
    const out = toSlurmSrun(full());
    const { args } = tokenizeShellLine(out.text);
    assert.deepEqual(args, [
      'srun',
      '--job-name=bert',
      '--gpus=H100:2',
      '--container-image=nvcr.io#nvidia/pytorch:24.01-py3',
      // (the tokenizer reads the live $HOME / $PWD back as our variables)
      '--container-mounts=${userHome}/.cache/huggingface:/root/.cache/huggingface,${workspaceFolder}:/workspace',
      '--container-workdir=/workspace',
      '--export=ALL,MODE=fast',
      '--container-env=HF_TOKEN,LEAKED,MODE',
      '--pty',
      'python',
      'train.py',
      '--lr',
      '1e-4',
    ]);
    assert.match(out.text, /"--container-mounts=\$\{HOME\}/, 'the home folder stays a live shell variable');
    assert.ok(out.notes.some((n) => n.field === 'shmSize'));
    assert.ok(out.notes.some((n) => n.field === 'ports'));
  });

  it('Slurm: hostile paths and values stay single words', () => {
    const p = profile({
      volumes: ['/data/$(reboot)`x`:/d'],
      env: { A: 'a b;"c"' },
      command: ['echo', "it's; rm -rf /"],
    });
    const { args } = tokenizeShellLine(toSlurmSrun(p).text);
    assert.ok(args.includes('--container-mounts=/data/$(reboot)`x`:/d'), args.join(' | '));
    assert.ok(args.includes('--export=ALL,A=a b;"c"'));
    assert.deepEqual(args.slice(-2), ['echo', "it's; rm -rf /"]);
  });

  it('all GPUs and GPU ids are named, not guessed', () => {
    const all = toSlurmSrun(profile({ gpus: 'all' }));
    assert.doesNotMatch(all.text, /--gpus/);
    assert.ok(all.notes.some((n) => n.field === 'gpus' && /by count/.test(n.message)));
    const ids = toDstackYaml(profile({ gpus: 'device=0,3' }));
    assert.match(ids.text, /gpu: "2"/);
    assert.ok(ids.notes.some((n) => n.field === 'gpus' && /0,3/.test(n.message)));
  });

  it('SkyPilot: image_id docker:, accelerators, ports, envs (null = from the launcher), file mounts, workdir', () => {
    const out = toSkyPilotYaml(full());
    assert.match(out.text, /image_id: docker:nvcr.io\/nvidia\/pytorch:24.01-py3/);
    assert.match(out.text, /accelerators: H100:2/);
    assert.match(out.text, /HF_TOKEN: null/);
    assert.match(out.text, /\/root\/.cache\/huggingface: ~\/.cache\/huggingface/);
    assert.match(out.text, /workdir: \./);
    assert.match(out.text, /run: python train.py --lr 1e-4/);
    const noModel = toSkyPilotYaml(profile({ gpus: 2 }));
    assert.match(noModel.text, /accelerators: GPU_MODEL:2/);
    assert.ok(noModel.notes.some((n) => /GPU_MODEL/.test(n.message)));
  });

  it('dstack: dev-environment with gpu spec, shm_size, env names, ports, volumes', () => {
    const out = toDstackYaml(full());
    for (const re of [/type: dev-environment/, /gpu: H100:40GB..:2/, /shm_size: 16GB/, /- HF_TOKEN\n/, /- 30000/])
      assert.match(out.text, re);
  });

  it('no export writes a secret value', () => {
    for (const f of [toSlurmSrun, toSkyPilotYaml, toDstackYaml]) {
      const out = f(full());
      assert.ok(!out.text.includes(CANARY), f.name);
      assert.ok(!JSON.stringify(out.notes).includes(CANARY), f.name);
      assert.ok(
        out.notes.some((n) => n.field === 'env.LEAKED'),
        f.name,
      );
    }
  });

  it('pyxis image names', () => {
    assert.equal(pyxisImage('ubuntu:22.04'), 'ubuntu:22.04');
    assert.equal(pyxisImage('pytorch/pytorch:2.3'), 'pytorch/pytorch:2.3');
    assert.equal(pyxisImage('nvcr.io/nvidia/pytorch:24.01-py3'), 'nvcr.io#nvidia/pytorch:24.01-py3');
    assert.equal(pyxisImage('localhost:5000/x'), 'localhost:5000#x');
  });
});

describe('devcontainer.json import (issue 29 item 6)', () => {
  it('reads JSONC: comments, // inside strings, trailing commas', () => {
    assert.deepEqual(parseJsonc('{ // c\n "a": "http://x", /* b */ "b": [1,2,], }').value, {
      a: 'http://x',
      b: [1, 2],
    });
    assert.ok(parseJsonc('{ "a": }').error);
  });

  it('image, runArgs, hostRequirements.gpu, mounts, env, ports, users, workspace → a profile', () => {
    const { profile: p, problems } = importDevcontainer(`{
      // a typical GPU dev container
      "name": "bert",
      "image": "nvcr.io/nvidia/pytorch:24.01-py3",
      "runArgs": ["--shm-size=16g", "--ipc=host"],
      "hostRequirements": { "gpu": true },
      "mounts": ["source=\${localEnv:HOME}/.cache/huggingface,target=/root/.cache/huggingface,type=bind",
                 { "source": "data", "target": "/data", "type": "volume" }],
      "containerEnv": { "HF_TOKEN": "\${localEnv:HF_TOKEN}", "MODE": "fast" },
      "forwardPorts": [30000],
      "containerUser": "1000:1000",
      "remoteUser": "dev",
      "workspaceFolder": "/workspace",
      "features": { "ghcr.io/devcontainers/features/git:1": {} },
    }`);
    assert.ok(p);
    assert.deepEqual(toProfileSettings(p), {
      name: 'bert',
      image: 'nvcr.io/nvidia/pytorch:24.01-py3',
      gpus: 'all',
      shmSize: '16g',
      ipc: 'host',
      ports: ['30000:30000'],
      volumes: ['${workspaceFolder}:/workspaces/${workspaceFolderBasename}'],
      mounts: [
        { type: 'bind', source: '${userHome}/.cache/huggingface', target: '/root/.cache/huggingface' },
        { type: 'volume', source: 'data', target: '/data' },
      ],
      env: { HF_TOKEN: '${env:HF_TOKEN}', MODE: 'fast' },
      user: '1000:1000',
      execUser: 'dev',
      workdir: '/workspace',
    });
    assert.deepEqual(
      problems.map((x) => x.field),
      ['features'],
    );
  });

  it('a Dockerfile build, a broken file and a non-object are refused with the fix', () => {
    const built = importDevcontainer('{ "build": { "dockerfile": "Dockerfile" } }');
    assert.ok(built.problems.some((x) => x.severity === 'error' && /Build Image/.test(x.message)));
    for (const text of ['{ "image": ', '[1]', '"x"']) {
      const r = importDevcontainer(text);
      assert.equal(r.profile, undefined, text);
      assert.match(r.problems[0].message, /not a devcontainer.json/);
    }
  });

  it('"optional" GPUs and object GPU requirements are named', () => {
    const r = importDevcontainer('{ "image": "x:1", "hostRequirements": { "gpu": "optional" } }');
    assert.ok(r.problems.some((x) => x.field === 'gpus'));
    assert.deepEqual(r.profile?.gpus, { all: true });
    const none = importDevcontainer('{ "image": "x:1" }');
    assert.equal(none.profile?.gpus, 'none');
  });
});
