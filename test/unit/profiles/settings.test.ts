import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importDockerRun, parseProfiles, toProfileSettings } from '../../../src/core/profiles';

const LINES = [
  'docker run -it --name tom-bert --gpus all --shm-size 16g --ipc=host -v ~/.cache/huggingface:/root/.cache/huggingface -v /data:/data:ro -p 30000:30000 -e HF_TOKEN=abc nvcr.io/nvidia/pytorch:24.05-py3 bash',
  'docker run -d --gpus \'"device=0,2"\' --user 1000:1000 --ulimit memlock=-1 --ulimit stack=67108864 --restart on-failure:3 --network host -w /workspace --entrypoint python img:1 -m http.server',
  'docker run --rm --gpus 2 --cap-add SYS_PTRACE --security-opt seccomp=unconfined --device /dev/fuse --add-host db:10.0.0.2 --cpus 1.5 --memory 8g --hostname box --label team=nlp --init --mount type=tmpfs,target=/scratch,tmpfs-size=1g busybox sleep 100',
];

describe('toProfileSettings: an imported profile saved to settings reads back the same', () => {
  for (const line of LINES) {
    it(line.slice(0, 60), () => {
      const { profile, problems } = importDockerRun(line);
      assert.deepEqual(
        problems.filter((p) => p.severity === 'error'),
        [],
      );
      const settings = toProfileSettings(profile);
      const back = parseProfiles([settings]);
      assert.deepEqual(
        back.problems.filter((p) => p.severity === 'error'),
        [],
      );
      assert.equal(back.profiles.length, 1);
      const { source: _s, ...again } = back.profiles[0];
      const { source: _t, ...original } = profile;
      assert.deepEqual(again, original);
    });
  }

  it('writes only what says something', () => {
    const { profile } = importDockerRun('docker run busybox');
    assert.deepEqual(toProfileSettings(profile), { name: 'busybox', image: 'busybox' });
  });
});
