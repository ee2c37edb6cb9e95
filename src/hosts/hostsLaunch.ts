import * as vscode from 'vscode';
import { Cancelled } from '../commands/cancel';
import type { ContainerCreateOptions } from '../core/docker';
import {
  bindSources,
  gpuFit,
  parseExistsOutput,
  type HostReadiness,
  rankHosts,
  remoteExistsArgv,
  remotePathProblems,
  sharedControlPath,
} from '../core/hosts';
import { compareCuda, imageCudaVersion } from '../core/gpu';
import { withDefaultTag } from '../core/images/refs';
import type { Profile } from '../core/profiles';
import { runProcess } from './hostGpus';
import type { Host } from './host';
import type { Services } from '../services';

const t = vscode.l10n.t;

/** Waits for a promise at most `ms`, so one slow host does not hold up the choice. */
function atMost<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/**
 * What decides on a host whether the launch will work besides free GPUs: its engine's NVIDIA runtime, the
 * image there, and the image's CUDA against the host's driver. Each asked at most 3 s; unknown when slower.
 */
async function readinessOf(host: Host, image: string | undefined, gpu: boolean): Promise<HostReadiness> {
  const ready: HostReadiness = {};
  const engine = host.engines.engine;
  // A cluster's nodes pull their own images: nothing to say about the image here.
  const cluster = host.engines.endpoint.kind === 'kubernetes';
  const [info, details] = await Promise.all([
    gpu ? atMost(engine.info(), 3000).catch(() => undefined) : undefined,
    image && !cluster ? atMost(engine.inspectImage(image), 3000).catch(() => null) : undefined,
  ]);
  if (info) ready.nvidiaRuntime = info.hasNvidiaRuntime;
  if (image && !cluster) {
    const ref = withDefaultTag(image);
    ready.imagePresent = host.refresh.images.all().some((i) => i.tags.some((tag) => withDefaultTag(tag) === ref));
  }
  if (gpu && details) {
    const cuda = compareCuda(imageCudaVersion(details), host.gpus.current.driverCuda);
    if (cuda.code !== 'unknown') ready.cuda = { image: cuda.imageVersion!, driver: cuda.driverVersion!, ok: cuda.ok };
  }
  return ready;
}

/**
 * With several hosts, where to launch: a host the command already acts on (Run Image on an image of that host),
 * the profile's `host` pin, or the user's choice among the hosts ranked by what will work there (GPU fit, NVIDIA
 * runtime, CUDA, image present), each line saying why. Returns services scoped to that host.
 */
export async function chooseLaunchHost(s: Services, profile: Profile, image?: string): Promise<Services> {
  const hosts = s.hosts;
  if (!hosts.multiple || hosts.scopedHost(s)) return s;
  // The parsed profile's `host` is the one pin (user or workspace profile alike).
  const pinned = profile.host?.trim() || undefined;
  if (pinned) {
    const host = hosts.byName(pinned);
    if (host) return hosts.scope(s, host);
  }
  const gpu = profile.gpus !== 'none';
  const reachable = hosts.list.filter((h) => hosts.status(h).state.kind !== 'unreachable');
  const [, readiness] = await Promise.all([
    gpu ? Promise.allSettled(hosts.list.map((h) => atMost(h.gpus.refresh(), 3000))) : undefined,
    Promise.all(reachable.map(async (h) => [h, await readinessOf(h, image ?? profile.image, gpu)] as const)),
  ]);
  const ready = new Map<Host, HostReadiness>(readiness);
  const ranking = rankHosts({
    hosts: [...hosts.list],
    stateOf: (h) => hosts.status(h).state,
    fit: (h) => gpuFit(profile.gpus, h.gpus.rows(), h.gpus.current.unavailable?.message),
    gpu,
    ready: (h) => ready.get(h) ?? {},
    pinned,
  });
  if (ranking.problem) void s.ui.ask('pinnedHostMissing', 'warning', ranking.problem, {});
  const items = ranking.ranked.map((r) => ({
    label: r.host.name,
    description: r.host.resolved.endpoint.host,
    detail: `${r.works ? '$(check)' : '$(warning)'} ${r.detail}`,
    host: r.host,
  }));
  const picked = await s.ui.pick('launchHost', items, {
    placeHolder: t('Launch {0} on which host?', profile.name),
    matchOnDescription: true,
  });
  if (!picked) throw new Cancelled();
  return hosts.scope(s, picked.host);
}

/** Whether each path exists on an ssh host (one round trip); unknown for other remote hosts. */
async function existsOn(host: Host, paths: string[]): Promise<Map<string, boolean>> {
  if (!host.resolved.ssh || paths.length === 0) return new Map();
  const r = await runProcess(
    'ssh',
    remoteExistsArgv(host.resolved.ssh, paths, { controlPath: await sharedControlPath(host.resolved.ssh) }),
    15_000,
  );
  return r.code === 0 ? parseExistsOutput(r.stdout, paths) : new Map();
}

/**
 * Preflight for bind mounts on a remote host: a local folder (the workspace) mounted on another machine is
 * whatever is at that path there — usually nothing. Missing paths stop the launch unless the user insists.
 */
export async function checkHostPaths(s: Services, options: ContainerCreateOptions): Promise<void> {
  const host = s.hosts.scopedHost(s) ?? s.hosts.primary;
  if (host.resolved.local) return;
  const binds = bindSources(options);
  if (binds.length === 0) return;
  const exists = await existsOn(
    host,
    binds.map((b) => b.source),
  );
  const problems = remotePathProblems({
    hostName: host.name,
    local: false,
    binds,
    workspaceFolders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
    exists: (p) => exists.get(p),
  });
  if (problems.length === 0) return;
  const anyway = t('Launch Anyway');
  const first = problems[0];
  const answer = await s.ui.ask(
    'remotePaths',
    first.severity === 'error' ? 'error' : 'warning',
    problems.map((p) => p.message).join(' '),
    { modal: true, detail: first.fix },
    anyway,
  );
  if (answer !== anyway) throw new Cancelled();
}
