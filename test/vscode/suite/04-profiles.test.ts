import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import { PROFILE_LABEL } from '../../../src/core/docker/labels';
import { api, ScriptedUi, waitFor } from './helpers';

const cfg = () => vscode.workspace.getConfiguration('gpuContainers');

describe('launch profile commands (real VS Code settings)', function () {
  this.timeout(60_000);
  let ui: ScriptedUi;
  beforeEach(async () => {
    const { services } = await api();
    ui = new ScriptedUi();
    services.ui = ui;
    await cfg().update('profiles', undefined, vscode.ConfigurationTarget.Workspace);
  });
  after(async () => {
    await cfg().update('profiles', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('Import docker run Command writes a workspace profile that parses back', async () => {
    const { services } = await api();
    ui.script('importProblems', 'Import the Rest');
    ui.script('profileName', 'bert');
    await vscode.commands.executeCommand(
      'gpuContainers.importDockerRun',
      'docker run -it --name tom-bert --gpus all --shm-size 16g --ipc=host -v ~/.cache/huggingface:/root/.cache/huggingface -v $(pwd):/workspace -p 30000:30000 -e HF_TOKEN=secret nvcr.io/nvidia/pytorch:24.05-py3 bash',
    );
    const saved = await waitFor(
      'saved profile',
      () => (cfg().inspect<unknown[]>('profiles')?.workspaceValue as Array<Record<string, unknown>> | undefined)?.[0],
    );
    assert.equal(saved.name, 'bert');
    assert.equal(saved.gpus, 'all');
    assert.equal(saved.shmSize, '16g');
    assert.equal(saved.ipc, 'host');
    assert.deepEqual(saved.volumes, ['~/.cache/huggingface:/root/.cache/huggingface', '${workspaceFolder}:/workspace']);
    const { profiles, problems } = services.config.profiles();
    assert.deepEqual(problems, []);
    assert.equal(profiles.find((p) => p.name === 'bert')?.image, 'nvcr.io/nvidia/pytorch:24.05-py3');
    assert.ok(
      ui.asked.some((a) => a.id === 'importProblems'),
      '$(pwd) deserves a note',
    );
  });

  it('Copy Profile as docker run and Export as Compose YAML produce what docker would take', async () => {
    await cfg().update(
      'profiles',
      [
        {
          name: 'srv',
          image: 'vllm/vllm-openai:latest',
          gpus: [0, 1],
          shmSize: '8g',
          ports: ['127.0.0.1:8000:8000'],
          env: { MODEL: 'x y' },
        },
      ],
      vscode.ConfigurationTarget.Workspace,
    );
    const line = await vscode.commands.executeCommand<string>('gpuContainers.copyProfileAsDockerRun', 'srv');
    assert.match(line, /^docker run /);
    assert.match(line, /--gpus '"device=0,1"'/);
    assert.match(line, /--shm-size 8g/);
    assert.match(line, /-e 'MODEL=x y'/);
    assert.equal(await vscode.env.clipboard.readText(), line);
    const yaml = await vscode.commands.executeCommand<string>('gpuContainers.exportProfileAsCompose', 'srv');
    const doc = parse(yaml);
    type Service = {
      shm_size?: string;
      deploy: { resources: { reservations: { devices: { device_ids: string[] }[] } } };
    };
    const svc = Object.values(doc.services)[0] as Service;
    assert.equal(svc.shm_size, '8g');
    assert.deepEqual(svc.deploy.resources.reservations.devices[0].device_ids, ['0', '1']);
    assert.equal(vscode.window.activeTextEditor?.document.languageId, 'yaml');
  });

  it('a malformed profile field reaches the user as one warning with Open Settings', async () => {
    await cfg().update('profiles', [{ name: 'bad', image: 'x', shmSize: '16q' }], vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('gpuContainers.copyProfileAsDockerRun', 'bad');
    const warning = ui.asked.find((a) => a.id === 'profileProblems');
    assert.ok(warning, JSON.stringify(ui.asked));
    assert.match(warning.message ?? '', /shmSize/);
    assert.deepEqual(warning.items, ['Open Settings']);
  });

  it('a profile with error-level problems is not launched; Open Setting puts the cursor on the field', async () => {
    const { services } = await api();
    await cfg().update(
      'profiles',
      [{ name: 'half', image: 'gpu-containers-test/bash:1', user: 'bad user', shmSize: '16x' }],
      vscode.ConfigurationTarget.Workspace,
    );
    const made = async () =>
      (await services.engines.engine.listContainers({ all: true })).filter((c) => c.labels[PROFILE_LABEL] === 'half');
    assert.deepEqual(await made(), []);
    ui.script('profileBlocked', 'Open Setting');
    await vscode.commands.executeCommand('gpuContainers.launch', 'half');
    const blocked = ui.asked.find((a) => a.id === 'profileBlocked');
    assert.ok(blocked, JSON.stringify(ui.asked));
    assert.match(blocked.message ?? '', /cannot be launched/);
    assert.match(blocked.message ?? '', /shmSize: .*16x/);
    assert.match(blocked.message ?? '', /user: .*bad user/);
    assert.deepEqual(blocked.items, ['Open Setting']);
    assert.deepEqual(await made(), [], 'nothing was created');
    const editor = await waitFor('settings.json editor', () =>
      vscode.window.activeTextEditor?.document.uri.path.endsWith('.vscode/settings.json')
        ? vscode.window.activeTextEditor
        : undefined,
    );
    const line = editor.document.lineAt(editor.selection.active.line).text;
    assert.match(line, /"shmSize"/);
  });

  it('exports are portable and never hold a secret, even with the variable set (15.3)', async () => {
    const token = 'hf_EXPORTtestSECRET0123456789abcdef';
    process.env.HF_TOKEN = token;
    try {
      await cfg().update(
        'profiles',
        [
          {
            name: 'share',
            image: 'gpu-containers-test/bash:1',
            env: { HF_TOKEN: '${env:HF_TOKEN}', WANDB_API_KEY: 'literal-secret-value' },
            volumes: ['${workspaceFolder}:/workspace', '~/.cache/huggingface:/root/.cache/huggingface'],
            gpus: { free: 1 },
          },
        ],
        vscode.ConfigurationTarget.Workspace,
      );
      const outputs = [
        await vscode.commands.executeCommand<string>('gpuContainers.copyProfileAsDockerRun', 'share'),
        await vscode.commands.executeCommand<string>('gpuContainers.exportProfileAsCompose', 'share'),
        await vscode.commands.executeCommand<string>('gpuContainers.exportProfileAsDevcontainer', 'share'),
      ];
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '/nonexistent';
      for (const out of outputs) {
        assert.ok(out && !out.includes(token), out);
        assert.ok(!out.includes('literal-secret-value'), out);
        assert.ok(!out.includes(folder), out);
      }
      assert.match(outputs[0], / -e HF_TOKEN /);
      assert.match(outputs[2], /\$\{localEnv:HF_TOKEN\}/);
      const notes = ui.asked.filter((a) => a.id === 'exportNotes').map((a) => a.message ?? '');
      assert.ok(
        notes.some((m) => /WANDB_API_KEY/.test(m) && !m.includes('literal-secret-value')),
        notes.join('\n'),
      );
    } finally {
      delete process.env.HF_TOKEN;
    }
  });

  it('Set Default Launch Profile offers the profile names and writes the setting', async () => {
    await cfg().update('profiles', [{ name: 'alpha' }, { name: 'beta' }], vscode.ConfigurationTarget.Workspace);
    ui.script('defaultProfile', 'beta');
    await vscode.commands.executeCommand('gpuContainers.setDefaultProfile');
    const offered = ui.asked.find((a) => a.id === 'defaultProfile');
    assert.deepEqual(offered?.items?.slice(0, 2), ['alpha', 'beta']);
    assert.equal(cfg().inspect('defaultProfile')?.globalValue, 'beta');
    await cfg().update('defaultProfile', undefined, vscode.ConfigurationTarget.Global);
  });

  it('New Launch Profile walks through image, GPUs and /dev/shm and saves to the workspace', async () => {
    ui.script('newProfileImage', 'gpu-containers-test/bash:1');
    ui.script('newProfileGpus', 'Specific GPUs…');
    ui.script('newProfileGpuList', '0,2');
    ui.script('newProfileShm', '32g');
    ui.script('profileName', 'guided');
    await vscode.commands.executeCommand('gpuContainers.newProfile');
    const saved = (cfg().inspect<unknown[]>('profiles')?.workspaceValue as Array<Record<string, unknown>>)[0];
    assert.deepEqual(saved, {
      name: 'guided',
      image: 'gpu-containers-test/bash:1',
      gpus: [0, 2],
      shmSize: '32g',
      volumes: ['${workspaceFolder}:/workspace'],
      workdir: '/workspace',
    });
  });
});
