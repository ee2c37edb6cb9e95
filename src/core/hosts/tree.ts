/**
 * The host node at the top of each view when there are several hosts. Pure: the item model (label,
 * description, icon, contextValue) the views turn into a TreeItem. With one host there is no host node.
 */
import { capabilityFlags, type EngineCapabilities } from '../docker/capabilities';
import type { ItemModel } from '../tree/containerRows';
import { hostNodeText, type HostStatus } from './hostModel';

/**
 * `host;ok`, `host;unreachable`, `host;connecting` (+ `;local`, + the host's `can-<capability>` flags): menus match
 * `viewItem =~ /^host;unreachable/`, `viewItem =~ /^host;.*;can-pull(;|$)/`.
 */
export function hostContextValue(status: HostStatus, local: boolean, caps?: EngineCapabilities): string {
  return ['host', status.state.kind, ...(local ? ['local'] : []), ...(caps ? capabilityFlags(caps) : [])].join(';');
}

/** Tree item id of a host node: unique within a view, never equal to a container or image id. */
export function hostNodeId(name: string): string {
  return `host:${name}`;
}

/** A row's id under a host: ids are only unique per engine (the same image has the same id on every host). */
export function idOnHost(host: string, id: string): string {
  return `${host}/${id}`;
}

function escapeMd(s: string): string {
  return s.replace(/([\\`*_[\]#|<>])/g, '\\$1');
}

/**
 * A host node. `extra` is what the view adds after the GPU count when the host is reachable
 * ("3 running", "12 images"); the unreachable reason always wins, so a dead host reads as dead.
 */
export function hostItem(
  status: HostStatus,
  opts: { local: boolean; address: string; extra?: string; capabilities?: EngineCapabilities },
): ItemModel {
  const text = hostNodeText(status);
  const description =
    status.state.kind === 'ok' ? [text.description, opts.extra ?? ''].filter(Boolean).join(' · ') : text.description;
  const icon =
    status.state.kind === 'unreachable'
      ? { id: 'debug-disconnect', color: 'errorForeground' }
      : status.state.kind === 'connecting'
        ? { id: 'loading~spin' }
        : { id: opts.local ? 'vm' : 'remote-explorer' };
  return {
    id: hostNodeId(status.name),
    label: status.name,
    description,
    tooltip: [
      `**${escapeMd(status.name)}** ${escapeMd(opts.address)}`,
      ...text.tooltip.split('\n').slice(1).map(escapeMd),
    ]
      .filter(Boolean)
      .join('  \n'),
    icon,
    contextValue: hostContextValue(status, opts.local, opts.capabilities),
  };
}
