import type { ContainerSummary, GpuRequest } from '../../../src/core/docker/engineTypes';

export function hex(seed: string): string {
  return seed.repeat(64).slice(0, 64);
}

export function container(
  name: string,
  gpu: GpuRequest | undefined,
  extra: Partial<ContainerSummary> = {},
): ContainerSummary {
  return {
    id: hex(Buffer.from(name).toString('hex')),
    name,
    image: 'img',
    imageId: 'sha256:0',
    command: 'python3',
    state: 'running',
    status: 'Up 3 hours',
    created: 0,
    ports: [],
    mounts: [],
    labels: {},
    gpu,
    ...extra,
  };
}

export const dev = (...deviceIds: string[]): GpuRequest => ({ kind: 'devices', deviceIds, source: 'deviceRequests' });
export const ALL: GpuRequest = { kind: 'all', source: 'deviceRequests' };
