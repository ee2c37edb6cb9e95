import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { oneSentence, presentEngineError } from '../../../src/core/errorPresentation';
import { mapStack } from '../../../src/core/stackTrace';

describe('engine errors as one sentence and a fix button', () => {
  it('never shows "The Docker engine answered 500"', () => {
    const p = presentEngineError({
      kind: 'unknown',
      message: 'The Docker engine answered 500: invalid mount config for type "bind"',
      fix: 'See the GPU Containers log for details.',
    });
    assert.doesNotMatch(p.message, /answered 500/);
    assert.match(p.message, /invalid mount config/);
    assert.deepEqual(p.actions, ['openLog']);
  });
  it('a port already allocated is named, with its fix', () => {
    const p = presentEngineError({
      kind: 'unknown',
      message: 'The Docker engine answered 500: driver failed …',
      fix: '',
      engineMessage:
        'driver failed programming external connectivity on endpoint x: Bind for 127.0.0.1:8888 failed: port is already allocated',
    });
    assert.match(p.message, /Host port 8888 is already in use/);
    assert.doesNotMatch(p.message, /driver failed/);
  });
  it('pull failures and missing images offer Load from File…', () => {
    assert.deepEqual(
      presentEngineError({ kind: 'imageMissing', message: 'Image x is not available locally.', fix: 'f' }).actions,
      ['loadFromFile'],
    );
    assert.ok(
      presentEngineError({ kind: 'unknown', message: 'Could not pull x: Get …', fix: '', image: 'x' }).actions.includes(
        'loadFromFile',
      ),
    );
  });
  it('an unreachable engine keeps its fix in words and offers Retry', () => {
    const p = presentEngineError({
      kind: 'unreachable',
      message: 'Cannot reach the Docker engine',
      fix: 'Start Docker.',
    });
    assert.equal(p.message, 'Cannot reach the Docker engine. Start Docker.');
    assert.deepEqual(p.actions, ['retry', 'openHostSetting']);
  });
  it('oneSentence flattens and ends with a full stop', () => {
    assert.equal(oneSentence('a\n  b'), 'a b.');
    assert.equal(oneSentence('done.'), 'done.');
  });
});

describe('readable stacks', () => {
  it('maps bundle positions to src/*.ts and keeps the rest', () => {
    const stack =
      'Error: x\n    at f (/ext/dist/extension.js:1:200)\n    at /ext/dist/extension.js:3:4\n    at node:internal/x:1:1';
    const out = mapStack(stack, (file, line, col) =>
      file === '/ext/dist/extension.js' && line === 0 && col === 199
        ? { originalSource: '../src/commands/pullFlow.ts', originalLine: 41, originalColumn: 6 }
        : undefined,
    );
    assert.equal(
      out,
      'Error: x\n    at f (src/commands/pullFlow.ts:42:7)\n    at /ext/dist/extension.js:3:4\n    at node:internal/x:1:1',
    );
  });
});
