/**
 * The GPUs of an ssh host: `nvidia-smi` runs on that host through the system `ssh` (no probe container), with
 * the same queries as the local reader (`queryGpuArgs`, `queryAppsArgs`), and the cgroup of each GPU process so
 * its container is known. Everything in ONE ssh round trip: a handshake costs far more than nvidia-smi.
 * The process runner is injected; parsing is the GPU layer's own.
 */
import { containerIdFromCgroup } from '../gpu/cgroup';
import { classifySmiFailure } from '../gpu/noGpu';
import {
  parseComputeApps,
  parseGpuQuery,
  parseSmiHeader,
  parseSmiList,
  queryAppsArgs,
  queryGpuArgs,
  withMigDevices,
  type ComputeApp,
  type GpuInfo,
} from '../gpu/smi';
import type { SshTarget } from './hostsSetting';
import { classifySshFailure, shellQuote, sshArgv, type SshOptions } from './ssh';

const MARK = '@@gpuc@@';

export interface RemoteGpuOptions extends SshOptions {
  /** nvidia-smi on the remote host (default `nvidia-smi`, found on its PATH). */
  nvidiaSmi?: string;
  /** Also read the banner for the driver's CUDA version (once per host is enough). */
  header?: boolean;
  /** Also read `nvidia-smi topo -m` (once per host is enough). */
  topology?: boolean;
}

/**
 * The remote script, one line of POSIX sh: the GPU table (its failure ends the script with nvidia-smi's status
 * and output, for `classifySmiFailure`), `-L` for MIG devices, the compute apps, each app's
 * `/proc/<pid>/cgroup`, and the banner when asked. Sections are separated by marker lines.
 */
export function remoteGpuScript(options: RemoteGpuOptions = {}): string {
  const smi = shellQuote(options.nvidiaSmi?.trim() || 'nvidia-smi');
  const q = (args: string[]): string => args.map(shellQuote).join(' ');
  const parts = [
    `echo ${MARK}start`,
    `out=$(${smi} ${q(queryGpuArgs())} 2>&1); rc=$?`,
    `if [ $rc -ne 0 ]; then printf '%s\\n' "$out" >&2; exit $rc; fi`,
    `printf '%s\\n' "$out"`,
    `echo ${MARK}list`,
    `${smi} -L 2>/dev/null`,
    `echo ${MARK}apps`,
    `apps=$(${smi} ${q(queryAppsArgs())} 2>/dev/null)`,
    `printf '%s\\n' "$apps"`,
    // Per process: its owner (the user name of /proc/<pid>), then its cgroup (which container).
    `for p in $(printf '%s\\n' "$apps" | cut -d, -f2); do echo "${MARK}user $p $(stat -c %U /proc/$p 2>/dev/null)"; echo "${MARK}pid $p"; cat /proc/$p/cgroup 2>/dev/null; done`,
  ];
  if (options.header) parts.push(`echo ${MARK}header`, `${smi} 2>/dev/null | head -n 6`);
  if (options.topology) parts.push(`echo ${MARK}topo`, `${smi} topo -m 2>/dev/null`);
  parts.push(`echo ${MARK}end`);
  return parts.join('; ');
}

/** `ssh … <host> -- sh -c '<script>'`: the argv (after `ssh`) for one GPU snapshot of an ssh host. */
export function remoteGpuArgv(target: SshTarget, options: RemoteGpuOptions = {}): string[] {
  return sshArgv(target, ['sh', '-c', remoteGpuScript(options)], options);
}

export interface RemoteGpuSections {
  /** The start marker came back: ssh connected and the remote shell ran. */
  connected: boolean;
  /** The end marker came back: every section is complete. */
  complete: boolean;
  gpu: string;
  list: string;
  apps: string;
  header: string;
  topo: string;
  /** `/proc/<pid>/cgroup` text per pid. */
  cgroups: Map<number, string>;
  /** The user running each pid. */
  users: Map<number, string>;
}

/** Splits the script's stdout into its sections. Never throws. */
export function splitRemoteGpuOutput(stdout: unknown): RemoteGpuSections {
  const out: RemoteGpuSections = {
    connected: false,
    complete: false,
    gpu: '',
    list: '',
    apps: '',
    header: '',
    topo: '',
    cgroups: new Map(),
    users: new Map(),
  };
  if (typeof stdout !== 'string') return out;
  let section: 'none' | 'gpu' | 'list' | 'apps' | 'pid' | 'header' | 'topo' = 'none';
  let pid = -1;
  const buf: Record<'gpu' | 'list' | 'apps' | 'header' | 'topo', string[]> = {
    gpu: [],
    list: [],
    apps: [],
    header: [],
    topo: [],
  };
  for (const line of stdout.split(/\r?\n/)) {
    if (line.startsWith(MARK)) {
      const tag = line.slice(MARK.length).trim();
      if (tag === 'start') {
        out.connected = true;
        section = 'gpu';
      } else if (tag === 'list' || tag === 'apps' || tag === 'header' || tag === 'topo') section = tag;
      else if (tag === 'end') {
        out.complete = true;
        section = 'none';
      } else if (tag.startsWith('pid ')) {
        const n = Number(tag.slice(4).trim());
        section = Number.isSafeInteger(n) && n > 0 ? 'pid' : 'none';
        pid = n;
        if (section === 'pid') out.cgroups.set(pid, '');
      } else if (tag.startsWith('user ')) {
        const [p, user] = tag.slice(5).trim().split(/\s+/);
        if (/^\d+$/.test(p ?? '') && user && /^[\w.@-]+$/.test(user)) out.users.set(Number(p), user);
        section = 'none';
      } else section = 'none';
      continue;
    }
    if (section === 'pid') out.cgroups.set(pid, `${out.cgroups.get(pid) ?? ''}${line}\n`);
    else if (section !== 'none') buf[section].push(line);
  }
  out.gpu = buf.gpu.join('\n');
  out.list = buf.list.join('\n');
  out.apps = buf.apps.join('\n');
  out.header = buf.header.join('\n');
  out.topo = buf.topo.join('\n');
  return out;
}

export interface RemoteGpuSnapshot {
  gpus: GpuInfo[];
  apps: ComputeApp[];
  pidToContainerId: Map<number, string>;
  /** Compute process → the user running it. */
  pidToUser: Map<number, string>;
  /** From the banner, when asked for and found. */
  driverCuda?: string;
  /** `nvidia-smi topo -m` text, when asked for (the GPU layer parses it). */
  topologyText?: string;
  /** Why there are no GPUs, with the fix (ssh failed, or nvidia-smi did). */
  unavailable?: { message: string; fix: string; cause: 'ssh' | 'smi' };
  problems: string[];
}

/** What running a process gave: exit code (null when killed), both streams, and a spawn error's message. */
export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** `ENOENT` when `ssh` itself is missing, `ETIMEDOUT` when the runner's timeout killed it. */
  error?: string;
}

/** The snapshot from one run of `remoteGpuArgv`. Never throws. */
export function remoteGpuSnapshot(destination: string, result: ProcessResult, nvidiaSmi?: string): RemoteGpuSnapshot {
  const s = splitRemoteGpuOutput(result.stdout);
  const empty = {
    gpus: [],
    apps: [],
    pidToContainerId: new Map<number, string>(),
    pidToUser: new Map<number, string>(),
    problems: [],
  };
  if (!s.connected) {
    const f = classifySshFailure(destination, {
      code: result.error ?? result.code,
      stderr: result.stderr,
      message: result.error,
    });
    return { ...empty, unavailable: { message: f.message, fix: f.fix, cause: 'ssh' } };
  }
  if (result.code !== 0 && !s.complete) {
    // The remote shell ran: nvidia-smi failed (its output is on stderr), or the run was cut short.
    const f = classifySmiFailure(
      { code: result.code ?? undefined, stderr: result.stderr, stdout: s.gpu },
      nvidiaSmi?.trim() || 'nvidia-smi',
      destination,
    );
    return { ...empty, unavailable: { message: f.message, fix: f.fix, cause: 'smi' } };
  }
  const parsed = parseGpuQuery(s.gpu);
  let gpus = parsed.gpus;
  if (gpus.some((g) => g.migMode === 'Enabled')) gpus = withMigDevices(gpus, parseSmiList(s.list).gpus);
  const apps = parseComputeApps(s.apps);
  const pidToContainerId = new Map<number, string>();
  for (const [pid, text] of s.cgroups) {
    const id = containerIdFromCgroup(text);
    if (id) pidToContainerId.set(pid, id);
  }
  const snap: RemoteGpuSnapshot = {
    gpus,
    apps: apps.apps,
    pidToContainerId,
    pidToUser: s.users,
    problems: [...parsed.problems, ...apps.problems],
  };
  if (s.topo.trim()) snap.topologyText = s.topo;
  const cuda = s.header ? parseSmiHeader(s.header).cudaVersion : undefined;
  if (cuda) snap.driverCuda = cuda;
  return snap;
}

/** Runs `ssh` (injected) once and returns the host's GPU snapshot. */
export async function readRemoteGpus(
  target: SshTarget,
  run: (file: string, argv: string[]) => Promise<ProcessResult>,
  options: RemoteGpuOptions = {},
): Promise<RemoteGpuSnapshot> {
  let result: ProcessResult;
  try {
    result = await run('ssh', remoteGpuArgv(target, options));
  } catch (e) {
    result = { code: null, stdout: '', stderr: '', error: e instanceof Error ? e.message : String(e) };
  }
  return remoteGpuSnapshot(target.destination, result, options.nvidiaSmi);
}
