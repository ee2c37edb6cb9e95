/**
 * The fault suite's own disposable dockerd: in its own network namespace `gpuc-faults` (a second dockerd in
 * the main namespace would delete the shared docker0, see ../shared/HARNESS.md §4), socket
 * unix:///run/gpuc-faults/docker.sock, data under /tmp/gpuc-faults-d (kept between runs, so the test image
 * is loaded once). Startup is idempotent: a daemon already answering on the socket is reused. Only this
 * suite's processes are ever signalled, by the pids in their own pid files.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export const NETNS = 'gpuc-faults';
export const RUN_DIR = '/run/gpuc-faults';
export const SOCK = `${RUN_DIR}/docker.sock`;
export const HOST = `unix://${SOCK}`;
export const BUSYBOX = 'gpu-containers-test/busybox:1';
const DATA = '/tmp/gpuc-faults-d';
const EXEC = `${RUN_DIR}/exec`;
const PIDFILE = `${RUN_DIR}/docker.pid`;
const LOG = `${DATA}/dockerd.log`;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The docker CLI against the faults daemon. */
export async function docker(...args: string[]): Promise<string> {
  const { stdout } = await execFileP('docker', ['-H', HOST, ...args], { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  return stdout.trim();
}

function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readPid(file: string): number | undefined {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** The running daemon's pid, if any. */
export function daemonPid(): number | undefined {
  const pid = readPid(PIDFILE);
  return alive(pid) ? pid : undefined;
}

async function answers(): Promise<boolean> {
  try {
    await execFileP('docker', ['-H', HOST, 'version', '--format', '{{.Server.Version}}'], { timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/** Why the suite cannot run here, or undefined. */
export function cannotRun(): string | undefined {
  if (process.getuid?.() !== 0) return 'the fault suite needs root (ip netns, nsenter, a second dockerd, tmpfs)';
  for (const tool of ['ip', 'nsenter', 'dockerd']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `the fault suite needs ${tool} on PATH`;
    }
  }
  return undefined;
}

/** Starts the daemon (or reuses the one answering) and makes sure the test image is there. Idempotent. */
export async function startDaemon(timeoutMs = 40_000): Promise<number> {
  fs.mkdirSync(RUN_DIR, { recursive: true });
  fs.mkdirSync(DATA, { recursive: true });
  if (!fs.existsSync(`/var/run/netns/${NETNS}`)) {
    execFileSync('ip', ['netns', 'add', NETNS]);
    execFileSync('nsenter', [`--net=/var/run/netns/${NETNS}`, 'ip', 'link', 'set', 'lo', 'up']);
  }
  if (!(daemonPid() && (await answers()))) {
    const log = fs.openSync(LOG, 'a');
    const child = spawn(
      'nsenter',
      [
        `--net=/var/run/netns/${NETNS}`,
        'setsid',
        'dockerd',
        '--data-root',
        path.join(DATA, 'data'),
        '--exec-root',
        EXEC,
        '--pidfile',
        PIDFILE,
        '-H',
        HOST,
      ],
      { detached: true, stdio: ['ignore', log, log] },
    );
    child.unref();
    fs.closeSync(log);
    const deadline = Date.now() + timeoutMs;
    while (!(await answers())) {
      if (Date.now() > deadline)
        throw new Error(`the faults dockerd did not answer within ${timeoutMs} ms (see ${LOG})`);
      await sleep(200);
    }
  }
  const pid = daemonPid();
  if (!pid) throw new Error(`the faults dockerd has no pid file at ${PIDFILE}`);
  if (!(await docker('images', '-q', BUSYBOX))) {
    await execFileP('sh', ['-c', `docker save ${BUSYBOX} | docker -H ${HOST} load -q`], { timeout: 60_000 });
  }
  return pid;
}

/** Waits until the process is gone. */
export async function waitGone(pid: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} did not exit within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Signals the daemon (SIGCONT first, so a stopped one can act on it) and waits until it is gone. */
export async function stopDaemon(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const pid = daemonPid();
  if (!pid) return;
  process.kill(pid, 'SIGCONT');
  process.kill(pid, signal);
  await waitGone(pid);
  if (signal === 'SIGKILL') fs.rmSync(PIDFILE, { force: true });
}

/** After the suite: our containers gone, the daemon and its containerd stopped, the namespace deleted. */
export async function teardown(label: string): Promise<void> {
  const pid = daemonPid();
  if (pid) {
    process.kill(pid, 'SIGCONT');
    try {
      const ids = (await docker('ps', '-aq', '--filter', `label=${label}`)).split('\n').filter(Boolean);
      if (ids.length) await docker('rm', '-f', ...ids);
    } catch {
      // the daemon is stopped below either way
    }
    await stopDaemon('SIGTERM').catch(() => undefined);
  }
  // A containerd that a SIGKILLed dockerd left behind (the restarted one adopts it; stop it by its own pid file).
  const containerd = readPid(path.join(EXEC, 'containerd', 'containerd.pid'));
  if (alive(containerd)) {
    process.kill(containerd!, 'SIGTERM');
    await waitGone(containerd!).catch(() => undefined);
  }
  try {
    execFileSync('ip', ['netns', 'delete', NETNS], { stdio: 'ignore' });
  } catch {
    // already gone
  }
}
