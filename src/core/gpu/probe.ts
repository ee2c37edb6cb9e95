import { queryGpuArgs } from './smi';

export const PROBE_LABEL = 'gpu-containers.probe';

/** The subset of Dockerode's `ContainerCreateOptions` the probe uses. */
export interface ProbeCreateOptions {
  Image: string;
  Entrypoint: string[];
  Cmd: string[];
  Labels: Record<string, string>;
  HostConfig: {
    AutoRemove: boolean;
    NetworkMode: string;
    DeviceRequests: {
      Driver: string;
      Count: number;
      DeviceIDs: string[] | null;
      Capabilities: string[][];
      Options: Record<string, string>;
    }[];
  };
}

/**
 * Create options for the short-lived container that runs `nvidia-smi --query-gpu=…` with all GPUs on a
 * remote engine (only when the user opts in). The caller starts it, waits, reads the logs (stdout is the
 * CSV for `parseGpuQuery`; on failure feed both streams to `classifySmiFailure`), then removes it — hence
 * AutoRemove false, so the logs are still there after it exits.
 *
 * `nvidia-smi` is the entrypoint, not the first word of Cmd: CUDA images have an entrypoint script that
 * prints a banner on stdout, which would corrupt the CSV. The NVIDIA hook mounts nvidia-smi into any image.
 */
export function probeCreateOptions(image: string): ProbeCreateOptions {
  return {
    Image: image,
    Entrypoint: ['nvidia-smi'],
    Cmd: queryGpuArgs(),
    Labels: { [PROBE_LABEL]: '1' },
    HostConfig: {
      AutoRemove: false,
      NetworkMode: 'none',
      DeviceRequests: [{ Driver: '', Count: -1, DeviceIDs: null, Capabilities: [['gpu']], Options: {} }],
    },
  };
}
