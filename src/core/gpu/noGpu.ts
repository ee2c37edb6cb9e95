import { messages } from './messages';

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

/**
 * Why nvidia-smi did not give us a GPU list, with the fix. nvidia-smi prints its errors on stdout, so both
 * streams are read. Never throws; anything unrecognised is `failed` with the first line of output.
 */
export function classifySmiFailure(err: SmiError | null | undefined): SmiFailure {
  const e: SmiError = err && typeof err === 'object' ? err : {};
  const out = `${str(e.stderr)}\n${str(e.stdout)}`;
  const all = `${out}\n${str(e.message)}`;
  const code = e.code;

  // ENOENT from execFile, or "not found" from a shell (`docker exec`, ssh).
  if (
    code === 'ENOENT' ||
    /nvidia-smi: (command )?not found|nvidia-smi: No such file or directory|executable file not found/i.test(all)
  ) {
    return { reason: 'notFound', message: messages.smiNotFound(), fix: messages.smiNotFoundFix() };
  }
  if (/couldn't communicate with the NVIDIA driver/i.test(all)) {
    return { reason: 'driverNotLoaded', message: messages.driverNotLoaded(), fix: messages.driverNotLoadedFix() };
  }
  if (/couldn't find libnvidia-ml\.so/i.test(all)) {
    return { reason: 'driverNotLoaded', message: messages.libraryMissing(), fix: messages.libraryMissingFix() };
  }
  if (/No devices were found/i.test(all)) {
    return { reason: 'noDevices', message: messages.noDevices(), fix: messages.noDevicesFix() };
  }
  if (/Driver\/library version mismatch/i.test(all)) {
    return { reason: 'failed', message: messages.versionMismatch(), fix: messages.versionMismatchFix() };
  }
  if (code === 'EACCES' || /permission denied|Insufficient Permissions/i.test(all)) {
    return { reason: 'failed', message: messages.permissionDenied(), fix: messages.permissionDeniedFix() };
  }
  // A shell's "command not found" status, with no words we know.
  if (code === 127) return { reason: 'notFound', message: messages.smiNotFound(), fix: messages.smiNotFoundFix() };
  const detail = firstLine(out) || firstLine(str(e.message)) || (code !== undefined ? `exit code ${code}` : '');
  return { reason: 'failed', message: messages.smiFailed(detail), fix: messages.smiFailedFix() };
}

/** For an engine whose `Runtimes` has no `nvidia` (EngineInfo.hasNvidiaRuntime false). */
export function noNvidiaRuntimeReason(): { message: string; fix: string } {
  return { message: messages.noNvidiaRuntime(), fix: messages.noNvidiaRuntimeFix() };
}
