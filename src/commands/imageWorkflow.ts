import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { Commands, StateKeys } from '../constants';
import { readTextFile } from '../core/files';
import {
  archiveFolder,
  authFor,
  commitContainer,
  loadImages,
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
import type { CommandTable } from './commandTypes';
import { askRef, containerTargets, imageTarget } from './pick';
import { buildImage } from './buildFlow';
import { pullWithProgress, withCancellable } from './pullFlow';

const t = vscode.l10n.t;

/** The folder of the last image archive saved or loaded (Save/Load open there next time). */
function lastImageFolder(s: Services): vscode.Uri | undefined {
  const folder = s.context.globalState.get<string>(StateKeys.imageArchiveFolder);
  return folder && fs.existsSync(folder) ? vscode.Uri.file(folder) : undefined;
}

async function rememberImageFolder(s: Services, file: vscode.Uri): Promise<void> {
  if (file.scheme === 'file')
    await s.context.globalState.update(StateKeys.imageArchiveFolder, path.dirname(file.fsPath));
}

export const imageWorkflowCommands = {
  [Commands.pullImage]: async (s, arg) => {
    const ref =
      typeof arg === 'string' ? arg : await askRef(s, 'pullRef', t('Image to pull (name[:tag])'), '', validateImageRef);
    const problem = validateImageRef(ref);
    if (problem) throw new Error(problem);
    await pullWithProgress(s, withDefaultTag(ref));
  },

  [Commands.buildImage]: (s, uri) => buildImage(s, uri, false),
  [Commands.buildImageWithOptions]: (s, uri) => buildImage(s, uri, true),

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
    const defaultDir = vscode.Uri.file(
      archiveFolder(s.context.globalState.get<string>(StateKeys.imageArchiveFolder), os.homedir()),
    );
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
    await rememberImageFolder(s, dest);
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
            defaultUri:
              lastImageFolder(s) ?? vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir()),
            openLabel: t('Load Image'),
            canSelectFiles: true,
            filters: { [t('Image archives')]: ['tar', 'gz', 'tgz', 'xz', 'bz2'], [t('All files')]: ['*'] },
          });
    if (!uri) throw new Cancelled();
    await rememberImageFolder(s, uri);
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
    if (first) await s.imagesTree.revealTag(first, s.refresh).catch(() => undefined);
    void s.ui.ask('loaded', 'info', t('Loaded {0}.', result.loaded.join(', ') || t('the archive')), {});
    return result.loaded;
  },

  [Commands.commitContainer]: async (s, node, nodes) => {
    const [c] = await containerTargets(s, node, nodes, () => true, t('Commit which container to an image?'));
    const target = await askRef(
      s,
      'commitTag',
      t(
        'Image name for the commit (repository:tag). Tip: a Dockerfile is easier to rebuild and share than a committed image.',
      ),
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
    await s.imagesTree.revealTag(target, s.refresh).catch(() => undefined);
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
    await s.imagesTree.revealTag(withDefaultTag(target), s.refresh).catch(() => undefined);
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
} satisfies CommandTable;
