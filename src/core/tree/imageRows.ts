import type { ImageSummary } from '../docker/engineTypes';
import { capabilityFlags, type EngineCapabilities } from '../docker/capabilities';
import { english, formatAge, formatBytes, shortId, type Translate } from './format';
import { escapeMarkdown, markdownCode as code } from '../markdown';
import type { ItemModel } from './containerRows';

/** One row per tag (as `docker images` shows them); an untagged image is one `<none>` row. */
export interface ImageRow {
  image: ImageSummary;
  /** `repo:tag`, or undefined for an untagged image. */
  tag?: string;
}

export function imageRows(images: readonly ImageSummary[], showUntagged: boolean): ImageRow[] {
  const rows: ImageRow[] = [];
  for (const image of images) {
    const tags = image.tags.filter((t) => t && t !== '<none>:<none>');
    if (tags.length === 0) {
      if (showUntagged) rows.push({ image });
    } else {
      for (const tag of tags) rows.push({ image, tag });
    }
  }
  return rows.sort((a, b) => {
    if (!a.tag !== !b.tag) return a.tag ? -1 : 1;
    return (a.tag ?? '').localeCompare(b.tag ?? '') || b.image.created - a.image.created;
  });
}

/** A host node's image count: the rows shown under it (one per tag; untagged ones only when shown). */
export function imageRowCount(rows: readonly ImageRow[], t: Translate = english): string {
  return rows.length === 1 ? t('1 image') : t('{0} images', rows.length);
}

/** `image;tagged` / `image;untagged`, then the host's `can-<capability>` flags (menus match `;can-push`). */
export function imageContextValue(row: ImageRow, caps?: EngineCapabilities): string {
  return [row.tag ? 'image;tagged' : 'image;untagged', ...(caps ? capabilityFlags(caps) : [])].join(';');
}

/** The row itself: cheap, built for every tag on every refresh. */
export function imageItem(
  row: ImageRow,
  ctx: { now: number; t?: Translate; capabilities?: EngineCapabilities },
): ItemModel {
  const { image } = row;
  return {
    id: `${image.id}|${row.tag ?? ''}`,
    label: row.tag ?? `<none> ${shortId(image.id)}`,
    description: `${formatBytes(image.size)} · ${formatAge(image.created, ctx.now, ctx.t ?? english)}`,
    icon: { id: row.tag ? 'package' : 'circle-slash', color: row.tag ? undefined : 'disabledForeground' },
    contextValue: imageContextValue(row, ctx.capabilities),
  };
}

const MAX_TAGS_SHOWN = 10;

/** The hover text (markdown), built only on hover; an image with hundreds of tags lists ten. */
export function imageTooltip(row: ImageRow, ctx: { now: number; t?: Translate }): string {
  const t = ctx.t ?? english;
  const { image } = row;
  const label = row.tag ?? `<none> ${shortId(image.id)}`;
  const tags = image.tags
    .slice(0, MAX_TAGS_SHOWN)
    .map((x) => code(x))
    .join(', ');
  const more = image.tags.length > MAX_TAGS_SHOWN ? ` ${t('and {0} more', image.tags.length - MAX_TAGS_SHOWN)}` : '';
  return [
    `**${escapeMarkdown(label)}**`,
    '',
    `${t('ID')}: \`${shortId(image.id)}\``,
    `${t('Size')}: ${formatBytes(image.size)}`,
    `${t('Created')}: ${formatAge(image.created, ctx.now, t)}`,
    ...(image.tags.length > 1 ? [`${t('Tags')}: ${tags}${more}`] : []),
  ].join('  \n');
}
