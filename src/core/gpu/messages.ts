/**
 * Every user-facing English sentence of the GPU layer, in one object, so the extension can swap in
 * localized text (`vscode.l10n.t`) without touching the logic. Functions take structured parameters only.
 */
export const messages = {
  smiNotFound: (): string => 'nvidia-smi not found.',
  smiNotFoundFix: (): string =>
    'Install the NVIDIA driver for this GPU (it ships nvidia-smi), then make sure nvidia-smi is on the PATH.',
  driverNotLoaded: (): string => "nvidia-smi couldn't communicate with the NVIDIA driver: the driver is not loaded.",
  driverNotLoadedFix: (): string =>
    'Install the NVIDIA driver, or load it (`sudo modprobe nvidia`); after a kernel update, reinstall the driver and reboot.',
  libraryMissing: (): string => "nvidia-smi couldn't find the NVIDIA management library (libnvidia-ml.so).",
  libraryMissingFix: (): string =>
    'Reinstall the NVIDIA driver so that its user-space libraries match the kernel module.',
  versionMismatch: (): string =>
    'The NVIDIA driver and library versions do not match (usually right after a driver update).',
  versionMismatchFix: (): string => 'Reboot the machine, or unload and reload the nvidia kernel modules.',
  noDevices: (): string => 'nvidia-smi found no NVIDIA GPUs.',
  noDevicesFix: (): string =>
    'Check that the GPU is attached to this machine (`lspci | grep -i nvidia`) and that the driver supports it.',
  permissionDenied: (): string => 'nvidia-smi could not be run: permission denied.',
  permissionDeniedFix: (): string => 'Check the permissions of nvidia-smi and of /dev/nvidia*.',
  smiFailed: (detail: string): string => (detail ? `nvidia-smi failed: ${detail}` : 'nvidia-smi failed.'),
  smiFailedFix: (): string => 'Run `nvidia-smi` in a terminal to see the full error.',
  noNvidiaRuntime: (): string => 'The Docker engine has no NVIDIA runtime, so containers cannot use GPUs.',
  noNvidiaRuntimeFix: (): string =>
    'Install the NVIDIA Container Toolkit, run `sudo nvidia-ctk runtime configure --runtime=docker`, then restart Docker (`sudo systemctl restart docker`).',
  cudaTooNew: (p: { imageVersion: string; driverVersion: string }): string =>
    `This image needs CUDA ${p.imageVersion}, but the driver supports up to CUDA ${p.driverVersion}.`,
  cudaTooNewFix: (p: { imageVersion: string; driverVersion: string }): string =>
    `Update the NVIDIA driver to one that supports CUDA ${p.imageVersion}, or use an image built for CUDA ${p.driverVersion} or older.`,
  /** "GPU 3 is held by tom-bert (owner tom)"; several ids: "GPUs 0, 1 are held by …". */
  gpuHeld: (p: { deviceIds: string[]; containerName: string; owner?: string }): string => {
    const ids = p.deviceIds.join(', ');
    const who = p.owner ? `${p.containerName} (owner ${p.owner})` : p.containerName;
    return p.deviceIds.length === 1 ? `GPU ${ids} is held by ${who}` : `GPUs ${ids} are held by ${who}`;
  },
};

export type GpuMessages = typeof messages;
