/**
 * Reading kubeconfig the way kubectl does: a pure function of (environment, home folder, files).
 * Which files: an explicit path (kubectl's `--kubeconfig`), else `KUBECONFIG` (a list separated by
 * `path.delimiter`, merged: the first file that sets a cluster, user or context of a name wins, and
 * `current-context` comes from the first file that has one), else `~/.kube/config`.
 * Each entry remembers the file it came from, so relative paths in it resolve against that file's folder
 * (as kubectl's ResolveLocalPaths does). `resolveContext` (kubeContext.ts) turns a context into what a client needs.
 */
import * as path from 'node:path';
import type * as Yaml from 'yaml';
import { t } from '../l10n';

/** A map entry of a kubeconfig (cluster, user or context) with the file that set it. */
export interface KubeEntry {
  name: string;
  /** The raw `cluster:` / `user:` / `context:` object of the file. */
  value: Record<string, unknown>;
  /** The kubeconfig file this entry came from (relative paths in it are relative to its folder). */
  file: string;
}

export interface Kubeconfig {
  /** The files read, in merge order. */
  files: string[];
  currentContext?: string;
  clusters: Map<string, KubeEntry>;
  users: Map<string, KubeEntry>;
  contexts: Map<string, KubeEntry>;
}

export interface KubeconfigInputs {
  env: Record<string, string | undefined>;
  homedir: string;
  /** Reads a UTF-8 file; undefined = missing or unreadable. */
  readFile: (p: string) => string | undefined;
  /** An explicit kubeconfig file (the host entry's `kubeconfig`, kubectl's `--kubeconfig`): wins when set. */
  path?: string;
}

export interface KubeconfigResult {
  config?: Kubeconfig;
  problems: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The files to read, in order, and where the list came from (for messages). */
function kubeconfigFiles(inputs: KubeconfigInputs): { files: string[]; from: string } {
  if (inputs.path) return { files: [inputs.path], from: inputs.path };
  const list = inputs.env.KUBECONFIG;
  if (list && list.trim()) {
    const files = list.split(path.delimiter).filter((f) => f.trim() !== '');
    // kubectl reads each file once, in order.
    return { files: [...new Set(files)], from: 'KUBECONFIG' };
  }
  const home = path.join(inputs.homedir, '.kube', 'config');
  return { files: [home], from: home };
}

function parseYaml(text: string): unknown {
  // Required here: yaml loads with the first Kubernetes host, not at activation (a separate chunk in the VSIX).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load of a separate chunk.
  const { parse } = require('yaml') as typeof Yaml;
  return parse(text) as unknown;
}

/** Adds the named entries of one file's list (`clusters`, `users`, `contexts`) where the name is still free. */
function mergeList(into: Map<string, KubeEntry>, list: unknown, key: string, file: string, problems: string[]): void {
  if (list == null) return;
  if (!Array.isArray(list)) {
    problems.push(
      t('"{0}" in {1} is not a list; it is ignored. Fix the file (kubectl config view shows it).', key, file),
    );
    return;
  }
  const field = key === 'clusters' ? 'cluster' : key === 'users' ? 'user' : 'context';
  for (const item of list) {
    if (!isObject(item) || typeof item.name !== 'string' || !item.name) {
      problems.push(t('An entry of "{0}" in {1} has no name; it is ignored. Give it a "name".', key, file));
      continue;
    }
    if (into.has(item.name)) continue; // the first file that sets a name wins, as kubectl merges
    const value = item[field];
    into.set(item.name, { name: item.name, value: isObject(value) ? value : {}, file });
  }
}

/**
 * Loads and merges the kubeconfig files. Never throws: what cannot be used is a problem naming the file and
 * the fix; `config` is absent only when no file could be read at all.
 */
export function loadKubeconfig(inputs: KubeconfigInputs): KubeconfigResult {
  const problems: string[] = [];
  const { files, from } = kubeconfigFiles(inputs);
  const config: Kubeconfig = { files: [], clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const file of files) {
    const text = inputs.readFile(file);
    // kubectl skips files of KUBECONFIG that do not exist; a missing explicit file is a problem (below).
    if (text === undefined) continue;
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch (e) {
      const line = (e as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
      problems.push(
        line === undefined
          ? t('{0} is not valid YAML; it is ignored. Fix the file (kubectl config view shows it).', file)
          : t(
              '{0} is not valid YAML (line {1}); it is ignored. Fix the file (kubectl config view shows it).',
              file,
              line,
            ),
      );
      continue;
    }
    config.files.push(file);
    if (doc == null) continue; // an empty file, as kubectl allows
    if (!isObject(doc)) {
      problems.push(t('{0} is not a kubeconfig (not a YAML map); it is ignored.', file));
      continue;
    }
    mergeList(config.clusters, doc.clusters, 'clusters', file, problems);
    mergeList(config.users, doc.users, 'users', file, problems);
    mergeList(config.contexts, doc.contexts, 'contexts', file, problems);
    const current = doc['current-context'];
    if (config.currentContext === undefined && typeof current === 'string' && current) config.currentContext = current;
  }
  if (!config.files.length) {
    problems.push(
      from === 'KUBECONFIG'
        ? t(
            'None of the files in KUBECONFIG ({0}) could be read. Fix KUBECONFIG or create the file.',
            files.join(path.delimiter),
          )
        : t('No kubeconfig at {0}. Create it (e.g. with kubectl config set-cluster) or set KUBECONFIG.', from),
    );
    return { problems };
  }
  return { config, problems };
}

/** A path of a kubeconfig entry made absolute against its file's folder, as kubectl does. */
export function kubePath(entry: KubeEntry, p: string): string {
  return path.isAbsolute(p) ? p : path.resolve(path.dirname(entry.file), p);
}
