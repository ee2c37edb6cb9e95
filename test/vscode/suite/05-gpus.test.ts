import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Dockerode from 'dockerode';
import * as vscode from 'vscode';
import { api, BUSYBOX, cleanupByLabel, docker, REPO, RUN, RUN_LABEL, waitFor } from './helpers';

const fixtures = path.join(REPO, 'test', 'fixtures', 'nvidia-smi');

/** A stand-in nvidia-smi that prints outputs recorded from real ones (only in tests). */
function standIn(dir: string): string {
  const file = path.join(dir, 'nvidia-smi');
  fs.writeFileSync(
    file,
    `#!/bin/sh
case "$*" in
  *--query-gpu*) cat '${fixtures}/synthetic/query-gpu-8.csv' ;;
  *--query-compute-apps*) cat '${fixtures}/synthetic/query-apps-8.csv' ;;
  -L) cat '${fixtures}/synthetic/nvidia-smi-L-8.txt' ;;
  '') cat '${fixtures}/h100/nvidia-smi.txt' ;;
  *) echo "unexpected: $*" >&2; exit 2 ;;
esac
`,
    { mode: 0o755 },
  );
  return file;
}

describe('GPUs view and GPU preflight (stand-in nvidia-smi, real engine)', function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-smi-'));
  const cudaTag = `gpu-containers-test/it-${RUN}:cuda`;

  after(async () => {
    await vscode.workspace
      .getConfiguration('gpuContainers')
      .update('gpus.nvidiaSmiPath', undefined, vscode.ConfigurationTarget.Global);
    await cleanupByLabel();
    await docker('rmi', '-f', cudaTag).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('without nvidia-smi the view says why, in words, with the fix', async () => {
    const { services } = await api();
    await vscode.workspace
      .getConfiguration('gpuContainers')
      .update('gpus.nvidiaSmiPath', path.join(dir, 'missing-nvidia-smi'), vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('gpuContainers.gpus.focus');
    await services.gpus.refresh();
    assert.equal(services.gpus.rows().length, 0);
    assert.match(services.gpus.view.message ?? '', /nvidia-smi not found/);
    assert.match(services.gpus.view.message ?? '', /Install the NVIDIA driver/);
  });

  it('shows one row per GPU and the containers that asked for each, under the right GPU', async () => {
    const { services } = await api();
    const a = `gpuc-${RUN}-dev12`;
    const b = `gpuc-${RUN}-all`;
    await docker('create', '--name', a, '--label', RUN_LABEL, '--gpus', '"device=1,2"', BUSYBOX);
    await docker('create', '--name', b, '--label', RUN_LABEL, '--gpus', 'all', BUSYBOX);
    await vscode.workspace
      .getConfiguration('gpuContainers')
      .update('gpus.nvidiaSmiPath', standIn(dir), vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('gpuContainers.gpus.focus');
    await services.refresh.refreshAll();
    await waitFor(
      '8 GPU rows with holders',
      async () => {
        await services.gpus.refresh();
        const rows = services.gpus.rows();
        return rows.length === 8 && rows[1].holders.some((h) => h.container.name === a) ? rows : undefined;
      },
      20_000,
      300,
    );
    const rows = services.gpus.rows();
    const names = (i: number) => rows[i].holders.map((h) => h.container.name);
    assert.ok(names(1).includes(a) && names(2).includes(a));
    assert.ok(!names(0).includes(a) && !names(3).includes(a), 'device=1,2 is not on GPUs 0 or 3');
    for (let i = 0; i < 8; i++) assert.ok(names(i).includes(b), `--gpus all is on GPU ${i}`);
    // Created, not running: listed, but they do not make a GPU busy.
    assert.ok(rows[1].holders.every((h) => h.active === false));
    assert.equal(rows[0].free, true, 'GPU 0 has no process and no running holder');
    assert.equal(rows[1].free, false, 'GPU 1 has a compute process in the recorded output');
    assert.equal(rows[1].gpu.name, 'NVIDIA H100 80GB HBM3');
    assert.match(services.gpus.view.description ?? '', /of 8 free/);
  });

  it('warns before launching an image that needs a newer CUDA than the driver supports', async () => {
    const { services } = await api();
    const c = `gpuc-${RUN}-cudabase`;
    await docker('create', '--name', c, '--label', RUN_LABEL, BUSYBOX);
    await docker('commit', '--change', 'ENV CUDA_VERSION=13.1.0', c, cudaTag);
    const options: Dockerode.ContainerCreateOptions = {
      Image: cudaTag,
      HostConfig: {
        DeviceRequests: [{ Driver: '', Count: -1, DeviceIDs: undefined, Capabilities: [['gpu']], Options: {} }],
      },
    };
    const warnings = await services.gpus.preflight(cudaTag, options);
    assert.ok(
      warnings.some((w) => /needs CUDA 13\.1, but the driver supports up to CUDA 13\.0/.test(w)),
      JSON.stringify(warnings),
    );
    const ok = await services.gpus.preflight(BUSYBOX, options);
    assert.ok(!ok.some((w) => /CUDA/.test(w)), 'an image without a CUDA version is not blocked');
  });
});
