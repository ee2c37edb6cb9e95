// Runs the extension-host test suite (out/test/vscode/suite) inside a real VS Code: code-server from the
// rig, the workbench opened in headless Chromium with the extension under development and the suite
// passed as the development payload. Exit code = the suite's. Screenshots of failures go to
// test-results/vscode/. A second pass runs out/test/vscode/restricted in an untrusted folder
// (test/vscode/workspace-restricted, workspace trust on): what the extension may and may not do in Restricted Mode.
//   node scripts/run-vscode-tests.mjs [--grep PATTERN]   (a grep runs the main pass only)
//   node scripts/run-vscode-tests.mjs --restricted       (the Restricted Mode pass only)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import {
  isOfflineNoise,
  launchChromium,
  makeUserDataDir,
  repoRoot,
  startCodeServer,
  workspaceUrl,
} from './lib/rig.mjs';

const grepIdx = process.argv.indexOf('--grep');
const grep = grepIdx > 0 ? process.argv[grepIdx + 1] : (process.env.GPU_CONTAINERS_TEST_GREP ?? '');
const timeoutMs = Number(process.env.GPU_CONTAINERS_VSCODE_TIMEOUT_MS ?? 8 * 60_000);
const resultsDir = path.join(repoRoot, 'test-results', 'vscode');
fs.mkdirSync(resultsDir, { recursive: true });

const restrictedOnly = process.argv.includes('--restricted');
const passes = [
  ...(restrictedOnly ? [] : [{ name: 'main', suite: 'suite', workspace: 'workspace', trust: true, grep }]),
  ...(grep && !restrictedOnly
    ? []
    : [{ name: 'restricted', suite: 'restricted', workspace: 'workspace-restricted', trust: false, grep: '' }]),
];
if (!fs.existsSync(path.join(repoRoot, 'dist', 'extension.js')))
  throw new Error('dist/extension.js is missing: run `npm run build` first.');

const WORKBENCH_NOISE =
  /^\s*(Resolving connection token|Resolved connection token|Creating a socket|\[reconnection-grace-time\]|Ignoring fetching additional|\[Service Worker\]|\[AgentHost|\[AccountPolicyGate\]|Updating additional builtin|Started local extension host|Extension host with pid)/;
const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** One pass: a fresh code-server and workbench on `workspace`, the suite in `out/test/vscode/<suite>`. */
async function runPass(pass) {
  const suiteIndex = path.join(repoRoot, 'out', 'test', 'vscode', pass.suite, 'index.js');
  if (!fs.existsSync(suiteIndex)) throw new Error(`${suiteIndex} is missing: run \`npm run compile\` first.`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-vscode-'));
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(path.join(repoRoot, 'test', 'vscode', pass.workspace), workspace, { recursive: true });
  // The restricted pass's user settings hold one profile of the user's own, which a save must keep.
  const userDataDir = makeUserDataDir(
    path.join(tmp, 'user-data'),
    pass.trust ? {} : { 'gpuContainers.profiles': [{ name: 'mine', image: 'gpu-containers-test/busybox:1' }] },
  );
  const extensionsDir = path.join(tmp, 'extensions');
  fs.mkdirSync(extensionsDir);

  const started = Date.now();
  const server = await startCodeServer({
    userDataDir,
    extensionsDir,
    smokeTestDriver: true,
    trust: pass.trust,
    logFile: path.join(resultsDir, `code-server${pass.name === 'main' ? '' : `-${pass.name}`}.log`),
  });
  let browser;
  let exitCode = 1;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let passed = 0;
    let failed = 0;
    // Console messages are formatted here from their arguments (the host forwards mocha's "%d passing"
    // style format strings unformatted); a promise chain keeps their order.
    let chain = Promise.resolve();
    page.on('console', (msg) => {
      chain = chain.then(async () => {
        const text = msg.text();
        if (process.env.GPU_CONTAINERS_RAW) console.log(JSON.stringify(text));
        if (isOfflineNoise(text) || !text.startsWith('%c')) return;
        let args;
        try {
          args = await Promise.all(msg.args().map((a) => a.jsonValue()));
        } catch {
          args = [text];
        }
        // "%c LEVEL", "color: …", then the message's own format string and arguments.
        const level = String(args[0] ?? '')
          .replace(/%c/g, '')
          .trim();
        const rest = args.slice(2);
        const line = (level && level !== 'INFO' ? `${level} ` : '') + (rest.length ? format(...rest) : text);
        if (WORKBENCH_NOISE.test(line)) return;
        const m = /^\s*(\d+) passing/.exec(line);
        if (m) passed = Number(m[1]);
        const f = /^\s*(\d+) failing/.exec(line);
        if (f) failed = Number(f[1]);
        console.log(line);
      });
    });
    const done = new Promise((resolve) => page.exposeFunction('codeAutomationExit', (code) => resolve(code)));
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://remote${repoRoot}`],
      ['extensionTestsPath', `vscode-remote://remote${suiteIndex}`],
      [
        'extensionEnvironment',
        JSON.stringify({
          GPU_CONTAINERS_TEST_RUN: runId,
          GPU_CONTAINERS_TEST_GREP: pass.grep,
          GPU_CONTAINERS_TEST_WORKSPACE: workspace,
          GPU_CONTAINERS_REPO: repoRoot,
          // A canary secret: test/vscode/suite/09-faults.test.ts checks it reaches no log, prompt or export.
          HF_TOKEN: 'hf_gpucFaultsCanary0123456789AbCdEf',
        }),
      ],
    ];
    await page.goto(workspaceUrl(server.url, workspace, payload));
    const timer = new Promise((resolve) => setTimeout(() => resolve('timeout'), timeoutMs));
    const result = await Promise.race([done, timer]);
    if (result === 'timeout') {
      console.error(`The suite did not finish within ${timeoutMs / 1000} s.`);
      await page.screenshot({ path: path.join(resultsDir, `timeout-${pass.name}.png`) }).catch(() => {});
      exitCode = 1;
    } else {
      await chain;
      exitCode = Number(result) === 0 ? 0 : 1;
      if (exitCode !== 0)
        await page.screenshot({ path: path.join(resultsDir, `failure-${pass.name}.png`) }).catch(() => {});
    }
    console.log(`vscode (${pass.name}): ${passed} passed, ${failed} failed`);
    console.log(
      `[vscode] ${pass.name} suite finished in ${((Date.now() - started) / 1000).toFixed(1)} s (exit ${exitCode})`,
    );
  } finally {
    await browser?.close().catch(() => {});
    server.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return exitCode;
}

let exitCode = 0;
for (const pass of passes) if ((await runPass(pass)) !== 0) exitCode = 1;
process.exit(exitCode);
