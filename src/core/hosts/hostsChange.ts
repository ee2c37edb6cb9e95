/**
 * What a settings change does to the host list. VS Code may fire `gpuContainers.hosts` changes that are not the
 * user's: in a remote window (Remote-SSH, code-server) the value in the local User settings is ignored, and the
 * first reload of the settings (trusting the folder, say) drops what an earlier read still saw. The hosts layer
 * keeps its hosts when a read is the same, keeps them when only trust changed (trust never changes a user
 * setting), and says where the setting must go when hosts vanish in a remote window.
 */
import { t } from '../l10n';
import type { ResolvedHost } from './endpoints';

export interface HostsRead {
  /** What identifies the list: the hosts' names, endpoints and GPU readers, in order. */
  key: string;
  /** Hosts configured (0 when the setting is empty: the one implicit engine). */
  configured: number;
  /** Workspace Trust when this read was made. */
  trusted: boolean;
}

export type HostsChange =
  /** The new read is the old one: keep every host as it is (no new engines, no flicker). */
  | { kind: 'same' }
  /** Only trust changed and the hosts vanished: keep the last list (trust cannot change a user setting). */
  | { kind: 'keep' }
  /** Use the new list; `vanishedInRemote`: every host went away in a remote window (say where the setting goes). */
  | { kind: 'rebuild'; vanishedInRemote: boolean };

/** The key of a resolved list: what would make a rebuilt host differ. */
export function hostsReadKey(hosts: readonly ResolvedHost[]): string {
  return JSON.stringify(
    hosts.map((h) => [h.name, h.spec, h.endpoint, h.local, h.ssh ?? null, h.error ?? null, h.implicit]),
  );
}

export function hostsChange(before: HostsRead | undefined, after: HostsRead, remoteWindow: boolean): HostsChange {
  if (!before) return { kind: 'rebuild', vanishedInRemote: false };
  if (before.key === after.key) return { kind: 'same' };
  const vanished = before.configured > 0 && after.configured === 0;
  if (vanished && before.trusted !== after.trusted) return { kind: 'keep' };
  return { kind: 'rebuild', vanishedInRemote: vanished && remoteWindow };
}

/** The VS Code command that opens the settings a remote window reads `gpuContainers.hosts` from. */
export const OPEN_REMOTE_SETTINGS_COMMAND = 'workbench.action.openRemoteSettingsFile';

/** Where `gpuContainers.hosts` must go in a remote window (`remoteName`: "ssh-remote", "wsl", …). */
export function remoteHostsHint(remoteName: string): string {
  return t(
    'This is a remote window ({0}): VS Code reads gpuContainers.hosts from the Remote settings only and ignores it in your local User settings. Put the hosts in "Preferences: Open Remote Settings (JSON)".',
    remoteName,
  );
}
