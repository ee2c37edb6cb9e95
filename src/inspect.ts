import * as vscode from 'vscode';
import type { EngineService } from './engineService';
import { maskInspect } from './core/secrets';

export const INSPECT_SCHEME = 'gpu-containers-inspect';

/** `gpu-containers-inspect:/container/tom-bert.json?<id>` — a read-only JSON document. */
export function inspectUri(kind: 'container' | 'image', label: string, id: string): vscode.Uri {
  const safe = label.replace(/[/\\:?#]/g, '_');
  return vscode.Uri.from({
    scheme: INSPECT_SCHEME,
    path: `/${kind}/${safe}.json`,
    query: `${kind}=${encodeURIComponent(id)}`,
  });
}

/** Serves `docker inspect` JSON as read-only documents (a content provider's documents cannot be edited). */
export class InspectProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly engines: EngineService) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const params = new URLSearchParams(uri.query);
    const containerId = params.get('container');
    const imageId = params.get('image');
    const details = containerId
      ? await this.engines.engine.inspectContainer(containerId)
      : await this.engines.engine.inspectImage(imageId ?? '');
    const shown = params.get('reveal') === '1' ? details.raw : maskInspect(details.raw).json;
    return JSON.stringify(shown, null, 2) + '\n';
  }
}
