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
import type { ContainerCreateOptions, HostConfig } from '../docker/engineContract';
import type { EngineDefaults } from './fromContainerTail';
import type { ConfigJson, ContainerInspectJson, HostConfigJson, ImageInspectJson } from './inspectJson';
import type { Problem, Profile, ProfileContext, Severity } from './profileTypes';

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

/** The Engine API create body being built (createOptions.ts): `options.HostConfig` is `hostConfig`. */
export interface CreateBody {
  options: ContainerCreateOptions;
  hostConfig: HostConfig;
}

/** What the create body's builder gives each field: variable resolution with its problems recorded. */
export interface CreateExport {
  ctx: ProfileContext;
  /** For a Kubernetes host: what only the pod mapping (core/kube/podSpec.ts) takes is not a problem. */
  forKubernetes: boolean;
  /** Resolves variables; what cannot be resolved is a problem of `field`. */
  r: (field: string, s: string) => string;
  /** Resolves a host path (variables and `~`); problems as `r`. */
  host: (field: string, s: string) => string;
  problem: (field: string, severity: Severity, message: string) => void;
  /** The problems so far (appended to, in order). */
  problems: Problem[];
}

/** What reading a container's inspect back gives each field: its config, and what the image and engine default to. */
export interface InspectImport {
  c: ContainerInspectJson;
  cfg: ConfigJson;
  hc: HostConfigJson;
  /** The image's config ({} when the image is unknown). */
  img: ConfigJson;
  image?: ImageInspectJson;
  engine?: EngineDefaults;
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
  /** Profile → the Engine API create body (as `docker create` with this field's flags sends it). */
  create?(p: Profile, body: CreateBody, x: CreateExport): void;
  /** Container inspect → this field of the profile, what the image and engine supply by default left out. */
  inspect?(p: Profile, x: InspectImport): void;
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
