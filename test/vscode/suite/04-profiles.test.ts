import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import { PROFILE_LABEL } from '../../../src/core/docker/labels';
import { GoBack } from '../../../src/uiStep';
import { createLogger } from '../../../src/log';
import { api, BASH, cleanupByLabel, inspect, RUN, RUN_LABEL, ScriptedUi, waitFor } from './helpers';

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
    // Only notes ($(pwd) became ${workspaceFolder}): nothing is dropped, so the button says "Import".
    ui.script('importProblems', 'Import');
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
    assert.deepEqual(
      ui.asked.find((a) => a.id === 'importProblems')?.items,
      ['Import'],
      '$(pwd) deserves a note, and nothing was dropped',
    );
  });

  it('the Import note says "Import the Rest" only when something was dropped', async () => {
    ui.script('importProblems', 'Import the Rest');
    ui.script('profileName', 'partial');
    await vscode.commands.executeCommand(
      'gpuContainers.importDockerRun',
      'docker run --gpus all --shm-size 16x -p 8888:8888 busybox',
    );
    const asked = ui.asked.find((a) => a.id === 'importProblems');
    assert.deepEqual(asked?.items, ['Import the Rest']);
    assert.match(asked?.message ?? '', /1 part/);
    const saved = await waitFor(
      'saved profile',
      () => (cfg().inspect<unknown[]>('profiles')?.workspaceValue as Array<Record<string, unknown>> | undefined)?.[0],
    );
    assert.equal(saved.shmSize, undefined);
    assert.deepEqual(saved.ports, ['8888:8888']);
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

    // The profile pick says so before it is picked: the problem in the row, not only after choosing it.
    ui.asked.length = 0;
    await vscode.commands.executeCommand('gpuContainers.launch');
    const pick = ui.asked.find((a) => a.id === 'pickProfile');
    assert.ok(pick, JSON.stringify(ui.asked));
    const detail = pick.details?.[pick.items?.indexOf('half') ?? -1] ?? '';
    assert.match(detail, /Cannot launch until 2 problems are fixed: /);
    assert.deepEqual(await made(), [], 'dismissing the pick creates nothing');
  });

  it('exports are portable and never hold a secret, even with the variable set (15.3)', async () => {
    const token = 'hf_EXPORTtestSECRET0123456789abcdef';
    const previousToken = process.env.HF_TOKEN;
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
      // Put back what the extension host had (scripts/run-vscode-tests.mjs sets a canary for 09-faults).
      if (previousToken === undefined) delete process.env.HF_TOKEN;
      else process.env.HF_TOKEN = previousToken;
    }
  });

  it('HF_TOKEN from the environment reaches the container, but no log line, tooltip, prompt or inspect view (16)', async () => {
    const { services } = await api();
    // No token shape (hf_…): only the name can give it away, the hardest case for redaction.
    const token = `plainTokenValue${Date.now().toString(36)}XYZ`;
    const name = `gpuc-profiles2-tok-${RUN}`.slice(0, 60);
    const lines: string[] = [];
    const record = (m: string) => void lines.push(m);
    const real = services.logger;
    services.logger = createLogger({ trace: record, info: record, warn: record, error: record });
    const previousToken = process.env.HF_TOKEN;
    process.env.HF_TOKEN = token;
    try {
      await cfg().update(
        'profiles',
        [
          {
            name: 'tok',
            image: BASH,
            containerName: name,
            shmSize: '1g',
            env: { HF_TOKEN: null, HF_HOME: '/root/.cache/huggingface', HF_TOKEN_COPY: '${env:HF_TOKEN}' },
            labels: { [RUN_LABEL.split('=')[0]]: RUN },
            command: ['bash', '-c', 'trap exit TERM; while :; do sleep 1; done'],
          },
        ],
        vscode.ConfigurationTarget.Workspace,
      );
      await vscode.commands.executeCommand('gpuContainers.launch', 'tok');
      const info = await inspect(name);
      assert.ok(info.Config.Env.includes(`HF_TOKEN=${token}`), 'the token reached the container (the test can see it)');
      await services.refresh.refreshAll();
      await vscode.commands.executeCommand('gpuContainers.filterAll');
      const row = await waitFor('the row', () =>
        services.containersTree.visible(services.refresh).find((x) => x.name === name),
      );
      const item = services.containersTree.resolveTreeItem(services.containersTree.getTreeItem(row), row);
      const tip = (item.tooltip as vscode.MarkdownString).value;
      assert.ok(tip.includes(BASH), tip);
      assert.ok(!tip.includes(token), tip);
      const doc = await vscode.commands.executeCommand<vscode.TextDocument>('gpuContainers.inspect', row);
      const text = doc.getText();
      assert.match(text, /"HF_TOKEN=\*\*\*"/);
      assert.ok(!text.includes(token), 'the inspect view shows the token');
      // From the container back (its Env holds the token): the export and the saved profile leave it out, and
      // the export's notes are logged.
      const copied = await vscode.commands.executeCommand<string>('gpuContainers.copyContainerAsDockerRun', row);
      assert.match(copied, / -e HF_TOKEN /);
      assert.ok(!copied.includes(token), copied);
      ui.script('profileName', 'from-container');
      const saved = await vscode.commands.executeCommand('gpuContainers.saveContainerAsProfile', row);
      assert.match(JSON.stringify(saved), /"HF_TOKEN":"\$\{env:HF_TOKEN\}"/);
      assert.ok(!JSON.stringify(saved).includes(token), JSON.stringify(saved));
      assert.ok(
        lines.some((l) => l.includes('HF_TOKEN')),
        `the export notes about HF_TOKEN were logged: ${lines.join('\n')}`,
      );
      for (const l of lines) assert.ok(!l.includes(token), l);
      assert.ok(!JSON.stringify(ui.asked).includes(token), JSON.stringify(ui.asked));
      for (const term of vscode.window.terminals)
        assert.ok(!JSON.stringify(term.creationOptions).includes(token), term.name);
    } finally {
      services.logger = real;
      // Put back what the extension host had (scripts/run-vscode-tests.mjs sets a canary for 09-faults).
      if (previousToken === undefined) delete process.env.HF_TOKEN;
      else process.env.HF_TOKEN = previousToken;
      for (const term of vscode.window.terminals) term.dispose();
      await cleanupByLabel();
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

  it('New Launch Profile walks through image, GPUs, IPC, /dev/shm, ports and the HF cache, step n of 7', async () => {
    ui.script('newProfileImage', 'gpu-containers-test/bash:1');
    ui.script('newProfileGpus', 'Specific GPUs…');
    ui.script('newProfileGpuList', '0,2');
    ui.script('newProfileIpc', 'Own IPC namespace');
    ui.script('newProfileShm', '32g');
    ui.script('newProfilePorts', '8888:8888, 127.0.0.1:6006:6006');
    ui.script('newProfileHfCache', 'No cache mount');
    ui.script('profileName', 'guided');
    await vscode.commands.executeCommand('gpuContainers.newProfile');
    const saved = (cfg().inspect<unknown[]>('profiles')?.workspaceValue as Array<Record<string, unknown>>)[0];
    assert.deepEqual(saved, {
      name: 'guided',
      image: 'gpu-containers-test/bash:1',
      gpus: [0, 2],
      shmSize: '32g',
      ports: ['8888:8888', '127.0.0.1:6006:6006'],
      volumes: ['${workspaceFolder}:/workspace'],
      workdir: '/workspace',
    });
    const steps = ui.asked
      .filter((a) => a.id !== 'profileSaved')
      .map((a) => {
        const o = a.options as { step?: { step: number; totalSteps: number } } | undefined;
        return `${a.id} ${o?.step?.step}/${o?.step?.totalSteps}`;
      });
    assert.deepEqual(steps, [
      'newProfileImage 1/7',
      'newProfileGpus 2/7',
      'newProfileGpuList 2/7',
      'newProfileIpc 3/7',
      'newProfileShm 4/7',
      'newProfilePorts 5/7',
      'newProfileHfCache 6/7',
      'profileName 7/7',
    ]);
  });

  it('New Launch Profile offers "N free GPUs" first (recommended) and writes gpus: { free: N }', async () => {
    await cfg().update('profiles', undefined, vscode.ConfigurationTarget.Workspace);
    ui.script('newProfileImage', 'gpu-containers-test/bash:1');
    ui.script('newProfileGpus', 'N free GPUs');
    ui.script('newProfileGpuList', '2');
    ui.script('newProfileIpc', 'Own IPC namespace');
    ui.script('newProfileShm', '');
    ui.script('newProfilePorts', '');
    ui.script('newProfileHfCache', 'No cache mount');
    ui.script('profileName', 'free-two');
    await vscode.commands.executeCommand('gpuContainers.newProfile');
    const gpus = ui.asked.find((a) => a.id === 'newProfileGpus');
    assert.deepEqual(gpus?.items?.slice(0, 2), ['N free GPUs…', 'All GPUs'], 'free GPUs first, then all');
    const count = ui.asked.find((a) => a.id === 'newProfileGpuList')?.options as vscode.InputBoxOptions;
    assert.equal(count.value, '1');
    const validate = (v: string) => count.validateInput?.(v) as string | undefined;
    assert.equal(validate('2'), undefined);
    assert.ok(validate('0'), 'zero free GPUs is refused');
    assert.ok(validate('two'), 'a word is refused');
    const saved = (cfg().inspect<unknown[]>('profiles')?.workspaceValue as Array<Record<string, unknown>>).find(
      (p) => p.name === 'free-two',
    );
    assert.deepEqual(saved?.gpus, { free: 2 });
  });

  it('a wizard step in the real window: the Back button throws GoBack, Enter accepts', async () => {
    const { pickStep, inputStep, isGoBack } = await import('../../../src/uiStep');
    const items = [{ label: 'one' }, { label: 'two', picked: true }];
    const settle = () => new Promise((r) => setTimeout(r, 500));
    const back = pickStep(items, { title: 'Wizard' }, { step: 2, totalSteps: 7 }).then(
      () => 'resolved',
      (e: unknown) => (isGoBack(e) ? 'back' : String(e)),
    );
    await settle();
    await vscode.commands.executeCommand('workbench.action.quickInputBack');
    assert.equal(await back, 'back');
    const accepted = pickStep(items, { title: 'Wizard' }, { step: 2, totalSteps: 7 });
    await settle();
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.equal((await accepted)?.label, 'two', 'the picked item is the active one');
    const typed = inputStep({ prompt: 'Ports', value: '8888:8888' }, { step: 5, totalSteps: 7 });
    await settle();
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.equal(await typed, '8888:8888');
    const inputBack = inputStep({ prompt: 'Ports' }, { step: 5, totalSteps: 7 }).then(
      () => 'resolved',
      (e: unknown) => (isGoBack(e) ? 'back' : String(e)),
    );
    await settle();
    await vscode.commands.executeCommand('workbench.action.quickInputBack');
    assert.equal(await inputBack, 'back');
  });

  it('New Launch Profile: Back returns to the previous question, keeps the answers; ipc host skips /dev/shm', async () => {
    ui.script('newProfileImage', 'gpu-containers-test/bash:1');
    ui.script('newProfileGpus', 'No GPU');
    // IPC: Back to GPUs, change the answer, then host IPC (no /dev/shm question).
    ui.script('newProfileIpc', new GoBack(), "Share the host's IPC namespace");
    ui.script('newProfileGpus', 'All GPUs');
    // Ports: Back goes to IPC (the skipped /dev/shm is not a stop), IPC again, then ports.
    ui.script('newProfilePorts', new GoBack(), '8888:8888');
    ui.script('newProfileIpc', "Share the host's IPC namespace");
    ui.script('newProfileHfCache', 'Mount the Hugging Face cache');
    ui.script('profileName', 'hf');
    await vscode.commands.executeCommand('gpuContainers.newProfile');
    const saved = (cfg().inspect<unknown[]>('profiles')?.workspaceValue as Array<Record<string, unknown>>)[0];
    assert.deepEqual(saved, {
      name: 'hf',
      image: 'gpu-containers-test/bash:1',
      gpus: 'all',
      ipc: 'host',
      ports: ['8888:8888'],
      volumes: ['${workspaceFolder}:/workspace', '~/.cache/huggingface:/root/.cache/huggingface'],
      workdir: '/workspace',
    });
    assert.deepEqual(
      ui.asked.map((a) => a.id).filter((id) => id !== 'profileSaved'),
      [
        'newProfileImage',
        'newProfileGpus',
        'newProfileIpc',
        'newProfileGpus',
        'newProfileIpc',
        'newProfilePorts',
        'newProfileIpc',
        'newProfilePorts',
        'newProfileHfCache',
        'profileName',
      ],
    );
  });
});
