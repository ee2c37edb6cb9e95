import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerState, ContainerSummary } from '../../../src/core/docker/engineTypes';
import {
  containerCount,
  groupContainers,
  groupKey,
  matchesText,
  naturalCompare,
  type GroupBy,
} from '../../../src/core/tree/arrange';
import {
  containerDescription,
  containerTooltip,
  needsOwnerConfirmation,
  sortContainers,
} from '../../../src/core/tree/containerRows';
import { numberedName } from '../../../src/core/tree/format';

const c = (
  name: string,
  state: ContainerState = 'exited',
  extra: Partial<ContainerSummary> = {},
): ContainerSummary => ({
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

void describe('natural sort', () => {
  const table: Array<[string[], string[]]> = [
    [
      ['ux-many-10', 'ux-many-2', 'ux-many-100', 'ux-many-1'],
      ['ux-many-1', 'ux-many-2', 'ux-many-10', 'ux-many-100'],
    ],
    [
      ['b', 'A', 'a'],
      ['A', 'a', 'b'],
    ],
    [
      ['x9y', 'x10y', 'x9'],
      ['x9', 'x9y', 'x10y'],
    ],
    [
      ['gpu-2-run-10', 'gpu-2-run-9', 'gpu-10-run-1'],
      ['gpu-2-run-9', 'gpu-2-run-10', 'gpu-10-run-1'],
    ],
    [
      ['a7', 'a007', 'a10', 'a08'],
      ['a007', 'a7', 'a08', 'a10'],
    ],
    [
      ['n12345678901234567891', 'n12345678901234567890', 'n9'],
      ['n9', 'n12345678901234567890', 'n12345678901234567891'],
    ],
    [
      ['Bert', 'albert', 'bert-2', 'bert'],
      ['albert', 'Bert', 'bert', 'bert-2'],
    ],
  ];
  void it('agrees with an ICU numeric collator (ties by code points) on names of letters, digits and dashes', () => {
    const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
    const icu = (a: string, b: string): number => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
    const chars = 'aAbBz09-1';
    let seed = 17;
    const next = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const names = Array.from({ length: 400 }, () =>
      Array.from({ length: 1 + next(6) }, () => chars[next(chars.length)]).join(''),
    );
    assert.deepEqual([...names].sort(naturalCompare), [...names].sort(icu));
  });
  for (const [input, expected] of table) {
    void it(`${input.join(', ')} → ${expected.join(', ')}`, () => {
      assert.deepEqual([...input].sort(naturalCompare), expected);
    });
  }
  void it('sortContainers keeps running first, then natural order by name', () => {
    const list = [
      c('ux-many-10'),
      c('ux-many-2', 'running'),
      c('ux-many-100'),
      c('ux-many-1'),
      c('ux-many-3', 'running'),
    ];
    assert.deepEqual(
      sortContainers(list).map((x) => x.name),
      ['ux-many-2', 'ux-many-3', 'ux-many-1', 'ux-many-10', 'ux-many-100'],
    );
  });
});

void describe('text filter', () => {
  const bert = c('tom-bert', 'running', {
    image: 'pytorch/pytorch:2.3',
    labels: { 'gpu-containers.profile': 'train', team: 'NLP' },
  });
  const table: Array<[string, boolean]> = [
    ['', true],
    ['  ', true],
    ['bert', true],
    ['BERT', true],
    ['pytorch', true],
    ['gpu-containers.profile=train', true],
    ['team=nlp', true],
    ['nlp', true],
    ['bert pytorch', true],
    ['bert tensorflow', false],
    ['ann', false],
    ['profile=eval', false],
  ];
  for (const [text, expected] of table) {
    void it(`"${text}" → ${expected}`, () => assert.equal(matchesText(bert, text), expected));
  }
});

void describe('grouping', () => {
  const list = sortContainers([
    c('tom-a', 'running', {
      owner: 'tom',
      labels: { 'gpu-containers.profile': 'train', 'gpu-containers.owner': 'tom' },
    }),
    c('ann-b', 'exited', { owner: 'ann', labels: { 'gpu-containers.owner': 'ann' } }),
    c('web-1', 'running', { labels: { 'com.docker.compose.project': 'web' } }),
    c('stray', 'created'),
    c('tom-c', 'paused', { owner: 'tom', labels: { 'gpu-containers.profile': 'eval' } }),
  ]);
  const table: Array<[GroupBy, Array<[string, string[]]>]> = [
    [
      'state',
      [
        ['Running', ['tom-a', 'tom-c', 'web-1']],
        ['Stopped', ['ann-b', 'stray']],
      ],
    ],
    [
      'project',
      [
        ['Compose project web', ['web-1']],
        ['Profile eval', ['tom-c']],
        ['Profile train', ['tom-a']],
        ['No profile or compose project', ['ann-b', 'stray']],
      ],
    ],
    [
      'owner',
      [
        ['tom (you)', ['tom-a', 'tom-c']],
        ['ann', ['ann-b']],
        ['No owner label', ['web-1', 'stray']],
      ],
    ],
  ];
  for (const [by, expected] of table) {
    void it(`by ${by}`, () => {
      const groups = groupContainers(list, by, { user: 'tom' });
      assert.deepEqual(
        groups.map((g) => [g.label, g.containers.map((x) => x.name)]),
        expected,
      );
      for (const g of groups) for (const x of g.containers) assert.equal(groupKey(x, by), g.key);
    });
  }
  void it('keeps the sorted order inside a group and omits empty groups', () => {
    const many = sortContainers(['ux-many-10', 'ux-many-2', 'ux-many-1'].map((n) => c(n)));
    const groups = groupContainers(many, 'state', { user: 'tom' });
    assert.equal(groups.length, 1);
    assert.deepEqual(
      groups[0].containers.map((x) => x.name),
      ['ux-many-1', 'ux-many-2', 'ux-many-10'],
    );
  });
  void it('counts with plurals', () => {
    assert.equal(containerCount(1), '1 container');
    assert.equal(containerCount(300), '300 containers');
  });
});

void describe('owner on rows and attach confirmation', () => {
  const mine = c('tom-a', 'running', { owner: 'tom' });
  const ann = c('ann-b', 'running', { owner: 'ann' });
  const stray = c('stray', 'running');
  void it('names the owner of somebody else\'s row in "all" mode only', () => {
    assert.match(containerDescription(ann, { user: 'tom', showOwner: true }), /^owner ann · img:1/);
    // A row without an owner label (`docker run` by hand, every row of a single-user engine) says nothing
    // about owners: the status stays in view.
    assert.equal(
      containerDescription(stray, { user: 'tom', showOwner: true, status: 'Up 2 minutes' }),
      'img:1 · Up 2 minutes',
    );
    assert.doesNotMatch(containerDescription(mine, { user: 'tom', showOwner: true }), /owner/);
    assert.doesNotMatch(containerDescription(ann, { user: 'tom', showOwner: false }), /owner/);
  });
  void it('shows a transient state instead of the status', () => {
    assert.equal(containerDescription(mine, { user: 'tom', transient: 'stopping' }), 'img:1 · Stopping…');
    assert.equal(containerDescription(mine, { user: 'tom', transient: 'restarting' }), 'img:1 · Restarting…');
  });
  const table: Array<[ContainerSummary, string[], boolean]> = [
    [mine, [], false],
    [ann, [], true],
    [stray, [], true],
    [ann, [ann.id], false],
    [ann, [stray.id], true],
  ];
  for (const [x, confirmed, expected] of table) {
    void it(`${x.name} confirmed=[${confirmed.length}] → ${expected}`, () =>
      assert.equal(needsOwnerConfirmation(x, 'tom', new Set(confirmed)), expected));
  }
});

void describe('tooltip', () => {
  void it('ends the mounts list before the next line (no indentation)', () => {
    const x = c('m', 'running', {
      owner: 'ann',
      mounts: [{ type: 'bind', source: '/data', destination: '/d', readOnly: false }] as ContainerSummary['mounts'],
    });
    const md = containerTooltip(x, { now: 1_700_000_060_000 });
    const lines = md.split('\n');
    const item = lines.findIndex((l) => l.startsWith('- `/data`'));
    assert.ok(item > 0);
    assert.equal(lines[item + 1].trim(), '', 'a blank line after the last list item');
    assert.match(lines[item + 2], /^Created: /);
  });
});

void describe('terminal names', () => {
  const table: Array<[string[], string]> = [
    [[], 'root-bert'],
    [['root-bert'], 'root-bert (2)'],
    [['root-bert', 'root-bert (2)'], 'root-bert (3)'],
    [['root-bert', 'root-bert (3)'], 'root-bert (2)'],
    [['other'], 'root-bert'],
  ];
  for (const [taken, expected] of table) {
    void it(`[${taken.join(', ')}] → ${expected}`, () => assert.equal(numberedName('root-bert', taken), expected));
  }
});
