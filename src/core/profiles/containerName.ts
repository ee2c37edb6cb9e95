/** The container name a profile launches under: its `containerName` or the template, made to fit Docker. */
import { t } from '../l10n';
import { checkContainerName } from './fields';
import { shorten } from './parseValues';
import type { Problem, Profile, ProfileContext } from './profileTypes';
import { resolveVariables, type ResolveIssue } from './variables';

export const DEFAULT_CONTAINER_NAME_TEMPLATE = '${user}-${profile}';

/**
 * A container name from the profile's `containerName` (or `template`). Characters Docker refuses that are
 * written in the name or template are an error (never launched under another name); characters a variable's
 * value brings (a user name with a space, a profile name in Chinese) are replaced to fit docker's
 * `[a-zA-Z0-9][a-zA-Z0-9_.-]+`, with a warning naming the name it becomes.
 */
export function resolveContainerName(
  p: Pick<Profile, 'name' | 'containerName'>,
  ctx: ProfileContext,
  template: string = DEFAULT_CONTAINER_NAME_TEMPLATE,
): { name: string; problems: Problem[] } {
  const issues: ResolveIssue[] = [];
  const explicit = p.containerName !== undefined;
  const field = explicit ? 'containerName' : 'gpuContainers.containerNameTemplate';
  const tpl = p.containerName ?? template;
  const problems: Problem[] = [];
  const refused = checkContainerName(field, tpl);
  if (refused) problems.push({ profile: p.name, field, severity: 'error', message: refused });
  const resolved = resolveVariables(tpl, ctx, p.name, issues);
  // Transliterate what can be (é → e); what cannot (训练) is dropped, never turned into a run of dashes.
  let name = resolved
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/^\/+/, '')
    .replace(/[^a-zA-Z0-9_.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^a-zA-Z0-9]+/, '');
  if (name.length === 0) name = 'gpu-container';
  else if (name.length === 1) name += '-container';
  problems.push(...issues.map((i) => ({ profile: p.name, field, ...i })));
  if (!refused && name !== resolved.replace(/^\//, '')) {
    problems.push({
      profile: p.name,
      field,
      severity: 'warning',
      message: /^[a-zA-Z0-9][a-zA-Z0-9_.-]?$/.test(resolved.replace(/^\//, ''))
        ? t(
            'the container name "{0}" is too short for Docker (2 or more characters); it is created as "{1}".',
            shorten(resolved),
            name,
          )
        : t(
            'the container name "{0}" has characters Docker refuses (it allows only letters, digits, "_", "." and "-"); it is created as "{1}". Set "containerName" to choose the name yourself.',
            shorten(resolved),
            name,
          ),
    });
  }
  return { name, problems };
}
