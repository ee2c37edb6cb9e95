import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { oneSentence, presentEngineError, pullFailureMessage } from '../../../src/core/errorPresentation';
import { toEngineError, unreachableRegistry } from '../../../src/core/docker/errors';
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

describe('a pull the host cannot make (offline registry)', () => {
  // As dockerd 20.10 answers a pull of nvcr.io without network (captured by test/engine/images/transfer.test.ts).
  const real = {
    statusCode: 500,
    json: { message: 'Get "https://nvcr.io/v2/": dial tcp: lookup nvcr.io on 10.255.255.53:53: no such host' },
    message:
      '(HTTP code 500) server error - Get "https://nvcr.io/v2/": dial tcp: lookup nvcr.io on 10.255.255.53:53: no such host ',
  };
  const ref = 'nvcr.io/nvidia/pytorch:24.01-py3';
  it('is classified registryUnreachable with the registry named; the raw error kept for the log', () => {
    const e = toEngineError(real, { image: ref, endpoint: 'ssh://labgpu1' });
    assert.equal(e.kind, 'registryUnreachable');
    assert.equal(e.registry, 'nvcr.io');
    assert.match(e.engineMessage ?? '', /lookup nvcr\.io on 10\.255\.255\.53:53: no such host/);
  });
  it('reads as one sentence naming the host, with Load from File…, never the resolver text', () => {
    const e = toEngineError(real, { image: ref });
    assert.equal(pullFailureMessage(e, ref, 'labgpu1'), 'labgpu1 cannot reach nvcr.io — offline?');
    const p = presentEngineError(e);
    assert.deepEqual(p.actions, ['loadFromFile']);
    assert.doesNotMatch(p.message, /10\.255|dial tcp|lookup/);
  });
  it('other network failures towards a registry, and what is not one', () => {
    const cases: Array<[string, string | undefined]> = [
      [
        'Get "https://registry-1.docker.io/v2/": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)',
        'registry-1.docker.io',
      ],
      ['Get "https://ghcr.io/v2/": dial tcp 140.82.1.1:443: i/o timeout', 'ghcr.io'],
      ['Get "https://10.0.0.5:5000/v2/": dial tcp 10.0.0.5:5000: connect: connection refused', '10.0.0.5'],
      ['dial tcp: lookup nvcr.io: Temporary failure in name resolution', 'nvcr.io'],
      ['manifest for nvcr.io/nvidia/pytorch:99 not found: manifest unknown', undefined],
      ["pull access denied for foo, repository does not exist or may require 'docker login'", undefined],
      ['', undefined],
    ];
    for (const [msg, want] of cases) assert.equal(unreachableRegistry(msg), want, msg);
  });
  it('any other pull failure keeps "Could not pull X: reason."', () => {
    const e = toEngineError({ statusCode: 404, json: { message: 'manifest unknown' } }, { image: ref });
    assert.match(pullFailureMessage(e, ref, 'labgpu1'), /^Could not pull nvcr\.io\/nvidia\/pytorch:24\.01-py3: /);
  });
});
