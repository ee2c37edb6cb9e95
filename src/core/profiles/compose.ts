/** Profile → a Docker Compose file with one service (the `yaml` package); each field's descriptor writes its keys. */
import type * as Yaml from 'yaml';
import { composeLeftOut } from './composeExtra';
import { FIELDS } from './fieldTable';
import type { ComposeExport } from './fieldTypes';
import type { Profile, ProfileContext } from './profileTypes';
import { expandTilde, resolveVariables, type ResolveIssue } from './variables';

/** Compose service name: lower case letters, digits, `-` and `_`. */
export function composeServiceName(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '');
  return s || 'dev';
}

/**
 * Compose YAML for the profile. With `ctx` variables are resolved; without it they become Compose
 * interpolations (`${userHome}` → `${HOME}`, `${env:X}` → `${X}`). Literal `$` is escaped as `$$`.
 */
export function toComposeYaml(p: Profile, ctx?: ProfileContext): string {
  const issues: ResolveIssue[] = [];
  const compose = (s: string): string => {
    if (ctx) return resolveVariables(s, ctx, p.name, issues).replace(/\$/g, '$$$$');
    // Split on our variables; escape the literal text between them.
    let out = '';
    let last = 0;
    for (const m of s.matchAll(/\$\{([^}]*)\}/g)) {
      out += s.slice(last, m.index).replace(/\$/g, '$$$$');
      const v = m[1];
      out +=
        v === 'userHome'
          ? '${HOME}'
          : v === 'user'
            ? '${USER}'
            : v === 'profile'
              ? p.name.replace(/\$/g, '$$$$')
              : v === 'workspaceFolder'
                ? '.'
                : v === 'workspaceFolderBasename'
                  ? '${WORKSPACE_FOLDER_BASENAME}'
                  : v.startsWith('env:')
                    ? '${' + v.slice(4) + '}'
                    : m[0].replace(/\$/g, '$$$$');
      last = (m.index ?? 0) + m[0].length;
    }
    return out + s.slice(last).replace(/\$/g, '$$$$');
  };
  const path = (s: string) => {
    const r = compose(s);
    return ctx ? expandTilde(r, ctx.userHome) : r;
  };
  const svc: Record<string, unknown> = { stdin_open: true, tty: true };
  const x: ComposeExport = { ctx, compose, path };
  for (const f of FIELDS) f.compose?.(p, svc, x);
  // Required here: yaml loads with the Compose export, not at activation (issue 17; dist/yaml.js in the VSIX).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load of a separate chunk.
  const { Document } = require('yaml') as typeof Yaml;
  const doc = new Document({ services: { [composeServiceName(p.name)]: svc } });
  let header = p.autoRemove ? '# autoRemove (--rm) has no Compose equivalent; use `docker compose run --rm`.\n' : '';
  const leftOut = composeLeftOut(p.extra);
  if (leftOut.length)
    header += `# ${leftOut.map((f) => `--${f}`).join(', ')}: no Compose key; run with docker run to keep them.\n`;
  return header + doc.toString({ lineWidth: 0 });
}
