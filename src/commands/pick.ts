import * as vscode from 'vscode';
import type { PromptId } from '../constants';
import type { ContainerSummary } from '../core/docker';
import type { ImageRow } from '../core/tree/imageRows';
import { shortId } from '../core/tree/format';
import type { Services } from '../services';
import { Cancelled } from './cancel';

const t = vscode.l10n.t;

export function isContainer(x: unknown): x is ContainerSummary {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as ContainerSummary).id === 'string' &&
    typeof (x as ContainerSummary).state === 'string' &&
    typeof (x as ContainerSummary).name === 'string'
  );
}

export function isImageRow(x: unknown): x is ImageRow {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as ImageRow).image === 'object' &&
    typeof (x as ImageRow).image?.id === 'string'
  );
}

/**
 * The containers a command acts on: the right-clicked rows (multi-selection), the clicked row, or — from
 * the palette — a quick pick among those that `accept` allows.
 */
export async function containerTargets(
  s: Services,
  node: unknown,
  nodes: unknown,
  accept: (c: ContainerSummary) => boolean,
  placeHolder: string,
): Promise<ContainerSummary[]> {
  // A multi-selection may include grouping rows of the Containers view: act on the container rows in it.
  const selected = Array.isArray(nodes) ? nodes.filter(isContainer) : [];
  if (selected.length > 1) return selected.filter(accept);
  if (isContainer(node)) return [node];
  if (typeof node === 'string') {
    const found = s.refresh.containers.get(node) ?? s.refresh.containers.findByName(node);
    if (found) return [found];
    const d = await s.engines.engine.inspectContainer(node);
    return [d];
  }
  if (s.refresh.containers.size === 0) await s.refresh.refreshAll();
  const candidates = s.containersTree.visible(s.refresh).filter(accept);
  if (candidates.length === 0) {
    void s.ui.ask('noContainers', 'info', t('There is no container to pick for this command.'), {});
    throw new Cancelled();
  }
  const picked = await s.ui.pick(
    'pickContainer',
    candidates.map((c) => ({
      label: c.name,
      description: `${c.image} · ${s.containersTree.statusOf(c)}`,
      detail: shortId(c.id),
      container: c,
    })),
    { placeHolder, matchOnDescription: true },
  );
  if (!picked) throw new Cancelled();
  return [picked.container];
}

export async function imageTarget(s: Services, node: unknown, placeHolder: string): Promise<ImageRow> {
  if (isImageRow(node)) return node;
  if (s.refresh.images.all().length === 0) await s.refresh.refreshAll();
  const rows = s.imagesTree.rows(s.refresh);
  if (rows.length === 0) {
    void s.ui.ask('noImages', 'info', t('There are no local images. Pull, build or load one first.'), {});
    throw new Cancelled();
  }
  const picked = await s.ui.pick(
    'pickImage',
    rows.map((r) => ({ label: r.tag ?? `<none> ${shortId(r.image.id)}`, description: shortId(r.image.id), row: r })),
    { placeHolder },
  );
  if (!picked) throw new Cancelled();
  return picked.row;
}

/** An image reference typed by the user, validated as they type; empty or Escape cancels. */
export async function askRef(
  s: Services,
  id: PromptId,
  prompt: string,
  value: string,
  validate: (v: string) => string | undefined,
): Promise<string> {
  const ref = await s.ui.input(id, { prompt, value, validateInput: (v) => validate(v.trim()) });
  if (!ref?.trim()) throw new Cancelled();
  const problem = validate(ref.trim());
  if (problem) throw new Error(problem);
  return ref.trim();
}
