// Shared by the runners: find the rig (scripts/rig/*.sh), start code-server, open Chromium.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
export const cacheDir = process.env.GPU_CONTAINERS_DEV_CACHE ?? path.join(os.homedir(), '.cache', 'gpu-containers-dev');

export function rigEnv() {
  const file = path.join(cacheDir, 'rig.env');
  if (!fs.existsSync(file)) {
    throw new Error(`The VS Code rig is not installed: run \`bash scripts/rig/vscode.sh\` first (${file} is missing).`);
  }
  const env = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2];
  }
  return {
    node24: env.GPU_CONTAINERS_NODE24,
    codeServer: env.GPU_CONTAINERS_CODE_SERVER,
    chromium: env.GPU_CONTAINERS_CHROMIUM ?? '/usr/bin/chromium',
  };
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh user-data-dir with quiet workbench settings (plus `extra`). */
export function makeUserDataDir(dir, extra = {}) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'User'), { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'update.mode': 'none',
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'security.workspace.trust.enabled': true,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': 'never',
    'git.enabled': false,
    ...extra,
  };
  fs.writeFileSync(path.join(dir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  return dir;
}

/**
 * The user-data-dir of `scripts/dev.sh` (the README's first command): the user sees VS Code's Workspace Trust
 * prompt and the Restricted Mode banner, which the test rig's `makeUserDataDir` hides. A dev user-data-dir
 * written before kept them hidden ("never"): those two values are changed; anything else the user set is kept.
 */
export function devUserDataDir(dir) {
  const visible = {
    'security.workspace.trust.startupPrompt': 'once',
    'security.workspace.trust.banner': 'untilDismissed',
  };
  const file = path.join(dir, 'User', 'settings.json');
  if (!fs.existsSync(file)) return makeUserDataDir(dir, visible);
  const settings = JSON.parse(fs.readFileSync(file, 'utf8'));
  const stale = Object.keys(visible).filter((k) => settings[k] === 'never');
  if (stale.length) {
    for (const k of stale) settings[k] = visible[k];
    fs.writeFileSync(file, JSON.stringify(settings, null, 2));
  }
  return dir;
}

/** Runs code-server's CLI once (e.g. --install-extension) and waits for it. */
export async function codeServerCli(args, { env = {} } = {}) {
  const rig = rigEnv();
  return new Promise((resolve, reject) => {
    const p = spawn(rig.node24, [rig.codeServer, '--config', '/dev/null', ...args], {
      env: { ...process.env, EXTENSIONS_GALLERY: '{}', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`code-server ${args.join(' ')} failed (${code}):\n${out}`)),
    );
  });
}

/**
 * Starts code-server on 127.0.0.1 and waits for /healthz. Returns { url, port, stop(), log() }.
 * Spawned detached so the whole process group can be killed.
 */
export async function startCodeServer({
  userDataDir,
  extensionsDir,
  port,
  smokeTestDriver = false,
  trust = true,
  env = {},
  logFile,
}) {
  const rig = rigEnv();
  port ??= await freePort();
  const args = [
    rig.codeServer,
    '--config',
    '/dev/null',
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
  ];
  if (!trust) {
    // keep workspace trust on: nothing to add
  } else {
    args.push('--disable-workspace-trust');
  }
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  let logText = '';
  const child = spawn(rig.node24, args, {
    detached: true,
    env: { ...process.env, EXTENSIONS_GALLERY: '{}', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const sink = logFile ? fs.createWriteStream(logFile) : undefined;
  const onData = (d) => {
    logText += d;
    if (logText.length > 2_000_000) logText = logText.slice(-1_000_000);
    sink?.write(d);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    sink?.end();
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited early (${child.exitCode}):\n${logText}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) {
      stop();
      throw new Error(`code-server did not answer on ${url} within 60 s:\n${logText}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, port, pid: child.pid, stop, log: () => logText };
}

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  const rig = rigEnv();
  return chromium.launch({
    executablePath: rig.chromium,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/** Extension-host console noise that comes from being offline, not from us. */
export function isOfflineNoise(text) {
  return /ENOTFOUND|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|status of 404|github-authentication|Failed to load resource|marketplace|update\.code\.visualstudio|vscode-unpkg|open-vsx|ERR_CONNECTION_REFUSED.*(googleapis|github)/i.test(
    text,
  );
}

export function workspaceUrl(base, folder, payload) {
  let url = `${base}/?folder=${encodeURIComponent(folder)}`;
  if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}
