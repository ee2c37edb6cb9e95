/**
 * A Pod as the tree's container row: its real state in kubectl's words — Pending with the scheduler's reason
 * ("0/2 nodes are available: 2 Insufficient nvidia.com/gpu."), ContainerCreating, Running, Succeeded, Failed —
 * our labels read from labels and annotations alike, its GPUs from the container's `nvidia.com/gpu` limit.
 */
import type { ContainerDetails, ContainerState, ContainerSummary, EngineEvent } from '../docker/engineTypes';
import { OWNER_LABEL } from '../docker/labels';
import { humanDuration } from '../docker/mapping';
import type { Pod } from './kubeTypes';

/** The pod's state as a container state, and kubectl's STATUS word with the reason that matters. */
export function podState(pod: Pod, now?: number): { state: ContainerState; status: string } {
  const st = pod.status ?? {};
  const cs = st.containerStatuses?.[0];
  if (pod.metadata.deletionTimestamp) return { state: 'removing', status: 'Terminating' };
  switch (st.phase) {
    case 'Running': {
      const started = cs?.state?.running?.startedAt;
      if (cs?.state?.waiting?.reason) return { state: 'restarting', status: cs.state.waiting.reason };
      const up = started && now !== undefined ? ` ${humanDuration(now - Date.parse(started))}` : '';
      return { state: 'running', status: `Running${up}` };
    }
    case 'Succeeded':
    case 'Failed': {
      const term = cs?.state?.terminated;
      const code = term?.exitCode !== undefined ? ` (${term.exitCode})` : '';
      const why = st.reason ?? (st.phase === 'Failed' ? term?.reason : undefined);
      return { state: 'exited', status: `${st.phase}${code}${why && why !== 'Completed' ? `: ${why}` : ''}` };
    }
    case 'Unknown':
      return { state: 'unknown', status: 'Unknown' };
    default: {
      const sched = st.conditions?.find((c) => c.type === 'PodScheduled');
      if (sched?.status === 'False' && sched.message) return { state: 'created', status: `Pending: ${sched.message}` };
      const waiting = cs?.state?.waiting;
      if (waiting?.reason)
        return {
          state: 'created',
          status:
            waiting.message && waiting.reason !== 'ContainerCreating'
              ? `${waiting.reason}: ${waiting.message}`
              : waiting.reason,
        };
      return { state: 'created', status: 'Pending' };
    }
  }
}

/** Labels and annotations of ours (annotations hold the values a label cannot). */
export function podLabels(pod: Pod): Record<string, string> {
  return { ...(pod.metadata.labels ?? {}), ...(pod.metadata.annotations ?? {}) };
}

/**
 * The row of a pod. `slots`: the GPU slots it holds on its node (clusterGpus.ts `SlotBook`); a pod that is not
 * scheduled, or has ended, holds none (its request is in its status: "Pending: … Insufficient nvidia.com/gpu").
 */
export function toPodSummary(pod: Pod, now?: number, slots?: string[]): ContainerSummary {
  const c = pod.spec.containers[0];
  const labels = podLabels(pod);
  const { state, status } = podState(pod, now);
  const c0 = pod.status?.containerStatuses?.[0];
  const s: ContainerSummary = {
    id: pod.metadata.name ?? '',
    name: pod.metadata.name ?? '',
    image: c?.image ?? '',
    imageId: pod.status?.containerStatuses?.[0]?.imageID ?? '',
    command: [...(c?.command ?? []), ...(c?.args ?? [])].join(' '),
    state,
    status,
    created: Date.parse(pod.metadata.creationTimestamp ?? '') || 0,
    ports: (c?.ports ?? []).map((p) => ({
      containerPort: p.containerPort,
      protocol: (p.protocol ?? 'TCP').toLowerCase(),
    })),
    mounts: (c?.volumeMounts ?? []).map((m) => {
      const v = pod.spec.volumes?.find((x) => x.name === m.name);
      const type = v?.hostPath ? 'bind' : v?.persistentVolumeClaim ? 'volume' : 'tmpfs';
      const source = v?.hostPath?.path ?? v?.persistentVolumeClaim?.claimName ?? '';
      return { type, source, destination: m.mountPath, readOnly: !!m.readOnly };
    }),
    labels,
  };
  if (labels[OWNER_LABEL]) s.owner = labels[OWNER_LABEL];
  // A running pod's row counts its time from its container's start ("Up 3 minutes", moving); an ended one keeps
  // kubectl's words ("Failed (2): Error": the reason says more than the time).
  if (state === 'running') {
    const since = Date.parse(c0?.state?.running?.startedAt ?? pod.status?.startTime ?? '');
    if (Number.isFinite(since)) s.since = since;
  }
  if (slots?.length) s.gpu = { kind: 'devices', count: slots.length, deviceIds: slots, source: 'scheduler' };
  return s;
}

export function toPodDetails(pod: Pod, now?: number, slots?: string[]): ContainerDetails {
  const c = pod.spec.containers[0];
  const sc = c?.securityContext;
  const term = pod.status?.containerStatuses?.[0]?.state?.terminated;
  const shm = pod.spec.volumes?.find((v) =>
    c?.volumeMounts?.some((m) => m.name === v.name && m.mountPath === '/dev/shm'),
  );
  return {
    ...toPodSummary(pod, now, slots),
    config: {
      user:
        sc?.runAsUser !== undefined ? `${sc.runAsUser}${sc.runAsGroup !== undefined ? `:${sc.runAsGroup}` : ''}` : '',
      workingDir: c?.workingDir ?? '',
      // Values from a Secret stay there: the row knows the name only.
      env: (c?.env ?? []).map((e) => (e.value !== undefined ? `${e.name}=${e.value}` : `${e.name}`)),
      cmd: c?.args ?? [],
      entrypoint: c?.command ?? [],
      tty: !!c?.tty,
      hostname: pod.spec.hostname ?? pod.metadata.name ?? '',
    },
    autoRemove: false,
    restartPolicy: pod.spec.restartPolicy ?? 'Always',
    shmSize: Number(shm?.emptyDir?.sizeLimit) || 0,
    ipcMode: pod.spec.hostIPC ? 'host' : 'private',
    networkMode: pod.spec.hostNetwork ? 'host' : 'pod',
    ...(term?.exitCode !== undefined ? { exitCode: term.exitCode } : {}),
    ...(pod.status?.startTime ? { startedAt: pod.status.startTime } : {}),
    ...(term?.finishedAt ? { finishedAt: term.finishedAt } : {}),
    raw: pod,
  };
}

/**
 * A watch event as the engine event the refresh controller reads: `create` on ADDED, `destroy` on DELETED, and a
 * state change as `start` / `die` / `update`, so the rows follow the pod (the controller inspects it once).
 */
export function podEvent(type: string, pod: Pod, before: ContainerState | undefined): EngineEvent | undefined {
  const id = pod.metadata.name ?? '';
  const { state } = podState(pod);
  const action =
    type === 'ADDED'
      ? 'create'
      : type === 'DELETED'
        ? 'destroy'
        : type === 'MODIFIED'
          ? state === before
            ? 'update'
            : state === 'running'
              ? 'start'
              : state === 'exited'
                ? 'die'
                : 'update'
          : undefined;
  if (!action) return undefined;
  const change = action === 'destroy' ? 'removed' : action === 'start' || action === 'die' ? 'settled' : 'changed';
  const ms = Date.now();
  return {
    type: 'container',
    action,
    change,
    id,
    attributes: { name: id, ...podLabels(pod) },
    timeNano: `${ms}000000`,
  };
}
