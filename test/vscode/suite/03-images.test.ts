import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { api, BUSYBOX, cleanupByLabel, docker, RUN, RUN_LABEL, ScriptedUi, waitFor } from './helpers';

const repo = `gpu-containers-test/it-${RUN}`;
const made: string[] = [];

async function imageId(ref: string): Promise<string | undefined> {
  try {
    return await docker('image', 'inspect', '--format', '{{.Id}}', ref);
  } catch {
    return undefined;
  }
}

async function rowFor(tag: string) {
  const { services } = await api();
  await services.refresh.refreshImages();
  return waitFor(`image row ${tag}`, () => services.imagesTree.rows(services.refresh).find((r) => r.tag === tag));
}

describe('image workflow for offline servers (real engine, real VS Code)', function () {
  this.timeout(120_000);
  let ui: ScriptedUi;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-images-'));

  beforeEach(async () => {
    const { services } = await api();
    ui = new ScriptedUi();
    services.ui = ui;
  });
  after(async () => {
    await cleanupByLabel();
    for (const ref of made) await docker('rmi', '-f', ref).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const ext of ['tar', 'tar.gz']) {
    it(`Save to .${ext} → remove → Load keeps the image id and brings the tag back`, async () => {
      const tag = `${repo}:save-${ext.replace('.', '')}`;
      made.push(tag);
      await docker('tag', BUSYBOX, tag);
      const id = await imageId(tag);
      const file = path.join(dir, `saved.${ext}`);
      ui.script('saveTags', [tag]); // busybox's image has other tags too: save only ours
      const saved = await vscode.commands.executeCommand(
        'gpuContainers.saveImage',
        await rowFor(tag),
        vscode.Uri.file(file),
      );
      assert.equal(saved, file, `save did not finish: ${JSON.stringify(ui.asked).slice(0, 500)}`);
      const head = fs.readFileSync(file).subarray(0, 2);
      assert.equal(head[0] === 0x1f && head[1] === 0x8b, ext === 'tar.gz', 'gzip exactly when the name says .gz');
      assert.deepEqual(
        fs.readdirSync(dir).filter((f) => f.includes('.part')),
        [],
        'a temp file was left behind',
      );
      await docker('rmi', tag);
      assert.equal(await imageId(tag), undefined);
      const loaded = await vscode.commands.executeCommand<string[]>('gpuContainers.loadImage', vscode.Uri.file(file));
      assert.ok(loaded?.includes(tag), `loaded ${JSON.stringify(loaded)}`);
      assert.equal(await imageId(tag), id);
      await rowFor(tag);
    });
  }

  it('Load refuses a file that is not an image archive, with a clear message', async () => {
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'not an image\n');
    await vscode.commands.executeCommand('gpuContainers.loadImage', vscode.Uri.file(file));
    const err = ui.asked.find((a) => a.id === 'commandError');
    assert.match(err?.message ?? '', /not an image archive/);
  });

  it('Load from File opens in the folder last used for Save/Load, not in .vscode/', async () => {
    const folder = path.join(dir, 'remember');
    fs.mkdirSync(folder, { recursive: true });
    const file = path.join(folder, 'x.tar');
    fs.writeFileSync(file, 'not an image\n');
    await vscode.commands.executeCommand('gpuContainers.loadImage', vscode.Uri.file(file));
    await vscode.commands.executeCommand('gpuContainers.loadImage'); // the dialog is answered with Escape
    const dialog = ui.asked.find((a) => a.id === 'loadImageFile');
    assert.equal((dialog?.options as vscode.OpenDialogOptions | undefined)?.defaultUri?.fsPath, folder);
  });

  it('Build Image runs docker build offline in a task and the tag appears', async () => {
    const ctx = path.join(dir, 'ctx');
    fs.mkdirSync(ctx, { recursive: true });
    fs.writeFileSync(
      path.join(ctx, 'Dockerfile'),
      `FROM ${BUSYBOX}\nARG GREETING=hi\nRUN echo "$GREETING" > /greeting\n`,
    );
    const tag = `${repo}:built`;
    made.push(tag);
    ui.script('buildTag', tag);
    const result = await vscode.commands.executeCommand(
      'gpuContainers.buildImage',
      vscode.Uri.file(path.join(ctx, 'Dockerfile')),
    );
    assert.equal(result, tag, JSON.stringify(ui.asked));
    assert.deepEqual(
      ui.asked.map((a) => a.id).filter((id) => id !== 'built'),
      ['buildTag'],
      'Build Image… asks one question (the tag), with the Dockerfile folder as the context',
    );
    assert.equal(await docker('run', '--rm', '--label', RUN_LABEL, tag, 'cat', '/greeting'), 'hi');
    await rowFor(tag);
  });

  it("Build Image from the palette with the workspace's only Dockerfile asks only the tag", async () => {
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const folder = path.join(root, 'only-dockerfile');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'Dockerfile'), `FROM ${BUSYBOX}\nRUN echo only > /greeting\n`);
    const tag = `${repo}:only`;
    made.push(tag);
    try {
      await waitFor(
        'VS Code to find the Dockerfile',
        async () => (await vscode.workspace.findFiles('**/Dockerfile')).length === 1,
      );
      ui.script('buildTag', tag);
      const result = await vscode.commands.executeCommand('gpuContainers.buildImage');
      assert.equal(result, tag, JSON.stringify(ui.asked));
      assert.deepEqual(
        ui.asked.map((a) => a.id).filter((id) => id !== 'built'),
        ['buildTag'],
        'no pick of the only Dockerfile',
      );
      const asked = ui.asked.find((a) => a.id === 'buildTag');
      assert.match(asked?.message ?? JSON.stringify(asked?.options ?? ''), /only-dockerfile/);
      assert.equal(await docker('run', '--rm', '--label', RUN_LABEL, tag, 'cat', '/greeting'), 'only');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('Build Image with Options… takes the context, build args and --no-cache', async () => {
    const ctx = path.join(dir, 'ctx');
    const tag = `${repo}:built-options`;
    made.push(tag);
    ui.script('buildContext', ctx);
    ui.script('buildTag', tag);
    ui.script('buildArgs', 'GREETING=hello-build');
    ui.script('buildOptions', ['No cache (--no-cache)']);
    const result = await vscode.commands.executeCommand(
      'gpuContainers.buildImageWithOptions',
      vscode.Uri.file(path.join(ctx, 'Dockerfile')),
    );
    assert.equal(result, tag, JSON.stringify(ui.asked));
    assert.equal(await docker('run', '--rm', '--label', RUN_LABEL, tag, 'cat', '/greeting'), 'hello-build');
  });

  it('Commit Container to Image asks no lecture, hints in the input box, and yields an image with the new file', async () => {
    const { services } = await api();
    const name = `gpuc-${RUN}-commit`;
    await docker(
      'run',
      '-d',
      '--name',
      name,
      '--label',
      RUN_LABEL,
      BUSYBOX,
      'sh',
      '-c',
      'echo committed > /marker; sleep 600',
    );
    await waitFor('marker', async () => (await docker('exec', name, 'cat', '/marker').catch(() => '')) === 'committed');
    const row = await waitFor('row', () => services.refresh.containers.findByName(name));
    const tag = `${repo}:committed`;
    made.push(tag);
    ui.script('commitTag', tag);
    ui.script('commitMessage', 'snapshot for the test');
    const id = await vscode.commands.executeCommand('gpuContainers.commitContainer', row);
    assert.ok(id, JSON.stringify(ui.asked));
    assert.deepEqual(
      ui.asked.map((a) => a.id).filter((id) => id !== 'committed'),
      ['commitTag', 'commitMessage'],
    );
    const prompt = (ui.asked[0].options as vscode.InputBoxOptions).prompt ?? '';
    assert.match(prompt, /Dockerfile/);
    assert.equal(await docker('run', '--rm', '--label', RUN_LABEL, tag, 'cat', '/marker'), 'committed');
  });

  it('Tag Image adds a tag; a bad tag is refused before any engine call', async () => {
    const source = await rowFor('gpu-containers-test/busybox:1');
    const tag = `${repo}:tagged`;
    made.push(tag);
    await vscode.commands.executeCommand('gpuContainers.tagImage', source, tag);
    assert.equal(await imageId(tag), await imageId(BUSYBOX));
    await vscode.commands.executeCommand('gpuContainers.tagImage', source, 'Bad Name:tag');
    assert.match(ui.asked.find((a) => a.id === 'commandError')?.message ?? '', /whitespace/);
  });

  it('Push to an unreachable registry ends with a clear error', async () => {
    const tag = `127.0.0.1:1/gpu-containers-test/it-${RUN}:push`;
    made.push(tag);
    await docker('tag', BUSYBOX, tag);
    await vscode.commands.executeCommand('gpuContainers.pushImage', await rowFor(tag));
    const err = ui.asked.find((a) => a.id === 'commandError');
    assert.match(err?.message ?? '', /127\.0\.0\.1:1/);
    assert.match(err?.message ?? '', /cannot be reached|refused/i);
  });

  it('Pull with no registry reachable says so in one sentence naming the host, offers Load from File, logs the raw error', async () => {
    const { services } = await api();
    const logged: string[] = [];
    const real = services.logger;
    services.logger = {
      ...real,
      error: (m: unknown, ...rest: unknown[]) => void logged.push(String(m), ...rest.map(String)),
    };
    try {
      await vscode.commands.executeCommand('gpuContainers.pullImage', 'nvcr.io/nvidia/pytorch:24.01-py3');
      await vscode.commands.executeCommand('gpuContainers.pullImage', `gpu-containers-test/not-there-${RUN}:1`);
    } finally {
      services.logger = real;
    }
    const failed = ui.asked.filter((a) => a.id === 'pullFailed');
    assert.equal(failed.length, 2, JSON.stringify(ui.asked));
    assert.deepEqual(failed[0].items, ['Load from File…']);
    // One host, on this machine: "This machine"; with several, the host's name (`labgpu1 cannot reach …`).
    assert.equal(failed[0].message, 'This machine cannot reach nvcr.io — offline?');
    assert.equal(failed[1].message, 'This machine cannot reach registry-1.docker.io — offline?');
    for (const f of failed) assert.doesNotMatch(f.message ?? '', /\n|dial tcp|lookup/);
    assert.ok(
      logged.some((l) => /pull nvcr\.io\/nvidia\/pytorch:24\.01-py3 on This machine failed: .*nvcr\.io/.test(l)),
      logged.join('\n'),
    );
    await vscode.commands.executeCommand('gpuContainers.pullImage', 'UPPER/case');
    assert.match(ui.asked.find((a) => a.id === 'commandError')?.message ?? '', /uppercase/i);
  });
});
