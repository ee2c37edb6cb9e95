import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { authFor, normalizeRegistryKey } from '../../../src/core/images/auth';

const HOME = '/home/u';
const CONFIG = path.join(HOME, '.docker', 'config.json');
const b64 = (s: string): string => Buffer.from(s).toString('base64');
function files(map: Record<string, string>): (p: string) => string | undefined {
  return (p) => map[p];
}

void describe('authFor', () => {
  void it('no config file: no auth, no note', () => {
    assert.deepEqual(authFor('busybox', files({}), HOME), {});
  });

  void it('decodes auths[registry].auth (base64 user:pass), password may contain ":"', () => {
    const cfg = JSON.stringify({ auths: { 'localhost:5000': { auth: b64('alice:s3:cret') } } });
    const got = authFor('localhost:5000/app:v1', files({ [CONFIG]: cfg }), HOME);
    assert.deepEqual(got, { auth: { username: 'alice', password: 's3:cret', serveraddress: 'localhost:5000' } });
  });

  void it('matches Docker Hub under https://index.docker.io/v1/ and a scheme-prefixed key for others', () => {
    const cfg = JSON.stringify({
      auths: {
        'https://index.docker.io/v1/': { auth: b64('hub:pw') },
        'https://ghcr.io': { auth: b64('gh:tok') },
      },
    });
    const read = files({ [CONFIG]: cfg });
    assert.equal(authFor('nvidia/cuda:12', read, HOME).auth?.username, 'hub');
    assert.equal(authFor('busybox', read, HOME).auth?.serveraddress, 'https://index.docker.io/v1/');
    assert.equal(authFor('ghcr.io/o/r:1', read, HOME).auth?.username, 'gh');
    assert.deepEqual(authFor('quay.io/o/r', read, HOME), {});
  });

  void it('prefers identitytoken', () => {
    const cfg = JSON.stringify({ auths: { 'r.example.com': { auth: b64('u:p'), identitytoken: 'tok123' } } });
    assert.deepEqual(authFor('r.example.com/x', files({ [CONFIG]: cfg }), HOME), {
      auth: { identitytoken: 'tok123', serveraddress: 'r.example.com' },
    });
  });

  void it('credsStore: no auth and a note naming the helper', () => {
    const cfg = JSON.stringify({ credsStore: 'desktop', auths: { 'localhost:5000': {} } });
    const got = authFor('localhost:5000/x', files({ [CONFIG]: cfg }), HOME);
    assert.equal(got.auth, undefined);
    assert.match(got.note ?? '', /docker-credential-desktop.*does not run/);
  });

  void it('credHelpers for that registry: note; for another registry: inline auth still used', () => {
    const cfg = JSON.stringify({
      credHelpers: { 'gcr.io': 'gcloud' },
      auths: { 'localhost:5000': { auth: b64('a:b') } },
    });
    const read = files({ [CONFIG]: cfg });
    const gcr = authFor('gcr.io/p/img', read, HOME);
    assert.equal(gcr.auth, undefined);
    assert.match(gcr.note ?? '', /docker-credential-gcloud/);
    assert.equal(authFor('localhost:5000/x', read, HOME).auth?.username, 'a');
  });

  void it('malformed JSON: a note, never a throw', () => {
    const got = authFor('busybox', files({ [CONFIG]: '{ "auths": ' }), HOME);
    assert.equal(got.auth, undefined);
    assert.match(got.note ?? '', /config\.json is not valid JSON/);
    assert.match(authFor('busybox', files({ [CONFIG]: '[1,2]' }), HOME).note ?? '', /not a JSON object/);
  });

  void it('malformed auth value: a note suggesting docker login', () => {
    const cfg = JSON.stringify({ auths: { 'localhost:5000': { auth: b64('no-colon') } } });
    assert.match(
      authFor('localhost:5000/x', files({ [CONFIG]: cfg }), HOME).note ?? '',
      /malformed.*docker login localhost:5000/,
    );
  });

  void it('DOCKER_CONFIG directory overrides ~/.docker', () => {
    const cfg = JSON.stringify({ auths: { 'localhost:5000': { auth: b64('c:d') } } });
    const read = files({ '/etc/dc/config.json': cfg });
    assert.equal(authFor('localhost:5000/x', read, HOME, '/etc/dc').auth?.username, 'c');
    assert.deepEqual(authFor('localhost:5000/x', read, HOME), {});
  });

  void it('normalizeRegistryKey', () => {
    assert.equal(normalizeRegistryKey('https://index.docker.io/v1/'), 'docker.io');
    assert.equal(normalizeRegistryKey('http://Localhost:5000/v2/'), 'localhost:5000');
    assert.equal(normalizeRegistryKey('ghcr.io'), 'ghcr.io');
  });
});
