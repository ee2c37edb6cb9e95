import * as vscode from 'vscode';
import { idleLabels } from '../core/gpu/idlePolicy';
import { leaseLabels } from '../core/gpu/lease';
import type { KubeEngine } from '../core/kube/kubeEngine';
import { kubeProblems, toPod } from '../core/kube/podSpec';
import { clusterPreflight } from '../core/kube/preflight';
import { toCreateOptions, type Profile } from '../core/profiles';
import type { Services } from '../services';
import { Cancelled } from './cancel';
import { profileContext } from './profileFlows';
import type { ContainerSummary } from '../core/docker';

const t = vscode.l10n.t;

export function onCluster(s: Services): boolean {
  return s.engines.endpoint.kind === 'kubernetes';
}

export function kubeEngineOf(s: Services): KubeEngine {
  return s.engines.engine as unknown as KubeEngine;
}

/** How a launch on a cluster ended: Running with a terminal, or Pending (the scheduler's reason said). */
export interface ClusterLaunch {
  id: string;
  name: string;
  terminal?: vscode.Terminal;
}

/**
 * A profile as a pod on the host's namespace: every field that has no pod equivalent named before anything is
 * created, then the cluster preflight (namespace, rights, GPUs), the pod created (secret env in a Secret the pod
 * owns), its state followed by the watch until it runs (terminal: `kubectl exec`), waits Pending (the scheduler's
 * reason said) or fails.
 */
export async function launchOnCluster(
  s: Services,
  profile: Profile,
  image: string,
): Promise<ClusterLaunch | undefined> {
  const host = s.engines.endpoint.host;
  const problems = kubeProblems(profile);
  const built = toCreateOptions({ ...profile, image }, profileContext(s), {
    containerNameTemplate: s.config.containerNameTemplate(),
    forKubernetes: true,
  });
  const errors = [...problems, ...built.problems.filter((p) => p.severity === 'error')];
  if (errors.length > 0)
    throw new Error(
      t(
        'Profile {0} cannot be launched on the Kubernetes host {1}: {2}',
        profile.name,
        s.hosts.scopedHost(s)?.name ?? host,
        errors.map((p) => `${p.field ? `${p.field}: ` : ''}${p.message}`).join(' '),
      ),
    );
  const options = built.options;
  const labels: Record<string, string> = { ...options.Labels };
  // (No GPU request label: the pod's resources say it, and a Pending pod holds no GPU the rows should show.)
  if (profile.idle) Object.assign(labels, idleLabels(profile.idle));
  if (profile.gpus !== 'none' && 'free' in profile.gpus && profile.gpus.free.holdMs)
    Object.assign(labels, leaseLabels(profile.gpus.free.holdMs, Date.now()));
  const plan = toPod(profile, { ...options, Labels: labels }, { uid: s.user.uid, gid: s.user.gid });
  if (plan.notes.length > 0)
    void s.ui.ask(
      'launchNotes',
      'warning',
      t('Launching {0}: {1}', profile.name, plan.notes.map((p) => `${p.field}: ${p.message}`).join(' · ')),
      {},
    );
  const engine = kubeEngineOf(s);
  const name = plan.pod.metadata.name ?? '';
  const wantGpus = Object.entries(plan.pod.spec.containers[0].resources?.limits ?? {})
    .filter(([k]) => k.startsWith('nvidia.com/'))
    .reduce((a, [, v]) => a + Number(v), 0);

  // 1. The pod's name: one that exists is attached to (it is this profile's), never replaced.
  const existing = await engine.getPod(name).catch(() => undefined);
  if (existing) {
    const attach = t('Attach Terminal');
    const a = await s.ui.ask(
      'podExists',
      'warning',
      t('A pod named {0} already exists in {1}.', name, engine.namespace),
      { modal: true, detail: t("Stop (delete) it first to launch it again, or change the profile's containerName.") },
      attach,
    );
    if (a !== attach) throw new Cancelled();
    const details = await engine.inspectContainer(name);
    return { id: name, name, terminal: await s.terminals.exec(details) };
  }
  // 2. Everything about the cluster at once.
  const pre = await clusterPreflight(engine, {
    gpus: wantGpus,
    secrets: Object.keys(plan.secretEnv).length > 0,
    image,
  });
  if (pre.errors.length > 0) throw new Error(pre.errors.join(' '));
  if (pre.waits) {
    const wait = t('Launch and Wait');
    const a = await s.ui.ask('podWillWait', 'warning', pre.waits, { modal: true }, wait);
    if (a !== wait) throw new Cancelled();
  }

  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: t('Launching {0}', name), cancellable: true },
    async (progress, token): Promise<ClusterLaunch> => {
      if (token.isCancellationRequested) throw new Cancelled();
      progress.report({ message: t('creating pod {0}', name) });
      await engine.launchPod(plan);
      await s.refresh.refreshContainer(name);
      await s.containersTree.reveal(name, s.refresh).catch(() => false);
      progress.report({ message: t('waiting for {0} to be scheduled and start', name) });
      const row = await untilSettled(s, name, token);
      if (row.state === 'running') {
        progress.report({ message: t('opening a terminal') });
        const terminal = await s.terminals.exec(row);
        if (plan.ports.length > 0) offerPortForward(s, row, plan.ports);
        return { id: name, name, terminal };
      }
      if (row.state === 'exited') throw new Error(t('The pod {0} ended: {1}', name, row.status));
      // Pending (unschedulable, or an image that cannot be pulled): the reason, and the row shows it.
      void s.ui.ask('podPending', 'info', t('{0} is waiting: {1}', name, row.status), {});
      return { id: name, name };
    },
  );
}

/** Ports the profile published: forwarded to this machine when the user says so (`kubectl port-forward`). */
function offerPortForward(
  s: Services,
  row: { id: string; name: string },
  ports: ReadonlyArray<{ containerPort: number; localPort: number }>,
): void {
  const forward = t('Forward Ports');
  void s.ui
    .ask(
      'podPorts',
      'info',
      t(
        '{0} listens on {1}. Forward them to this machine (kubectl port-forward)?',
        row.name,
        ports.map((p) => `${p.localPort}→${p.containerPort}`).join(', '),
      ),
      {},
      forward,
    )
    .then((a) => (a === forward ? s.terminals.portForward(row, ports) : undefined));
}

/**
 * Waits, on the watch's row changes (no polling), until `done(row)` holds for the pod's row (`undefined`: it is
 * gone); cancellable from a progress notification.
 */
export function untilRow<T>(
  s: Services,
  name: string,
  done: (row: ContainerSummary | undefined) => T | undefined,
  token?: vscode.CancellationToken,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const subs: vscode.Disposable[] = [];
    const finish = (): void => {
      for (const d of subs) d.dispose();
    };
    const check = (): void => {
      const r = done(s.refresh.containers.get(name));
      if (r !== undefined) {
        finish();
        resolve(r);
      }
    };
    subs.push(s.refresh.onDidChangeContainers(check));
    if (token)
      subs.push(
        token.onCancellationRequested(() => {
          finish();
          reject(new Cancelled());
        }),
      );
    check();
  });
}

/** Until the pod runs, ends, or waits for a reason the scheduler or kubelet gave (Pending: …, ErrImagePull…). */
function untilSettled(s: Services, name: string, token: vscode.CancellationToken): Promise<ContainerSummary> {
  return untilRow(
    s,
    name,
    (row) => {
      if (!row) return undefined;
      const waiting =
        row.state === 'created' &&
        /^(Pending: |ErrImagePull|ImagePullBackOff|CreateContainer|InvalidImageName)/.test(row.status);
      return row.state === 'running' || row.state === 'exited' || waiting ? row : undefined;
    },
    token,
  );
}
