import { t } from '../l10n';

/** `major.minor[.patch]` at the start of a string. */
const VERSION = /^(\d+)\.(\d+)(?:\.(\d+))?/;

function envValue(env: unknown, name: string): string | undefined {
  if (!Array.isArray(env)) return undefined;
  let value: string | undefined;
  for (const entry of env) {
    // The last one wins, as in the container.
    if (typeof entry === 'string' && entry.startsWith(`${name}=`)) value = entry.slice(name.length + 1).trim();
  }
  return value;
}

/**
 * The CUDA version an image was built for: `CUDA_VERSION=12.4.1` in its env (nvidia/cuda images), else the
 * `com.nvidia.cuda.version` label, else the `cuda>=12.4` of `NVIDIA_REQUIRE_CUDA` (what the NVIDIA hook
 * enforces at start). Undefined when none holds a version.
 */
export function imageCudaVersion(image: { env?: unknown; labels?: unknown } | null | undefined): string | undefined {
  if (!image || typeof image !== 'object') return undefined;
  const fromEnv = envValue(image.env, 'CUDA_VERSION');
  if (fromEnv && VERSION.test(fromEnv)) return fromEnv;
  const labels = image.labels && typeof image.labels === 'object' ? (image.labels as Record<string, unknown>) : {};
  const label = labels['com.nvidia.cuda.version'];
  if (typeof label === 'string' && VERSION.test(label.trim())) return label.trim();
  const require = envValue(image.env, 'NVIDIA_REQUIRE_CUDA');
  const m = require ? /(?:^|\s)cuda>=(\d+\.\d+(?:\.\d+)?)/.exec(require) : null;
  return m ? m[1] : undefined;
}

/** `[major, minor]` of a version string, or undefined. */
export function cudaMajorMinor(version: unknown): [number, number] | undefined {
  if (typeof version !== 'string') return undefined;
  const m = VERSION.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

export interface CudaCheck {
  /** False only when both versions are known and the image needs a newer CUDA than the driver supports. */
  ok: boolean;
  /** `ok`, `tooNew`, or `unknown` (a version missing or unreadable: don't block the launch). */
  code: 'ok' | 'tooNew' | 'unknown';
  /** `major.minor` of each side, when readable. */
  imageVersion?: string;
  driverVersion?: string;
  /** The sentence for `tooNew`, translated, with the fix. */
  message?: string;
}

/**
 * Compare the image's CUDA version with the newest CUDA the driver supports (the banner's "CUDA Version"),
 * on major.minor, numerically ("12.10" > "12.9"). Patch levels do not matter to the driver. CUDA's forward
 * compatibility packages can run newer images on some datacenter drivers; the NVIDIA hook still refuses them
 * unless told otherwise, so a warning is right.
 */
export function compareCuda(imageVersion: string | undefined, driverMaxVersion: string | undefined): CudaCheck {
  const img = cudaMajorMinor(imageVersion);
  const drv = cudaMajorMinor(driverMaxVersion);
  const result: CudaCheck = { ok: true, code: 'unknown' };
  if (img) result.imageVersion = `${img[0]}.${img[1]}`;
  if (drv) result.driverVersion = `${drv[0]}.${drv[1]}`;
  if (!img || !drv) return result;
  const tooNew = img[0] > drv[0] || (img[0] === drv[0] && img[1] > drv[1]);
  result.ok = !tooNew;
  result.code = tooNew ? 'tooNew' : 'ok';
  if (tooNew) result.message = formatCudaCheck(result);
  return result;
}

/** The sentence for a check, with its fix; undefined when there is nothing to say. */
export function formatCudaCheck(check: CudaCheck): string | undefined {
  if (check.code !== 'tooNew' || !check.imageVersion || !check.driverVersion) return undefined;
  return `${t('This image needs CUDA {0}, but the driver supports up to CUDA {1}.', check.imageVersion, check.driverVersion)} ${t(
    'Update the NVIDIA driver to one that supports CUDA {0}, or use an image built for CUDA {1} or older.',
    check.imageVersion,
    check.driverVersion,
  )}`;
}
