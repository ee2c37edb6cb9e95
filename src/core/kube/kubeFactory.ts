/**
 * The engine of a Kubernetes host, in one call: its kubeconfig read (`KUBECONFIG`, ~/.kube/config, or the host's
 * `kubeconfig`), its context resolved, a client over node:https. Never throws: a kubeconfig that cannot be used
 * gives an engine whose every call fails with that problem in words (the view says it, with the fix).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { Endpoint } from '../docker/endpoint';
import type { Backend, OpenedEngine } from '../docker/engineFactory';
import { readTextFile } from '../files';
import { t } from '../l10n';
import type { Logger } from '../logger';
import { KubeClient } from './kubeClient';
import { resolveContext } from './kubeContext';
import { loadKubeconfig } from './kubeconfig';
import { KubeEngine } from './kubeEngine';
import type { KubeApi } from './kubeErrors';

/** A client that cannot be set up: every call fails with `problem`, a sentence that names the fix. */
function failing(problem: string): KubeApi {
  const fail = () => Promise.reject(Object.assign(new Error(problem), { kind: 'config' }));
  return { request: fail, watch: fail, dispose: () => undefined };
}

export function openKubeEngine(
  endpoint: Endpoint,
  opts: { logger?: Logger; defaultTimeoutMs?: number; env?: Record<string, string | undefined> } = {},
): OpenedEngine {
  const k = endpoint.kube ?? {};
  const loaded = loadKubeconfig({
    env: opts.env ?? process.env,
    homedir: os.homedir(),
    readFile: readTextFile,
    ...(k.kubeconfig ? { path: k.kubeconfig } : {}),
  });
  const problems = [...loaded.problems];
  let api: KubeApi | undefined;
  let namespace = k.namespace ?? 'default';
  if (loaded.config) {
    const ctx = resolveContext(loaded.config, k.context, k.namespace);
    if ('problem' in ctx) problems.push(ctx.problem);
    else {
      namespace = ctx.namespace;
      api = new KubeClient(ctx, { readFileBytes: (p) => fs.readFileSync(p), defaultTimeoutMs: opts.defaultTimeoutMs });
    }
  }
  for (const p of problems) opts.logger?.warn(p);
  const engine = new KubeEngine(endpoint, api ?? failing(problems.join(' ') || 'no kubeconfig'), namespace, {
    logger: opts.logger,
    defaultTimeoutMs: opts.defaultTimeoutMs,
  });
  return { engine, problems };
}

/** The Kubernetes backend's entry in the registry (`core/docker/engineFactory.ts`). */
export const kubeBackend: Backend = {
  describe: () => t('a Kubernetes cluster'),
  open: (endpoint, opts) => openKubeEngine(endpoint, opts),
};
