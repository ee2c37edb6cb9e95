import * as vscode from 'vscode';
import { Cancelled } from './commands/cancel';
import type { ContainerCreateOptions } from './core/docker';
import {
  bindSources,
  gpuFit,
  parseExistsOutput,
  pinnedHostOf,
  rankHosts,
  remoteExistsArgv,
  remotePathProblems,
  sharedControlPath,
} from './core/hosts';
import type { Profile } from './core/profiles';
import { runProcess } from './hostGpus';
import type { Host } from './hostsService';
import type { Services } from './services';

const t = vscode.l10n.t;

/** The profile's `host` field as written in settings (the parsed profile does not carry it yet). */
function pinnedHost(profileName: string): string | undefined {
  const raw = vscode.workspace.getConfiguration('gpuContainers').get<unknown>('profiles');
  const entry: unknown = Array.isArray(raw)
    ? raw.find((p) => typeof p === 'object' && p !== null && (p as { name?: unknown }).name === profileName)
    : undefined;
  return pinnedHostOf(entry);
}

/** Waits for a promise at most `ms`, so one slow host does not hold up the choice. */
function atMost(p: Promise<unknown>, ms: number): Promise<unknown> {
  return Promise.race([p, new Promise((r) => setTimeout(r, ms))]);
}

/**
 * With several hosts, where to launch: a host the command already acts on (Run Image on an image of that host),
 * the profile's pinned host, or the user's choice among the hosts ranked by how well they fit the GPU request.
 * Returns services scoped to that host.
 */
export async function chooseLaunchHost(s: Services, profile: Profile): Promise<Services> {
  const hosts = s.hosts;
  if (!hosts.multiple || hosts.scopedHost(s)) return s;
  const pinned = pinnedHost(profile.name);
  if (pinned) {
    const host = hosts.byName(pinned);
    if (host) return hosts.scope(s, host);
  }
  if (profile.gpus !== 'none') await Promise.allSettled(hosts.list.map((h) => atMost(h.gpus.refresh(), 3000)));
  const ranking = rankHosts({
    hosts: [...hosts.list],
    stateOf: (h) => hosts.status(h).state,
    fit: (h) => gpuFit(profile.gpus, h.gpus.rows(), h.gpus.current.unavailable?.message),
    pinned,
  });
  if (ranking.problem) void s.ui.ask('pinnedHostMissing', 'warning', ranking.problem, {});
  const items = ranking.ranked.map((r) => ({
    label: r.host.name,
    description: r.host.resolved.endpoint.host,
    detail: `${r.fits ? '$(check)' : '$(warning)'} ${r.detail}`,
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
