/**
 * Issue 24 item 2, with the docker CLI as the oracle: every `--mount` string an export writes (devcontainer.json
 * `mounts`, which its CLI hands to `docker run --mount`, and the `--mount` of the docker run export) is given to
 * `docker create --mount`, and `docker inspect` must show the one source and target the profile meant — a
 * volume `/tmp:/data,source=/etc` must not mount /etc. Paths hold commas, quotes, `=` and line breaks.
 * Containers are created, never started; labelled with this run's id and removed by label.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { after, describe, it } from 'node:test';
import { parseProfiles, toDevcontainerJson, toDockerRunArgs } from '../../../src/core/profiles';

const RUN = `gpuc-mq-${process.pid}-${Date.now().toString(36)}`;
const RUN_LABEL = `gpu-containers-test.run=${RUN}`;
const BUSYBOX = 'gpu-containers-test/busybox:1';
const DIR = fs.mkdtempSync('/tmp/gpuc-mq-');
const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();

/** Host folders with awkward names (bind sources must exist). */
const SOURCES = [`${DIR}/a,source=/etc`, `${DIR}/q"uote`, `${DIR}/eq=x`, `${DIR}/new\nline`, `${DIR}/sp ace`];
for (const s of SOURCES) fs.mkdirSync(s, { recursive: true });

let n = 0;
/** The mounts docker reports for a container created with these `--mount` strings. */
function created(mounts: string[]): Array<{ Source: string; Target: string }> {
  const name = `${RUN}-${n++}`;
  docker('create', '--name', name, '--label', RUN_LABEL, ...mounts.flatMap((m) => ['--mount', m]), BUSYBOX);
  return (JSON.parse(docker('inspect', '--type', 'container', name)) as Array<{ HostConfig: { Mounts: [] } }>)[0]
    .HostConfig.Mounts;
}

after(() => {
  const ids = docker('ps', '-aq', '--filter', `label=${RUN_LABEL}`).split('\n').filter(Boolean);
  if (ids.length) docker('rm', '-f', ...ids);
  fs.rmSync(DIR, { recursive: true, force: true });
});

void describe('exported --mount strings parse in the docker CLI to the intended source and target', () => {
  void it('devcontainer.json mounts: a volume "/tmp:/data,source=/etc" mounts /tmp at "/data,source=/etc"', () => {
    const [p] = parseProfiles([{ name: 'm', image: BUSYBOX, volumes: ['/tmp:/data,source=/etc'] }]).profiles;
    const { mounts } = JSON.parse(toDevcontainerJson(p).text) as { mounts: string[] };
    assert.deepEqual(
      created(mounts).map((m) => [m.Source, m.Target]),
      [['/tmp', '/data,source=/etc']],
      mounts[0],
    );
  });

  void it('commas, quotes, = and line breaks in sources and targets, as volumes and as mounts', () => {
    const targets = ['/t,source=/etc', '/t"q', '/t=x', '/t\nnl', '/t sp'];
    const [p] = parseProfiles([
      {
        name: 'm',
        image: BUSYBOX,
        mounts: SOURCES.map((source, i) => ({ type: 'bind', source, target: `${targets[i]}-m`, readOnly: true })),
      },
    ]).profiles;
    const expected = SOURCES.map((s, i) => [s, `${targets[i]}-m`]);
    const dev = (JSON.parse(toDevcontainerJson(p).text) as { mounts: string[] }).mounts;
    assert.deepEqual(
      created(dev).map((m) => [m.Source, m.Target]),
      expected,
    );
    const argv = toDockerRunArgs(p);
    const run = argv.flatMap((a, i) => (argv[i - 1] === '--mount' ? [a] : []));
    assert.deepEqual(
      created(run).map((m) => [m.Source, m.Target]),
      expected,
    );
  });

  void it('a carriage return cannot travel in a --mount string: left out, with an error note', () => {
    const [p] = parseProfiles([
      { name: 'm', image: BUSYBOX, mounts: [{ type: 'bind', source: '/tmp/a\rb', target: '/x' }] },
    ]).profiles;
    const out = toDevcontainerJson(p);
    assert.ok(!out.text.includes('/tmp/a'), out.text);
    assert.ok(out.notes.some((x) => x.severity === 'error' && x.field === 'mounts[0]'));
  });
});
