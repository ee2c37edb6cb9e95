/**
 * Variables in profile strings: `${workspaceFolder}`, `${workspaceFolderBasename}`, `${userHome}`,
 * `${user}`, `${profile}`, `${env:NAME}`, and a leading `~` in paths.
 */
import * as path from 'node:path';
import type { ProfileContext } from './profileTypes';

export const KNOWN_VARIABLES = ['workspaceFolder', 'workspaceFolderBasename', 'userHome', 'user', 'profile'];
const VAR = /\$\{([^}]*)\}/g;

/** Names of variables in `s` that are not known, e.g. `${home}` or `${env:}`. */
export function unknownVariables(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(VAR)) {
    const name = m[1];
    if (KNOWN_VARIABLES.includes(name)) continue;
    if (/^env:[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
    out.push(m[0]);
  }
  if (/\$\{[^}]*$/.test(s.replace(VAR, ''))) out.push('${ (unclosed)');
  return out;
}

export function unknownVariableMessage(vars: string[]): string {
  return `unknown variable ${vars.join(', ')}; use \${workspaceFolder}, \${workspaceFolderBasename}, \${userHome}, \${user}, \${profile} or \${env:NAME}.`;
}

export interface ResolveIssue {
  message: string;
  severity: 'error' | 'warning';
}

/**
 * Replaces variables using `ctx`. Unknown variables stay as written and are reported;
 * `${workspaceFolder}` without a folder is an error; an unset `${env:NAME}` becomes '' with a warning.
 */
export function resolveVariables(s: string, ctx: ProfileContext, profileName: string, issues: ResolveIssue[]): string {
  return s.replace(VAR, (whole, name: string) => {
    switch (name) {
      case 'workspaceFolder':
      case 'workspaceFolderBasename':
        if (!ctx.workspaceFolder) {
          issues.push({
            severity: 'error',
            message: `${whole} is used but no folder is open; open a folder or use an absolute path.`,
          });
          return whole;
        }
        return name === 'workspaceFolder' ? ctx.workspaceFolder : path.basename(ctx.workspaceFolder);
      case 'userHome':
        return ctx.userHome;
      case 'user':
        return ctx.user;
      case 'profile':
        return profileName;
    }
    const env = /^env:([A-Za-z_][A-Za-z0-9_]*)$/.exec(name);
    if (env) {
      const v = ctx.env[env[1]];
      if (v === undefined) {
        issues.push({
          severity: 'warning',
          message: `the environment variable ${env[1]} is not set, so ${whole} became empty.`,
        });
        return '';
      }
      return v;
    }
    issues.push({ severity: 'error', message: unknownVariableMessage([whole]) });
    return whole;
  });
}

/** Expands a leading `~` or `~/` to the home directory, as a shell would. */
export function expandTilde(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return home.replace(/\/+$/, '') + p.slice(1);
  return p;
}

/** A host path after variables and `~`; relative paths (`./data`, `.cache`) are taken from the workspace folder. */
export function resolveHostPath(p: string, ctx: ProfileContext, profileName: string, issues: ResolveIssue[]): string {
  let r = expandTilde(resolveVariables(p, ctx, profileName, issues), ctx.userHome);
  if (r.startsWith('~')) {
    issues.push({ severity: 'error', message: `"${p}": only ~ and ~/ are expanded (not ~user); write the full path.` });
    return r;
  }
  if (!r.startsWith('/') && r.startsWith('.')) {
    if (!ctx.workspaceFolder) {
      issues.push({
        severity: 'error',
        message: `the relative path "${p}" needs an open folder to resolve against; use an absolute path.`,
      });
      return r;
    }
    r = path.resolve(ctx.workspaceFolder, r);
  }
  return r;
}
