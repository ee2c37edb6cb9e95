import * as vscode from 'vscode';
import type { HostsService } from './hosts/hostsService';
import { maskInspect } from './core/secrets';

export const INSPECT_SCHEME = 'gpu-containers-inspect';

/**
 * `gpu-containers-inspect:/container/tom-bert.json?host=gpubox2&container=<id>` — a read-only JSON document of
 * the named host's object (`host` left out: the first host).
 */
export function inspectUri(kind: 'container' | 'image', label: string, id: string, host?: string): vscode.Uri {
  const safe = label.replace(/[/\\:?#]/g, '_');
  const params = new URLSearchParams();
  if (host) params.set('host', host);
  params.set(kind, id);
  return vscode.Uri.from({ scheme: INSPECT_SCHEME, path: `/${kind}/${safe}.json`, query: params.toString() });
}

/** Serves `docker inspect` JSON as read-only documents (a content provider's documents cannot be edited). */
export class InspectProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly hosts: HostsService) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const params = new URLSearchParams(uri.query);
    const name = params.get('host');
    const host = name ? this.hosts.byName(name) : this.hosts.primary;
    if (!host) throw new Error(vscode.l10n.t('There is no host named "{0}" in gpuContainers.hosts.', name ?? ''));
    const engine = host.engines.engine;
    const containerId = params.get('container');
    const imageId = params.get('image');
    const details = containerId ? await engine.inspectContainer(containerId) : await engine.inspectImage(imageId ?? '');
    const shown = params.get('reveal') === '1' ? details.raw : maskInspect(details.raw).json;
    return JSON.stringify(shown, null, 2) + '\n';
  }
}
