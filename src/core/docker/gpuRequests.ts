/**
 * Docker's words for a GPU request in a create body (`HostConfig.DeviceRequests`, `--gpus`): read and written
 * here, so the launch, the GPU claim and the preflight speak of GPUs, not of device requests.
 */
import type { ContainerCreateOptions, DeviceRequest } from './engineContract';
import type { GpuRequest } from './engineTypes';
import { GPU_REQUEST_LABEL, GPU_UUIDS_LABEL } from './labels';
import { gpuRequestFrom } from '../gpu/request';

/** A device request for GPUs (`--gpus`: the nvidia driver or the `gpu` capability). */
function isGpuRequest(r: DeviceRequest): boolean {
  return r.Driver === 'nvidia' || (r.Capabilities ?? []).some((set) => set.includes('gpu'));
}

/** Whether the create body asks for GPUs. */
export function requestsGpu(options: ContainerCreateOptions): boolean {
  return (options.HostConfig?.DeviceRequests ?? []).some(isGpuRequest);
}

/** The create body's GPU request as a typed value (all / count / ids), the environment's NVIDIA_VISIBLE_DEVICES too. */
export function gpuRequestOf(options: ContainerCreateOptions): GpuRequest | undefined {
  return gpuRequestFrom(options.HostConfig?.DeviceRequests, options.Env);
}

/** The device ids the create body names (GPU indexes, UUIDs, MIG UUIDs, CDI names). */
export function requestedDeviceIds(options: ContainerCreateOptions): string[] {
  return options.HostConfig?.DeviceRequests?.flatMap((r) => r.DeviceIDs ?? []) ?? [];
}

/** Same options with the GPU request dropped (Launch without GPU), and its labels. */
export function withoutGpu(options: ContainerCreateOptions): ContainerCreateOptions {
  const reqs = (options.HostConfig?.DeviceRequests ?? []).filter((r) => !isGpuRequest(r));
  const labels = options.Labels ? { ...options.Labels } : undefined;
  if (labels) {
    delete labels[GPU_REQUEST_LABEL];
    delete labels[GPU_UUIDS_LABEL];
  }
  return {
    ...options,
    ...(labels ? { Labels: labels } : {}),
    HostConfig: { ...options.HostConfig, DeviceRequests: reqs.length ? reqs : undefined },
  };
}

/** Same options asking for exactly these GPUs (by UUID), keeping the request's driver, capabilities and options. */
export function withGpuDevices(options: ContainerCreateOptions, uuids: string[]): ContainerCreateOptions {
  const reqs = options.HostConfig?.DeviceRequests ?? [];
  const gpu = reqs.find(isGpuRequest);
  const request: DeviceRequest = {
    Driver: gpu?.Driver ?? '',
    Count: 0,
    DeviceIDs: [...uuids],
    Capabilities: gpu?.Capabilities ?? [['gpu']],
    Options: gpu?.Options ?? {},
  };
  return {
    ...options,
    HostConfig: { ...options.HostConfig, DeviceRequests: [...reqs.filter((r) => !isGpuRequest(r)), request] },
  };
}
