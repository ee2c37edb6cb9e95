import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { Settings } from './constants';
import type { Problem, Profile } from './core/profiles';
import { idlePolicy, type IdlePolicy } from './core/gpu/history';

/** The settings file a profile is saved to. */
export type ProfileTarget = 'user' | 'workspace';
/** What a profile save did: `unreadable` and `notAList` wrote nothing. */
export type SaveProfileResult = 'added' | 'replaced' | 'unreadable' | 'notAList';

export interface ProfilesResult {
  profiles: Profile[];
  problems: Problem[];
  /** Names of workspace-defined profiles refused because the workspace is not trusted. */
  refused: string[];
}

/**
 * In Restricted Mode VS Code hides restricted workspace values even from `inspect`, so the names of the
 * profiles it refused are read from the workspace's settings files themselves — only to say which ones
 * are not used, never to use them.
 */
function untrustedWorkspaceProfileNames(): string[] {
  const files = (vscode.workspace.workspaceFolders ?? []).map((f) =>
    path.join(f.uri.fsPath, '.vscode', 'settings.json'),
  );
  if (vscode.workspace.workspaceFile?.scheme === 'file') files.push(vscode.workspace.workspaceFile.fsPath);
  const names: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (!text.includes('gpuContainers.profiles')) continue;
    try {
      // JSONC: drop comments and trailing commas (good enough to read names; on failure say "some").
      const json = JSON.parse(
        text.replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '').replace(/,(\s*[}\]])/g, '$1'),
      ) as Record<string, unknown>;
      const settings = (json.settings ?? json) as Record<string, unknown>;
      const list = settings['gpuContainers.profiles'];
      if (Array.isArray(list))
        for (const p of list as unknown[]) {
          const name = (p as { name?: unknown } | null | undefined)?.name;
          names.push(typeof name === 'string' ? name : '?');
        }
    } catch {
      names.push('?');
    }
  }
  return names;
}

/** core/profiles is evaluated on first use, not at activation (issue 17; the activation-graph test). */
function profileList(): typeof import('./core/profiles/profileList') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load esbuild still bundles.
  return require('./core/profiles/profileList') as typeof import('./core/profiles/profileList');
}

/**
 * The one place that reads `gpuContainers.*` settings. Typed getters, one change event.
 * Workspace Trust: in an untrusted workspace, workspace-level values of restricted settings are not
 * used (VS Code already hides them from `get`); profiles defined there are reported as refused.
 */
export class Config implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.ConfigurationChangeEvent>();
  readonly onDidChange = this.emitter.event;
  private readonly subscription: vscode.Disposable;
  /**
   * Not a setting: the margin after a deleted pod's grace before Start/Restart on a Kubernetes host says it did
   * not go (core/kube/podGone.ts; undefined: its POD_GONE_MARGIN_MS). Extension-host tests shorten it.
   */
  podGoneMarginMs: number | undefined = undefined;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(Settings.section)) this.emitter.fire(e);
    });
  }

  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(Settings.section);
  }

  private str(key: string, fallback = ''): string {
    const v = this.section.get<unknown>(key);
    return typeof v === 'string' ? v.trim() : fallback;
  }

  host(): string | undefined {
    return this.str(Settings.host) || undefined;
  }
  /** `gpuContainers.hosts` per scope; src/core/hosts uses only the user's value (hostsFromInspect). */
  hostsInspected(): { globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown } | undefined {
    return this.section.inspect<unknown>('hosts');
  }
  dockerPath(): string {
    return this.str(Settings.dockerPath) || 'docker';
  }
  kubectlPath(): string {
    return this.str(Settings.kubectlPath) || 'kubectl';
  }
  shell(): string | undefined {
    return this.str(Settings.shell) || undefined;
  }
  defaultProfile(): string | undefined {
    return this.str(Settings.defaultProfile) || undefined;
  }
  containerNameTemplate(): string {
    return this.str(Settings.containerNameTemplate) || '${user}-${profile}';
  }
  gpuRefreshIntervalMs(): number {
    const v = this.section.get<unknown>(Settings.gpusRefreshInterval);
    return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.min(v, 3600) * 1000 : 5000;
  }
  gpuProbeImage(): string | undefined {
    return this.str(Settings.gpusProbeImage) || undefined;
  }
  nvidiaSmiPath(): string {
    return this.str(Settings.gpusNvidiaSmiPath) || 'nvidia-smi';
  }
  /** `gpus.idleBelow` and `gpus.idleAfter`; a value not understood falls back to its default ("5%", "30m"). */
  gpuIdlePolicy(): IdlePolicy {
    return idlePolicy(
      this.section.get<unknown>(Settings.gpusIdleBelow),
      this.section.get<unknown>(Settings.gpusIdleAfter),
    );
  }

  /** `gpus.idleGraceSeconds`: the undo window of a profile's idle policy before a stop (ms; default 5 minutes). */
  gpuIdleGraceMs(): number {
    const v = this.section.get<unknown>(Settings.gpusIdleGraceSeconds);
    return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.min(v, 86400) * 1000 : 300_000;
  }

  /**
   * The names of workspace profiles Restricted Mode refuses: none when the workspace is trusted, without
   * reading the profiles (at activation, the trust notice asks this; the profiles load on first use).
   */
  refusedProfiles(): string[] {
    return vscode.workspace.isTrusted ? [] : this.profiles().refused;
  }

  /** User profiles, overridden by workspace (then folder) profiles of the same name. */
  profiles(): ProfilesResult {
    // Required here: src/core/profiles (a quarter of the bundle) is evaluated on first use, not at
    // activation (issue 17). From parse, not the index: the index pulls in yaml and shell-quote.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load esbuild still bundles.
    const { parseProfiles } = require('./core/profiles/parse') as typeof import('./core/profiles/parse');
    const inspected = this.section.inspect<unknown>(Settings.profiles);
    const trusted = vscode.workspace.isTrusted;
    const byName = new Map<string, Profile>();
    const problems: Problem[] = [];
    const refused: string[] = [];
    const layers: Array<['user' | 'workspace' | 'workspaceFolder', unknown]> = [
      ['user', inspected?.globalValue],
      ['workspace', inspected?.workspaceValue],
      ['workspaceFolder', inspected?.workspaceFolderValue],
    ];
    for (const [source, raw] of layers) {
      if (raw === undefined) continue;
      const parsed = parseProfiles(raw, { source });
      if (source !== 'user' && !trusted) {
        refused.push(...parsed.profiles.map((p) => p.name));
        continue;
      }
      problems.push(...parsed.problems);
      for (const p of parsed.profiles) byName.set(p.name, p);
    }
    if (!trusted && refused.length === 0) refused.push(...untrustedWorkspaceProfileNames());
    return { profiles: [...byName.values()], problems, refused };
  }

  /** Where a saved profile goes: the workspace settings when a folder is open, else the user settings. */
  profileTarget(): ProfileTarget {
    return vscode.workspace.workspaceFolders?.length ? 'workspace' : 'user';
  }

  /**
   * Whether the profile list at `target` can be read as it is on disk. In Restricted Mode VS Code hides the
   * workspace's restricted values even from `inspect`, so a write there would replace a list nobody could see.
   */
  canWriteProfiles(target: ProfileTarget): boolean {
    return target === 'user' || vscode.workspace.isTrusted;
  }

  /** The names of the profiles in one settings file (user or workspace), as written there. */
  profileNamesAt(target: ProfileTarget): string[] {
    return profileList().profileNamesIn(this.rawProfilesAt(target));
  }

  /**
   * Adds (or replaces by name) a profile in the user or workspace settings, keeping every other entry as it is.
   * Refuses — writes nothing — where the list cannot be read (Restricted Mode) or is not a list.
   */
  async saveProfile(target: ProfileTarget, profile: Record<string, unknown>): Promise<SaveProfileResult> {
    if (!this.canWriteProfiles(target)) return 'unreadable';
    const write = profileList().upsertProfile(this.rawProfilesAt(target), profile);
    if (!write.ok) return 'notAList';
    await this.section.update(
      Settings.profiles,
      write.list,
      target === 'user' ? vscode.ConfigurationTarget.Global : vscode.ConfigurationTarget.Workspace,
    );
    return write.replaced ? 'replaced' : 'added';
  }

  private rawProfilesAt(target: ProfileTarget): unknown {
    const inspected = this.section.inspect<unknown>(Settings.profiles);
    return target === 'user' ? inspected?.globalValue : inspected?.workspaceValue;
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
