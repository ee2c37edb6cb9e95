// UI tests as a person would use it: the packaged VSIX installed into code-server, the workbench driven
// in headless Chromium by accessible names and roles, real effects checked in dockerd.
// Screenshots of every step go to test-results/ui/. Run after `npm run package`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { codeServerCli, launchChromium, makeUserDataDir, repoRoot, startCodeServer, workspaceUrl } from './lib/rig.mjs';

const run = `ui${Date.now().toString(36)}`;
const label = `gpu-containers-test.run=${run}`;
const containerName = `gpuc-${run}`;
const shots = path.join(repoRoot, 'test-results', 'ui');
fs.rmSync(shots, { recursive: true, force: true });
fs.mkdirSync(shots, { recursive: true });

const docker = (...args) =>
  execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const inspect = (name) => {
  try {
    return JSON.parse(docker('inspect', '--type', 'container', name))[0];
  } catch {
    return undefined;
  }
};
const cleanup = () => {
  const ids = docker('ps', '-aq', '--filter', `label=${label}`).split('\n').filter(Boolean);
  if (ids.length) docker('rm', '-f', ...ids);
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-ui-'));
const workspace = path.join(tmp, 'my-project');
fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
fs.writeFileSync(path.join(workspace, 'train.py'), 'print("hello from the workspace")\n');
fs.writeFileSync(
  path.join(workspace, '.vscode', 'settings.json'),
  JSON.stringify(
    {
      'gpuContainers.profiles': [
        {
          name: 'ui-profile',
          image: 'gpu-containers-test/bash:1',
          containerName,
          shmSize: '2g',
          env: { PROJECT: 'ui' },
          volumes: ['${workspaceFolder}:/workspace'],
          workdir: '/workspace',
          labels: { 'gpu-containers-test.run': run },
          command: ['bash', '-c', 'trap exit TERM; while :; do sleep 1; done'],
        },
      ],
    },
    null,
    2,
  ),
);
const userDataDir = makeUserDataDir(path.join(tmp, 'user-data'), {
  'workbench.colorTheme': 'Default Dark Modern',
  'window.commandCenter': false,
});
const extensionsDir = path.join(tmp, 'extensions');
fs.mkdirSync(extensionsDir);

const vsix = path.join(repoRoot, 'gpu-containers.vsix');
assert.ok(fs.existsSync(vsix), 'gpu-containers.vsix is missing: run `npm run package` first');
const started = Date.now();
await codeServerCli(['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix]);

const server = await startCodeServer({ userDataDir, extensionsDir, logFile: path.join(shots, 'code-server.log') });
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
let step = 0;
const shot = async (name) =>
  page.screenshot({ path: path.join(shots, `${String(++step).padStart(2, '0')}-${name}.png`) });
const results = [];
async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ✔ ${name} (${Date.now() - t0} ms)`);
  } catch (err) {
    results.push({ name, ok: false });
    console.log(`  ✖ ${name}\n${err.stack ?? err}`);
    await shot(`FAILED-${name.replace(/\W+/g, '-').slice(0, 40)}`).catch(() => {});
    throw err;
  }
}
async function waitUntil(what, fn, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const sidebar = page.locator('.part.sidebar');
const treeItem = (name) => sidebar.getByRole('treeitem', { name });
async function contextMenu(rowName, item) {
  await treeItem(rowName).first().click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  const entry = menu.getByRole('menuitem', { name: item, exact: true }).first();
  await entry.waitFor({ timeout: 5000 });
  await page.waitForTimeout(300); // the menu animates in; a click during that is dropped
  await entry.click();
  await menu.waitFor({ state: 'hidden', timeout: 3000 }).catch(async () => {
    await entry.focus();
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden', timeout: 3000 });
  });
}

let exitCode = 0;
try {
  console.log('ui: GPU Containers, packaged VSIX in code-server');
  await page.goto(workspaceUrl(server.url, workspace));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.waitForTimeout(1500);
  await shot('workbench');

  await check('the activity bar icon opens the Containers and Images views; the test images are listed', async () => {
    await page
      .locator('.part.activitybar')
      .locator('a[aria-label^="GPU Containers"], [role="tab"][aria-label^="GPU Containers"]')
      .first()
      .click();
    await sidebar
      .getByRole('button', { name: /^Containers/ })
      .first()
      .waitFor({ timeout: 20_000 });
    await sidebar
      .getByRole('button', { name: /^Images/ })
      .first()
      .waitFor();
    await treeItem(/gpu-containers-test\/busybox:1/)
      .first()
      .waitFor({ timeout: 20_000 });
    await treeItem(/gpu-containers-test\/bash:1/)
      .first()
      .waitFor();
    await shot('sidebar');
  });

  await check(
    'Launch GPU Container → pick the profile → the container runs with the profile and appears in the tree',
    async () => {
      await sidebar
        .getByRole('button', { name: /^Containers/ })
        .first()
        .hover();
      await sidebar.getByRole('button', { name: 'Launch GPU Container' }).first().click();
      const quick = page.locator('.quick-input-widget');
      await quick
        .getByRole('option', { name: /ui-profile/ })
        .first()
        .waitFor({ timeout: 10_000 });
      await shot('profile-pick');
      await quick
        .getByRole('option', { name: /ui-profile/ })
        .first()
        .click();
      const info = await waitUntil(
        'the container in dockerd',
        () => {
          const i = inspect(containerName);
          return i?.State?.Running ? i : undefined;
        },
        30_000,
      );
      assert.equal(info.HostConfig.ShmSize, 2 * 1024 ** 3);
      assert.ok(info.Config.Env.includes('PROJECT=ui'));
      assert.deepEqual(info.HostConfig.Binds, [`${workspace}:/workspace`]);
      // Only my containers: on a shared engine the list can be long (and the tree only renders visible rows).
      await sidebar
        .getByRole('button', { name: /^Containers/ })
        .first()
        .hover();
      await sidebar.getByRole('button', { name: 'Show Only My Containers' }).first().click();
      await treeItem(new RegExp(containerName)).first().waitFor({ timeout: 10_000 });
      await page.waitForTimeout(1500);
      await shot('launched');
    },
  );

  await check('right-click → Attach Terminal; typing in it writes a marker inside the container', async () => {
    await contextMenu(new RegExp(containerName), 'Attach Terminal');
    await page.locator('.terminal-wrapper .xterm').last().waitFor({ timeout: 15_000 });
    await page.waitForTimeout(2000);
    await page.locator('.terminal-wrapper .xterm').last().click();
    await page.keyboard.type(`echo attached-by-ui > /tmp/${run}.marker && ls /workspace\n`, { delay: 10 });
    await waitUntil(
      'the marker inside the container',
      () => {
        try {
          return docker('exec', containerName, 'cat', `/tmp/${run}.marker`) === 'attached-by-ui';
        } catch {
          return false;
        }
      },
      20_000,
    );
    await page.waitForTimeout(500);
    await shot('terminal');
  });

  await check(
    'right-click → Stop, then → Remove… with the confirmation: gone from dockerd and from the tree',
    async () => {
      await contextMenu(new RegExp(containerName), 'Stop');
      await waitUntil('stopped', () => inspect(containerName)?.State?.Running === false, 20_000);
      await page.waitForTimeout(500);
      await shot('stopped');
      await contextMenu(new RegExp(containerName), 'Remove…');
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 10_000 });
      await shot('confirm-remove');
      assert.ok(inspect(containerName), 'removed before the confirmation was answered');
      await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
      await waitUntil('gone from dockerd', () => inspect(containerName) === undefined, 15_000);
      await waitUntil(
        'gone from the tree',
        async () => (await treeItem(new RegExp(containerName)).count()) === 0,
        10_000,
      );
      await shot('removed');
    },
  );

  await check(
    'an unreachable engine shows the welcome content with Retry; Retry after the fix fills the tree again',
    async () => {
      // Point the workspace's gpuContainers.host at a socket nobody listens on (as a typo would).
      const settingsFile = path.join(workspace, '.vscode', 'settings.json');
      const original = fs.readFileSync(settingsFile, 'utf8');
      fs.writeFileSync(
        settingsFile,
        JSON.stringify(
          { ...JSON.parse(original), 'gpuContainers.host': 'unix:///tmp/gpu-containers-ui-dead.sock' },
          null,
          2,
        ),
      );
      const welcome = sidebar.locator('.welcome-view-content').filter({ hasText: 'Cannot reach the Docker engine' });
      await welcome.first().waitFor({ timeout: 20_000 });
      await page.waitForTimeout(500);
      await shot('unreachable');
      fs.writeFileSync(settingsFile, original);
      await page.waitForTimeout(1500);
      const retry = sidebar.getByRole('button', { name: 'Retry' });
      if (await retry.count()) await retry.first().click();
      await treeItem(/gpu-containers-test\/busybox:1/)
        .first()
        .waitFor({ timeout: 20_000 });
      await shot('recovered');
    },
  );

  await check('in an untrusted workspace the workspace profile is refused, with a message saying why', async () => {
    // A second code-server with Workspace Trust on: the same folder opens in Restricted Mode.
    const trustServer = await startCodeServer({
      userDataDir: makeUserDataDir(path.join(tmp, 'user-data-untrusted')),
      extensionsDir,
      trust: false,
    });
    const p2 = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    try {
      await p2.goto(workspaceUrl(trustServer.url, workspace));
      await p2.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await p2.waitForTimeout(1500);
      await p2
        .locator('.part.activitybar')
        .locator('a[aria-label^="GPU Containers"], [role="tab"][aria-label^="GPU Containers"]')
        .first()
        .click();
      const side = p2.locator('.part.sidebar');
      await side
        .getByRole('button', { name: /^Containers/ })
        .first()
        .hover();
      await side.getByRole('button', { name: 'Launch GPU Container' }).first().click();
      await p2.waitForTimeout(2000);
      await p2.screenshot({ path: path.join(shots, `${String(++step).padStart(2, '0')}-untrusted-launch.png`) });
      const toast = p2.locator('.notifications-toasts').filter({ hasText: 'not trusted' });
      await toast.first().waitFor({ timeout: 15_000 });
      const quick = p2.locator('.quick-input-widget');
      await quick.getByRole('option').first().waitFor({ timeout: 10_000 });
      assert.equal(
        await quick.getByRole('option', { name: /ui-profile/ }).count(),
        0,
        'the untrusted workspace profile was offered',
      );
      await p2.screenshot({ path: path.join(shots, `${String(++step).padStart(2, '0')}-untrusted.png`) });
      await p2.keyboard.press('Escape');
      assert.equal(inspect(containerName), undefined);
    } finally {
      await p2.close().catch(() => {});
      trustServer.stop();
    }
  });

  const toasts = await page.locator('.notifications-toasts .notification-toast').allInnerTexts();
  const errors = toasts.filter((t) => /error|failed|cannot/i.test(t) && !/Docker engine/i.test(t));
  if (errors.length) console.log(`  (toasts at the end: ${JSON.stringify(errors)})`);
} catch {
  exitCode = 1;
} finally {
  await browser.close().catch(() => {});
  server.stop();
  cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
}
const passed = results.filter((r) => r.ok).length;
console.log(`ui: ${passed} passed, ${results.length - passed} failed`);
console.log(`[ui] finished in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in test-results/ui/`);
process.exit(exitCode || (passed === 6 ? 0 : 1));
