import { t } from '../l10n';

export type SmiFailureReason = 'notFound' | 'driverNotLoaded' | 'noDevices' | 'failed';

export interface SmiFailure {
  reason: SmiFailureReason;
  /** One line for the user. */
  message: string;
  /** What to do about it. */
  fix: string;
}

/** What a failed `execFile('nvidia-smi', …)` (or the probe container) tells us. All optional. */
export interface SmiError {
  code?: string | number;
  stderr?: string;
  stdout?: string;
  message?: string;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function firstLine(s: string): string {
  return (
    s
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find(Boolean) ?? ''
  ).slice(0, 200);
}

/** "nvidia-smi not found": the path tried (`tried`, when known) and where to set another. */
function smiNotFound(tried: string | undefined, where: string | undefined): SmiFailure {
  if (!tried)
    return {
      reason: 'notFound',
      message: t('nvidia-smi not found.'),
      fix: t('Install the NVIDIA driver for this GPU (it ships nvidia-smi), then make sure nvidia-smi is on the PATH.'),
    };
  return {
    reason: 'notFound',
    message: where
      ? t('nvidia-smi not found on {0} (tried {1}).', where, tried)
      : t('nvidia-smi not found (tried {0}).', tried),
    fix: t(
      'Install the NVIDIA driver (it ships nvidia-smi), or set the path of nvidia-smi: gpuContainers.gpus.nvidiaSmiPath for this machine (in a remote window, in the Remote settings), a host\'s "nvidiaSmi" in gpuContainers.hosts for an ssh host.',
    ),
  };
}

/**
 * Why nvidia-smi did not give us a GPU list, with the fix. nvidia-smi prints its errors on stdout, so both
 * streams are read. Never throws; anything unrecognised is `failed` with the first line of output.
 * `tried`: the nvidia-smi that was run (named in "not found"); `where`: the host it ran on, if not this machine.
 */
export function classifySmiFailure(err: SmiError | null | undefined, tried?: string, where?: string): SmiFailure {
  const e: SmiError = err && typeof err === 'object' ? err : {};
  const out = `${str(e.stderr)}\n${str(e.stdout)}`;
  const all = `${out}\n${str(e.message)}`;
  const code = e.code;

  // ENOENT from execFile, or "not found" from a shell (`docker exec`, ssh), for nvidia-smi or the path tried.
  const triedRe = tried ? `|${tried.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (command )?not found` : '';
  if (
    code === 'ENOENT' ||
    new RegExp(
      `nvidia-smi: (command )?not found|nvidia-smi: No such file or directory|executable file not found${triedRe}`,
      'i',
    ).test(all)
  ) {
    return smiNotFound(tried, where);
  }
  if (/couldn't communicate with the NVIDIA driver/i.test(all)) {
    return {
      reason: 'driverNotLoaded',
      message: t("nvidia-smi couldn't communicate with the NVIDIA driver: the driver is not loaded."),
      fix: t(
        'Install the NVIDIA driver, or load it (`sudo modprobe nvidia`); after a kernel update, reinstall the driver and reboot.',
      ),
    };
  }
  if (/couldn't find libnvidia-ml\.so/i.test(all)) {
    return {
      reason: 'driverNotLoaded',
      message: t("nvidia-smi couldn't find the NVIDIA management library (libnvidia-ml.so)."),
      fix: t('Reinstall the NVIDIA driver so that its user-space libraries match the kernel module.'),
    };
  }
  if (/No devices were found/i.test(all)) {
    return {
      reason: 'noDevices',
      message: t('nvidia-smi found no NVIDIA GPUs.'),
      fix: t(
        'Check that the GPU is attached to this machine (`lspci | grep -i nvidia`) and that the driver supports it.',
      ),
    };
  }
  if (/Driver\/library version mismatch/i.test(all)) {
    return {
      reason: 'failed',
      message: t('The NVIDIA driver and library versions do not match (usually right after a driver update).'),
      fix: t('Reboot the machine, or unload and reload the nvidia kernel modules.'),
    };
  }
  if (code === 'EACCES' || /permission denied|Insufficient Permissions/i.test(all)) {
    return {
      reason: 'failed',
      message: t('nvidia-smi could not be run: permission denied.'),
      fix: t('Check the permissions of nvidia-smi and of /dev/nvidia*.'),
    };
  }
  // A shell's "command not found" status, with no words we know.
  if (code === 127) return smiNotFound(tried, where);
  const detail =
    firstLine(out) || firstLine(str(e.message)) || (code !== undefined ? t('exit code {0}', String(code)) : '');
  return {
    reason: 'failed',
    message: detail ? t('nvidia-smi failed: {0}', detail) : t('nvidia-smi failed.'),
    fix: t('Run `nvidia-smi` in a terminal to see the full error.'),
  };
}

/** For an engine whose `Runtimes` has no `nvidia` (EngineInfo.hasNvidiaRuntime false). */
export function noNvidiaRuntimeReason(): { message: string; fix: string } {
  return {
    message: t('The Docker engine has no NVIDIA runtime, so containers cannot use GPUs.'),
    fix: nvidiaToolkitFix(),
  };
}

/** How to give Docker GPUs: install and configure the NVIDIA Container Toolkit. */
export function nvidiaToolkitFix(): string {
  return t(
    'Install the NVIDIA Container Toolkit, run `sudo nvidia-ctk runtime configure --runtime=docker`, then restart Docker (`sudo systemctl restart docker`).',
  );
}

/** The NVIDIA Container Toolkit's install guide. */
export const NVIDIA_TOOLKIT_URL =
  'https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/install-guide.html';
