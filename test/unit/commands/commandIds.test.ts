import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Commands, PromptIds } from '../../../src/constants';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: { commands: Array<{ command: string }> };
};

describe('command ids', () => {
  it('Commands (from which the table type is derived) lists exactly the commands package.json contributes', () => {
    const contributed = pkg.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(Object.values(Commands).sort(), contributed);
  });
  it('prompt ids are unique', () => {
    assert.equal(new Set(PromptIds).size, PromptIds.length);
  });
});
