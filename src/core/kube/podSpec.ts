/**
 * A launch profile as a Kubernetes Pod. `kubeProblems` names, before anything is created, every field that has no
 * meaning on a cluster (each with its reason and the fix); `toPod` maps the rest from the profile and its resolved
 * create body (variables, env files and labels resolved once, by core/profiles/createOptions.ts), so a pod is what
 * the profile says or nothing. Mapping table: ARCHITECTURE.md "Kubernetes hosts".
 */
import type { ContainerCreateOptions } from '../docker';
import { isSecretName, isSecretValue } from '../secrets';
import { t } from '../l10n';
import type { Problem, Profile } from '../profiles';
import type { EnvVar, KubeVolume, Pod } from './kubeTypes';

export const GPU_RESOURCE = 'nvidia.com/gpu';
/** Labels and annotations are ours when they start with this (the same keys as Docker labels). */
const OUR_PREFIX = 'gpu-containers.';

/** A DNS-1123 label (pod names we make are at most 63 characters, so a label selector can name them). */
export function podNameOf(name: string): string {
  const n = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return n || 'gpu-container';
}

/** Whether `v` may be a label value (63 characters of [A-Za-z0-9_.-], alphanumeric at both ends). */
export function isLabelValue(v: string): boolean {
  return v.length <= 63 && /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v);
}

function isLabelKey(k: string): boolean {
  const [prefix, name] = k.includes('/') ? k.split(/\/(.*)/s) : [undefined, k];
  if (prefix !== undefined && !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(prefix)) return false;
  return name.length > 0 && name.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name);
}

/** Paths on the user's machine: a folder here is not on the cluster's nodes. */
const LOCAL_PATH = /\$\{(workspaceFolder|workspaceFolderBasename|userHome)\}|^~|^\.\.?(\/|$)/;

/**
 * Every profile field that does not map to a pod, each named with why and what to do instead. Errors: a launch on
 * Kubernetes is blocked until they are gone (never "almost what you asked for").
 */
export function kubeProblems(p: Profile): Problem[] {
  const out: Problem[] = [];
  const no = (field: string, message: string) => out.push({ profile: p.name, field, severity: 'error', message });
  const g = p.gpus;
  if (g !== 'none') {
    if ('all' in g)
      no('gpus', t('a pod asks the scheduler for a number of GPUs, not all of a machine\'s: write "gpus": N.'));
    else if ('devices' in g)
      no(
        'gpus',
        t(
          'on Kubernetes the scheduler picks which GPUs a pod gets; GPU ids ({0}) cannot be chosen: write "gpus": {1}.',
          g.devices.join(','),
          g.devices.length,
        ),
      );
    else if ('free' in g) {
      if (g.free.minFreeMemoryMiB !== undefined)
        no('gpus.minFreeMemory', t('the Kubernetes scheduler counts whole GPUs, not their free memory; remove it.'));
      if (g.free.model !== undefined)
        no('gpus.model', t('the Kubernetes scheduler counts GPUs of any model here; remove it.'));
    }
  }
  if (p.gpuCapabilities?.length)
    no('gpuCapabilities', t('the device plugin decides GPU capabilities on Kubernetes; remove it.'));
  if (p.gpuDriver) no('gpuDriver', t('the device plugin decides the GPU driver on Kubernetes; remove it.'));
  if (p.gpuOptions && Object.keys(p.gpuOptions).length)
    no('gpuOptions', t('the device plugin decides GPU options on Kubernetes; remove them.'));
  if (p.idle?.then === 'commit-and-stop')
    no('idle.then', t('a pod cannot be committed to an image; use "stop" or "notify".'));
  if (p.ipc && !['host', 'private', 'shareable', 'none'].includes(p.ipc))
    no('ipc', t('a pod shares IPC with the node ("host") or with nobody; {0} has no meaning on Kubernetes.', p.ipc));
  if (p.network && !['host', 'bridge', 'default'].includes(p.network))
    no(
      'network',
      t(
        'a pod is on the cluster\'s network or the node\'s ("host"); the Docker network {0} is not on Kubernetes.',
        p.network,
      ),
    );
  p.volumes.forEach((v, i) => {
    if (v.kind === 'volume' && !v.pvc)
      no(
        `volumes[${i}]`,
        t(
          '{0}: Docker volumes are not on Kubernetes; write pvc:CLAIM:{1} for a PersistentVolumeClaim.',
          v.text,
          v.target,
        ),
      );
    else if (v.kind === 'bind' && LOCAL_PATH.test(v.source ?? ''))
      no(
        `volumes[${i}]`,
        t(
          "{0}: a folder on this machine is not on the cluster's nodes; mount a node path or a pvc:CLAIM:{1}.",
          v.text,
          v.target,
        ),
      );
    else if (v.kind === 'bind' && v.mode && v.mode.split(',').some((m) => m !== 'ro' && m !== 'rw'))
      no(`volumes[${i}]`, t('{0}: only ro and rw apply to a node path on Kubernetes.', v.text));
  });
  p.mounts.forEach((m, i) => {
    if (m.type === 'volume')
      no(`mounts[${i}]`, t('Docker volumes are not on Kubernetes; use a volume pvc:CLAIM:{0}.', m.target));
    else if (m.type === 'bind' && (LOCAL_PATH.test(m.source ?? '') || m.bindPropagation))
      no(`mounts[${i}]`, t("a folder on this machine (or a propagation mode) is not on the cluster's nodes."));
  });
  if (p.execUser) no('execUser', t('kubectl exec runs as the pod\'s user; set "user" instead.'));
  if (p.user && !/^\d+(:\d+)?$/.test(p.user) && p.user !== 'host')
    no('user', t('a pod runs as numeric ids: write "user": "UID" or "UID:GID" instead of {0}.', p.user));
  if (p.entrypoint && p.entrypoint.length === 1 && p.entrypoint[0] === '')
    no('entrypoint', t("a pod cannot reset an image's entrypoint to nothing; name the program to run."));
  if (p.autoRemove)
    no('autoRemove', t('a finished pod stays until it is deleted (Stop deletes it); remove "autoRemove".'));
  if (p.restart?.name === 'on-failure' && p.restart.maximumRetryCount > 0)
    no('restart', t('Kubernetes restarts a failing pod without a retry limit; write "on-failure" alone.'));
  if (p.ulimits.length) no('ulimits', t("Kubernetes sets no per-pod ulimits; the node's container runtime does."));
  if (p.init) no('init', t('a pod has no init process option; use an image with tini or dumb-init as its entrypoint.'));
  for (const [i, o] of p.securityOpt.entries())
    if (!/^no-new-privileges(:true|=true)?$|^seccomp[=:]unconfined$/.test(o))
      no(`securityOpt[${i}]`, t('{0} has no pod equivalent here (no-new-privileges and seccomp=unconfined do).', o));
  if (p.devices.length)
    no(
      'devices',
      t('device files reach pods through device plugins on Kubernetes; remove "devices" (GPUs: "gpus": N).'),
    );
  for (const key of Object.keys(p.extra ?? {}))
    no(key, t('the docker create flag --{0} has no pod equivalent here; remove it for this host.', key));
  return out;
}

const CAP = (c: string) => c.replace(/^CAP_/i, '').toUpperCase();

export interface PodPlan {
  pod: Pod;
  /** Secret-looking env values: stored in a Secret the pod names (`secretName`), never in the pod's spec. */
  secretEnv: Record<string, string>;
  secretName: string;
  /** What a port-forward should open: container port → the local port the profile published it on. */
  ports: Array<{ containerPort: number; localPort: number }>;
  /** Warnings the user is told (the pod's name when it had to change). */
  notes: Problem[];
}

/** The pod for profile `p`, from its resolved create body `o` (toCreateOptions with `forKubernetes`). */
export function toPod(p: Profile, o: ContainerCreateOptions, opts: { uid?: number; gid?: number } = {}): PodPlan {
  const hc = o.HostConfig ?? {};
  const wanted = o.name ?? p.name;
  const name = podNameOf(wanted);
  const notes: Problem[] = [];
  if (name !== wanted)
    notes.push({
      profile: p.name,
      field: 'containerName',
      severity: 'warning',
      message: t('a pod name is lower-case letters, digits and -: {0} is created as {1}.', wanted, name),
    });
  const secretName = `${name}-env`.slice(0, 253);
  const secretEnv: Record<string, string> = {};
  const env: EnvVar[] = [];
  for (const e of o.Env ?? []) {
    const eq = e.indexOf('=');
    const k = eq < 0 ? e : e.slice(0, eq);
    const v = eq < 0 ? '' : e.slice(eq + 1);
    if (isSecretName(k) || isSecretValue(v)) {
      secretEnv[k] = v;
      env.push({ name: k, valueFrom: { secretKeyRef: { name: secretName, key: k } } });
    } else env.push({ name: k, value: v });
  }
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.Labels ?? {})) {
    if (isLabelKey(k) && isLabelValue(v)) labels[k] = v;
    // Ours always as annotations too (any value fits there); the list reads both.
    if (!isLabelKey(k) || !isLabelValue(v) || k.startsWith(OUR_PREFIX)) annotations[k] = v;
  }
  const volumes: KubeVolume[] = [];
  const mounts: Array<{ name: string; mountPath: string; readOnly?: boolean }> = [];
  const vol = (v: Omit<KubeVolume, 'name'>, mountPath: string, readOnly?: boolean) => {
    const n = `v${volumes.length}`;
    volumes.push({ name: n, ...v });
    mounts.push({ name: n, mountPath, ...(readOnly ? { readOnly } : {}) });
  };
  if (hc.ShmSize) vol({ emptyDir: { medium: 'Memory', sizeLimit: String(hc.ShmSize) } }, '/dev/shm');
  for (const b of hc.Binds ?? []) {
    const [source, target, mode] = b.split(':');
    vol({ hostPath: { path: source } }, target, mode?.split(',').includes('ro'));
  }
  for (const target of Object.keys(o.Volumes ?? {})) vol({ emptyDir: {} }, target);
  for (const m of (hc.Mounts ?? []) as unknown as Array<{
    Type: string;
    Source?: string;
    Target: string;
    ReadOnly?: boolean;
    TmpfsOptions?: { SizeBytes?: number };
  }>) {
    if (m.Type === 'bind') vol({ hostPath: { path: m.Source ?? '' } }, m.Target, m.ReadOnly);
    else if (m.Type === 'tmpfs')
      vol(
        {
          emptyDir: {
            medium: 'Memory',
            ...(m.TmpfsOptions?.SizeBytes ? { sizeLimit: String(m.TmpfsOptions.SizeBytes) } : {}),
          },
        },
        m.Target,
      );
  }
  for (const v of p.volumes)
    if (v.pvc)
      vol(
        { persistentVolumeClaim: { claimName: v.source ?? '', ...(v.readOnly ? { readOnly: true } : {}) } },
        v.target,
        v.readOnly,
      );

  const limits: Record<string, string> = {};
  const g = p.gpus;
  if (g !== 'none') {
    const n = 'count' in g ? g.count : 'free' in g ? g.free.count : 0;
    if (n > 0) limits['free' in g && g.free.mig ? `nvidia.com/mig-${g.free.mig}` : GPU_RESOURCE] = String(n);
  }
  if (hc.NanoCpus) limits.cpu = `${Math.round(hc.NanoCpus / 1e6)}m`;
  if (hc.Memory) limits.memory = String(hc.Memory);

  const sc: NonNullable<Pod['spec']['containers'][0]['securityContext']> = {};
  const user = p.user === 'host' ? `${opts.uid ?? 0}:${opts.gid ?? 0}` : o.User;
  if (user && /^\d+(:\d+)?$/.test(user)) {
    const [u, gr] = user.split(':');
    sc.runAsUser = Number(u);
    if (gr !== undefined) sc.runAsGroup = Number(gr);
  }
  if (hc.Privileged) sc.privileged = true;
  // dockerode types these lists as any.
  const capAdd = (hc.CapAdd ?? []) as string[];
  const capDrop = (hc.CapDrop ?? []) as string[];
  const securityOpt = (hc.SecurityOpt ?? []) as string[];
  const extraHosts = (hc.ExtraHosts ?? []) as string[];
  if (capAdd.length || capDrop.length)
    sc.capabilities = {
      ...(capAdd.length ? { add: capAdd.map(CAP) } : {}),
      ...(capDrop.length ? { drop: capDrop.map(CAP) } : {}),
    };
  for (const s of securityOpt) {
    if (/^no-new-privileges/.test(s)) sc.allowPrivilegeEscalation = false;
    if (/^seccomp[=:]unconfined$/.test(s)) sc.seccompProfile = { type: 'Unconfined' };
  }
  const ports: PodPlan['ports'] = [];
  for (const [key, bindings] of Object.entries((hc.PortBindings ?? {}) as Record<string, unknown>)) {
    const containerPort = Number(key.split('/')[0]);
    const local = Number((bindings as Array<{ HostPort?: string }>)?.[0]?.HostPort) || containerPort;
    ports.push({ containerPort, localPort: local });
  }
  const restart = hc.RestartPolicy?.Name;
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels, annotations },
    spec: {
      restartPolicy:
        restart === 'always' || restart === 'unless-stopped'
          ? 'Always'
          : restart === 'on-failure'
            ? 'OnFailure'
            : 'Never',
      enableServiceLinks: false,
      // As `docker stop`: 10 s after SIGTERM, then SIGKILL (a shell as the main process ignores SIGTERM).
      terminationGracePeriodSeconds: 10,
      containers: [
        {
          name: 'main',
          image: o.Image ?? '',
          imagePullPolicy: 'IfNotPresent',
          ...(o.Entrypoint ? { command: [o.Entrypoint].flat() } : {}),
          ...(o.Cmd ? { args: [o.Cmd].flat() } : {}),
          ...(o.WorkingDir ? { workingDir: o.WorkingDir } : {}),
          ...(env.length ? { env } : {}),
          ...(ports.length ? { ports: ports.map((x) => ({ containerPort: x.containerPort })) } : {}),
          // A dev box: a terminal attached later, like `docker create -it`.
          stdin: true,
          tty: true,
          ...(Object.keys(limits).length ? { resources: { limits } } : {}),
          ...(mounts.length ? { volumeMounts: mounts } : {}),
          ...(Object.keys(sc).length ? { securityContext: sc } : {}),
        },
      ],
      ...(volumes.length ? { volumes } : {}),
      ...(hc.IpcMode === 'host' ? { hostIPC: true } : {}),
      ...(hc.NetworkMode === 'host' ? { hostNetwork: true } : {}),
      ...(o.Hostname ? { hostname: podNameOf(o.Hostname) } : {}),
      ...(extraHosts.length
        ? {
            hostAliases: extraHosts.map((h) => {
              const i = h.lastIndexOf(':');
              return { ip: h.slice(i + 1), hostnames: [h.slice(0, i)] };
            }),
          }
        : {}),
      ...(hc.Runtime ? { runtimeClassName: hc.Runtime } : {}),
    },
  };
  return { pod, secretEnv, secretName, ports, notes };
}
