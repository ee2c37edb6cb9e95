/**
 * Figure 3: launch overhead for one profile, two ways.
 *   ours = parseProfiles → toCreateOptions → Engine.createContainer → startContainer → exec `true` (exit 0)
 *          (what the Launch command does once the user has picked; the terminal itself is not counted).
 *   cli  = `docker run -d <the same profile as toDockerRunArgs writes it>` + `docker exec NAME true`.
 */
import os from 'node:os';
import { parseProfiles, toCreateOptions, toDockerRunArgs, type ProfileContext } from '../src/core/profiles';
import { BENCH_LABEL_KEY, BUSYBOX, cli, type Rig } from './docker';
import { summarize, type Figure } from './stats';

function context(): ProfileContext {
  const u = os.userInfo();
  return { userHome: u.homedir, user: process.env.USER || u.username, uid: u.uid, gid: u.gid, env: process.env };
}

function profileSetting(rig: Rig, name: string): unknown[] {
  return [
    {
      name: 'bench',
      image: BUSYBOX,
      containerName: name,
      command: ['sleep', '86400'],
      labels: { [BENCH_LABEL_KEY]: rig.runId },
    },
  ];
}

async function ours(rig: Rig, name: string): Promise<number> {
  const t0 = performance.now();
  const { profiles } = parseProfiles(profileSetting(rig, name));
  const built = toCreateOptions(profiles[0], context());
  if (built.problems.some((p) => p.severity === 'error')) throw new Error(JSON.stringify(built.problems));
  const id = await rig.engine.createContainer({ ...built.options, name: built.name });
  await rig.engine.startContainer(id);
  const r = await rig.engine.exec(id, { cmd: ['true'] });
  if (r.exitCode !== 0) throw new Error(`exec true exited ${r.exitCode}`);
  return performance.now() - t0;
}

async function viaCli(rig: Rig, name: string): Promise<number> {
  const { profiles } = parseProfiles(profileSetting(rig, name));
  const args = toDockerRunArgs(profiles[0], { ctx: context() });
  args.splice(0, 2, 'run', '-d', '-it');
  const t0 = performance.now();
  await cli(rig, args);
  await cli(rig, ['exec', name, 'true']);
  return performance.now() - t0;
}

export async function benchLaunch(rig: Rig, reps: number): Promise<{ ours: Figure; cli: Figure }> {
  const o: number[] = [];
  const c: number[] = [];
  const remove = (name: string): Promise<void> =>
    rig.engine.removeContainer(name, { force: true }).catch(() => undefined);
  for (let i = -1; i < reps; i++) {
    const a = `gpuc-bench-${rig.runId}-l${i + 1}o`;
    const b = `gpuc-bench-${rig.runId}-l${i + 1}c`;
    // Alternate which goes first, so neither always runs on a daemon still busy with the other's removal.
    const first = i % 2 === 0;
    const x = first ? await ours(rig, a) : await viaCli(rig, b);
    const y = first ? await viaCli(rig, b) : await ours(rig, a);
    if (i >= 0) {
      o.push(first ? x : y);
      c.push(first ? y : x);
    }
    await remove(a);
    await remove(b);
  }
  return { ours: summarize(o), cli: summarize(c) };
}
