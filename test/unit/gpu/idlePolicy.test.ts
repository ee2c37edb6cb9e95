import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IDLE_POLICY_LABEL } from '../../../src/core/docker/labels';
import { UseHistory } from '../../../src/core/gpu/history';
import {
  decideIdle,
  idleImageName,
  idleLabels,
  idleNoticeText,
  idlePolicyOf,
  idleSettings,
  parseIdleSetting,
  windowText,
  type ContainerIdlePolicy,
  type IdleNotice,
} from '../../../src/core/gpu/idlePolicy';
import { parseProfiles } from '../../../src/core/profiles/parse';
import { toDockerRunArgs } from '../../../src/core/profiles';
import { profileSchema } from '../../../src/core/profiles/schemaProfile';

const H = 3_600_000;
const stop: ContainerIdlePolicy = { belowPct: 5, forMs: 2 * H, then: 'stop' };

describe('idle policy: settings', () => {
  void it('reads { below, for, then }, with notify as the default action', () => {
    assert.deepEqual(parseIdleSetting({ below: '5%', for: '2h', then: 'commit-and-stop' }), {
      policy: { belowPct: 5, forMs: 2 * H, then: 'commit-and-stop' },
      problems: [],
    });
    assert.deepEqual(parseIdleSetting({ below: '10', for: '90s' }).policy, {
      belowPct: 10,
      forMs: 90_000,
      then: 'notify',
    });
  });

  const bad: Array<[unknown, string]> = [
    [{ below: '150%', for: '2h', then: 'stop' }, 'idle.below'],
    [{ below: '0%', for: '2h' }, 'idle.below'],
    [{ for: '2h' }, 'idle.below'],
    [{ below: '5%', for: '0' }, 'idle.for'],
    [{ below: '5%', for: '0s' }, 'idle.for'],
    [{ below: '5%', for: '-2h' }, 'idle.for'],
    [{ below: '5%', for: 7200 }, 'idle.for'],
    [{ below: '5%', for: '31d' }, 'idle.for'],
    [{ below: '5%', for: '2h', then: 'explode' }, 'idle.then'],
    ['5%', 'idle'],
    [null, 'idle'],
    [[1], 'idle'],
  ];
  for (const [v, field] of bad)
    void it(`reports ${JSON.stringify(v)} at ${field} and gives no policy`, () => {
      const r = parseIdleSetting(v);
      assert.equal(r.policy, undefined);
      assert.ok(
        r.problems.some((p) => p.field === field && !p.severity),
        JSON.stringify(r.problems),
      );
    });

  void it('an unknown key is a warning; the policy still applies', () => {
    const r = parseIdleSetting({ below: '5%', for: '2h', afer: '1h' });
    assert.ok(r.policy);
    assert.deepEqual(
      r.problems.map((p) => [p.field, p.severity]),
      [['idle.afer', 'warning']],
    );
  });

  void it('a profile reads it (bad values are profile errors), writes it back, and no docker run export carries it', () => {
    const ok = parseProfiles([{ name: 'bert', image: 'x', idle: { below: '5%', for: '2h', then: 'stop' } }], {
      source: 'user',
    });
    assert.deepEqual(ok.problems, []);
    assert.deepEqual(ok.profiles[0].idle, stop);
    assert.deepEqual(idleSettings(ok.profiles[0].idle), { below: '5%', for: '2h', then: 'stop' });
    const run = toDockerRunArgs(ok.profiles[0]).join(' ');
    assert.doesNotMatch(run, /idle/);
    const badOne = parseProfiles([{ name: 'b', image: 'x', idle: { below: '150%', for: '0', then: 'explode' } }], {
      source: 'user',
    });
    assert.deepEqual(badOne.problems.map((p) => p.field).sort(), ['idle.below', 'idle.for', 'idle.then']);
    assert.equal(badOne.profiles[0]?.idle, undefined);
  });

  void it('the schema offers the three actions as an enum', () => {
    const idle = (profileSchema.properties as Record<string, { properties: { then: { enum: string[] } } }>).idle;
    assert.deepEqual(idle.properties.then.enum, ['notify', 'stop', 'commit-and-stop']);
  });
});

describe('idle policy: the label', () => {
  void it('round-trips through the label', () => {
    for (const p of [
      stop,
      { belowPct: 2.5, forMs: 3000, then: 'notify' as const },
      { belowPct: 5, forMs: 90 * 60_000, then: 'commit-and-stop' as const },
    ]) {
      const labels = idleLabels(p);
      assert.deepEqual(idlePolicyOf(labels), p, JSON.stringify(labels));
    }
    assert.deepEqual(idleLabels(stop), { [IDLE_POLICY_LABEL]: 'below=5%;for=2h;then=stop' });
  });
  void it('no label, or a label not understood, is no policy', () => {
    assert.equal(idlePolicyOf(undefined), undefined);
    assert.equal(idlePolicyOf({}), undefined);
    assert.equal(idlePolicyOf({ [IDLE_POLICY_LABEL]: 'below=500%;for=2h;then=stop' }), undefined);
    assert.equal(idlePolicyOf({ [IDLE_POLICY_LABEL]: 'garbage' }), undefined);
    assert.equal(idlePolicyOf({ [IDLE_POLICY_LABEL]: 'x'.repeat(10_000) }), undefined);
  });
  void it('windowText writes the largest whole unit', () => {
    assert.equal(windowText(2 * H), '2h');
    assert.equal(windowText(90 * 60_000), '90m');
    assert.equal(windowText(86_400_000), '1d');
    assert.equal(windowText(3000), '3s');
    assert.equal(windowText(1500), '1500ms');
  });
});

describe('idle policy: the decision (injected clock)', () => {
  const now = 1_800_000_000_000;
  const grace = 300_000;

  void it('nothing before the window, nothing while busy', () => {
    assert.deepEqual(decideIdle(now, undefined, stop, undefined, grace), { kind: 'none' });
    assert.deepEqual(decideIdle(now, 2 * H - 1, stop, undefined, grace), { kind: 'none' });
  });
  void it('notify: once per idle run', () => {
    const p = { ...stop, then: 'notify' as const };
    const d = decideIdle(now, 2 * H, p, undefined, grace);
    assert.deepEqual(d, { kind: 'notify', runStart: now - 2 * H });
    assert.deepEqual(decideIdle(now + 60_000, 2 * H + 60_000, p, { runStart: now - 2 * H }, grace), { kind: 'none' });
  });
  void it('stop: a notice with the undo window first, the stop when it has passed', () => {
    const d = decideIdle(now, 2 * H + 10, stop, undefined, grace);
    assert.deepEqual(d, { kind: 'schedule-stop', runStart: now - 2 * H - 10, at: now + grace });
    const notice: IdleNotice = { runStart: now - 2 * H - 10, stopAt: now + grace };
    const later = (ms: number) => decideIdle(now + ms, 2 * H + 10 + ms, stop, notice, grace);
    assert.deepEqual(later(grace - 1), { kind: 'none' });
    assert.deepEqual(later(grace), { kind: 'stop' });
    assert.deepEqual(decideIdle(now + grace, 2 * H + 10 + grace, stop, { ...notice, kept: true }, grace), {
      kind: 'none',
    });
    assert.deepEqual(decideIdle(now + grace, 2 * H + 10 + grace, stop, { ...notice, done: true }, grace), {
      kind: 'none',
    });
  });
  void it('busy again: the notice is forgotten (a later idle run starts over)', () => {
    const notice: IdleNotice = { runStart: now - 2 * H, stopAt: now + grace, kept: true };
    assert.deepEqual(decideIdle(now + 1000, undefined, stop, notice, grace), { kind: 'clear' });
    // A new run (a busy reading was missed): not the noticed one.
    assert.deepEqual(decideIdle(now + 3 * H, 2 * H, stop, notice, grace), { kind: 'clear' });
  });
  void it('from the history: idle for the window after the GPU went quiet', () => {
    let clock = now;
    const h = new UseHistory({ now: () => clock });
    const row = (util: number) =>
      [
        {
          gpu: { index: 0, uuid: 'GPU-1', name: 'H100', utilizationPct: util, memoryUsedMiB: 10, memoryTotalMiB: 80 },
          holders: [{ container: { id: 'c1', name: 'bert' }, how: 'devices', active: true }],
          processes: [],
          memoryByContainer: {},
          free: false,
        },
      ] as never;
    const p: ContainerIdlePolicy = { belowPct: 5, forMs: 3000, then: 'stop' };
    h.record(row(90));
    const seen: string[] = [];
    let notice: IdleNotice | undefined;
    for (let i = 1; i <= 12; i++) {
      clock += 1000;
      h.record(row(i < 2 ? 90 : 1));
      const d = decideIdle(clock, h.containerIdleMs('c1', p.belowPct), p, notice, 4000);
      seen.push(d.kind);
      if (d.kind === 'schedule-stop') notice = { runStart: d.runStart, stopAt: d.at };
      if (d.kind === 'stop') notice = { ...notice!, done: true };
    }
    assert.deepEqual(seen, [
      'none',
      'none',
      'none',
      'none',
      'schedule-stop',
      'none',
      'none',
      'none',
      'stop',
      'none',
      'none',
      'none',
    ]);
  });
});

describe('idle policy: words and names', () => {
  void it('the first notice says who applies it and to what', () => {
    const text = idleNoticeText('bert', stop, 2 * H + 5000, 300_000);
    assert.equal(
      text,
      "bert has left its GPUs idle (under 5%) for 2 h; by its launch profile's idle policy it will be stopped in 5 min. Idle policies are applied by this extension to your own containers only, while VS Code runs.",
    );
    assert.match(
      idleNoticeText('bert', { ...stop, then: 'commit-and-stop' }, 2 * H, 300_000, 'bert-idle-x'),
      /committed to the image bert-idle-x and stopped in 5 min/,
    );
    assert.match(
      idleNoticeText('bert', { ...stop, then: 'notify' }, 2 * H, 300_000),
      /^bert has left its GPUs idle \(under 5%\) for 2 h \(its launch/,
    );
  });
  void it('the commit target: <container>-idle-<date>, a valid repository name', () => {
    const at = new Date(2026, 11, 6, 18, 5).getTime();
    assert.equal(idleImageName('bert', at), 'bert-idle-20261206-1805');
    assert.equal(idleImageName('/Alice_Bert.v2', at), 'alice-bert-v2-idle-20261206-1805');
    assert.equal(idleImageName('___', at), 'container-idle-20261206-1805');
  });
});
