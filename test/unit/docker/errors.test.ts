import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EngineError, type EngineErrorKind } from '../../../src/core/docker/engineError';
import { toEngineError } from '../../../src/core/docker/errors';

const FIX = path.resolve(__dirname, '../../../../test/fixtures/engine');
const body = (name: string): string => fs.readFileSync(path.join(FIX, name), 'utf8');

/** What docker-modem rejects with for an HTTP error: "(HTTP code N) reason - message ", statusCode, json. */
function modemError(statusCode: number, raw: string, reason = 'unexpected'): Error {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    json = Buffer.from(raw);
  }
  const msg = (json as { message?: string })?.message ?? raw;
  return Object.assign(new Error(`(HTTP code ${statusCode}) ${reason} - ${msg} `), { statusCode, reason, json });
}
function sysError(code: string, message = `connect ${code} /var/run/docker.sock`): Error {
  return Object.assign(new Error(message), { code, errno: -1, syscall: 'connect' });
}

const EP = 'unix:///var/run/docker.sock';

void describe('toEngineError classification', () => {
  const table: {
    name: string;
    err: unknown;
    ctx?: Parameters<typeof toEngineError>[1];
    kind: EngineErrorKind;
    message: RegExp;
    fix: RegExp;
    extra?: (e: EngineError) => void;
  }[] = [
    {
      name: 'socket missing (ENOENT)',
      err: sysError('ENOENT'),
      kind: 'unreachable',
      message: /^Cannot reach the Docker engine at unix:\/\/\/var\/run\/docker\.sock \(ENOENT\)\. Is Docker running\?$/,
      fix: /sudo systemctl start docker.*gpuContainers\.host/,
    },
    {
      name: 'ECONNREFUSED',
      err: sysError('ECONNREFUSED'),
      kind: 'unreachable',
      message: /Cannot reach/,
      fix: /Start Docker/,
    },
    {
      name: 'ENOTFOUND (tcp host)',
      err: sysError('ENOTFOUND', 'getaddrinfo ENOTFOUND gpu1'),
      kind: 'unreachable',
      message: /Cannot reach/,
      fix: /Start Docker/,
    },
    {
      name: 'socket hang up',
      err: new Error('socket hang up'),
      kind: 'unreachable',
      message: /closed the connection/,
      fix: /Start Docker/,
    },
    {
      name: 'EACCES on the socket',
      err: sysError('EACCES'),
      kind: 'permissionDenied',
      message: /Permission denied opening the Docker socket at unix:\/\/\/var\/run\/docker\.sock/,
      fix: /sudo usermod -aG docker \$USER.*log in again.*unix:\/\/\/run\/user\/UID\/docker\.sock/,
    },
    { name: 'ETIMEDOUT', err: sysError('ETIMEDOUT'), kind: 'timeout', message: /did not answer/, fix: /docker info/ },
    {
      name: 'AbortError',
      err: Object.assign(new Error('This operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' }),
      kind: 'cancelled',
      message: /cancelled/,
      fix: /again/,
    },
    {
      name: 'TLS: self-signed',
      err: sysError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'),
      kind: 'unreachable',
      message: /TLS handshake/,
      fix: /DOCKER_CERT_PATH/,
    },
    {
      name: '404 no such container (recorded)',
      err: modemError(404, body('error-no-such-container.json'), 'no such container'),
      kind: 'notFound',
      message: /^The container gc-fix-nope no longer exists\.$/,
      fix: /Refresh/,
      extra: (e) => assert.equal(e.statusCode, 404),
    },
    {
      name: '404 No such image on create (recorded) → imageMissing',
      err: modemError(404, body('error-create-no-image.json'), 'no such container'),
      ctx: { image: 'nope/missing:1' },
      kind: 'imageMissing',
      message: /^Image nope\/missing:1 is not available locally\.$/,
      fix: /Pull.*Load/,
      extra: (e) => assert.equal(e.image, 'nope/missing:1'),
    },
    {
      name: '409 name conflict (recorded) → conflict with the name',
      err: modemError(409, body('error-create-conflict.json')),
      kind: 'conflict',
      message: /^The container name gc-fix-running is already in use\.$/,
      fix: /Attach|start|remove/i,
      extra: (e) => assert.equal(e.containerName, 'gc-fix-running'),
    },
    {
      name: '409 container not running',
      err: modemError(409, '{"message":"Container abc is not running"}', 'container stopped/paused'),
      kind: 'conflict',
      message: /is not running/,
      fix: /Start/,
      extra: (e) => assert.equal(e.containerName, undefined),
    },
    {
      name: '500 GPU driver missing (recorded) → gpuUnavailable',
      err: modemError(500, body('error-start-gpu.json'), 'server error'),
      kind: 'gpuUnavailable',
      message: /cannot give this container GPUs: could not select device driver "" with capabilities: \[\[gpu\]\]/,
      fix: /NVIDIA Container Toolkit.*restart Docker.*without GPUs/,
    },
    {
      name: 'unknown runtime nvidia → gpuUnavailable',
      err: modemError(400, '{"message":"unknown or invalid runtime name: nvidia"}'),
      kind: 'gpuUnavailable',
      message: /GPUs/,
      fix: /NVIDIA Container Toolkit/,
    },
    {
      name: 'client too new (recorded) → apiTooOld',
      err: modemError(400, body('error-api-too-new.json')),
      kind: 'apiTooOld',
      message: /too old: it supports API up to 1\.41, this client asked for 1\.99/,
      fix: /Upgrade Docker Engine/,
    },
    {
      name: 'client too old (recorded, plain-text body) → apiTooOld',
      err: modemError(400, body('error-api-too-old.json')),
      kind: 'apiTooOld',
      message: /requires API 1\.12 or newer/,
      fix: /Update the GPU Containers extension/,
    },
    {
      name: 'plain HTTP to a TLS port',
      err: modemError(400, 'Client sent an HTTP request to an HTTPS server.\n'),
      kind: 'unreachable',
      message: /expects TLS/,
      fix: /DOCKER_TLS_VERIFY/,
    },
    {
      name: '403 from an authz plugin',
      err: modemError(403, '{"message":"authorization denied by plugin x"}'),
      kind: 'permissionDenied',
      message: /authorization denied/,
      fix: /authorization/,
    },
    {
      name: 'other 500',
      err: modemError(500, '{"message":"driver failed programming external connectivity"}', 'server error'),
      kind: 'unknown',
      message: /^The Docker engine answered 500: driver failed programming external connectivity$/,
      fix: /log/,
    },
    { name: 'a string', err: 'boom', kind: 'unknown', message: /^boom$/, fix: /log/ },
    { name: 'undefined', err: undefined, kind: 'unknown', message: /undefined/, fix: /log/ },
  ];

  for (const row of table) {
    void it(row.name, () => {
      const e = toEngineError(row.err, { endpoint: EP, ...row.ctx });
      assert.ok(e instanceof EngineError);
      assert.ok(e instanceof Error);
      assert.equal(e.kind, row.kind);
      assert.match(e.message, row.message);
      assert.ok(!e.message.includes('\n'), 'one line');
      assert.match(e.fix, row.fix);
      assert.match(e.fix, /\.$/, 'the fix is a sentence');
      assert.equal(e.cause, row.err);
      row.extra?.(e);
    });
  }

  void it('an EngineError passes through unchanged', () => {
    const e = new EngineError('timeout', 'x', 'y.');
    assert.equal(toEngineError(e), e);
  });
});
