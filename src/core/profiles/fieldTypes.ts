/** The shape of a profile field descriptor (see fieldTable.ts). */
import type { Parsed } from './fieldsSizePort';
import type { Report } from './parseValues';
import type { applyRunArgs } from './runArgs';

/**
 * What a field's parser may call that itself depends on the whole field table: handed in by the parser
 * (parse.ts), so no descriptor imports the table that imports it.
 */
export interface ParseContext {
  applyRunArgs: typeof applyRunArgs;
}
import type { Profile, ProfileContext } from './profileTypes';

/** A `docker run` flag's value → the profile; problems go to `report` (the flag is added by the caller). */
export type FlagApply = (
  p: Profile,
  value: string,
  report: (message: string, severity?: 'error' | 'warning') => void,
) => void;

export interface FieldFlag {
  long: string;
  short?: string;
  bool?: boolean;
  apply: FlagApply;
}

/** What a `docker run` export gives each field: variable resolution and the words after the image. */
export interface RunExport {
  ctx?: ProfileContext;
  portable?: (variable: string) => string;
  /** Portable substitution only (no context). */
  sub: (s: string) => string;
  /** Resolves variables. */
  r: (s: string) => string;
  /** Resolves a host path (variables and `~`). */
  host: (s: string) => string;
  /** The words after the image (the command); the entrypoint's own arguments go first. */
  tail: string[];
}

/** What a Compose export gives each field. */
export interface ComposeExport {
  ctx?: ProfileContext;
  /** Resolves (with a context) or translates our variables to Compose interpolation; escapes `$`. */
  compose: (s: string) => string;
  /** `compose` plus `~` for host paths. */
  path: (s: string) => string;
}

export interface FieldDescriptor {
  /** The JSON-schema fragment of the settings key (`%key%` placeholders via nlsText). */
  schema: Record<string, unknown>;
  /** Settings value → profile; problems go to `report`. Never throws. */
  parse(p: Profile, v: unknown, report: Report, key: string, ctx: ParseContext): void;
  /** The `docker run` flags that import into this field. */
  flags?: FieldFlag[];
  /** Profile → `docker run` flags (after `docker run -it`). */
  run?(p: Profile, x: RunExport): string[];
  /** Profile → keys of the Compose service. */
  compose?(p: Profile, svc: Record<string, unknown>, x: ComposeExport): void;
  /** Profile → the settings value; undefined, false, [] and {} are not written. */
  settings?(p: Profile): unknown;
}

/** A flag parser's result: the value, or undefined with the error reported (warnings too). */
export function takeFlag<T>(r: Parsed<T>, report: (m: string, s?: 'error' | 'warning') => void): T | undefined {
  if (r.error !== undefined) {
    report(r.error);
    return undefined;
  }
  for (const w of r.warnings ?? []) report(w, 'warning');
  return r.value;
}

/** A boolean flag's value as the docker CLI reads it (strconv.ParseBool). */
export const boolValue = (v: string): boolean | undefined =>
  ['true', '1', 't', 'T', 'TRUE', 'True'].includes(v)
    ? true
    : ['false', '0', 'f', 'F', 'FALSE', 'False'].includes(v)
      ? false
      : undefined;
