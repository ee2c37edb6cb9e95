import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { Commands, StateKeys } from '../constants';
import { toEngineError } from '../core/docker';
import { readTextFile } from '../core/files';
import {
  authFor,
  buildArgs,
  commitContainer,
  loadImages,
  parseBuildArgs,
  pushImage,
  saveImages,
  tagImage,
  validateImageRef,
  validateTagTarget,
  withDefaultTag,
} from '../core/images';
import { formatBytes, shortId } from '../core/tree/format';
import type { Services } from '../services';
import { Cancelled } from './cancel';
import type { CommandTable } from './index';
import { containerTargets, imageTarget } from './pick';
import { pullWithProgress, signalOf } from './images';

const t = vscode.l10n.t;

function hasBuildx(dockerPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(dockerPath, ['buildx', 'version'], { timeout: 5000 }, (err) => resolve(!err));
  });
}

/** A cancellable notification whose token becomes an AbortSignal; a cancel ends the command quietly. */
async function withCancellable<T>(
  title: string,
  work: (progress: vscode.Progress<{ message?: string; increment?: number }>, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (p, token) => work(p, signalOf(token)),
    );
  } catch (err) {
    if (toEngineError(err).kind === 'cancelled') throw new Cancelled();
    throw err;
  }
}

async function askRef(
  s: Services,
  id: string,
  prompt: string,
  value: string,
  validate: (v: string) => string | undefined,
): Promise<string> {
  const ref = await s.ui.input(id, { prompt, value, validateInput: (v) => validate(v.trim()) });
  if (!ref?.trim()) throw new Cancelled();
  const problem = validate(ref.trim());
  if (problem) throw new Error(problem);
  return ref.trim();
}

export const imageWorkflowCommands: CommandTable = {
  [Commands.pullImage]: async (s, arg) => {
    const ref =
      typeof arg === 'string' ? arg : await askRef(s, 'pullRef', t('Image to pull (name[:tag])'), '', validateImageRef);
    const problem = validateImageRef(ref);
    if (problem) throw new Error(problem);
    await pullWithProgress(s, withDefaultTag(ref));
  },

  [Commands.buildImage]: async (s, uri) => {
    let dockerfile: vscode.Uri | undefined = uri instanceof vscode.Uri ? uri : undefined;
    if (!dockerfile) {
      const found = await vscode.workspace.findFiles(
        '**/{Dockerfile,*.Dockerfile,Dockerfile.*,*.dockerfile}',
        '**/node_modules/**',
        50,
      );
      const picked = await s.ui.pick(
        'pickDockerfile',
        [
          ...found.map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f as vscode.Uri | undefined })),
          { label: t('Browse…'), uri: undefined },
        ],
        { placeHolder: t('Build which Dockerfile?') },
      );
      if (!picked) throw new Cancelled();
      dockerfile =
        picked.uri ?? (await s.ui.openFile('openDockerfile', { openLabel: t('Build'), canSelectFiles: true }));
      if (!dockerfile) throw new Cancelled();
    }
    const contextDir = await s.ui.input('buildContext', {
      prompt: t('Build context folder'),
      value: path.dirname(dockerfile.fsPath),
    });
    if (!contextDir) throw new Cancelled();
    if (!fs.existsSync(contextDir) || !fs.statSync(contextDir).isDirectory())
      throw new Error(t('{0} is not a folder. Enter the folder to send as the build context.', contextDir));
    const folder = path
      .basename(path.dirname(dockerfile.fsPath))
      .toLowerCase()
      .replace(/[^a-z0-9._-]/g, '-');
    const tag = await askRef(
      s,
      'buildTag',
      t('Tag for the image (repository:tag)'),
      `${folder || 'image'}:latest`,
      validateTagTarget,
    );
    const argsText = await s.ui.input('buildArgs', {
      prompt: t('Build arguments (KEY=value, space-separated; empty for none)'),
      value: '',
    });
    if (argsText === undefined) throw new Cancelled();
    const parsed = parseBuildArgs(argsText);
    if (parsed.problems.length > 0) throw new Error(parsed.problems.join(' '));
    const noCache = t('No cache (--no-cache)');
    const pull = t('Pull newer base images (--pull)');
    const options = await s.ui.pickMany('buildOptions', [{ label: noCache }, { label: pull }], {
      placeHolder: t('Options (none is fine)'),
    });
    if (!options) throw new Cancelled();
    const argv = buildArgs({
      context: contextDir,
      dockerfile: dockerfile.fsPath,
      tag,
      buildArgs: parsed.args,
      noCache: options.some((o) => o.label === noCache),
      pull: options.some((o) => o.label === pull),
    });
    // A VS Code task running the docker CLI: the familiar build output, a Terminate button, an exit code.
    const env: Record<string, string> = { ...s.engines.endpoint.terminalEnv };
    if (process.env.DOCKER_BUILDKIT === undefined && !(await hasBuildx(s.config.dockerPath()))) {
      // A CLI without the buildx plugin (Debian's docker.io, for one) refuses BuildKit builds: use the classic builder.
      env.DOCKER_BUILDKIT = '0';
    }
    const task = new vscode.Task(
      { type: 'gpuContainers.build', tag },
      vscode.TaskScope.Workspace,
      t('Build {0}', tag),
      'GPU Containers',
      new vscode.ProcessExecution(s.config.dockerPath(), argv, { env, cwd: contextDir }),
    );
    task.presentationOptions = {
      reveal: vscode.TaskRevealKind.Always,
      panel: vscode.TaskPanelKind.Dedicated,
      clear: true,
    };
    const exit = new Promise<number | undefined>((resolve) => {
      const sub = vscode.tasks.onDidEndTaskProcess((e) => {
        if (e.execution.task === task || e.execution.task.definition.tag === tag) {
          sub.dispose();
          resolve(e.exitCode);
        }
      });
    });
    await vscode.tasks.executeTask(task);
    const code = await exit;
    await s.refresh.refreshImages();
    if (code !== 0)
      throw new Error(
        t('The build of {0} failed (exit code {1}). The task terminal shows why.', tag, String(code ?? '?')),
      );
    await s.imagesTree.revealTag(tag).catch(() => undefined);
    void s.ui.ask('built', 'info', t('Built {0}.', tag), {});
    return tag;
  },

  [Commands.saveImage]: async (s, node, arg2) => {
    const row = await imageTarget(s, node, t('Save which image to a file?'));
    const refs = row.tag ? [row.tag] : [row.image.id];
    if (row.tag && row.image.tags.length > 1) {
      const more = await s.ui.pickMany(
        'saveTags',
        row.image.tags.map((tag) => ({ label: tag, picked: tag === row.tag })),
        { placeHolder: t('Tags to include in the archive') },
      );
      if (!more || more.length === 0) throw new Cancelled();
      refs.splice(0, refs.length, ...more.map((m) => m.label));
    }
    const base = (row.tag ?? shortId(row.image.id)).replace(/[/:@]/g, '_');
    const defaultDir = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
    const dest =
      arg2 instanceof vscode.Uri
        ? arg2
        : await s.ui.saveFile('saveImageFile', {
            defaultUri: vscode.Uri.joinPath(defaultDir, `${base}.tar.gz`),
            filters: { [t('Image archives')]: ['gz', 'tgz', 'tar'] },
            saveLabel: t('Save Image'),
          });
    if (!dest) throw new Cancelled();
    const file = dest.fsPath;
    const result = await withCancellable(t('Saving {0}', refs.join(', ')), (progress, signal) =>
      saveImages(s.engines.engine, refs, file, {
        signal,
        endpoint: s.engines.endpoint.host,
        onProgress: (bytes) => progress.report({ message: formatBytes(bytes) }),
      }),
    );
    const reveal = t('Reveal in Explorer');
    void s.ui
      .ask('saved', 'info', t('Saved {0} to {1} ({2}).', refs.join(', '), file, formatBytes(result.bytes)), {}, reveal)
      .then((a) => {
        if (a === reveal) void vscode.commands.executeCommand('revealInExplorer', dest);
      });
    return file;
  },

  [Commands.loadImage]: async (s, arg) => {
    const uri =
      arg instanceof vscode.Uri
        ? arg
        : await s.ui.openFile('loadImageFile', {
            openLabel: t('Load Image'),
            canSelectFiles: true,
            filters: { [t('Image archives')]: ['tar', 'gz', 'tgz', 'xz', 'bz2'], [t('All files')]: ['*'] },
          });
    if (!uri) throw new Cancelled();
    const total = fs.statSync(uri.fsPath).size;
    const result = await withCancellable(t('Loading {0}', path.basename(uri.fsPath)), async (progress, signal) => {
      let last = 0;
      return loadImages(s.engines.engine, uri.fsPath, {
        signal,
        endpoint: s.engines.endpoint.host,
        onProgress: (read) => {
          const pct = total > 0 ? Math.floor((read / total) * 100) : 0;
          progress.report({ message: `${formatBytes(read)} / ${formatBytes(total)}`, increment: pct - last });
          last = pct;
        },
      });
    });
    await s.refresh.refreshImages();
    const first = result.loaded.find((x) => !x.startsWith('sha256:'));
    if (first) await s.imagesTree.revealTag(first).catch(() => undefined);
    void s.ui.ask('loaded', 'info', t('Loaded {0}.', result.loaded.join(', ') || t('the archive')), {});
    return result.loaded;
  },

  [Commands.commitContainer]: async (s, node, nodes) => {
    const [c] = await containerTargets(s, node, nodes, () => true, t('Commit which container to an image?'));
    if (!s.context.globalState.get<boolean>(StateKeys.commitNoteDismissed)) {
      const ok = t('Commit');
      const never = t("Commit, Don't Show Again");
      const a = await s.ui.ask(
        'commitNote',
        'info',
        t(
          'Images made with commit are hard to rebuild and update: nobody can see how they were made. A Dockerfile is better for anything you keep.',
        ),
        { modal: true },
        ok,
        never,
      );
      if (a === never) await s.context.globalState.update(StateKeys.commitNoteDismissed, true);
      else if (a !== ok) throw new Cancelled();
    }
    const target = await askRef(
      s,
      'commitTag',
      t('Image name for the commit (repository:tag)'),
      `${c.name.toLowerCase().replace(/[^a-z0-9._-]/g, '-')}:snapshot`,
      validateTagTarget,
    );
    const message = await s.ui.input('commitMessage', { prompt: t('Commit message (optional)') });
    if (message === undefined) throw new Cancelled();
    const colon = target.lastIndexOf(':');
    const hasTag = colon > target.lastIndexOf('/');
    const result = await withCancellable(t('Committing {0}', c.name), (_p, signal) =>
      commitContainer(s.engines.engine, c.id, {
        repo: hasTag ? target.slice(0, colon) : target,
        tag: hasTag ? target.slice(colon + 1) : 'latest',
        message: message || undefined,
        author: s.user.name,
        signal,
        endpoint: s.engines.endpoint.host,
      }),
    );
    await s.refresh.refreshImages();
    await s.imagesTree.revealTag(target).catch(() => undefined);
    void s.ui.ask(
      'committed',
      'info',
      t('Committed {0} to {1} ({2}).', c.name, withDefaultTag(target), shortId(result.id)),
      {},
    );
    return result.id;
  },

  [Commands.tagImage]: async (s, node, arg2) => {
    const row = await imageTarget(s, node, t('Tag which image?'));
    const target =
      typeof arg2 === 'string'
        ? arg2
        : await askRef(s, 'tagTarget', t('New tag (repository:tag)'), row.tag ?? '', validateTagTarget);
    const problem = validateTagTarget(target);
    if (problem) throw new Error(problem);
    await tagImage(s.engines.engine, row.tag ?? row.image.id, target, { endpoint: s.engines.endpoint.host });
    await s.refresh.refreshImages();
    await s.imagesTree.revealTag(withDefaultTag(target)).catch(() => undefined);
    return withDefaultTag(target);
  },

  [Commands.pushImage]: async (s, node) => {
    const row = await imageTarget(s, node, t('Push which image?'));
    if (!row.tag) throw new Error(t('An untagged image cannot be pushed. Tag it first (Tag Image…).'));
    const ref = row.tag;
    const { auth, note } = authFor(ref, readTextFile, os.homedir(), process.env.DOCKER_CONFIG);
    if (note) s.logger.info(`push ${ref}: ${note}`);
    await withCancellable(t('Pushing {0}', ref), async (progress, signal) => {
      let last = 0;
      return pushImage(s.engines.engine, ref, {
        auth,
        authNote: note,
        signal,
        endpoint: s.engines.endpoint.host,
        onProgress: (p) => {
          const pct = Math.round(p.percent);
          progress.report({ message: `${pct}% ${p.status}`, increment: Math.max(0, pct - last) });
          last = Math.max(last, pct);
        },
      });
    });
    void s.ui.ask('pushed', 'info', t('Pushed {0}.', ref), {});
  },
};
