import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  registryOf,
  splitRef,
  validateImageRef,
  validateTagTarget,
  withDefaultTag,
} from '../../../src/core/images/refs';

const HEX = 'a'.repeat(64);

void describe('validateImageRef', () => {
  const valid = [
    'busybox',
    'busybox:1',
    'library/busybox:latest',
    'gpu-containers-test/busybox:1',
    'nvidia/cuda:12.4.1-base-ubuntu22.04',
    'my_org/my__app.v2',
    'a-b--c/d',
    'localhost/app',
    'localhost:5000/x',
    'localhost:5000/team/x:dev',
    '127.0.0.1:1/gpu-containers-test/it-1:push',
    'ghcr.io/owner/repo:v1.0',
    'Registry.Example.COM/owner/repo',
    '[::1]:5000/x:y',
    `busybox@sha256:${HEX}`,
    `busybox:1@sha256:${HEX}`,
    'x:_tag',
    `x:${'t'.repeat(128)}`,
  ];
  for (const ref of valid) {
    void it(`accepts ${ref.length > 60 ? ref.slice(0, 60) + '…' : ref}`, () => {
      assert.equal(validateImageRef(ref), undefined);
    });
  }

  const invalid: [string, RegExp][] = [
    ['', /empty/],
    ['   ', /empty/],
    ['Busybox', /uppercase.*"busybox"/],
    ['MyUser/app', /uppercase.*"myuser"/],
    ['my image', /whitespace/],
    ['busybox:', /tag after ":" is empty/],
    ['busybox:-x', /must start with a letter, digit or "_"/],
    ['busybox:a/b', /port "a"/],
    ['busybox:a$b', /may only contain/],
    [`x:${'t'.repeat(129)}`, /129 characters.*at most 128/],
    ['/busybox', /must not start with "\/"/],
    ['team//app', /empty part/],
    ['team/app/', /empty part/],
    ['-app', /must start and end/],
    ['app-', /must start and end/],
    ['a..b', /must start and end|single/],
    ['a___b', /must start and end|single/],
    ['ap!p', /contains "!"/],
    ['localhost:abc/x', /port "abc".*number/],
    ['localhost:99999/x', /out of range/],
    ['bad_host.com/x', /not a valid registry host/],
    ['busybox@sha256:abc', /64 lowercase hex/],
    [`busybox@sha512:${HEX}`, /must be "sha256:"/],
    ['busybox@', /digest after "@" is empty/],
    [`a@sha256:${HEX}@x`, /more than one "@"/],
    [`${'a'.repeat(256)}`, /256 characters.*255/],
  ];
  for (const [ref, reason] of invalid) {
    void it(`rejects ${JSON.stringify(ref.length > 40 ? ref.slice(0, 40) + '…' : ref)}`, () => {
      const problem = validateImageRef(ref);
      assert.ok(problem, 'expected a problem');
      assert.match(problem, reason);
      assert.match(problem, /[.]$/, 'a sentence');
    });
  }
});

void describe('validateTagTarget', () => {
  void it('accepts repo and repo:tag, with a registry port', () => {
    for (const t of ['app', 'app:v1', 'localhost:5000/app', 'localhost:5000/app:v1'])
      assert.equal(validateTagTarget(t), undefined, t);
  });
  void it('refuses a digest, and everything validateImageRef refuses', () => {
    assert.match(validateTagTarget(`app@sha256:${HEX}`) ?? '', /digest/);
    assert.match(validateTagTarget('App:v1') ?? '', /uppercase/);
    assert.match(validateTagTarget('app:') ?? '', /empty/);
  });
});

void describe('splitRef', () => {
  const table: [string, ReturnType<typeof splitRef>][] = [
    ['busybox', { repo: 'busybox' }],
    ['busybox:1', { repo: 'busybox', tag: '1' }],
    ['localhost:5000/x', { repo: 'localhost:5000/x' }],
    ['localhost:5000/x:y', { repo: 'localhost:5000/x', tag: 'y' }],
    [`x@sha256:${HEX}`, { repo: 'x', digest: `sha256:${HEX}` }],
    [`r.io:443/a/b:c@sha256:${HEX}`, { repo: 'r.io:443/a/b', tag: 'c', digest: `sha256:${HEX}` }],
    ['busybox:', { repo: 'busybox', tag: '' }],
  ];
  for (const [ref, want] of table) void it(ref, () => assert.deepEqual(splitRef(ref), want));
});

void describe('withDefaultTag / registryOf', () => {
  void it('adds :latest only without tag or digest', () => {
    assert.equal(withDefaultTag('busybox'), 'busybox:latest');
    assert.equal(withDefaultTag('localhost:5000/x'), 'localhost:5000/x:latest');
    assert.equal(withDefaultTag('busybox:1'), 'busybox:1');
    assert.equal(withDefaultTag(`busybox@sha256:${HEX}`), `busybox@sha256:${HEX}`);
  });
  void it('names the registry, docker.io by default', () => {
    assert.equal(registryOf('busybox'), 'docker.io');
    assert.equal(registryOf('nvidia/cuda:12'), 'docker.io');
    assert.equal(registryOf('index.docker.io/library/busybox'), 'docker.io');
    assert.equal(registryOf('localhost/app'), 'localhost');
    assert.equal(registryOf('localhost:5000/x'), 'localhost:5000');
    assert.equal(registryOf('127.0.0.1:1/gpu-containers-test/it:push'), '127.0.0.1:1');
    assert.equal(registryOf('ghcr.io/o/r:v1'), 'ghcr.io');
  });
});
