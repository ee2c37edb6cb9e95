/**
 * Figures 4 and 5 in a real VS Code: the VSIX is packaged once (from the production bundle `npm run bench`
 * just built) and installed with code-server's CLI into a staging folder; each session runs code-server
 * from the rig with that installed copy as the development extension, the workbench in headless Chromium,
 * and bench/host/index.ts (copied next to it) as the extensionTestsPath. A snapshot, so a concurrent
 * `node esbuild.mjs` in the shared checkout cannot swap the bundle under the bench.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { firstRowAt, installFirstRowProbe, type DomPage } from './dom';

const execFileP = promisify(execFile);

export const REPO = path.resolve(__dirname, '..', '..');

interface RigModule {
  makeUserDataDir(dir: string): string;
  codeServerCli(args: string[]): Promise<string>;
  startCodeServer(o: {
    userDataDir: string;
    extensionsDir: string;
    smokeTestDriver: boolean;
    logFile?: string;
  }): Promise<{ url: string; stop(): void }>;
  launchChromium(): Promise<Browser>;
  workspaceUrl(base: string, folder: string, payload: [string, string][]): string;
}
interface Browser {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}
interface Cdp {
  send(method: string, params?: object): Promise<unknown>;
}
interface Page extends DomPage {
  context(): { newCDPSession(page: Page): Promise<Cdp> };
  exposeFunction(name: string, fn: (code: unknown) => void): Promise<void>;
  goto(url: string): Promise<unknown>;
}

// tsc compiles `import()` to require() under commonjs; the rig is ESM.
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- a constant body: the only way to keep a real import() under commonjs.
const importEsm = new Function('p', 'return import(p)') as (p: string) => Promise<unknown>;

export interface HostResult {
  wasActive: boolean;
  sameModule: boolean;
  requireMs: number;
  activateMs: number;
  /** activate() itself, as the extension timed it (the rest of activateMs is the host's own work). */
  ownActivateMs?: number;
  /** null when the first load stalled (see `stalled`). */
  loadMs: number | null;
  stalled?: string;
  gpuFillMs: number;
  /** Epoch ms at which the host focused the Containers view. */
  focusAt: number;
  /** Focus → the first bench row in the workbench DOM (ms), when seen. */
  firstRowsDomMs?: number;
  /** CLOCK_MONOTONIC µs at the host's steps (require, activate, activated, focus, store, gpuFill). */
  marks?: Record<string, number>;
  /** The extension's first-load marks (src/core/perfMarks.ts), epoch ms. */
  extMarks?: Record<string, number>;
  /** What `dom` returned (the change → visible row figures), if given. */
  dom?: unknown;
  size: number;
  rows: number;
  before: { heapUsed: number; rss: number };
  after: { heapUsed: number; rss: number };
  node: string;
  vscode: string;
  error?: string;
}

/** What V8's code cache did when this host loaded the bundle (src/loader.ts marks it): hit, miss, stale… */
export function codeCacheState(h: HostResult): string {
  const mark = Object.keys(h.extMarks ?? {}).find((k) => k.startsWith('codeCache:'));
  return mark ? mark.slice('codeCache:'.length) : 'not marked';
}

/** The first load's steps after focus, in order, as "visible +12 ms, listStart +15 ms, …, DOM +140 ms". */
export function firstLoadSplit(h: HostResult): string {
  const steps = Object.entries(h.extMarks ?? {})
    .filter(([k]) => !k.startsWith('activat') && !k.startsWith('codeCache:'))
    .map(([k, at]) => [k, at - h.focusAt] as const);
  if (h.firstRowsDomMs !== undefined) steps.push(['DOM row', h.firstRowsDomMs]);
  return steps
    .sort((a, b) => a[1] - b[1])
    .map(([k, v]) => `${k} +${v.toFixed(0)} ms`)
    .join(', ');
}

async function loadRig(): Promise<RigModule> {
  return (await importEsm(path.join(REPO, 'scripts', 'lib', 'rig.mjs'))) as RigModule;
}

export interface Staged {
  /** The installed extension folder (what the VSIX unpacks to). */
  dir: string;
  vsixBytes: number;
  bundleBytes: number;
  /** dist/yaml.js, the chunk the Compose export loads on first use (not at activation). */
  yamlChunkBytes: number;
  remove(): void;
}

/** Minified (the production bundle is linked to its map too, so the sourceMappingURL tells nothing). */
const isProduction = (file: string): boolean => fs.readFileSync(file, 'utf8').split('\n').length < 2000;

/**
 * Packages the VSIX (the same vsce flags as `npm run package`) and installs it into a staging folder.
 * If dist/extension.js is not the production bundle (someone rebuilt it meanwhile), rebuilds it first.
 */
export async function stageExtension(say: (s: string) => void): Promise<Staged> {
  const rig = await loadRig();
  const dist = path.join(REPO, 'dist', 'extension.js');
  if (!isProduction(dist)) {
    say('dist/extension.js is a development build (rebuilt meanwhile?): rebuilding the production bundle');
    await execFileP(process.execPath, [path.join(REPO, 'esbuild.mjs'), '--production'], { cwd: REPO });
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-bench-vsix-'));
  const remove = (): void => fs.rmSync(tmp, { recursive: true, force: true });
  try {
    const vsix = path.join(tmp, 'gpu-containers.vsix');
    await execFileP(
      path.join(REPO, 'node_modules', '.bin', 'vsce'),
      ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix],
      { cwd: REPO },
    );
    const extensionsDir = path.join(tmp, 'extensions');
    await rig.codeServerCli(['--extensions-dir', extensionsDir, '--install-extension', vsix]);
    const folder = fs.readdirSync(extensionsDir).find((f) => f.startsWith('gpu-containers.gpu-containers-'));
    if (!folder) throw new Error(`the VSIX did not install into ${extensionsDir}`);
    const dir = path.join(extensionsDir, folder);
    const bundle = path.join(dir, 'dist', 'extension.js');
    if (!isProduction(bundle)) throw new Error('the packaged dist/extension.js is not the production bundle');
    fs.copyFileSync(path.join(REPO, 'out', 'bench', 'host', 'index.js'), path.join(dir, 'bench-host.js'));
    const chunk = path.join(dir, 'dist', 'yaml.js');
    if (!fs.existsSync(chunk)) throw new Error('the VSIX lacks dist/yaml.js (the Compose export would fail)');
    return {
      dir,
      vsixBytes: fs.statSync(vsix).size,
      bundleBytes: fs.statSync(bundle).size,
      yamlChunkBytes: fs.statSync(chunk).size,
      remove,
    };
  } catch (err) {
    remove();
    throw err;
  }
}

/** One extension-host session; `onStop` is registered so Ctrl+C stops code-server too. */
export async function hostSession(
  staged: Staged,
  expect: number,
  onStop: (fn: () => Promise<void>) => () => void,
  opts: {
    marker?: string;
    dom?: (page: DomPage) => Promise<unknown>;
    /** A folder for CPU profiles of the extension host and the workbench (bench/profile.ts). */
    profileDir?: string;
  } = {},
): Promise<HostResult> {
  const rig = await loadRig();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-bench-'));
  const workspace = path.join(tmp, 'workspace');
  fs.mkdirSync(workspace);
  const extensionsDir = path.join(tmp, 'extensions');
  fs.mkdirSync(extensionsDir);
  const resultFile = path.join(tmp, 'result.json');
  const doneFile = path.join(tmp, 'done');
  const userDataDir = rig.makeUserDataDir(path.join(tmp, 'user-data'));
  let server: { url: string; stop(): void } | undefined;
  let browser: Browser | undefined;
  const stop = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  const unregister = onStop(stop);
  try {
    server = await rig.startCodeServer({
      userDataDir,
      extensionsDir,
      smokeTestDriver: true,
      logFile: path.join(tmp, 'code-server.log'),
    });
    browser = await rig.launchChromium();
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1280, height: 2000 });
    if (opts.marker) await installFirstRowProbe(page, opts.marker);
    let cdp: Cdp | undefined;
    if (opts.profileDir) {
      cdp = await page.context().newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
      await cdp.send('Profiler.start');
    }
    const done = new Promise<unknown>(
      (resolve) => void page.exposeFunction('codeAutomationExit', (code) => resolve(code)),
    );
    const payload: [string, string][] = [
      ['extensionDevelopmentPath', `vscode-remote://remote${staged.dir}`],
      ['extensionTestsPath', `vscode-remote://remote${path.join(staged.dir, 'bench-host.js')}`],
      [
        'extensionEnvironment',
        JSON.stringify({
          BENCH_RESULT_FILE: resultFile,
          BENCH_DONE_FILE: doneFile,
          BENCH_EXPECT: String(expect),
          ...(opts.profileDir ? { BENCH_PROFILE_DIR: opts.profileDir } : {}),
        }),
      ],
    ];
    await page.goto(rig.workspaceUrl(server.url, workspace, payload));
    const deadline = Date.now() + 300_000;
    let exited = false;
    void done.then(() => (exited = true));
    while (!fs.existsSync(resultFile) && !exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (!fs.existsSync(resultFile)) throw new Error('the extension-host script did not finish within 300 s');
    await new Promise((r) => setTimeout(r, 200)); // the file is written in one call; let it land
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as HostResult;
    if (result.error) throw new Error(`in the extension host: ${result.error}`);
    try {
      const at = opts.marker ? await firstRowAt(page) : undefined;
      if (at !== undefined) result.firstRowsDomMs = at - result.focusAt;
      if (opts.dom) result.dom = await opts.dom(page);
      if (cdp && opts.profileDir) {
        const { profile } = (await cdp.send('Profiler.stop')) as { profile: unknown };
        fs.writeFileSync(path.join(opts.profileDir, 'workbench.cpuprofile'), JSON.stringify(profile));
      }
    } finally {
      fs.writeFileSync(doneFile, '');
    }
    await Promise.race([done, new Promise((r) => setTimeout(r, 30_000).unref())]);
    return result;
  } finally {
    unregister();
    await stop();
  }
}
