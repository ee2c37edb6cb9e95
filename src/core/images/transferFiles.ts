/**
 * The files behind an atomic save: the hidden `.part` file a save writes before renaming it into place,
 * the clean-up of `.part` files a killed save left behind, and the "disk is full" message with the
 * numbers the user needs.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { ImagesApi } from '../docker/engineContract';
import { EngineError } from '../docker/engineError';
import { t } from '../l10n';

/**
 * Where Save Image suggests the archive: the folder of the last archive saved or loaded while it still exists,
 * else the home folder — never the workspace, where a multi-GB archive would land in the project (and in git).
 */
export function archiveFolder(remembered: string | undefined, home: string, exists = fs.existsSync): string {
  return remembered && path.isAbsolute(remembered) && exists(remembered) ? remembered : home;
}

/** `.<name>.<pid>.<12 hex>.part` beside the target: hidden, ours, and tied to the process writing it. */
export function partFileFor(target: string, pid = process.pid): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${pid}.${randomBytes(6).toString('hex')}.part`);
}

const PART = /^\..+\.(\d+)\.[0-9a-f]{12}\.part$/;
/** Written by versions before the pid was in the name: stale once untouched this long. */
const LEGACY_PART = /^\..+\.[0-9a-f]{12}\.part$/;
const LEGACY_STALE_MS = 60 * 60 * 1000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the `.part` files of our own naming in `dir` whose writer is gone (its process no longer exists,
 * e.g. a save interrupted by SIGKILL). A save still running in another window keeps its file. Never throws.
 */
export async function cleanStaleParts(dir: string, now = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = PART.exec(name);
    let stale = false;
    if (m) stale = Number(m[1]) !== process.pid && !processAlive(Number(m[1]));
    else if (LEGACY_PART.test(name)) {
      const st = await fsp.stat(path.join(dir, name)).catch(() => undefined);
      stale = !!st && st.isFile() && now - st.mtimeMs > LEGACY_STALE_MS;
    }
    if (!stale) continue;
    try {
      await fsp.rm(path.join(dir, name), { force: true });
      removed.push(name);
    } catch {
      /* not ours to fight over */
    }
  }
  return removed;
}

/** The mount point holding `p` (longest matching entry of /proc/self/mounts), else `p`'s folder. */
function mountPointOf(p: string): string {
  try {
    const mounts = fs
      .readFileSync('/proc/self/mounts', 'utf8')
      .split('\n')
      .map((l) => l.split(' ')[1]?.replace(/\\040/g, ' '))
      .filter((m): m is string => !!m);
    let best = '';
    for (const m of mounts) {
      const prefix = m.endsWith('/') ? m : `${m}/`;
      if ((p === m || p.startsWith(prefix)) && m.length > best.length) best = m;
    }
    if (best) return best;
  } catch {
    /* not Linux */
  }
  return path.dirname(p);
}

function gb(bytes: number): string {
  return (Math.ceil((bytes / 1e9) * 10) / 10).toFixed(1);
}

/**
 * "The disk is full: free N GB on <filesystem>, then save again": N is what the images need (their size
 * in the engine, an upper bound for an uncompressed archive) minus what is free now, at least 0.1 GB.
 */
export async function noSpaceError(
  engine: Pick<ImagesApi, 'inspectImage'>,
  refs: string[],
  target: string,
  cause: unknown,
): Promise<EngineError> {
  let need = 0;
  for (const ref of refs)
    need += await engine.inspectImage(ref).then(
      (d) => d.size,
      () => 0,
    );
  let free = 0;
  try {
    const st = await fsp.statfs(path.dirname(target));
    free = st.bavail * st.bsize;
  } catch {
    /* unknown: ask for the images' size */
  }
  const fsName = mountPointOf(path.dirname(target));
  return new EngineError(
    'noSpace',
    t('The disk is full: free {0} GB on {1}, then save again.', gb(Math.max(need - free, 1e8)), fsName),
    t('Delete files on {0}, or save to a folder on another disk.', fsName),
    { cause },
  );
}
