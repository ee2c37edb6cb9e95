import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

// Compiled to out/test/unit/, so the repository root is three levels up.
const ROOT = path.resolve(__dirname, '../../..');

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Nouns counted in user-facing text, plural → singular. */
const NOUNS: Record<string, string> = {
  GPUs: 'GPU',
  containers: 'container',
  images: 'image',
  hosts: 'host',
  processes: 'process',
  problems: 'problem',
  volumes: 'volume',
  parts: 'part',
  seconds: 'second',
  minutes: 'minute',
  hours: 'hour',
};

/** Counted strings whose count is never 1, with the reason. */
const NEVER_ONE: Record<string, string> = {
  '{0} hosts': 'the fleet summary names hosts only when there are two or more (hostModel.ts)',
  '{0} running on {1} hosts': 'the status bar names the hosts only when there are two or more (statusBar.ts)',
  'Start {0} containers?': 'bulk confirmations run for two or more containers (bulkContainers.ts)',
  'Stop {0} containers?': 'bulk confirmations run for two or more containers',
  'Restart {0} containers?': 'bulk confirmations run for two or more containers',
  'Remove {0} containers?': 'bulk confirmations run for two or more containers',
  'Remove image {0}? {1} containers use it: {2}.': 'one user has its own sentence ("The container {1} uses it.")',
  '$(error) Cannot launch until {0} problems are fixed: {1}': 'one problem has its own sentence ("…until fixed: {0}")',
  'Profile {0} cannot be launched until these {1} problems are fixed: {2}':
    'one problem has its own sentence ("…until this is fixed: {1}")',
  'No node of {0} has {1} GPUs, so this pod could never be scheduled; ask for fewer GPUs per pod.':
    'said only when some node has GPUs but none has as many as asked, so at least 2 (core/kube/preflight.ts)',
  'The profile asks for {0} GPUs, but this host has {1}. Ask for at most {1}, or for "all".':
    "said only when the count exceeds the host's GPUs, so it is at least 2 (preflight.ts)",
};

const COUNTED = new RegExp(`\\{(\\d)\\} (?:free |stopped |more )?(${Object.keys(NOUNS).join('|')})\\b`);

void describe('plurals (issue 28: "1 GPUs fit the request")', () => {
  void it('every "{N} <nouns>" message has a singular sibling in the same file, or a reason why N is never 1', () => {
    const offenders: string[] = [];
    for (const file of walk(path.join(ROOT, 'src'))) {
      const source = fs.readFileSync(file, 'utf8');
      const messages = [...source.matchAll(/(?<![\w$])t\(\s*'((?:[^'\\\n]|\\.)*)'/g)].map((m) => m[1]);
      for (const m of messages) {
        const hit = COUNTED.exec(m);
        if (!hit || m in NEVER_ONE) continue;
        const one = NOUNS[hit[2]];
        const singular = new RegExp(`(?:\\b1 (?:free |stopped |more )?|\\bof 1 |the only )${one}\\b`);
        if (!messages.some((s) => s !== m && singular.test(s))) offenders.push(`${path.relative(ROOT, file)}: ${m}`);
      }
    }
    assert.deepEqual(offenders, [], 'counted messages without a singular form (add `n === 1 ? t(…1 …) : t(…)`)');
  });
});
