/**
 * Registry credentials from the docker CLI's config file (`<DOCKER_CONFIG or ~/.docker>/config.json`).
 * Only inline credentials (`auths[registry].auth` = base64 "user:pass", or `identitytoken`) are read;
 * credential helpers (`credsStore`, `credHelpers`) are NOT run — we say so in `note` instead.
 */
import * as path from 'node:path';
import { registryOf, DEFAULT_REGISTRY } from './refs';

/** What the Engine API accepts in X-Registry-Auth. */
export interface RegistryAuth {
  username?: string;
  password?: string;
  auth?: string;
  serveraddress?: string;
  identitytoken?: string;
}

export interface AuthLookup {
  auth?: RegistryAuth;
  /** Why no credentials are given, when that is worth telling the user. */
  note?: string;
}

/** The key Docker Hub credentials are stored under. */
const HUB_KEYS = ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];

/** "https://host:5000/v1/" → "host:5000"; Docker Hub's aliases → "docker.io". */
export function normalizeRegistryKey(key: string): string {
  const host = key
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .split('/')[0]
    .toLowerCase();
  return HUB_KEYS.includes(host) ? DEFAULT_REGISTRY : host;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function findEntry<T>(map: unknown, registry: string): [string, T] | undefined {
  if (!isObject(map)) return undefined;
  for (const [key, value] of Object.entries(map)) {
    if (normalizeRegistryKey(key) === registry) return [key, value as T];
  }
  return undefined;
}

/**
 * Credentials for pushing `ref`, read from the docker config. `readFile` returns undefined when the
 * file is missing or unreadable. `dockerConfigDir` (the DOCKER_CONFIG variable) overrides ~/.docker.
 */
export function authFor(
  ref: string,
  readFile: (p: string) => string | undefined,
  homedir: string,
  dockerConfigDir?: string,
): AuthLookup {
  const dir = dockerConfigDir && dockerConfigDir.trim() ? dockerConfigDir : path.join(homedir, '.docker');
  const file = path.join(dir, 'config.json');
  const registry = registryOf(ref);
  const text = readFile(file);
  if (text === undefined || text.trim() === '') return {};
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { note: `${file} is not valid JSON (${why}); pushing to ${registry} without credentials.` };
  }
  if (!isObject(config)) return { note: `${file} is not a JSON object; pushing to ${registry} without credentials.` };

  const helper = findEntry<unknown>(config.credHelpers, registry);
  if (helper && typeof helper[1] === 'string' && helper[1]) {
    return {
      note: `Credentials for ${registry} are kept by the credential helper docker-credential-${helper[1]}, which this extension does not run; pushing without them. If the registry refuses, push from a terminal (docker push).`,
    };
  }
  if (typeof config.credsStore === 'string' && config.credsStore) {
    return {
      note: `Docker credentials are kept by the credential store docker-credential-${config.credsStore}, which this extension does not run; pushing to ${registry} without them. If the registry refuses, push from a terminal (docker push).`,
    };
  }

  const entry = findEntry<unknown>(config.auths, registry);
  if (!entry || !isObject(entry[1])) return {};
  const [serveraddress, value] = entry;
  if (typeof value.identitytoken === 'string' && value.identitytoken) {
    return { auth: { identitytoken: value.identitytoken, serveraddress } };
  }
  if (typeof value.auth === 'string' && value.auth) {
    let decoded = '';
    try {
      decoded = Buffer.from(value.auth, 'base64').toString('utf8');
    } catch {
      decoded = '';
    }
    const colon = decoded.indexOf(':');
    if (colon <= 0) {
      return {
        note: `The saved login for ${registry} in ${file} is malformed (expected base64 of "user:password"); pushing without credentials. Run docker login ${registry} again.`,
      };
    }
    return { auth: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress } };
  }
  if (typeof value.username === 'string' && typeof value.password === 'string') {
    return { auth: { username: value.username, password: value.password, serveraddress } };
  }
  return {};
}
