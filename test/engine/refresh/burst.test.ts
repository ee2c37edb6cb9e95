/**
 * 300 quick `docker create`s on the shared engine: every one must reach the RefreshController's store
 * through the event stream alone (no full Refresh), however the daemon orders or times the events.
 * Containers are named `gpuc-perf2-…`, labelled, and removed by label afterwards.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { after, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import { createEngine, dockerodeOptions, resolveEndpoint } from '../../../src/core/docker';
import type { Logger } from '../../../src/core/logger';
import { RefreshController } from '../../../src/core/tree/refreshController';

const BUSYBOX = 'gpu-containers-test/busybox:1';
const RUN = randomBytes(3).toString('hex');
const PREFIX = `gpuc-perf2-${RUN}-`;
const LABEL_KEY = 'gpu-containers-test.run';
const LABEL = `gpuc-perf2-burst-${RUN}`;
const COUNT = 300;
const PARALLEL = 16;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const { endpoint } = resolveEndpoint({
  hostSetting: undefined,
  env: {},
  homedir: os.homedir(),
  readFile: () => undefined,
});
const docker = new Dockerode(dockerodeOptions(endpoint));

after(async () => {
  const ours = await docker.listContainers({ all: true, filters: { label: [`${LABEL_KEY}=${LABEL}`] } });
  for (let i = 0; i < ours.length; i += PARALLEL)
    await Promise.all(ours.slice(i, i + PARALLEL).map((c) => docker.getContainer(c.Id).remove({ force: true })));
});

describe('RefreshController under a burst of creates (real dockerd)', () => {
  it(`shows all ${COUNT} containers created in parallel, through events only`, async () => {
    const engine = createEngine(docker, endpoint, { defaultTimeoutMs: 10_000 });
    const warnings: string[] = [];
    const logger: Logger = {
      trace() {},
      info() {},
      warn: (m) => warnings.push(m),
      error: (m) => warnings.push(String(m)),
    };
    let lists = 0;
    const delivered = new Set<string>();
    const ctl = new RefreshController({
      engine: () => ({
        events: (f, o) =>
          engine.events((e) => {
            if (e.action === 'create' && e.attributes[LABEL_KEY] === LABEL) delivered.add(e.id);
            f(e);
          }, o),
        listContainers: (o) => (lists++, engine.listContainers(o)),
        listImages: () => engine.listImages(),
        inspectContainer: (id) => engine.inspectContainer(id),
      }),
      endpoint: () => endpoint.host,
      logger,
      signals: { containersChanged() {}, imagesChanged() {}, stateChanged() {} },
    });
    const ours = (): number => ctl.containers.all().filter((c) => c.name.startsWith(PREFIX)).length;
    try {
      ctl.setVisible('containers', true);
      for (let i = 0; i < 200 && !(ctl.isComplete && ctl.state === 'ok'); i++) await sleep(50);
      assert.equal(ctl.state, 'ok');
      await sleep(300); // the list on 'connected' settles
      const listsBefore = lists;
      let next = 0;
      const worker = async (): Promise<void> => {
        for (let i = next++; i < COUNT; i = next++)
          await docker.createContainer({
            name: `${PREFIX}${i}`,
            Image: BUSYBOX,
            Labels: { [LABEL_KEY]: LABEL },
            HostConfig: { NetworkMode: 'none' },
          });
      };
      await Promise.all(Array.from({ length: PARALLEL }, worker));
      for (let i = 0; i < 300 && ours() < COUNT; i++) await sleep(50);
      assert.equal(lists, listsBefore, 'a full list ran during the burst (the test needs events alone)');
      assert.equal(
        ours(),
        COUNT,
        `rows missing after the burst (${delivered.size} create events delivered); warnings: ${warnings.slice(0, 5).join(' | ')}`,
      );
    } finally {
      ctl.dispose();
    }
  });
});
