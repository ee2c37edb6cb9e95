import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { parseBuildArgs, buildArgs, validateTagTarget } from '../core/images';
import type { Services } from '../services';
import { Cancelled } from './cancel';
import { askRef } from './pick';

const t = vscode.l10n.t;

function hasBuildx(dockerPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(dockerPath, ['buildx', 'version'], { timeout: 5000 }, (err) => resolve(!err));
  });
}

/**
 * The Dockerfile to build: the one clicked, else the workspace's only one (no question), else a pick among the
 * workspace's (or Browse…).
 */
async function pickDockerfile(s: Services, uri: unknown): Promise<vscode.Uri> {
  if (uri instanceof vscode.Uri) return uri;
  const found = await vscode.workspace.findFiles(
    '**/{Dockerfile,*.Dockerfile,Dockerfile.*,*.dockerfile}',
    '**/node_modules/**',
    50,
  );
  if (found.length === 1) return found[0];
  const picked = await s.ui.pick(
    'pickDockerfile',
    [
      ...found.map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f })),
      { label: t('Browse…'), uri: undefined },
    ],
    { placeHolder: t('Build which Dockerfile?') },
  );
  if (!picked) throw new Cancelled();
  const file = picked.uri ?? (await s.ui.openFile('openDockerfile', { openLabel: t('Build'), canSelectFiles: true }));
  if (!file) throw new Cancelled();
  return file;
}

/** `repository:latest` from the Dockerfile's folder name, as `docker build -t` would want it. */
export function defaultBuildTag(dockerfile: string): string {
  const folder = path
    .basename(path.dirname(dockerfile))
    .toLowerCase()
    .replace(/[^a-z0-9._-]/g, '-')
    .replace(/^[._-]+/, '');
  return `${folder || 'image'}:latest`;
}

interface BuildChoice {
  context: string;
  tag: string;
  buildArgs: Record<string, string>;
  noCache: boolean;
  pull: boolean;
}

/** Build Image…: one input, the tag; the context is the Dockerfile's folder (like `docker build -t x .`). */
async function quickChoice(s: Services, dockerfile: vscode.Uri): Promise<BuildChoice> {
  const context = path.dirname(dockerfile.fsPath);
  const tag = await askRef(
    s,
    'buildTag',
    t(
      'Tag for the image built from {0} (context: its folder). Build Image with Options… sets build args and --no-cache.',
      vscode.workspace.asRelativePath(dockerfile),
    ),
    defaultBuildTag(dockerfile.fsPath),
    validateTagTarget,
  );
  return { context, tag, buildArgs: {}, noCache: false, pull: false };
}

/** Build Image with Options…: context folder, tag, build arguments, --no-cache / --pull. */
async function optionsChoice(s: Services, dockerfile: vscode.Uri): Promise<BuildChoice> {
  const context = await s.ui.input('buildContext', {
    prompt: t('Build context folder'),
    value: path.dirname(dockerfile.fsPath),
  });
  if (!context) throw new Cancelled();
  if (!fs.existsSync(context) || !fs.statSync(context).isDirectory())
    throw new Error(t('{0} is not a folder. Enter the folder to send as the build context.', context));
  const tag = await askRef(
    s,
    'buildTag',
    t('Tag for the image (repository:tag)'),
    defaultBuildTag(dockerfile.fsPath),
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
  return {
    context,
    tag,
    buildArgs: parsed.args,
    noCache: options.some((o) => o.label === noCache),
    pull: options.some((o) => o.label === pull),
  };
}

/** Builds in a VS Code task running the docker CLI: the familiar output, a Terminate button, an exit code. */
export async function buildImage(s: Services, uri: unknown, withOptions: boolean): Promise<string> {
  const dockerfile = await pickDockerfile(s, uri);
  const choice = withOptions ? await optionsChoice(s, dockerfile) : await quickChoice(s, dockerfile);
  const { tag } = choice;
  const argv = buildArgs({ ...choice, dockerfile: dockerfile.fsPath });
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
    new vscode.ProcessExecution(s.config.dockerPath(), argv, { env, cwd: choice.context }),
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
  await s.imagesTree.revealTag(tag, s.refresh).catch(() => undefined);
  void s.ui.ask('built', 'info', t('Built {0}.', tag), {});
  return tag;
}
