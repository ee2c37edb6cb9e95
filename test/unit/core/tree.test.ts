import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ContainerState, ContainerSummary, ImageSummary } from '../../../src/core/docker/engineTypes';
import {
  containerContextValue,
  containerIcon,
  containerItem,
  containerTooltip,
  filterContainers,
  isMine,
  sortContainers,
} from '../../../src/core/tree/containerRows';
import { formatAge, formatBytes, shortId } from '../../../src/core/tree/format';
import { imageContextValue, imageItem, imageRowCount, imageRows, imageTooltip } from '../../../src/core/tree/imageRows';
import { ContainerStore } from '../../../src/core/tree/store';
import { hostContextValue } from '../../../src/core/hosts/tree';

const c = (name: string, state: ContainerState, extra: Partial<ContainerSummary> = {}): ContainerSummary => ({
  id: name.padEnd(64, 'a'),
  name,
  image: 'img:1',
  imageId: 'sha256:1',
  command: 'sh',
  state,
  status: state === 'running' ? 'Up 2 minutes' : 'Exited (0) 1 hour ago',
  created: 1_700_000_000_000,
  ports: [],
  mounts: [],
  labels: {},
  ...extra,
});

const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8'));

/** The `viewItem =~ /…/` regexes of the context-menu entries of one command in one view. */
function whenRegexes(command: string, view: string): RegExp[] {
  return (pkg.contributes.menus['view/item/context'] as Array<{ command: string; when: string }>)
    .filter((m) => m.command === command && m.when.includes(`view == ${view}`))
    .map((m) => {
      const found = [...m.when.matchAll(/viewItem =~ \/(.+?)\/(?=\s|\)|$)/g)].map((x) => new RegExp(x[1]));
      assert.ok(found.length > 0, `no viewItem regex in ${m.when}`);
      return found;
    })
    .flat();
}

const shows = (command: string, view: string, contextValue: string): boolean =>
  whenRegexes(command, view).some((r) => r.test(contextValue));

void describe('context values against the when clauses in package.json', () => {
  const running = containerContextValue(c('tom-a', 'running'), 'tom');
  const exited = containerContextValue(c('tom-b', 'exited'), 'tom');
  const created = containerContextValue(c('x', 'created', { gpu: { kind: 'all', source: 'deviceRequests' } }), 'tom');
  const paused = containerContextValue(c('p', 'paused'), 'tom');

  void it('computes state first, then flags', () => {
    assert.equal(running, 'runningContainer;mine');
    assert.equal(exited, 'exitedContainer;mine');
    assert.equal(created, 'createdContainer;gpu');
  });

  const table: Array<[string, string, boolean]> = [
    ['gpuContainers.attachTerminal', running, true],
    ['gpuContainers.attachTerminal', exited, false],
    ['gpuContainers.attachMainProcess', running, true],
    ['gpuContainers.attachMainProcess', created, false],
    ['gpuContainers.start', exited, true],
    ['gpuContainers.start', created, true],
    ['gpuContainers.start', running, false],
    ['gpuContainers.stop', running, true],
    ['gpuContainers.stop', paused, true],
    ['gpuContainers.stop', exited, false],
    ['gpuContainers.restart', running, true],
    ['gpuContainers.remove', running, true],
    ['gpuContainers.remove', exited, true],
    ['gpuContainers.showLogs', created, true],
    ['gpuContainers.inspect', exited, true],
    ['gpuContainers.commitContainer', running, true],
    ['gpuContainers.copyName', paused, true],
  ];
  for (const [command, value, expected] of table) {
    void it(`${command} ${expected ? 'shows' : 'hides'} for ${value}`, () => {
      assert.equal(shows(command, 'gpuContainers.containers', value), expected);
    });
  }

  void it('image rows: run/tag/save for all, push and copy name only when tagged', () => {
    const tagged = imageContextValue({ image: img(['a:1']), tag: 'a:1' });
    const untagged = imageContextValue({ image: img([]) });
    assert.equal(shows('gpuContainers.runImage', 'gpuContainers.images', tagged), true);
    assert.equal(shows('gpuContainers.removeImage', 'gpuContainers.images', untagged), true);
    assert.equal(shows('gpuContainers.pushImage', 'gpuContainers.images', tagged), true);
    assert.equal(shows('gpuContainers.pushImage', 'gpuContainers.images', untagged), false);
    assert.equal(shows('gpuContainers.copyImageName', 'gpuContainers.images', untagged), false);
    // Container commands never show on image rows.
    assert.equal(shows('gpuContainers.remove', 'gpuContainers.containers', tagged), false);
  });

  void it('every container/image menu entry is keyed on a viewItem regex that some real context value matches', () => {
    const values = [
      running,
      exited,
      created,
      paused,
      'image;tagged',
      'image;untagged',
      containerContextValue(c('d', 'dead'), 'x'),
      containerContextValue(c('r', 'restarting'), 'x'),
      // Host nodes (several hosts): src/core/hosts/tree.ts.
      hostContextValue({ name: 'h', state: { kind: 'ok' } }, false),
      hostContextValue({ name: 'h', state: { kind: 'unreachable', reason: 'x' } }, true),
      // A queued launch (src/gpuQueue.ts, the row at the top of the Containers view).
      'queuedLaunch',
    ];
    for (const m of pkg.contributes.menus['view/item/context'] as Array<{ command: string; when: string }>) {
      const rs = [...m.when.matchAll(/viewItem =~ \/(.+?)\/(?=\s|\)|$)/g)].map((x) => new RegExp(x[1]));
      assert.ok(
        rs.some((r) => values.some((v) => r.test(v))),
        `${m.command} (${m.when}) never shows`,
      );
    }
  });
});

function img(tags: string[], extra: Partial<ImageSummary> = {}): ImageSummary {
  return {
    id: 'sha256:' + 'b'.repeat(64),
    tags,
    digests: [],
    size: 2_000_000,
    created: 1_700_000_000_000,
    dangling: tags.length === 0,
    labels: {},
    ...extra,
  };
}

void describe('container rows', () => {
  void it('mine = owner label, else the user prefix in the name', () => {
    assert.equal(isMine(c('tom-bert', 'running'), 'tom'), true);
    assert.equal(isMine(c('tom_x', 'running'), 'tom'), false); // only `${user}-…` (issue 18 item 5)
    assert.equal(isMine(c('tomato', 'running'), 'tom'), false);
    assert.equal(
      isMine(c('tom-bert', 'running', { owner: 'alice' }), 'tom'),
      false,
      'the owner label wins over the name',
    );
    assert.equal(isMine(c('bert', 'running', { owner: 'tom' }), 'tom'), true);
    assert.equal(isMine(c('x', 'running'), ''), false);
  });

  void it('sorts running first, then by name; filters mine', () => {
    const list = [c('b', 'exited'), c('z', 'running'), c('a', 'exited'), c('tom-m', 'paused')];
    assert.deepEqual(
      sortContainers(list).map((x) => x.name),
      ['tom-m', 'z', 'a', 'b'],
    );
    assert.deepEqual(
      filterContainers(list, 'mine', 'tom').map((x) => x.name),
      ['tom-m'],
    );
    assert.equal(filterContainers(list, 'all', 'tom').length, 4);
  });

  void it('describes image · status · GPU, with a tooltip listing ports, mounts, created and owner', () => {
    const box = c('tom-bert', 'running', {
      gpu: { kind: 'devices', deviceIds: ['0', '1'], source: 'deviceRequests' },
      owner: 'tom',
      ports: [{ containerPort: 8888, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 8888 }],
      mounts: [
        {
          type: 'bind',
          source: '/home/tom/.cache/huggingface',
          destination: '/root/.cache/huggingface',
          readOnly: true,
        },
      ],
    });
    const item = {
      ...containerItem(box, { user: 'tom' }),
      tooltip: containerTooltip(box, { now: 1_700_000_000_000 + 3 * 3600_000 }),
    };
    assert.equal(item.label, 'tom-bert');
    assert.equal(item.description, 'img:1 · Up 2 minutes · GPU 0,1');
    assert.match(item.tooltip, /`127\.0\.0\.1:8888→8888\/tcp`/);
    assert.match(item.tooltip, /huggingface.*\(ro\)/);
    assert.match(item.tooltip, /3 hours ago/);
    assert.match(item.tooltip, /Owner: tom/);
    assert.deepEqual(item.icon, { id: 'vm-running', color: 'charts.green' });
  });

  void it('shows GPU memory (its processes, summed) on running rows only, short in the row, exact on hover', () => {
    const box = c('tom-bert', 'running', { gpu: { kind: 'devices', deviceIds: ['1'], source: 'deviceRequests' } });
    assert.equal(
      containerItem(box, { user: 'tom', gpuMemoryMiB: 40200 }).description,
      'img:1 · Up 2 minutes · GPU 1 · 39 GiB GPU',
    );
    assert.match(containerItem(box, { user: 'tom', gpuMemoryMiB: 1950 }).description, / · 1\.9 GiB GPU$/);
    assert.match(
      containerTooltip(box, { now: 1_700_000_000_000, gpuMemoryMiB: 40200 }),
      /GPU memory: 39 GiB \(40200 MiB, the sum of its processes\)/,
    );
    // Unknown snapshot, no GPU process, or not running (a stale snapshot): nothing.
    for (const [x, mib] of [
      [box, undefined],
      [box, 0],
      [c('tom-old', 'exited'), 40200],
    ] as const) {
      assert.doesNotMatch(containerItem(x, { user: 'tom', gpuMemoryMiB: mib }).description, /GiB/);
      assert.doesNotMatch(containerTooltip(x, { now: 1, gpuMemoryMiB: mib }), /GPU memory/);
    }
  });

  void it('colours a non-zero exit red and a clean exit grey', () => {
    assert.equal(containerIcon(c('a', 'exited', { status: 'Exited (137) 1 minute ago' })).color, 'charts.red');
    assert.equal(containerIcon(c('a', 'exited', { status: 'Exited (0) 1 minute ago' })).color, 'disabledForeground');
    assert.equal(containerIcon(c('a', 'dead')).id, 'error');
  });
});

void describe('image rows', () => {
  void it('one row per tag, untagged hidden unless asked, tagged first', () => {
    const images = [img(['b:1', 'a:1']), img([], { id: 'sha256:' + 'c'.repeat(64) })];
    assert.deepEqual(
      imageRows(images, false).map((r) => r.tag),
      ['a:1', 'b:1'],
    );
    assert.deepEqual(
      imageRows(images, true).map((r) => r.tag),
      ['a:1', 'b:1', undefined],
    );
    const untagged = imageItem(imageRows(images, true)[2], { now: 1_700_000_000_000 });
    assert.equal(untagged.label, '<none> cccccccccccc');
    assert.equal(untagged.contextValue, 'image;untagged');
    assert.equal(imageItem(imageRows(images, false)[0], { now: 1_700_000_000_000 }).description, '2 MB · just now');
  });

  void it('the hover lists at most ten tags of an image with hundreds', () => {
    const many = img(Array.from({ length: 300 }, (_, i) => `r:t${i}`));
    const tip = imageTooltip({ image: many, tag: 'r:t0' }, { now: 1_700_000_000_000 });
    assert.equal((tip.match(/`r:t\d+`/g) ?? []).length, 10);
    assert.match(tip, /and 290 more/);
  });
});

void describe('formatting', () => {
  void it('bytes in decimal units like docker images', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1_980_000), '1.98 MB');
    assert.equal(formatBytes(5_600_000_000), '5.6 GB');
    assert.equal(formatBytes(-1), '?');
    assert.equal(formatBytes(Number.NaN), '?');
  });
  void it('ages', () => {
    const now = 1_700_000_000_000;
    assert.equal(formatAge(now - 10_000, now), 'just now');
    assert.equal(formatAge(now - 60_000, now), '1 minute ago');
    assert.equal(formatAge(now - 5 * 86400_000, now), '5 days ago');
    assert.equal(formatAge(now - 400 * 86400_000, now), '1 year ago');
    assert.equal(formatAge(0, now), 'unknown age');
  });
  void it('short ids drop sha256:', () => {
    assert.equal(shortId('sha256:0123456789abcdef'), '0123456789ab');
  });
});

void describe('ContainerStore', () => {
  void it('an inspect with no GPU request does not hide the GPUs our claim label records (whichever comes first)', () => {
    const labels = { 'gpu-containers.gpus': 'free=1', 'gpu-containers.gpu-uuids': 'GPU-aaaa' };
    for (const order of ['inspect first', 'list first']) {
      const s = new ContainerStore();
      const x = c('x', 'running', { labels });
      if (order === 'list first') s.replaceAll([x]);
      s.upsert(x); // an event's inspect: DeviceRequests empty (Podman's CDI devices, a claim on an engine without the runtime)
      s.replaceAll([x]);
      assert.deepEqual(s.findByName('x')?.gpu?.deviceIds, ['GPU-aaaa'], order);
    }
  });
  void it('keeps GPU requests learned from inspect across full lists, and forgets removed containers', () => {
    const s = new ContainerStore();
    s.replaceAll([c('a', 'running'), c('b', 'exited')]);
    assert.deepEqual(s.missingGpuInfo().sort(), [c('a', 'running').id, c('b', 'exited').id].sort());
    s.setGpu(c('a', 'running').id, { kind: 'all', source: 'deviceRequests' });
    s.setGpu(c('b', 'exited').id, undefined);
    assert.deepEqual(s.missingGpuInfo(), []);
    s.replaceAll([c('a', 'exited')]);
    assert.equal(s.get(c('a', 'running').id)?.gpu?.kind, 'all', 'the list has no GPU info; the cache fills it');
    assert.equal(s.size, 1);
    const before = s.revision;
    assert.equal(s.remove('nope'), false);
    assert.equal(s.revision, before);
    s.upsert(c('n', 'running', { gpu: { kind: 'count', count: 2, source: 'deviceRequests' } }));
    assert.equal(s.findByName('n')?.gpu?.count, 2);
  });
});

void describe('imageRowCount: a host node counts the rows shown under it', () => {
  const img = (id: string, tags: string[]): ImageSummary => ({ id, tags, created: 1, size: 1 }) as ImageSummary;
  void it('one row per tag; untagged images only when shown; one image / N images', () => {
    const images = [img('a', ['x:1', 'x:latest']), img('b', ['y:1']), img('c', [])];
    assert.equal(imageRowCount(imageRows(images, false)), '3 images');
    assert.equal(imageRowCount(imageRows(images, true)), '4 images');
    assert.equal(imageRowCount(imageRows([img('b', ['y:1'])], false)), '1 image');
  });
});
