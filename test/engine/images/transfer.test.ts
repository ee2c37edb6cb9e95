/**
 * src/core/images against a real dockerd (no registry). Everything made here carries the run id in its
 * name/tag (images) or the run label (containers) and is removed in `after`; the base test images are
 * only ever tagged, never removed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { createEngine, DEFAULT_UNIX_HOST, EngineError, type Engine } from '../../../src/core/docker';
import { buildArgs, commitContainer, loadImages, pushImage, saveImages, tagImage } from '../../../src/core/images';

const run = promisify(execFile);
const BUSYBOX = 'gpu-containers-test/busybox:1';
const RUN_ID = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const RUN_LABEL = 'gpu-containers-test.run';
const REPO = `gpu-containers-test/it-${RUN_ID}`;

const docker = new Dockerode();
const engine: Engine = createEngine(docker, {
  source: 'default',
  host: DEFAULT_UNIX_HOST,
  kind: 'unix',
  socketPath: '/var/run/docker.sock',
  terminalEnv: {},
});
const createdTags: string[] = [];
let tmp: string;
let busyboxId: string;

async function tagCopy(target: string): Promise<string> {
  const i = target.lastIndexOf(':');
  await docker.getImage(BUSYBOX).tag({ repo: target.slice(0, i), tag: target.slice(i + 1) });
  createdTags.push(target);
  return target;
}
async function imageId(ref: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(ref).inspect()).Id;
  } catch {
    return undefined;
  }
}
async function expectEngineError(p: Promise<unknown>, check: (e: EngineError) => void): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof EngineError, `EngineError expected, got ${String(err)}`);
    check(err);
    return true;
  });
}
function freshDir(name: string): string {
  const d = path.join(tmp, name);
  fs.mkdirSync(d);
  return d;
}

void before(async () => {
  await docker.ping();
  busyboxId = (await docker.getImage(BUSYBOX).inspect()).Id;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), `gpu-images-${RUN_ID}-`));
});

void after(async () => {
  const containers = await docker.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${RUN_ID}`] } });
  for (const c of containers)
    await docker
      .getContainer(c.Id)
      .remove({ force: true })
      .catch(() => undefined);
  for (const tag of createdTags)
    await docker
      .getImage(tag)
      .remove()
      .catch(() => undefined);
  fs.rmSync(tmp, { recursive: true, force: true });
});

void describe('saveImages / loadImages', () => {
  for (const ext of ['tar', 'tar.gz']) {
    void it(`round trip through .${ext} keeps the image id and the tag`, async () => {
      const tag = await tagCopy(`${REPO}:save-${ext.replace('.', '-')}`);
      const dir = freshDir(`rt-${ext}`);
      const file = path.join(dir, `images.${ext}`);
      const written: number[] = [];
      const { bytes } = await saveImages(engine, [tag], file, { onProgress: (b) => written.push(b) });
      assert.deepEqual(fs.readdirSync(dir), [`images.${ext}`], 'only the archive, no temp file');
      assert.equal(fs.statSync(file).size, bytes);
      assert.ok(written.length > 0 && written[written.length - 1] === bytes, 'progress reaches the size');
      const head = fs.readFileSync(file).subarray(0, 2);
      assert.equal(head[0] === 0x1f && head[1] === 0x8b, ext === 'tar.gz', 'gzip iff .gz');

      await docker.getImage(tag).remove();
      assert.equal(await imageId(tag), undefined, 'tag removed');

      const reads: [number, number][] = [];
      const { loaded } = await loadImages(engine, file, { onProgress: (r, t) => reads.push([r, t]) });
      assert.deepEqual(loaded, [tag]);
      assert.equal(await imageId(tag), busyboxId);
      const size = fs.statSync(file).size;
      assert.deepEqual(reads[reads.length - 1], [size, size]);
    });
  }

  void it('several tags into one archive', async () => {
    const a = await tagCopy(`${REPO}:multi-a`);
    const b = await tagCopy(`${REPO}:multi-b`);
    const file = path.join(freshDir('multi'), 'two.tar');
    await saveImages(engine, [a, b], file);
    await docker.getImage(a).remove();
    await docker.getImage(b).remove();
    const { loaded } = await loadImages(engine, file);
    assert.deepEqual([...loaded].sort(), [a, b].sort());
  });

  void it('cancelling a save after the first progress leaves neither file nor temp file', async () => {
    const tag = await tagCopy(`${REPO}:cancel`);
    const dir = freshDir('cancel');
    const ac = new AbortController();
    let calls = 0;
    await expectEngineError(
      saveImages(engine, [tag], path.join(dir, 'x.tar.gz'), {
        signal: ac.signal,
        onProgress: () => {
          calls++;
          ac.abort();
        },
      }),
      (e) => assert.equal(e.kind, 'cancelled'),
    );
    assert.ok(calls >= 1);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  void it('cancelling a load after the first progress rejects as cancelled', async () => {
    const tag = await tagCopy(`${REPO}:load-cancel`);
    const file = path.join(freshDir('load-cancel'), 'x.tar');
    await saveImages(engine, [tag], file);
    const ac = new AbortController();
    await expectEngineError(loadImages(engine, file, { signal: ac.signal, onProgress: () => ac.abort() }), (e) =>
      assert.equal(e.kind, 'cancelled'),
    );
  });

  void it('saving a missing image names it and leaves no file', async () => {
    const dir = freshDir('missing');
    await expectEngineError(saveImages(engine, [BUSYBOX, `${REPO}:never-made`], path.join(dir, 'x.tar')), (e) => {
      assert.equal(e.kind, 'imageMissing');
      assert.match(e.message, new RegExp(`image ${REPO}:never-made is not available locally`));
    });
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  void it('a file that is not a docker save archive is refused clearly', async () => {
    const dir = freshDir('notarchive');
    const text = path.join(dir, 'notes.tar');
    fs.writeFileSync(text, 'hello, not a tarball\n');
    await expectEngineError(loadImages(engine, text), (e) => {
      assert.equal(e.kind, 'corruptArchive');
      assert.equal(e.message, `${text} is not an image archive made by docker save.`);
    });
    // A real tar, but of plain files: the engine's complaint is reported the same way.
    fs.writeFileSync(path.join(dir, 'a.txt'), 'a');
    const plain = path.join(dir, 'plain.tar');
    await run('tar', ['cf', plain, '-C', dir, 'a.txt']);
    await expectEngineError(loadImages(engine, plain), (e) => {
      assert.equal(e.kind, 'corruptArchive');
      assert.match(
        e.message,
        /plain\.tar is not an image archive made by docker save \(the engine says: .*repositories/,
      );
      assert.match(e.fix, /docker save/);
    });
  });
});

void describe('atomic save after a crash, a full disk, a truncated archive (issue 18)', () => {
  void it('a save killed with SIGKILL leaves a .part file; the next save to that folder removes it', async () => {
    const tag = await tagCopy(`${REPO}:killed`);
    const dir = freshDir('killed');
    // A child process saves and freezes after its first bytes; SIGKILL it there, as a crash would.
    const script = `
      const { createEngine } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/core/docker'))});
      const { saveImages } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/core/images'))});
      const Dockerode = require('dockerode');
      const engine = createEngine(new Dockerode({ socketPath: '/var/run/docker.sock' }), { host: 'unix:///var/run/docker.sock', kind: 'unix', source: 'default', terminalEnv: {} });
      saveImages(engine, [${JSON.stringify(tag)}], ${JSON.stringify(path.join(dir, 'x.tar'))}, {
        onProgress: () => { process.stdout.write('writing\\n'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000); },
      });`;
    const child = spawn(process.execPath, ['-e', script], {
      cwd: path.resolve(__dirname, '../../..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`the saving child exited early (${String(code)})`)));
    });
    // The .part file is opened on libuv's thread pool: wait for it, or the kill can come first.
    for (let i = 0; i < 200 && !fs.readdirSync(dir).some((n) => n.endsWith('.part')); i++)
      await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const left = fs.readdirSync(dir);
    assert.equal(left.length, 1);
    assert.match(left[0], /^\.x\.tar\.\d+\.[0-9a-f]{12}\.part$/);

    // A save still running in another live process keeps its .part file.
    const alive = spawn('sleep', ['30']);
    const othersPart = `.y.tar.${alive.pid}.${'a'.repeat(12)}.part`;
    fs.writeFileSync(path.join(dir, othersPart), 'in progress');
    const notOurs = 'notes.part';
    fs.writeFileSync(path.join(dir, notOurs), 'keep');
    try {
      await saveImages(engine, [tag], path.join(dir, 'z.tar'));
      assert.deepEqual(fs.readdirSync(dir).sort(), [othersPart, notOurs, 'z.tar'].sort());
    } finally {
      alive.kill();
    }
  });

  void it('a full disk says how much to free and where (ENOSPC carries no path)', async (t) => {
    const tag = await tagCopy(`${REPO}:nospace`);
    const dir = freshDir('tiny');
    try {
      await run('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir]);
    } catch (err) {
      t.skip(`cannot mount a tmpfs here (${String(err).split('\n')[0]})`);
      return;
    }
    try {
      await expectEngineError(saveImages(engine, [tag], path.join(dir, 'x.tar')), (e) => {
        assert.equal(e.kind, 'noSpace');
        assert.match(e.message, new RegExp(`^The disk is full: free \\d+\\.\\d GB on ${dir}, then save again\\.$`));
      });
      assert.deepEqual(fs.readdirSync(dir), [], 'no partial file left on the full disk');
    } finally {
      await run('umount', [dir]);
    }
  });

  void it('a truncated archive is corruptArchive with the fix, not "unknown, see the log"', async () => {
    const tag = await tagCopy(`${REPO}:truncated`);
    const file = path.join(freshDir('truncated'), 'half.tar');
    await saveImages(engine, [tag], file);
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
    await expectEngineError(loadImages(engine, file), (e) => {
      assert.equal(e.kind, 'corruptArchive');
      assert.match(e.fix, /docker save/);
    });
  });

  void it('a bind mount of a missing host folder is bindSourceMissing, naming the folder', async () => {
    const missing = path.join(tmp, 'no-such-folder');
    await expectEngineError(
      engine.createContainer({
        Image: BUSYBOX,
        name: `gpuc-engine-${RUN_ID}-bind`,
        Labels: { [RUN_LABEL]: RUN_ID },
        HostConfig: { Mounts: [{ Type: 'bind', Source: missing, Target: '/data' }] },
      }),
      (e) => {
        assert.equal(e.kind, 'bindSourceMissing');
        assert.match(e.message, new RegExp(`The folder ${missing} to mount does not exist`));
        assert.match(e.fix, /mkdir -p/);
      },
    );
  });
});

void describe('build, commit, tag', () => {
  void it('a Dockerfile FROM the busybox test image builds offline with the buildArgs argv', async () => {
    const ctx = freshDir('build-ctx');
    fs.writeFileSync(
      path.join(ctx, 'Dockerfile.test'),
      `FROM ${BUSYBOX}\nARG MSG=unset\nRUN echo hi > /hi && echo "$MSG" > /msg\n`,
    );
    const tag = `${REPO}:built`;
    createdTags.push(tag);
    const argv = buildArgs({
      context: ctx,
      dockerfile: path.join(ctx, 'Dockerfile.test'),
      tag,
      buildArgs: { MSG: 'two words' },
    });
    await run('docker', argv, { env: { ...process.env, DOCKER_BUILDKIT: '0' } });
    const { stdout } = await run('docker', ['image', 'inspect', '--format', '{{.Id}}', tag]);
    assert.match(stdout.trim(), /^sha256:[0-9a-f]{64}$/);
    const out = await run('docker', ['run', '--rm', '--label', `${RUN_LABEL}=${RUN_ID}`, tag, 'cat', '/hi', '/msg']);
    assert.equal(out.stdout, 'hi\ntwo words\n');
  });

  void it('commit of a running container yields an image with its new file, message and author', async () => {
    const c = await docker.createContainer({
      Image: BUSYBOX,
      Cmd: ['sh', '-c', 'echo x > /marker; sleep 300'],
      Labels: { [RUN_LABEL]: RUN_ID },
    });
    await c.start();
    for (let i = 0; i < 50; i++) {
      const r = await run('docker', ['exec', c.id, 'cat', '/marker']).catch(() => ({ stdout: '' }));
      if (r.stdout === 'x\n') break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const tag = `${REPO}:committed`;
    createdTags.push(tag);
    const { id } = await commitContainer(engine, c.id, {
      repo: REPO,
      tag: 'committed',
      message: 'marker added',
      author: 'Tester <t@example.com>',
    });
    assert.match(id, /^sha256:[0-9a-f]{64}$/);
    const info = await docker.getImage(tag).inspect();
    assert.equal(info.Id, id);
    assert.equal(info.Comment, 'marker added');
    assert.equal(info.Author, 'Tester <t@example.com>');
    assert.equal((await c.inspect()).State.Running, true, 'still running (unpaused) after commit');
    const out = await run('docker', ['run', '--rm', '--label', `${RUN_LABEL}=${RUN_ID}`, tag, 'cat', '/marker']);
    assert.equal(out.stdout, 'x\n');
  });

  void it('commit of a missing container is notFound', async () => {
    await expectEngineError(commitContainer(engine, `gone-${RUN_ID}`, { repo: REPO, tag: 'never' }), (e) =>
      assert.equal(e.kind, 'notFound'),
    );
  });

  void it('tag adds a tag (":latest" when none) to the same image', async () => {
    const target = `${REPO}-tagged`;
    createdTags.push(`${target}:v1`, `${target}:latest`);
    await tagImage(engine, BUSYBOX, `${target}:v1`);
    await tagImage(engine, BUSYBOX, target);
    assert.equal(await imageId(`${target}:v1`), busyboxId);
    assert.equal(await imageId(`${target}:latest`), busyboxId);
  });

  void it('tagging a missing image is imageMissing', async () => {
    await expectEngineError(tagImage(engine, `${REPO}:no-such-source`, `${REPO}:x`), (e) =>
      assert.equal(e.kind, 'imageMissing'),
    );
  });
});

void describe('push', () => {
  void it('to an unreachable registry ends in a clear error', async () => {
    const ref = await tagCopy(`127.0.0.1:1/${REPO}:push`);
    const progress: string[] = [];
    await expectEngineError(pushImage(engine, ref, { onProgress: (p) => progress.push(p.status) }), (e) => {
      assert.equal(e.kind, 'unknown');
      assert.equal(
        e.message,
        `Could not push ${ref}: the registry 127.0.0.1:1 cannot be reached (connection refused).`,
      );
      assert.match(e.fix, /Save Image to File/);
      assert.match(e.engineMessage ?? '', /connection refused/);
    });
    assert.ok(
      progress.some((s) => /The push refers to repository/.test(s)),
      progress.join('|'),
    );
  });

  void it('a tag that does not exist locally is imageMissing', async () => {
    await expectEngineError(pushImage(engine, `127.0.0.1:1/${REPO}:never-made`), (e) => {
      assert.equal(e.kind, 'imageMissing');
      assert.match(e.message, /no local image/);
    });
  });

  void it('cancelled before it starts', async () => {
    const ac = new AbortController();
    ac.abort();
    await expectEngineError(pushImage(engine, `127.0.0.1:1/${REPO}:push`, { signal: ac.signal }), (e) =>
      assert.equal(e.kind, 'cancelled'),
    );
  });
});

void describe('validators refuse bad names before any engine call', () => {
  let calls = 0;
  const noEngine = new Proxy({} as Engine, {
    get: () => {
      calls++;
      throw new Error('engine called');
    },
  });
  const cases: [string, () => Promise<unknown>, RegExp][] = [
    ['save', () => saveImages(noEngine, ['Busybox:1'], path.join(os.tmpdir(), 'never.tar')), /uppercase/],
    ['save (none)', () => saveImages(noEngine, [], path.join(os.tmpdir(), 'never.tar')), /no image was given/],
    ['tag', () => tagImage(noEngine, BUSYBOX, 'bad name:1'), /whitespace/],
    ['tag (empty tag)', () => tagImage(noEngine, BUSYBOX, 'repo:'), /tag after ":" is empty/],
    ['commit', () => commitContainer(noEngine, 'abc', { repo: 'Repo', tag: 'x' }), /uppercase/],
    ['commit (bad tag)', () => commitContainer(noEngine, 'abc', { repo: 'repo', tag: '-x' }), /must start with/],
    ['push (digest)', () => pushImage(noEngine, `busybox@sha256:${'a'.repeat(64)}`), /digest/],
  ];
  for (const [name, call, re] of cases) {
    void it(name, async () => {
      await expectEngineError(call(), (e) => assert.match(e.message, re));
      assert.equal(calls, 0);
    });
  }
});

void describe('pull', () => {
  void it('from a registry the engine cannot reach (no network here): registryUnreachable, naming the registry', async () => {
    const ref = 'nvcr.io/nvidia/pytorch:24.01-py3';
    await expectEngineError(
      engine.pullImage(ref, () => undefined, { timeoutMs: 60_000 }),
      (e) => {
        // The real resolver error, as this engine gives it (e.g. `Get "https://nvcr.io/v2/": dial tcp: lookup
        // nvcr.io on 10.255.255.53:53: no such host`), stays in engineMessage for the log.
        assert.match(e.engineMessage ?? '', /nvcr\.io/);
        assert.equal(e.kind, 'registryUnreachable', `${e.kind}: ${e.engineMessage ?? e.message}`);
        assert.equal(e.registry, 'nvcr.io');
        assert.equal(e.image, ref);
        assert.match(e.message, /cannot reach nvcr\.io — offline\?/);
        assert.match(e.fix, /Load the image from a file/);
      },
    );
  });
});
