/**
 * Figures 4 and 5 in a real VS Code: code-server from the rig with this checkout as the development
 * extension (main = dist/extension.js, the production bundle `npm run bench` just built), the workbench
 * in headless Chromium, and bench/host/index.ts as the extensionTestsPath. Plus bundle and VSIX size.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export const REPO = path.resolve(__dirname, '..', '..');

interface RigModule {
  makeUserDataDir(dir: string): string;
  startCodeServer(o: { userDataDir: string; extensionsDir: string; smokeTestDriver: boolean; logFile?: string }): Promise<{ url: string; stop(): void }>;
  launchChromium(): Promise<Browser>;
  workspaceUrl(base: string, folder: string, payload: [string, string][]): string;
}
interface Browser {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}
interface Page {
  exposeFunction(name: string, fn: (code: unknown) => void): Promise<void>;
  goto(url: string): Promise<unknown>;
}

// tsc compiles `import()` to require() under commonjs; the rig is ESM.
const importEsm = new Function('p', 'return import(p)') as (p: string) => Promise<unknown>;

export interface HostResult {
  wasActive: boolean;
  sameModule: boolean;
  requireMs: number;
  activateMs: number;
  loadMs: number;
  gpuFillMs: number;
  size: number;
  rows: number;
  before: { heapUsed: number; rss: number };
  after: { heapUsed: number; rss: number };
  node: string;
  vscode: string;
  error?: string;
}

/** One extension-host session; `onStop` is registered so Ctrl+C stops code-server too. */
export async function hostSession(expect: number, onStop: (fn: () => Promise<void>) => () => void): Promise<HostResult> {
  const rig = (await importEsm(path.join(REPO, 'scripts', 'lib', 'rig.mjs'))) as RigModule;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-bench-'));
  const workspace = path.join(tmp, 'workspace');
  fs.mkdirSync(workspace);
  const extensionsDir = path.join(tmp, 'extensions');
  fs.mkdirSync(extensionsDir);
  const resultFile = path.join(tmp, 'result.json');
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
    server = await rig.startCodeServer({ userDataDir, extensionsDir, smokeTestDriver: true, logFile: path.join(tmp, 'code-server.log') });
    browser = await rig.launchChromium();
    const page = await browser.newPage();
    const done = new Promise<unknown>((resolve) => void page.exposeFunction('codeAutomationExit', (code) => resolve(code)));
    const payload: [string, string][] = [
      ['extensionDevelopmentPath', `vscode-remote://remote${REPO}`],
      ['extensionTestsPath', `vscode-remote://remote${path.join(REPO, 'out', 'bench', 'host', 'index.js')}`],
      ['extensionEnvironment', JSON.stringify({ BENCH_RESULT_FILE: resultFile, BENCH_EXPECT: String(expect) })],
    ];
    await page.goto(rig.workspaceUrl(server.url, workspace, payload));
    const timeout = new Promise<string>((r) => setTimeout(() => r('timeout'), 240_000).unref());
    if ((await Promise.race([done, timeout])) === 'timeout') throw new Error('the extension-host script did not finish within 240 s');
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as HostResult;
    if (result.error) throw new Error(`in the extension host: ${result.error}`);
    return result;
  } finally {
    unregister();
    await stop();
  }
}

export function bundleSize(): number {
  return fs.statSync(path.join(REPO, 'dist', 'extension.js')).size;
}

/** Packages the VSIX into a temporary folder (the same vsce flags as `npm run package`) and returns its size. */
export async function vsixSize(): Promise<number> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-bench-vsix-'));
  try {
    const out = path.join(tmp, 'gpu-containers.vsix');
    await execFileP(path.join(REPO, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', out], { cwd: REPO });
    return fs.statSync(out).size;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
