/**
 * The streamed calls of the dockerode engine: logs, exec, pull, and the byte streams behind image
 * save/load/push. Each takes the Dockerode client and the endpoint's `CallRunner`.
 */
import type { IncomingMessage } from 'node:http';
import type Dockerode from 'dockerode';
import { t } from '../l10n';
import type { CallRunner } from './callLink';
import type { CallOptions } from './engineContract';
import { cancelledError, toEngineError } from './errors';
import { EngineError } from './engineError';
import { Demuxer, LineSplitter, PullProgress, type StdStream } from './streams';

type Destroyable = NodeJS.ReadableStream & { destroy(): void };

export async function streamLogs(
  docker: Dockerode,
  runner: CallRunner,
  id: string,
  opts: { follow?: boolean; tail?: number; since?: number; timestamps?: boolean } & CallOptions,
  onData: (stream: StdStream, text: string) => void,
): Promise<void> {
  const ctx = runner.ctx('logs', { containerName: id });
  if (opts.signal?.aborted) throw cancelledError('logs');
  const link = runner.link(opts);
  try {
    let stream: IncomingMessage;
    let tty = false;
    try {
      const json = (await link.race(docker.getContainer(id).inspect({ abortSignal: link.signal }))) as {
        Config?: { Tty?: unknown };
      };
      tty = json?.Config?.Tty === true;
      const query: Record<string, unknown> = {
        follow: opts.follow ?? false,
        stdout: true,
        stderr: true,
        timestamps: opts.timestamps ?? false,
      };
      if (opts.tail !== undefined) query.tail = opts.tail;
      if (opts.since !== undefined) query.since = opts.since;
      // modem.dial directly: dockerode's non-follow logs() JSON-parses the body when it can.
      stream = await link.race(
        new Promise<IncomingMessage>((resolve, reject) => {
          docker.modem.dial(
            {
              path: `/containers/${encodeURIComponent(id)}/logs?`,
              method: 'GET',
              options: query,
              isStream: true,
              abortSignal: link.signal,
              statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
            },
            (err, res) => (err ? reject(err) : resolve(res as IncomingMessage)),
          );
        }),
      );
    } catch (err) {
      throw runner.fail(link, err, ctx);
    }
    link.stopTimer();
    const demux = new Demuxer(onData, tty);
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (err?: unknown): void => {
        if (settled) return;
        settled = true;
        link.signal.removeEventListener('abort', onAbort);
        demux.end();
        if (err && !link.signal.aborted) reject(toEngineError(err, ctx));
        else resolve();
      };
      const onAbort = (): void => {
        stream.destroy();
        finish();
      };
      link.signal.addEventListener('abort', onAbort, { once: true });
      stream.on('data', (chunk: Buffer) => demux.push(chunk));
      stream.on('end', () => finish());
      stream.on('error', (err) => finish(err));
      stream.on('close', () => finish());
    });
  } finally {
    link.dispose();
  }
}

export async function runExec(
  docker: Dockerode,
  runner: CallRunner,
  id: string,
  opts: { cmd: string[]; user?: string; workdir?: string; env?: string[] } & CallOptions,
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return runner.call(opts, runner.ctx('exec', { containerName: id }), async (abortSignal) => {
    const exec = await docker.getContainer(id).exec({
      Cmd: opts.cmd,
      AttachStdin: false,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      ...(opts.user ? { User: opts.user } : {}),
      ...(opts.workdir ? { WorkingDir: opts.workdir } : {}),
      ...(opts.env ? { Env: opts.env } : {}),
      abortSignal,
    });
    const stream = (await exec.start({ Detach: false, Tty: false, abortSignal })) as NodeJS.ReadableStream;
    let stdout = '';
    let stderr = '';
    const demux = new Demuxer((s, text) => {
      if (s === 'stderr') stderr += text;
      else stdout += text;
    });
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (chunk: Buffer) => demux.push(chunk));
      stream.on('end', () => resolve());
      stream.on('close', () => resolve());
      stream.on('error', (err: Error) => reject(err));
    });
    demux.end();
    const info = (await exec.inspect({ abortSignal })) as { ExitCode?: unknown; Running?: unknown };
    const exitCode = typeof info.ExitCode === 'number' ? info.ExitCode : -1;
    return { exitCode, stdout, stderr };
  });
}

export async function pullWithProgress(
  docker: Dockerode,
  runner: CallRunner,
  ref: string,
  onProgress: (p: { percent: number; status: string }) => void,
  o?: CallOptions,
): Promise<void> {
  const ctx = runner.ctx('pull image', { image: ref });
  if (o?.signal?.aborted) throw cancelledError('pull image');
  const link = runner.link(o);
  try {
    let stream: Destroyable;
    try {
      stream = (await link.race(docker.pull(ref, { abortSignal: link.signal }))) as Destroyable;
    } catch (err) {
      throw pullError(ref, runner.fail(link, err, ctx));
    }
    const progress = new PullProgress();
    let streamError: string | undefined;
    const lines = new LineSplitter((line) => {
      let msg: unknown;
      try {
        msg = JSON.parse(line);
      } catch {
        return;
      }
      const m = msg as { error?: unknown; errorDetail?: { message?: unknown } };
      if (typeof m.error === 'string') {
        streamError = m.error;
        return;
      }
      onProgress(progress.update(msg));
    });
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (err?: Error): void => {
        if (settled) return;
        settled = true;
        link.signal.removeEventListener('abort', onAbort);
        lines.end();
        if (err) reject(err);
        else resolve();
      };
      const onAbort = (): void => {
        stream.destroy();
        finish(new DOMException('aborted', 'AbortError'));
      };
      link.signal.addEventListener('abort', onAbort, { once: true });
      stream.on('data', (chunk: Buffer) => {
        link.touch();
        lines.push(chunk);
      });
      stream.on('end', () => finish());
      stream.on('close', () => finish());
      stream.on('error', (err: Error) => finish(err));
    }).catch((err: unknown) => {
      throw pullError(ref, runner.fail(link, err, ctx));
    });
    if (streamError !== undefined) throw pullError(ref, toEngineError(new Error(streamError), ctx));
    onProgress(progress.complete());
  } finally {
    link.dispose();
  }
}

/** Pull failures other than reachability/timeout/cancel name the image and offer Load. */
function pullError(ref: string, e: EngineError): EngineError {
  if (e.kind !== 'unknown' && e.kind !== 'notFound') return e;
  return new EngineError(
    'unknown',
    t('Could not pull {0}: {1}', ref, e.engineMessage ?? e.message)
      .replace(/\s+/g, ' ')
      .slice(0, 300),
    t('Check the image name and that a registry is reachable, or Load the image from a file (docker load).'),
    { cause: e, statusCode: e.statusCode, image: ref, engineMessage: e.engineMessage },
  );
}

/** GET /images/get?names=a&names=b (dockerode has it; its typings do not). */
export function exportImages(docker: Dockerode, runner: CallRunner, refs: string[], o?: CallOptions) {
  const withGetImages = docker as unknown as { getImages(o: object): Promise<unknown> };
  return runner.openStream(o, runner.ctx('save images', { image: refs.join(', ') }), (abortSignal) =>
    withGetImages.getImages({ names: refs, abortSignal }),
  );
}

/** POST /images/load. The engine answers once it has read the whole archive: no timeout unless asked. */
export function importImages(docker: Dockerode, runner: CallRunner, archive: NodeJS.ReadableStream, o?: CallOptions) {
  return runner.openStream(
    o,
    runner.ctx('load images'),
    (abortSignal) => docker.loadImage(archive, { quiet: true, abortSignal } as object),
    0,
  );
}

/** POST /images/{repo}/push. The engine requires an X-Registry-Auth header even when empty ("{}"). */
export function pushImageStream(
  docker: Dockerode,
  runner: CallRunner,
  repo: string,
  tag: string,
  auth: object,
  o?: CallOptions,
) {
  const image = docker.getImage(repo) as unknown as { push(o: object): Promise<unknown> };
  return runner.openStream(o, runner.ctx('push image', { image: `${repo}:${tag}` }), (abortSignal) =>
    image.push({ tag, abortSignal, authconfig: auth }),
  );
}
