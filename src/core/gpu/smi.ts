/**
 * `nvidia-smi` argv and parsers. Pure: the caller runs the command (locally, over the engine, or in the
 * probe container) and hands us its stdout. Parsers never throw; odd lines go to `problems`.
 */

/** The fields of `--query-gpu`, in the order `parseGpuQuery` expects when there is no header line. */
export const QUERY_GPU_FIELDS = [
  'index',
  'uuid',
  'name',
  'memory.used',
  'memory.total',
  'utilization.gpu',
  'temperature.gpu',
  'driver_version',
  'mig.mode.current',
  'pci.bus_id',
] as const;

/** The fields of `--query-compute-apps`, in the order `parseComputeApps` expects without a header. */
export const QUERY_APPS_FIELDS = ['gpu_uuid', 'pid', 'used_memory'] as const;

const CSV_FORMAT = '--format=csv,noheader,nounits';

/** `nvidia-smi` arguments for the GPU table. */
export function queryGpuArgs(): string[] {
  return [`--query-gpu=${QUERY_GPU_FIELDS.join(',')}`, CSV_FORMAT];
}

/** `nvidia-smi` arguments for the processes using the GPUs (compute apps only, like the banner's table). */
export function queryAppsArgs(): string[] {
  return [`--query-compute-apps=${QUERY_APPS_FIELDS.join(',')}`, CSV_FORMAT];
}

export interface GpuInfo {
  index: number;
  /** `GPU-xxxxxxxx-…` */
  uuid: string;
  name: string;
  memoryUsedMiB?: number;
  memoryTotalMiB?: number;
  utilizationPct?: number;
  temperatureC?: number;
  driverVersion?: string;
  migMode?: 'Enabled' | 'Disabled';
  pciBusId?: string;
  /** MIG devices on this GPU, from `nvidia-smi -L` (see `withMigDevices`); absent when unknown. */
  migDevices?: MigDevice[];
}

export interface ComputeApp {
  gpuUuid: string;
  pid: number;
  usedMemoryMiB?: number;
}

export interface MigDevice {
  /** Index of the parent GPU. */
  parentIndex: number;
  /** MIG device index within the parent (`Device  0`). */
  deviceIndex: number;
  /** The GPU instance profile, e.g. `1g.5gb`. */
  profile: string;
  /** `MIG-…` (R470+) or the older `MIG-GPU-<uuid>/<gi>/<ci>` form. */
  uuid: string;
}

export interface SmiListGpu {
  index: number;
  name: string;
  uuid: string;
  migDevices: MigDevice[];
}

/**
 * A value nvidia-smi prints when it has none: `[N/A]`, `[Not Supported]`, `[Unknown Error]`,
 * `[Insufficient Permissions]`, `[GPU is lost]`, plain `N/A`, or nothing.
 */
export function isMissing(value: string | undefined): boolean {
  if (value === undefined) return true;
  const v = value.trim();
  return v === '' || v === 'N/A' || /^\[.*\]$/.test(v) || v.toUpperCase() === 'ERR!';
}

function text(value: string | undefined): string | undefined {
  return isMissing(value) ? undefined : value!.trim();
}

/** A number with an optional unit suffix (`81559`, `81559 MiB`, `0 %`, `40 C`); undefined otherwise. */
function num(value: string | undefined): number | undefined {
  if (isMissing(value)) return undefined;
  const m = /^(-?\d+(?:\.\d+)?)\s*(?:MiB|%|C|W|MHz)?$/i.exec(value!.trim());
  return m ? Number(m[1]) : undefined;
}

function nonNegativeInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  const n = Number(value.trim());
  return Number.isSafeInteger(n) ? n : undefined;
}

function clip(line: string): string {
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}

function lines(input: unknown): string[] {
  if (typeof input !== 'string') return [];
  return input.split(/\r?\n/);
}

/** Column name as nvidia-smi prints it in a header (`memory.used [MiB]` → `memory.used`). */
function headerName(cell: string): string {
  return cell
    .replace(/\[[^\]]*\]/g, '')
    .trim()
    .toLowerCase();
}

/** A header line: every cell a field name (`memory.used [MiB]`), at least one of ours. */
function isHeader(line: string, fields: readonly string[]): boolean {
  const names = line.split(',').map((c) => c.trim());
  return (
    names.every((c) => /^[a-z][a-z0-9_.]*(\s*\[[^\]]*\])?$/i.test(c)) &&
    names.some((c) => fields.includes(headerName(c)) || headerName(c) === 'used_gpu_memory')
  );
}

/**
 * Split a CSV row into exactly `expected` cells. nvidia-smi does not quote, so a comma inside a value
 * (only ever seen in names) would add cells: we glue the extra ones back into the column at `wideAt`.
 */
function cells(line: string, expected: number, wideAt: number): string[] | undefined {
  const parts = line.split(',').map((p) => p.trim());
  if (parts.length < expected) return undefined;
  if (parts.length === expected) return parts;
  const extra = parts.length - expected;
  return [
    ...parts.slice(0, wideAt),
    parts.slice(wideAt, wideAt + extra + 1).join(', '),
    ...parts.slice(wideAt + extra + 1),
  ];
}

/**
 * Parse `nvidia-smi --query-gpu=<QUERY_GPU_FIELDS> --format=csv[,noheader][,nounits]`.
 * A header line, when present, decides the column order (so units and reordering are tolerated).
 */
export function parseGpuQuery(csv: unknown): { gpus: GpuInfo[]; problems: string[] } {
  const gpus: GpuInfo[] = [];
  const problems: string[] = [];
  let columns: string[] = [...QUERY_GPU_FIELDS];
  lines(csv).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    if (isHeader(line, QUERY_GPU_FIELDS)) {
      columns = line.split(',').map(headerName);
      return;
    }
    const nameAt = columns.indexOf('name');
    const row = cells(line, columns.length, nameAt >= 0 ? nameAt : columns.length - 1);
    if (!row) {
      problems.push(`line ${i + 1}: expected ${columns.length} fields: ${clip(line)}`);
      return;
    }
    const get = (field: string): string | undefined => {
      const at = columns.indexOf(field);
      return at >= 0 ? row[at] : undefined;
    };
    const index = nonNegativeInt(get('index'));
    const uuid = text(get('uuid'));
    if (index === undefined || !uuid) {
      problems.push(`line ${i + 1}: no GPU index or UUID: ${clip(line)}`);
      return;
    }
    const mig = text(get('mig.mode.current'));
    gpus.push({
      index,
      uuid,
      name: text(get('name')) ?? '',
      memoryUsedMiB: num(get('memory.used')),
      memoryTotalMiB: num(get('memory.total')),
      utilizationPct: num(get('utilization.gpu')),
      temperatureC: num(get('temperature.gpu')),
      driverVersion: text(get('driver_version')),
      migMode: mig === 'Enabled' || mig === 'Disabled' ? mig : undefined,
      pciBusId: text(get('pci.bus_id')),
    });
  });
  gpus.sort((a, b) => a.index - b.index);
  return { gpus, problems };
}

/**
 * Parse `nvidia-smi --query-compute-apps=gpu_uuid,pid,used_memory --format=csv[,noheader][,nounits]`.
 * Empty output means no processes. `used_memory` is often `[N/A]` (MIG, or no permission).
 */
export function parseComputeApps(csv: unknown): { apps: ComputeApp[]; problems: string[] } {
  const apps: ComputeApp[] = [];
  const problems: string[] = [];
  lines(csv).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || isHeader(line, QUERY_APPS_FIELDS) || /^No running (processes|compute processes) found/i.test(line))
      return;
    const row = cells(line, QUERY_APPS_FIELDS.length, 0);
    const gpuUuid = row && text(row[0]);
    const pid = row && nonNegativeInt(row[1]);
    if (!row || !gpuUuid || !pid) {
      problems.push(`line ${i + 1}: expected "gpu_uuid, pid, used_memory": ${clip(line)}`);
      return;
    }
    apps.push({ gpuUuid, pid, usedMemoryMiB: num(row[2]) });
  });
  return { apps, problems };
}

/**
 * Driver and CUDA versions from the plain `nvidia-smi` banner
 * (`| NVIDIA-SMI 580.159.04   Driver Version: 580.159.04   CUDA Version: 13.0 |`) or from `nvidia-smi -q`
 * (`Driver Version : 580.159.04`, `CUDA Version : 13.0`). The CUDA version is the newest the driver supports.
 */
export function parseSmiHeader(text: unknown): { driverVersion?: string; cudaVersion?: string } {
  if (typeof text !== 'string') return {};
  const driver = /Driver Version\s*:\s*(\d+(?:\.\d+)+)/i.exec(text);
  const cuda = /(?<!Driver )CUDA Version\s*:\s*(\d+\.\d+(?:\.\d+)?)/i.exec(text);
  const out: { driverVersion?: string; cudaVersion?: string } = {};
  if (driver) out.driverVersion = driver[1];
  if (cuda) out.cudaVersion = cuda[1];
  return out;
}

const LIST_GPU = /^GPU\s+(\d+):\s+(.+?)\s+\(UUID:\s*(GPU-[^)\s]+)\)\s*$/;
const LIST_MIG = /^MIG\s+(\S+)\s+Device\s+(\d+):\s*\(UUID:\s*(MIG-[^)\s]+)\)\s*$/;

/**
 * Parse `nvidia-smi -L`:
 * ```
 * GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-…)
 *   MIG 1g.5gb     Device  0: (UUID: MIG-…)
 * ```
 */
export function parseSmiList(text: unknown): { gpus: SmiListGpu[]; problems: string[] } {
  const gpus: SmiListGpu[] = [];
  const problems: string[] = [];
  lines(text).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const gpu = LIST_GPU.exec(line);
    if (gpu) {
      gpus.push({ index: Number(gpu[1]), name: gpu[2], uuid: gpu[3], migDevices: [] });
      return;
    }
    const mig = LIST_MIG.exec(line);
    const parent = gpus[gpus.length - 1];
    if (mig && parent) {
      parent.migDevices.push({ parentIndex: parent.index, deviceIndex: Number(mig[2]), profile: mig[1], uuid: mig[3] });
      return;
    }
    problems.push(`line ${i + 1}: ${mig ? 'MIG device before any GPU' : 'not a GPU or MIG line'}: ${clip(line)}`);
  });
  return { gpus, problems };
}

/** Attach the MIG devices of `nvidia-smi -L` to the GPUs of `--query-gpu` (matched by UUID). Returns new objects. */
export function withMigDevices(gpus: GpuInfo[], list: SmiListGpu[]): GpuInfo[] {
  const byUuid = new Map(list.map((g) => [g.uuid.toLowerCase(), g.migDevices]));
  return gpus.map((g) => {
    const mig = byUuid.get(g.uuid.toLowerCase());
    return mig && mig.length > 0 ? { ...g, migDevices: mig } : { ...g };
  });
}
