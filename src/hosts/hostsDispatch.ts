import * as vscode from 'vscode';
import { COMMAND_TARGETS, type CommandId } from '../constants';
import { COMMAND_CAPABILITY, cannotMessage } from '../core/docker/capabilities';
import { isHostNode } from '../core/hosts/hostNode';
import type { Host } from './host';
import type { HostsService } from './hostsService';
import type { Services } from '../services';

const t = vscode.l10n.t;

/** A command that acts on one host (a row's, a host node's, a file's) asks which when run without a row. */
const hostBound = (id: string): boolean => {
  const target = COMMAND_TARGETS[id as CommandId];
  return target !== undefined && target !== 'none' && target !== 'everyHost';
};

/**
 * A command the host cannot do (its backend declares the capability false, e.g. Save Images on a Kubernetes
 * cluster): one sentence that says so, thrown before the handler makes any engine call.
 */
export class CannotOnHost extends Error {}

/** Throws `CannotOnHost` when `id` needs a capability the engine of `s` (one host's services) lacks. */
export async function refuseIfCannot(s: Services, hostName: string, id: string): Promise<void> {
  const need = COMMAND_CAPABILITY[id];
  if (need === undefined || s.engines.engine.capabilities[need]) return;
  // The backend registry (and dockerode behind it) is not loaded at activation: only when refusing.
  const { describeBackend } = await import('../core/docker/engineFactory');
  throw new CannotOnHost(cannotMessage(need, hostName, describeBackend(s.engines.endpoint)));
}

/** Asks which host (palette commands with several hosts); with `id`, only among the hosts that can do it. */
export async function pickHost(
  hosts: HostsService,
  s: Services,
  placeHolder?: string,
  id?: string,
): Promise<Host | undefined> {
  if (!hosts.multiple) return hosts.primary;
  const need = id === undefined ? undefined : COMMAND_CAPABILITY[id];
  const able = need === undefined ? hosts.list : hosts.list.filter((h) => h.engines.engine.capabilities[need]);
  // No host can: the first one's refusal says why (a pick among hosts that all refuse would be a trap).
  if (able.length === 0) return hosts.primary;
  if (able.length === 1 && need !== undefined) return able[0];
  const items = able.map((h) => {
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
  handler: (s: Services, args: unknown[]) => unknown,
): Promise<unknown> {
  // Every host-scoped call checks first that its host can do the command.
  const call = async (scoped: Services, a: unknown[]): Promise<unknown> => {
    await refuseIfCannot(scoped, (hosts.scopedHost(scoped) ?? hosts.primary).name, id);
    return handler(scoped, a);
  };
  if (!hosts.multiple) return call(s, args);
  if (COMMAND_TARGETS[id as CommandId] === 'everyHost') {
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
  if (hostBound(id) && (node === undefined || node instanceof vscode.Uri) && !hosts.scopedHost(s)) {
    const picked = await pickHost(hosts, s, undefined, id);
    if (!picked) return undefined;
    return call(hosts.scope(s, picked), args);
  }
  return call(s, args);
}
