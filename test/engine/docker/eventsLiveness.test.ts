/**
 * Liveness of the events stream (issue 18 item 4): a tcp:// engine behind a proxy written here that can
 * start swallowing bytes in both directions — what a dropped VPN or a sleeping laptop does to a
 * connection. The subscription must report 'disconnected' within seconds (its periodic ping times out),
 * and reconnect and deliver events again when the proxy heals. A subscription without liveness stays
 * "connected" through the same stall: that is the defect this guards against.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import Dockerode from 'dockerode';
import { openEngine, type EngineEvent, type Engine } from '../../../src/core/docker';

const RUN = randomBytes(4).toString('hex');
const LABEL = `gpu-containers-test.run=${RUN}`;
const local = new Dockerode({ socketPath: '/var/run/docker.sock' });

class SwallowingProxy {
  swallowing = false;
  private readonly sockets = new Set<net.Socket>();
  private readonly server = net.createServer((client) => {
    const upstream = net.connect('/var/run/docker.sock');
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => this.sockets.delete(s));
    }
    client.on('data', (d) => this.swallowing || upstream.write(d));
    upstream.on('data', (d) => this.swallowing || client.write(d));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  async listen(): Promise<number> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return (this.server.address() as net.AddressInfo).port;
  }
  close(): void {
    for (const s of this.sockets) s.destroy();
    this.server.close();
  }
}

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<number> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) assert.fail(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return Date.now() - t0;
}

const proxy = new SwallowingProxy();
let engine: Engine | undefined;

void after(async () => {
  engine?.dispose();
  proxy.close();
  const list = await local.listContainers({ all: true, filters: { label: [LABEL] } });
  for (const c of list) await local.getContainer(c.Id).remove({ force: true });
});

void describe('events liveness through a byte-swallowing proxy', () => {
  void it('reports down on a silent stall and reconnects (and delivers again) when the link heals', async () => {
    const port = await proxy.listen();
    engine = openEngine(
      { source: 'setting', host: `tcp://127.0.0.1:${port}`, kind: 'tcp', terminalEnv: {} },
      { defaultTimeoutMs: 1_500 },
    ).engine;
    const states: string[] = [];
    const seen: EngineEvent[] = [];
    const filters = { label: [LABEL], type: ['container'] };
    const sub = engine.events((e) => seen.push(e), {
      filters,
      onState: (s) => states.push(s),
      backoff: { initialMs: 200, maxMs: 500 },
      livenessMs: 500,
    });
    const blindStates: string[] = [];
    const blind = engine.events(() => undefined, { filters, onState: (s) => blindStates.push(s), livenessMs: 0 });
    try {
      await waitFor(() => states.includes('connected') && blindStates.includes('connected'), 5_000, 'connected');
      const name = `gpuc-engine-${RUN}-a`;
      await local.createContainer({
        Image: 'gpu-containers-test/busybox:1',
        name,
        Labels: { 'gpu-containers-test.run': RUN },
      });
      await waitFor(() => seen.some((e) => e.action === 'create'), 5_000, 'create event');

      proxy.swallowing = true;
      const detectedMs = await waitFor(() => states.at(-1) === 'disconnected', 5_000, 'stall detected');
      assert.ok(detectedMs < 5_000);
      assert.equal(blindStates.at(-1), 'connected', 'without liveness the stall goes unnoticed');

      proxy.swallowing = false;
      await waitFor(() => states.at(-1) === 'connected', 10_000, 'reconnected');
      const before = seen.length;
      await local.getContainer(name).remove({ force: true });
      await waitFor(() => seen.slice(before).some((e) => e.action === 'destroy'), 5_000, 'event after healing');
    } finally {
      sub.dispose();
      blind.dispose();
    }
  });
});
