/**
 * A namespace's pods as engine events, from ONE watch: the list's resourceVersion kept, bookmarks asked for, a
 * relist on 410 Gone, reconnects with backoff when the stream ends or fails — no polling and no pings (the
 * connection's TCP keep-alive notices a dead peer). Events go out as the refresh controller reads them
 * (podEvent: create / start / die / update / destroy); "connected" once listed, "disconnected" with the reason.
 */
import type { EventsOptions, Subscription } from '../docker/engineContract';
import type { EngineEvent } from '../docker/engineTypes';
import { t } from '../l10n';
import type { Logger } from '../logger';
import { kubeEngineError, type KubeApi } from './kubeErrors';
import type { List, Pod } from './kubeTypes';
import { podEvent, podState } from './podMapping';

export interface PodWatchTarget {
  api: KubeApi;
  /** `/api/v1/namespaces/<ns>/pods` */
  path: string;
  endpoint: string;
  namespace: string;
  logger?: Logger;
  disposed: () => boolean;
  /** A pod is gone: forget what was kept about it (its GPU slots). */
  forget: (name: string) => void;
}

export function watchPods(
  w: PodWatchTarget,
  onEvent: (e: EngineEvent) => void,
  opts: EventsOptions = {},
): Subscription {
  const ac = new AbortController();
  const states = new Map<string, ReturnType<typeof podState>['state']>();
  const backoff = opts.backoff ?? { initialMs: 500, maxMs: 15_000 };
  let delay = backoff.initialMs;
  let up = false;
  const loop = async () => {
    let rv: string | undefined;
    while (!ac.signal.aborted && !w.disposed()) {
      try {
        if (rv === undefined) {
          const l = await w.api.request<List<Pod>>('GET', w.path, { signal: ac.signal, timeoutMs: 30_000 });
          const seen = new Set<string>();
          for (const p of l.items) {
            const n = p.metadata.name ?? '';
            seen.add(n);
            states.set(n, podState(p).state);
          }
          for (const n of [...states.keys()]) if (!seen.has(n)) states.delete(n);
          rv = l.metadata.resourceVersion;
          if (!up) {
            up = true;
            opts.onState?.('connected');
          }
        }
        const end = await w.api.watch(w.path, {
          resourceVersion: rv,
          signal: ac.signal,
          timeoutSeconds: 1800,
          onEvent: (ev) => {
            if (ev.type === 'BOOKMARK' || ev.type === 'ERROR') return;
            const pod = ev.object as Pod;
            const n = pod.metadata?.name ?? '';
            const e = podEvent(ev.type, pod, states.get(n));
            if (ev.type === 'DELETED') {
              states.delete(n);
              w.forget(n);
            } else states.set(n, podState(pod).state);
            delay = backoff.initialMs;
            if (e) onEvent(e);
          },
        });
        rv = end.resourceVersion ?? rv;
      } catch (err) {
        if (ac.signal.aborted) return;
        const e = kubeEngineError(err, {
          endpoint: w.endpoint,
          operation: t('watch pods'),
          namespace: w.namespace,
        });
        if ((err as { kind?: string }).kind === 'gone') {
          // The resourceVersion is too old (410): list again at once; not an error the view should show
          // (the controller relists on "connected").
          rv = undefined;
          up = false;
          opts.onState?.('disconnected');
          continue;
        }
        rv = undefined;
        if (up) {
          up = false;
          opts.onState?.('disconnected', e);
        }
        w.logger?.trace(`kubernetes watch: ${e.message}`);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, backoff.maxMs);
      }
    }
  };
  void loop();
  return { dispose: () => ac.abort() };
}
