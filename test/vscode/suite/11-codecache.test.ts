import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { MARK_PREFIX } from '../../../src/core/perfMarks';
import { api, EXTENSION_ID, waitFor } from './helpers';

describe('the loader (package.json "main"): the bundle through V8 code cache, in the real extension host', function () {
  this.timeout(60_000);

  it('loaded the bundle through it, and the cache is next to the bundle for the next window', async () => {
    await api();
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.equal((ext.packageJSON as { main: string }).main, './dist/loader.js');
    const marks = performance
      .getEntriesByType('mark')
      .map((m) => m.name)
      .filter((n) => n.startsWith(`${MARK_PREFIX}codeCache:`));
    assert.equal(marks.length, 1, `one code cache mark: ${marks.join(', ')}`);
    const state = marks[0].slice(`${MARK_PREFIX}codeCache:`.length);
    assert.ok(['hit', 'miss', 'stale', 'corrupt', 'rejected'].includes(state), state);
    const cache = path.join(ext.extensionPath, 'dist', 'extension.js.v8cache');
    if (state === 'hit') assert.ok(fs.statSync(cache).size > 64);
    else
      await waitFor(
        'the cache written during this window (10 s after the load)',
        () => fs.existsSync(cache) && fs.statSync(cache).mtimeMs > performance.timeOrigin,
        30_000,
        250,
      );
  });
});
