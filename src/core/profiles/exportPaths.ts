/** Host paths in exports: under the home folder as `~`, and the mounts a `--mount` csv string can carry. */
import { mountCsvProblem } from './fieldDescMounts';
import type { MountSpec, Problem, Profile, VolumeSpec } from './profileTypes';

/** A host path under `home` as `~` / `~/…` (`/root` → `~`, `/root/data` → `~/data`, not `/rootfs`). */
export function homeRelative(path: string, home: string | undefined): string {
  const h = home?.replace(/\/+$/, '');
  if (!h) return path; // no home, or `/`
  if (path === h || path === `${h}/`) return '~';
  return path.startsWith(`${h}/`) ? `~/${path.slice(h.length + 1)}` : path;
}

/** The bind sources of volumes and mounts written relative to the home folder. */
export function withHome(p: Profile, home: string | undefined): Pick<Profile, 'volumes' | 'mounts'> {
  if (!home) return { volumes: p.volumes, mounts: p.mounts };
  const volumes = p.volumes.map((v): VolumeSpec => {
    if (v.kind !== 'bind' || v.source === undefined) return v;
    const source = homeRelative(v.source, home);
    if (source === v.source) return v;
    return { ...v, source, text: [source, v.target, ...(v.mode ? [v.mode] : [])].join(':') };
  });
  const mounts = p.mounts.map((m): MountSpec =>
    m.type === 'bind' && m.source !== undefined ? { ...m, source: homeRelative(m.source, home) } : m,
  );
  return { volumes, mounts };
}

/**
 * The mounts (and, for devcontainer.json, the volumes: all become `--mount` strings there) that a `--mount`
 * string can carry; the others are left out with an error note saying why.
 */
export function csvSafe(p: Profile, notes: Problem[], volumesToo: boolean): Pick<Profile, 'volumes' | 'mounts'> {
  const keep = (field: string, ...paths: Array<string | undefined>) => {
    const problem = mountCsvProblem(...paths);
    if (problem) notes.push({ profile: p.name, field, severity: 'error', message: problem });
    return !problem;
  };
  return {
    volumes: volumesToo ? p.volumes.filter((v, i) => keep(`volumes[${i}]`, v.source, v.target)) : p.volumes,
    mounts: p.mounts.filter((m, i) => keep(`mounts[${i}]`, m.source, m.target)),
  };
}
