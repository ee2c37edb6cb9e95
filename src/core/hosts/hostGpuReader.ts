/**
 * The one GPU reader for a host, the first host as much as any other: an ssh host runs nvidia-smi there through
 * the system `ssh` in one round trip (`readRemoteGpus`, no probe container), an engine on this machine reads
 * nvidia-smi here, and a tcp:// engine elsewhere uses the opt-in probe container (`GpuSnapshotReader`).
 * All I/O is injected. Never throws.
 */
import type { Endpoint } from '../docker/endpoint';
import { noNvidiaRuntimeReason } from '../gpu/noGpu';
import { emptySnapshot, GpuSnapshotReader, type GpuReaderDeps, type GpuSnapshot } from '../gpu/snapshot';
import { parseTopology, type GpuTopology } from '../gpu/topology';
import { sshTargetOf, type HostSpec, type SshTarget } from './hostsSetting';
import { readRemoteGpus, type ProcessResult, type RemoteGpuSnapshot } from './remoteGpu';
import { sharedControlPath } from './ssh';
import { isLocalAddress } from './remotePaths';
import { clusterSnapshot } from '../kube/clusterGpus';
import type { Node } from '../kube/kubeTypes';
import { t } from '../l10n';

/** Where a host's GPUs are read. */
export interface GpuHostTarget {
  /** The engine's address, as the user reads it in messages. */
  host: string;
  /** The engine is on this machine: nvidia-smi runs here. */
  local: boolean;
  /** An ssh host: nvidia-smi runs there. */
  ssh?: SshTarget;
  /** nvidia-smi on the ssh host, when not on its PATH (the host's `nvidiaSmi` field). */
  remoteNvidiaSmi?: string;
  /** A Kubernetes host: its GPUs are its nodes' allocatable `nvidia.com/gpu` (core/kube/clusterGpus.ts). */
  kubernetes?: true;
}

/**
 * The target of a resolved endpoint (a `ResolvedHost`, or a bare endpoint): ssh when the host or its endpoint
 * is ssh://, local when the engine is on this machine (unix socket, named pipe, tcp to loopback).
 */
export function gpuTargetOf(r: {
  endpoint: Endpoint;
  ssh?: SshTarget;
  spec?: Pick<HostSpec, 'nvidiaSmi'>;
}): GpuHostTarget {
  if (r.endpoint.kind === 'kubernetes') return { host: r.endpoint.host, local: false, kubernetes: true };
  let ssh = r.ssh;
  if (!ssh && r.endpoint.kind === 'ssh') {
    const target = sshTargetOf(r.endpoint.host);
    if (typeof target !== 'string') ssh = target;
  }
  const out: GpuHostTarget = {
    host: r.endpoint.host,
    local: !ssh && r.endpoint.kind !== 'ssh' && isLocalAddress(r.endpoint.host),
  };
  if (ssh) out.ssh = ssh;
  if (r.spec?.nvidiaSmi) out.remoteNvidiaSmi = r.spec.nvidiaSmi;
  return out;
}

/** The remote reader's result in the GPU layer's shape. */
export function fromRemote(r: RemoteGpuSnapshot): GpuSnapshot {
  const snap: GpuSnapshot = {
    gpus: r.gpus,
    apps: r.apps,
    pidToContainerId: r.pidToContainerId,
    pidToUser: r.pidToUser,
    source: r.unavailable ? 'none' : 'host',
  };
  if (r.driverCuda) snap.driverCuda = r.driverCuda;
  if (r.topologyText) {
    const topo = parseTopology(r.topologyText);
    if (topo.gpus.length > 0) snap.topology = topo;
  }
  if (r.unavailable) snap.unavailable = { message: r.unavailable.message, fix: r.unavailable.fix };
  return snap;
}

export interface HostGpuReaderDeps extends GpuReaderDeps {
  /** Runs a program and reports how it ended (ssh's exit code and stderr are the message); never rejects. */
  runProcess: (file: string, args: string[]) => Promise<ProcessResult>;
  /** A Kubernetes host's nodes (the engine's `nodes()`); rejects with an EngineError when they cannot be read. */
  clusterNodes?: () => Promise<Node[]>;
}

export interface HostGpuReadOptions {
  /** nvidia-smi on this machine (gpuContainers.gpus.nvidiaSmiPath). */
  smiPath: string;
  /** The probe container's CUDA image for a tcp:// engine elsewhere; undefined = no probe. */
  probeImage?: string;
  probeTimeoutMs?: number;
}

export class HostGpuReader {
  private readonly here: GpuSnapshotReader;
  /** The banner and topology of an ssh host, read once (keyed by destination) while the driver stays loaded. */
  private remoteOnce: { key: string; driverCuda?: string; topology?: GpuTopology } | undefined;

  constructor(private readonly deps: HostGpuReaderDeps) {
    this.here = new GpuSnapshotReader(deps);
  }

  /** Forget what was read once (settings or engine changed). */
  invalidate(): void {
    this.here.invalidate();
    this.remoteOnce = undefined;
  }

  async read(target: GpuHostTarget, o: HostGpuReadOptions): Promise<GpuSnapshot> {
    if (target.kubernetes) return this.readCluster();
    if (target.ssh) return this.readSsh(target.ssh, target.remoteNvidiaSmi).catch(() => emptySnapshot());
    return this.here.read({ local: target.local, host: target.host, ...o });
  }

  /** A cluster: one GPU per allocatable `nvidia.com/gpu` of its Ready nodes; no nvidia-smi anywhere. */
  private async readCluster(): Promise<GpuSnapshot> {
    try {
      const nodes = (await this.deps.clusterNodes?.()) ?? [];
      const snap = clusterSnapshot(nodes);
      if (snap.gpus.length === 0)
        snap.unavailable = {
          message: t('No Ready node of this cluster offers nvidia.com/gpu.'),
          fix: t("GPU nodes need NVIDIA's device plugin (or the GPU operator) running."),
        };
      return snap;
    } catch (err) {
      const e = err as { message?: string; fix?: string };
      return {
        ...emptySnapshot(),
        source: 'none',
        unavailable: { message: e.message ?? String(err), fix: e.fix ?? '' },
      };
    }
  }

  private async readSsh(ssh: SshTarget, nvidiaSmi: string | undefined): Promise<GpuSnapshot> {
    const key = `${ssh.destination}:${ssh.port ?? ''}:${nvidiaSmi ?? ''}`;
    const known = this.remoteOnce?.key === key ? this.remoteOnce : undefined;
    const r = await readRemoteGpus(ssh, (file, argv) => this.deps.runProcess(file, argv), {
      ...(nvidiaSmi ? { nvidiaSmi } : {}),
      controlPath: await sharedControlPath(ssh),
      header: !known,
      topology: !known,
    });
    const snap = fromRemote(r);
    if (known) {
      if (known.driverCuda) snap.driverCuda = known.driverCuda;
      if (known.topology) snap.topology = known.topology;
    } else if (!r.unavailable) {
      this.remoteOnce = { key };
      if (snap.driverCuda) this.remoteOnce.driverCuda = snap.driverCuda;
      if (snap.topology) this.remoteOnce.topology = snap.topology;
    }
    // As on this machine: GPUs the engine cannot give to containers are said to be so.
    if (!snap.unavailable && snap.gpus.length > 0) {
      const info = await this.deps.engine.info().catch(() => undefined);
      if (info && !info.hasNvidiaRuntime) snap.unavailable = noNvidiaRuntimeReason();
    }
    return snap;
  }
}
