/**
 * Injection, markdown and secrets end to end (issue 18), in the real extension host against the real
 * engine: payloads (shell metacharacters, `$(…)`, backticks, quote breakers, command links, HTML) are
 * planted in a workspace profile (name, env, labels, command, working directory) and in a container made
 * with the docker CLI (name, labels, env), then pushed through what a user does: Copy as docker run (and the
 * copied line is run by a shell, with `docker` stubbed), Export as Compose / devcontainer, Launch (a
 * real container and terminal), Refresh, tooltips, Inspect. Checked: no payload created its file,
 * no link is rendered from that text (tooltips untrusted and escaped, prompts without link syntax), and the
 * HF_TOKEN of the extension host's environment (set by scripts/run-vscode-tests.mjs) appears in no log
 * line, prompt, tooltip, export or inspect document. Prints one summary line per category.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { api, BUSYBOX, cleanupByLabel, docker, RUN, RUN_LABEL, ScriptedUi, waitFor } from './helpers';

const execFileP = promisify(execFile);
const [RUN_KEY, RUN_VALUE] = RUN_LABEL.split('=');
const TOKEN = process.env.HF_TOKEN ?? '';
/** Literal secrets written into the profile: by name (GH_PAT, DATABASE_URL) and by shape only (NOTES). */
const LITERALS = {
  GH_PAT: 'ghp_gpucFaultsLiteral0123456789AbCdEfGhIj',
  DATABASE_URL: 'postgres://ml:gpucFaultsPassw0rd@db.example:5432/runs',
  NOTES: 'sk-gpucFaultsShapeOnly0123456789AbCdEf',
};
const SECRETS = (): string[] => [TOKEN, LITERALS.GH_PAT, 'gpucFaultsPassw0rd', LITERALS.NOTES];
const CANARY = `/tmp/gpuc-faults-pwned-${RUN}`;
// VS Code's notification link syntax (src/vs/base/common/linkedText.ts) and markdown links.
const LINKED_TEXT = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
const md = new (createRequire(__filename)('markdown-it') as new (o: object) => { render(s: string): string })({
  linkify: true,
});

/** Every payload creates its own file if anything ever runs it. */
function payloads(where: string): string[] {
  const f = (n: string): string => `${CANARY}-${where}-${n}`;
  return [
    `; touch ${f('semi')}`,
    `$(touch ${f('subst')})`,
    `\`touch ${f('tick')}\``,
    `' ; touch ${f('squote')} ; '`,
    `" && touch ${f('dquote')} && "`,
    `| touch ${f('pipe')}`,
    `\n touch ${f('newline')}`,
    `[x](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22touch%20${encodeURIComponent(f('link'))}%5Cn%22%7D)`,
    `<img src=x onerror="fetch('file://${f('html')}')">`,
  ];
}

const executed = (): string[] =>
  fs
    .readdirSync('/tmp')
    .filter((n) => n.startsWith(path.basename(CANARY)))
    .map((n) => `/tmp/${n}`);

const counts = { payloads: 0, links: 0, linkSurfaces: 0, secretSurfaces: 0, leaked: 0 };
const secretChecks: Array<{ where: string; text: string }> = [];
function checkSecret(where: string, text: string | undefined): void {
  counts.secretSurfaces++;
  secretChecks.push({ where, text: text ?? '' });
  if (SECRETS().some((x) => x && (text ?? '').includes(x))) counts.leaked++;
}
function checkLinks(where: string, text: string, rendered?: string): void {
  counts.linkSurfaces++;
  const live = [...text.matchAll(LINKED_TEXT)].length + (rendered && /<a |<img/i.test(rendered) ? 1 : 0);
  if (live > 0) counts.links++;
  assert.equal(live, 0, `a live link in ${where}: ${text.slice(0, 300)}`);
}

/** Runs a copied `docker run` line in a shell with docker stubbed: a quoting mistake runs a payload. */
async function runInShell(line: string): Promise<void> {
  await execFileP('sh', ['-c', `docker() { :; }\n${line}`], { timeout: 10_000 }).catch(() => undefined);
}

/** The extension's log file: the runner's user-data dir is beside the workspace it copied. */
function logText(): string {
  const root = path.join(path.dirname(process.env.GPU_CONTAINERS_TEST_WORKSPACE ?? '/nonexistent'), 'user-data');
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('GPU Containers.log')) out.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(root);
  return out.join('\n');
}

describe('faults: payloads never run, workspace text never becomes a link, no secret leaks', function () {
  this.timeout(120_000);
  const profileName = `gpuc-faults-${RUN} $(touch ${CANARY}-profile-name) [x](command:workbench.action.quit)`;
  const launched = `gpuc-faults-${RUN}-launched`;
  const planted = `gpuc-faults-${RUN}-planted`;
  let ui: ScriptedUi;

  before(async () => {
    assert.match(TOKEN, /^hf_/, 'HF_TOKEN is set in the extension host (scripts/run-vscode-tests.mjs)');
    const { services } = await api();
    ui = new ScriptedUi();
    services.ui = ui;
    await vscode.commands.executeCommand('gpuContainers.containers.focus');
    await waitFor('engine ok', () => services.refresh.state === 'ok', 15_000);
    // The detector itself: an unquoted payload in the stubbed shell does create its file.
    await runInShell(`docker run -e X=$(touch ${CANARY}-selftest) busybox`);
    assert.deepEqual(executed(), [`${CANARY}-selftest`]);
    fs.rmSync(`${CANARY}-selftest`);
  });
  after(async () => {
    await vscode.workspace
      .getConfiguration('gpuContainers')
      .update('profiles', undefined, vscode.ConfigurationTarget.Workspace);
    for (const t of vscode.window.terminals) t.dispose();
    await cleanupByLabel();
    for (const f of executed()) fs.rmSync(f, { force: true });
    console.log(`[faults] injection payloads executed: ${executed().length}/${counts.payloads}`);
    console.log(`[faults] links rendered from workspace text: ${counts.links}/${counts.linkSurfaces}`);
    console.log(`[faults] secrets leaked: ${counts.leaked} (of ${counts.secretSurfaces} surfaces checked)`);
  });

  it('a profile full of payloads: copied, exported and launched, nothing runs and the token stays out', async () => {
    const { services } = await api();
    const env: Record<string, string | null> = { HF_TOKEN: null, ...LITERALS };
    payloads('env').forEach((p, i) => (env[`P${i}`] = p));
    const labels: Record<string, string> = { [RUN_KEY]: RUN_VALUE };
    payloads('label').forEach((p, i) => (labels[`gpuc-faults.p${i}`] = p));
    const command = ['sh', '-c', 'sleep 300', ...payloads('command')];
    counts.payloads +=
      Object.keys(env).length -
      1 -
      Object.keys(LITERALS).length +
      Object.keys(labels).length -
      1 +
      command.length -
      3 +
      1;
    await vscode.workspace.getConfiguration('gpuContainers').update(
      'profiles',
      [
        {
          name: profileName,
          image: BUSYBOX,
          containerName: launched,
          env,
          labels,
          workdir: `/work/${payloads('workdir')[0].replace(/[;\s]/g, '_')}`,
          command,
        },
      ],
      vscode.ConfigurationTarget.Workspace,
    );
    await waitFor('the profile', () => services.config.profiles().profiles.some((p) => p.name === profileName));

    const line = await vscode.commands.executeCommand<string>('gpuContainers.copyProfileAsDockerRun', profileName);
    assert.match(line, /^docker run /);
    checkSecret('Copy as docker run', line);
    checkSecret('the clipboard', await vscode.env.clipboard.readText());
    await runInShell(line);
    for (const cmd of ['gpuContainers.exportProfileAsCompose', 'gpuContainers.exportProfileAsDevcontainer']) {
      const text = await vscode.commands.executeCommand<string>(cmd, profileName);
      checkSecret(cmd, text);
    }

    const result = await vscode.commands.executeCommand('gpuContainers.launch', profileName);
    assert.ok(result, `launch returned nothing; prompts: ${JSON.stringify(ui.asked).slice(0, 600)}`);
    const info = JSON.parse(await docker('inspect', '--type', 'container', launched))[0];
    assert.ok(info.Config.Env.includes(`P0=${payloads('env')[0]}`), 'the payload is kept as text');
    assert.ok(info.Config.Env.includes(`HF_TOKEN=${TOKEN}`), 'the container gets the token it asked for');
    assert.deepEqual(info.Config.Cmd, command);
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(executed(), []);
  });

  it('a container named and labelled with payloads: rows, tooltips, inspect and copy stay inert', async () => {
    const { services } = await api();
    const labels = payloads('cli-label').flatMap((p, i) => ['--label', `gpuc-faults.p${i}=${p}`]);
    const env = payloads('cli-env').flatMap((p, i) => ['-e', `P${i}=${p}`]);
    counts.payloads += labels.length / 2 + env.length / 2;
    await docker(
      'create',
      '--name',
      planted,
      '--label',
      RUN_LABEL,
      '--label',
      `gpu-containers.owner=${payloads('owner')[7]}`,
      ...labels,
      ...env,
      '-e',
      `HF_TOKEN=${TOKEN}`,
      BUSYBOX,
      'sh',
      '-c',
      'true',
      ...payloads('cli-command'),
      // Secrets on the command line (issue 24): Inspect and Copy as docker run must not show them.
      '--hf_token',
      TOKEN,
      '--db-pass=gpucFaultsPassw0rd',
    );
    counts.payloads += 1 + payloads('cli-command').length;
    await services.refresh.refreshAll();
    await vscode.commands.executeCommand('gpuContainers.filterAll');
    for (const name of [planted, launched]) {
      const c = await waitFor(`the row ${name}`, () =>
        services.containersTree.visible(services.refresh).find((x) => x.name === name),
      );
      const item = services.containersTree.resolveTreeItem(services.containersTree.getTreeItem(c), c);
      const tip = item.tooltip;
      const tipText = tip instanceof vscode.MarkdownString ? tip.value : String(tip ?? '');
      if (tip instanceof vscode.MarkdownString) {
        assert.notEqual(tip.isTrusted, true, `the tooltip of ${name} is trusted`);
        checkLinks(`tooltip of ${name}`, '', md.render(tip.value));
      }
      checkSecret(`tooltip of ${name}`, tipText);
      const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
      checkSecret(`label of ${name}`, `${label} ${String(item.description ?? '')}`);

      const doc = await vscode.commands.executeCommand<vscode.TextDocument>('gpuContainers.inspect', c);
      assert.ok(doc.getText().includes('HF_TOKEN=***'), doc.getText().slice(0, 300));
      checkSecret(`inspect of ${name}`, doc.getText());

      const line = await vscode.commands.executeCommand<string | undefined>(
        'gpuContainers.copyContainerAsDockerRun',
        c,
      );
      const copied = line ?? (await vscode.env.clipboard.readText());
      checkSecret(`Copy as docker run of ${name}`, copied);
      await runInShell(copied);
    }
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(executed(), []);
  });

  it('a blocked profile whose name is a command link: the blocking message shows it as text', async () => {
    const { services } = await api();
    const name = `[Open](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22touch%20${encodeURIComponent(`${CANARY}-blocked`)}%5Cn%22%7D) ${RUN}`;
    counts.payloads++;
    await vscode.workspace
      .getConfiguration('gpuContainers')
      .update('profiles', [{ name, image: BUSYBOX, shmSize: '16x' }], vscode.ConfigurationTarget.Workspace);
    await waitFor('the profile', () => services.config.profiles().profiles.some((p) => p.name === name));
    const before = ui.asked.length;
    const result = await vscode.commands.executeCommand('gpuContainers.launch', name);
    assert.equal(result, undefined, 'a profile with errors must not launch');
    const shown = ui.asked.slice(before).filter((a) => a.message?.includes('shmSize'));
    assert.ok(shown.length > 0, `no blocking message: ${JSON.stringify(ui.asked.slice(before))}`);
    assert.ok(
      shown.some((a) => a.message?.includes('Open')),
      'the name is shown (as text)',
    );
  });

  it('every prompt and message is free of live links and of the token; so is the log', async () => {
    assert.ok(ui.asked.length > 0, 'the flows asked nothing: the check would be empty');
    for (const a of ui.asked) {
      const text = [a.message ?? '', ...(a.items ?? [])].join('\n');
      checkLinks(`prompt ${a.id}`, text);
      checkSecret(`prompt ${a.id}`, text);
    }
    await new Promise((r) => setTimeout(r, 1500)); // the log channel writes its file asynchronously
    const log = logText();
    assert.ok(log.includes(RUN), 'the GPU Containers log file of this run was not found');
    checkSecret('the log file', log);
    const leaks = secretChecks
      .filter((c) => SECRETS().some((x) => c.text.includes(x)))
      .map(
        (c) =>
          `${c.where} (${SECRETS()
            .find((x) => c.text.includes(x))!
            .slice(0, 6)}…)`,
      );
    assert.deepEqual(leaks, [], `the token leaked into: ${leaks.join(', ')}`);
    assert.deepEqual(executed(), []);
  });
});

describe('faults: a container removed behind the extension’s back (issue 24)', function () {
  this.timeout(180_000);
  /** Every action of a container row that reaches the engine (Copy Name/ID only copy the row's text). */
  const ACTIONS = [
    'gpuContainers.attachTerminal',
    'gpuContainers.attachMainProcess',
    'gpuContainers.start',
    'gpuContainers.stop',
    'gpuContainers.restart',
    'gpuContainers.showLogs',
    'gpuContainers.inspect',
    'gpuContainers.commitContainer',
    'gpuContainers.copyContainerAsDockerRun',
    'gpuContainers.saveContainerAsProfile',
  ];
  after(cleanupByLabel);

  it('each action names it by its row’s name, says it no longer exists, and the row goes away', async () => {
    const { services } = await api();
    const ui = new ScriptedUi();
    services.ui = ui;
    await vscode.commands.executeCommand('gpuContainers.containers.focus');
    await vscode.commands.executeCommand('gpuContainers.filterAll');
    await waitFor('engine ok', () => services.refresh.state === 'ok', 15_000);
    const wrong: string[] = [];
    for (const command of ACTIONS) {
      const name = `gpuc-vanished-${RUN}-${command.split('.')[1]}`;
      await docker('create', '--name', name, '--label', RUN_LABEL, BUSYBOX, 'sleep', '300');
      await services.refresh.refreshAll();
      const row = await waitFor(`the row ${name}`, () =>
        services.containersTree.visible(services.refresh).find((c) => c.name === name),
      );
      await docker('rm', '-f', row.id); // someone else removes it; the row is still what the user clicks
      ui.script('commitTag', `gpuc-vanished-${RUN}:snap`);
      ui.script('commitMessage', '');
      // Made with the CLI, it has no owner label: Stop and Restart ask before touching "someone else's".
      if (/\.(stop|restart)$/.test(command)) ui.script('confirmBulkOthers', 'Include Theirs');
      const before = ui.asked.length;
      const terminals = vscode.window.terminals.length;
      await vscode.commands.executeCommand(command, row);
      const shown = ui.asked.slice(before).find((a) => a.id === 'commandError')?.message ?? '';
      const problems = [
        !shown && 'no message',
        shown && !shown.includes(name) && 'not named by its name',
        shown.includes(row.id.slice(0, 12)) && 'named by its id',
        shown.includes('gpu-containers-inspect:') && 'a raw inspect address',
        shown && !/no longer exists \(removed by someone else\?\)/.test(shown) && 'does not say it no longer exists',
        vscode.window.terminals.length > terminals && 'opened a terminal on it',
      ].filter(Boolean);
      if (problems.length > 0) wrong.push(`${command}: ${problems.join(', ')} — ${JSON.stringify(shown)}`);
      await waitFor(
        `the row of ${name} gone`,
        () => !services.containersTree.visible(services.refresh).some((c) => c.id === row.id),
      );
    }
    console.log(`[faults] vanished container: ${ACTIONS.length - wrong.length}/${ACTIONS.length} actions name it`);
    assert.deepEqual(wrong, []);
  });
});
