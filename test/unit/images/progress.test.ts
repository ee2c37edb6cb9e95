import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import {
  PushProgress,
  loadedFromMessage,
  parseStreamLine,
  pushDigestOf,
  pushError,
  streamErrorOf,
} from '../../../src/core/images/progress';
import { sniffArchive } from '../../../src/core/images/transfer';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

// Recorded from dockerd 20.10 (API 1.41).
const LOAD_LINES = [
  '{"stream":"Loaded image: gpu-containers-test/probe:rec\\n"}',
  '{"stream":"Loaded image ID: sha256:1671417bf249339403642ed1da9f82ec2e7d263dd5cb2a3c76afc0b9c10714b7\\n"}',
];
const LOAD_NOT_ARCHIVE =
  '{"errorDetail":{"message":"open /var/lib/docker/tmp/docker-import-3020740657/repositories: no such file or directory"},"error":"open /var/lib/docker/tmp/docker-import-3020740657/repositories: no such file or directory"}';
const PUSH_REFUSED = [
  '{"status":"The push refers to repository [127.0.0.1:1/gpu-containers-test/probe]"}',
  '{"errorDetail":{"message":"Get \\"http://127.0.0.1:1/v2/\\": dial tcp 127.0.0.1:1: connect: connection refused"},"error":"Get \\"http://127.0.0.1:1/v2/\\": dial tcp 127.0.0.1:1: connect: connection refused"}',
];
const PUSH_OK = [
  '{"status":"The push refers to repository [localhost:5000/app]"}',
  '{"status":"Preparing","progressDetail":{},"id":"e8b8ea9a6055"}',
  '{"status":"Preparing","progressDetail":{},"id":"5f70bf18a086"}',
  '{"status":"Pushing","progressDetail":{"current":512,"total":2048},"progress":"[=>   ]","id":"e8b8ea9a6055"}',
  '{"status":"Layer already exists","progressDetail":{},"id":"5f70bf18a086"}',
  '{"status":"Pushing","progressDetail":{"current":2048,"total":2048},"id":"e8b8ea9a6055"}',
  '{"status":"Pushed","progressDetail":{},"id":"e8b8ea9a6055"}',
  `{"status":"v1: digest: ${DIGEST} size: 527"}`,
  `{"progressDetail":{},"aux":{"Tag":"v1","Digest":"${DIGEST}","Size":527}}`,
];

void describe('stream lines', () => {
  void it('parseStreamLine: objects only', () => {
    assert.deepEqual(parseStreamLine('{"a":1}'), { a: 1 });
    for (const bad of ['', 'not json', '[1]', '3', 'null', '{"a":']) assert.equal(parseStreamLine(bad), undefined, bad);
  });
  void it('load: repo:tag and image ids', () => {
    const loaded = LOAD_LINES.flatMap((l) => loadedFromMessage(parseStreamLine(l)));
    assert.deepEqual(loaded, [
      'gpu-containers-test/probe:rec',
      'sha256:1671417bf249339403642ed1da9f82ec2e7d263dd5cb2a3c76afc0b9c10714b7',
    ]);
    assert.deepEqual(loadedFromMessage(parseStreamLine('{"stream":"Loaded image: a:1\\nLoaded image: b:2\\n"}')), [
      'a:1',
      'b:2',
    ]);
    assert.deepEqual(loadedFromMessage(parseStreamLine('{"status":"Loading layer","id":"e8b8"}')), []);
    assert.deepEqual(loadedFromMessage(undefined), []);
  });
  void it('errors inside a 200 stream: errorDetail.message, else error', () => {
    assert.match(streamErrorOf(parseStreamLine(LOAD_NOT_ARCHIVE)) ?? '', /repositories: no such file/);
    assert.equal(streamErrorOf(parseStreamLine('{"error":"boom"}')), 'boom');
    assert.equal(streamErrorOf(parseStreamLine('{"errorDetail":{"message":"detail"},"error":"short"}')), 'detail');
    assert.equal(streamErrorOf(parseStreamLine('{"status":"Pushed","id":"abc"}')), undefined);
    assert.equal(streamErrorOf(parseStreamLine('{"error":""}')), undefined);
    const errs = PUSH_REFUSED.map((l) => streamErrorOf(parseStreamLine(l))).filter(Boolean);
    assert.equal(errs.length, 1);
  });
});

void describe('PushProgress', () => {
  void it('rolls layers into a monotonic percentage, 100 only on complete, and finds the digest', () => {
    const p = new PushProgress();
    const seen: number[] = [];
    let digest: string | undefined;
    for (const l of PUSH_OK) {
      const m = parseStreamLine(l);
      digest ??= pushDigestOf(m);
      seen.push(p.update(m).percent);
    }
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i] >= seen[i - 1], `monotonic at ${i}: ${seen.join(',')}`);
    assert.equal(seen[3], 12); // one layer 1/4 pushed of two
    assert.equal(seen[4], 62);
    assert.equal(Math.max(...seen), 99);
    assert.equal(digest, DIGEST);
    assert.deepEqual(p.complete().percent, 100);
  });
  void it('status names the layer', () => {
    const p = new PushProgress();
    assert.equal(p.update(parseStreamLine(PUSH_OK[1])).status, 'Preparing e8b8ea9a6055');
    assert.equal(p.update(parseStreamLine(PUSH_OK[0])).status, 'The push refers to repository [localhost:5000/app]');
  });
  void it('pushDigestOf ignores non-digests', () => {
    assert.equal(pushDigestOf(parseStreamLine('{"aux":{"Digest":"nope"}}')), undefined);
    assert.equal(pushDigestOf(undefined), undefined);
  });
});

void describe('pushError', () => {
  const ref = '127.0.0.1:1/gpu-containers-test/it:push';
  const table: [string, string, RegExp, RegExp, string?][] = [
    [
      'connection refused (recorded)',
      streamErrorOf(parseStreamLine(PUSH_REFUSED[1]))!,
      /^Could not push 127\.0\.0\.1:1\/gpu-containers-test\/it:push: the registry 127\.0\.0\.1:1 cannot be reached \(connection refused\)\.$/,
      /Check the network.*Save Image to File/,
    ],
    [
      'dns',
      'Get "https://nope.invalid/v2/": dial tcp: lookup nope.invalid: no such host',
      /cannot be reached \(no such host\)/,
      /network/,
    ],
    [
      'timeout',
      'Get "https://r.io/v2/": net/http: TLS handshake timeout',
      /cannot be reached \(timed out\)/,
      /network/,
    ],
    [
      'http registry',
      'Get "https://r:5000/v2/": http: server gave HTTP response to HTTPS client',
      /speaks plain HTTP/,
      /insecure-registries/,
    ],
    [
      'x509',
      'Get "https://r/v2/": x509: certificate signed by unknown authority',
      /certificate .* not trusted/,
      /certs\.d/,
    ],
    [
      'denied',
      'denied: requested access to the resource is denied',
      /refused access.*NOTE/,
      /docker login 127\.0\.0\.1:1/,
      'NOTE',
    ],
    ['unauthorized', 'unauthorized: authentication required', /refused access/, /docker login/],
    [
      'no local tag',
      'An image does not exist locally with the tag: 127.0.0.1:1/gpu-containers-test/it',
      /no local image/,
      /Pull the image|Load/,
    ],
    ['other', 'blob upload unknown', /^Could not push .* to 127\.0\.0\.1:1: blob upload unknown$/, /registry/],
  ];
  for (const [name, message, msgRe, fixRe, note] of table) {
    void it(name, () => {
      const e = pushError(ref, '127.0.0.1:1', message, note);
      assert.match(e.message, msgRe);
      assert.match(e.fix, fixRe);
      assert.equal(e.engineMessage, message);
      assert.equal(e.kind, name === 'no local tag' ? 'imageMissing' : 'unknown');
    });
  }
});

void describe('sniffArchive', () => {
  const tarHeader = (): Buffer => {
    const b = Buffer.alloc(1024);
    b.write('manifest.json', 0);
    b.write('ustar\u000000', 257, 'latin1');
    return b;
  };
  void it('tar, gzip of a tar, xz/bzip2 passed through', () => {
    assert.equal(sniffArchive(tarHeader()), 'tar');
    const gz = zlib.gzipSync(Buffer.concat([tarHeader(), Buffer.alloc(100_000, 7)]));
    assert.equal(sniffArchive(gz), 'gzip');
    assert.equal(sniffArchive(gz.subarray(0, 200)), 'gzip', 'a truncated head still decompresses its first block');
    assert.equal(sniffArchive(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2])), 'xz');
    assert.equal(sniffArchive(Buffer.from('BZh91AY&SY')), 'bzip2');
  });
  void it('not archives', () => {
    assert.equal(sniffArchive(Buffer.alloc(0)), undefined);
    assert.equal(sniffArchive(Buffer.from('hello world\n')), undefined);
    assert.equal(sniffArchive(Buffer.alloc(1024)), undefined);
    assert.equal(sniffArchive(zlib.gzipSync(Buffer.from('just text, gzipped'.repeat(40)))), undefined);
    assert.equal(sniffArchive(Buffer.from([0x1f, 0x8b, 0, 0, 0])), undefined, 'broken gzip');
    assert.equal(sniffArchive(Buffer.from('{"auths":{}}')), undefined);
  });
});
