import * as vscode from 'vscode';
import { Commands } from './constants';
import { isHostNode } from './core/hosts/hostNode';
import type { Host, HostsService } from './hostsService';
import type { Services } from './services';

const t = vscode.l10n.t;

/**
 * The object with some methods replaced; every other member read from it, methods bound to it (so a
 * method that assigns a field assigns the real object's).
 */
export function facade<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(obj, prop) {
      if (Object.prototype.hasOwnProperty.call(overrides, prop))
        return (overrides as Record<PropertyKey, unknown>)[prop];
      const v: unknown = Reflect.get(obj, prop, obj);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(obj) : v;
    },
  });
}

/**
 * Commands that act on one host and, run without a row (the palette, or the Explorer's menu on a file) while
 * there are several hosts, ask which.
 */
const HOST_BOUND = new Set<string>([
  Commands.attachTerminal,
  Commands.attachMainProcess,
  Commands.start,
  Commands.stop,
  Commands.restart,
  Commands.remove,
  Commands.showLogs,
  Commands.inspect,
  Commands.copyName,
  Commands.copyId,
  Commands.pruneStopped,
  Commands.commitContainer,
  Commands.runImage,
  Commands.pullImage,
  Commands.removeImage,
  Commands.buildImage,
  Commands.buildImageWithOptions,
  Commands.saveImage,
  Commands.loadImage,
  Commands.tagImage,
  Commands.pushImage,
  Commands.copyImageName,
  Commands.copyContainerAsDockerRun,
  Commands.saveContainerAsProfile,
]);
/** Commands that run on every host, in parallel (a slow host does not hold up the others' rows). */
const EVERY_HOST = new Set<string>([Commands.refresh, Commands.retry, Commands.refreshGpus]);

/** Asks which host (palette commands with several hosts). */
export async function pickHost(hosts: HostsService, s: Services, placeHolder?: string): Promise<Host | undefined> {
  if (!hosts.multiple) return hosts.primary;
  const items = hosts.list.map((h) => {
    const st = hosts.status(h);
    return {
      label: h.name,
      description: h.resolved.endpoint.host,
      detail: st.state.kind === 'ok' ? undefined : st.state.kind,
      host: h,
    };
  });
  const picked = await s.ui.pick('pickHost', items, { placeHolder: placeHolder ?? t('On which host?') });
  return picked?.host;
}

/**
 * Runs a command handler on the right host: the node's own (several selected nodes are grouped by host),
 * every host for Refresh/Retry, or — from the palette, with several hosts — the host the user picks.
 */
export async function dispatchOnHost(
  hosts: HostsService,
  s: Services,
  id: string,
  args: unknown[],
  call: (s: Services, args: unknown[]) => unknown,
): Promise<unknown> {
  if (!hosts.multiple) return call(s, args);
  if (EVERY_HOST.has(id)) {
    const [node] = args;
    const only = hosts.find(node);
    const targets = only ? [only] : hosts.list;
    return Promise.all(targets.map((h) => call(hosts.scope(s, h), isHostNode(node) ? [] : args)));
  }
  const [node, many] = args;
  if (isHostNode(node)) return call(hosts.scope(s, hosts.of(node)), [undefined, ...args.slice(1)]);
  const host = hosts.find(node);
  if (host) {
    const list = Array.isArray(many) ? (many as unknown[]) : [node];
    const groups = new Map<Host, unknown[]>();
    for (const n of list) {
      const h = hosts.find(n) ?? host;
      groups.set(h, [...(groups.get(h) ?? []), n]);
    }
    if (groups.size === 1) return call(hosts.scope(s, host), args);
    const results: unknown[] = [];
    for (const [h, nodes] of groups) results.push(await call(hosts.scope(s, h), [nodes[0], nodes, ...args.slice(2)]));
    return results;
  }
  if (HOST_BOUND.has(id) && (node === undefined || node instanceof vscode.Uri) && !hosts.scopedHost(s)) {
    const picked = await pickHost(hosts, s);
    if (!picked) return undefined;
    return call(hosts.scope(s, picked), args);
  }
  return call(s, args);
}
