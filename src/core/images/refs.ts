/**
 * Image references, as Docker's reference grammar (distribution/reference) reads them, but with
 * problems a user can act on. Pure: no engine, no I/O.
 *
 *   reference  := name [ ":" tag ] [ "@" digest ]
 *   name       := [ host [ ":" port ] "/" ] component ( "/" component )*
 *   component  := [a-z0-9]+ ( ( [._] | __ | [-]* ) [a-z0-9]+ )*
 *   tag        := [\w][\w.-]{0,127}
 *   digest     := sha256:<64 lowercase hex>
 *
 * One deliberate difference: Docker reads a first component with uppercase letters ("MyUser/app") as a
 * registry host; here a first component is a host only when it contains "." or ":" or is "localhost",
 * so "MyUser/app" is reported as an uppercase repository name instead of failing later at push time.
 */
import { t } from '../l10n';

export interface ImageRefParts {
  /** Everything before the tag/digest, registry host included when given ("localhost:5000/x"). */
  repo: string;
  tag?: string;
  /** "sha256:<hex>", without the "@". */
  digest?: string;
}

export const DEFAULT_REGISTRY = 'docker.io';
export const DEFAULT_TAG = 'latest';

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const IPV6 = /^\[[0-9a-fA-F:]+\]$/;
const MAX_NAME = 255;

/** Splits a reference into repo, tag and digest. A ":" before the last "/" is a registry port, not a tag. */
export function splitRef(ref: string): ImageRefParts {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts: ImageRefParts = { repo: rest };
  if (tag !== undefined) parts.tag = tag;
  if (digest !== undefined) parts.digest = digest;
  return parts;
}

/** True when the first path component names a registry rather than a repository namespace. */
function isHostComponent(first: string): boolean {
  return first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('[');
}

/** Splits a repository name (no tag/digest) into its registry host (if written) and path. */
function splitHost(repo: string): { host?: string; path: string } {
  const slash = repo.indexOf('/');
  if (slash > 0 && isHostComponent(repo.slice(0, slash))) {
    return { host: repo.slice(0, slash), path: repo.slice(slash + 1) };
  }
  return { path: repo };
}

function hostProblem(host: string): string | undefined {
  let name = host;
  let port: string | undefined;
  const m = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(host);
  if (m) {
    name = m[1];
    port = m[2];
  }
  if (port !== undefined && !/^[0-9]{1,5}$/.test(port)) {
    return t('the registry port "{0}" in "{1}" must be a number', port, host);
  }
  if (port !== undefined && Number(port) > 65535) return t('the registry port {0} is out of range', port);
  if (IPV6.test(name)) return undefined;
  if (!name || !name.split('.').every((c) => DOMAIN_COMPONENT.test(c))) {
    return t('"{0}" is not a valid registry host (letters, digits, "-" and "." only)', host);
  }
  return undefined;
}

function componentProblem(component: string, index: number): string | undefined {
  if (component === '') {
    return index === 0
      ? t('the name must not start with "/"')
      : t('the name has an empty part ("//" or a trailing "/")');
  }
  if (COMPONENT.test(component)) return undefined;
  if (/[A-Z]/.test(component) && COMPONENT.test(component.toLowerCase())) {
    return t(
      'uppercase letters are not allowed in a repository name ("{0}"); use "{1}"',
      component,
      component.toLowerCase(),
    );
  }
  const bad = /[^a-z0-9._-]/.exec(component);
  if (bad) {
    const ch = bad[0] === ' ' ? t('a space') : /[A-Z]/.test(bad[0]) ? t('uppercase letters') : `"${bad[0]}"`;
    return t(
      '"{0}" contains {1}; a repository name uses lowercase letters, digits and the separators ".", "_", "__", "-"',
      component,
      ch,
    );
  }
  return t(
    '"{0}" must start and end with a lowercase letter or digit, with single "." or "_" (or "__", or dashes) between',
    component,
  );
}

function tagProblem(tag: string): string | undefined {
  if (tag === '') return t('the tag after ":" is empty; write one (e.g. "latest") or drop the ":"');
  if (tag.length > 128) return t('the tag is {0} characters long; at most 128 are allowed', tag.length);
  if (TAG.test(tag)) return undefined;
  if (!/^\w/.test(tag)) return t('the tag "{0}" must start with a letter, digit or "_"', tag);
  return t('the tag "{0}" may only contain letters, digits, "_", "." and "-"', tag);
}

function nameProblem(repo: string): string | undefined {
  if (repo === '') return t('the repository name is empty');
  if (repo.length > MAX_NAME)
    return t('the repository name is {0} characters long; at most {1} are allowed', repo.length, MAX_NAME);
  const { host, path } = splitHost(repo);
  if (host !== undefined) {
    const p = hostProblem(host);
    if (p) return p;
  }
  const components = path.split('/');
  for (let i = 0; i < components.length; i++) {
    const p = componentProblem(components[i], host !== undefined ? i + 1 : i);
    if (p) return p;
  }
  return undefined;
}

function refProblem(ref: string, allowDigest: boolean): string | undefined {
  if (typeof ref !== 'string' || ref.trim() === '') return t('The image name is empty.');
  if (/\s/.test(ref)) return t('"{0}" contains whitespace; image names cannot. Remove the spaces.', ref);
  const at = ref.indexOf('@');
  if (at >= 0 && !allowDigest) {
    return t('"{0}" has a digest ("@…"); give a repository with an optional tag (repo:tag) instead.', ref);
  }
  if (at >= 0 && ref.indexOf('@', at + 1) >= 0)
    return t('"{0}" has more than one "@"; keep only the one before the digest.', ref);
  const { repo, tag, digest } = splitRef(ref);
  const problems: (string | undefined)[] = [
    nameProblem(repo),
    tag !== undefined ? tagProblem(tag) : undefined,
    digest !== undefined && !DIGEST.test(digest)
      ? digest === ''
        ? t('the digest after "@" is empty')
        : t('the digest "{0}" must be "sha256:" followed by 64 lowercase hex digits', digest)
      : undefined,
  ];
  const first = problems.find((p) => p !== undefined);
  if (!first) return undefined;
  return t('"{0}" is not a valid image name: {1}.', ref, first);
}

/** English problem text, or undefined when `ref` is a valid image reference (name[:tag][@sha256:…]). */
export function validateImageRef(ref: string): string | undefined {
  return refProblem(ref, true);
}

/** Like `validateImageRef` for the target of a tag / commit: repo[:tag], no digest. */
export function validateTagTarget(repoTag: string): string | undefined {
  return refProblem(repoTag, false);
}

/** Adds ":latest" when the reference has neither tag nor digest. */
export function withDefaultTag(ref: string): string {
  const trimmed = ref.trim();
  const { tag, digest } = splitRef(trimmed);
  return tag === undefined && digest === undefined ? `${trimmed}:${DEFAULT_TAG}` : trimmed;
}

/** The registry a reference points at: its host[:port] when written, else docker.io. */
export function registryOf(ref: string): string {
  const { host } = splitHost(splitRef(ref).repo);
  if (!host || host === 'index.docker.io' || host === 'registry-1.docker.io') return DEFAULT_REGISTRY;
  return host;
}
