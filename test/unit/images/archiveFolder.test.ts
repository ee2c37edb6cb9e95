import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { archiveFolder } from '../../../src/core/images';

void describe('Save Image suggests a folder outside the workspace (issue 28)', () => {
  void it('the last archive folder while it exists, else the home folder', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-archive-'));
    try {
      assert.equal(archiveFolder(dir, '/home/me'), dir);
      assert.equal(archiveFolder(undefined, '/home/me'), '/home/me');
      assert.equal(archiveFolder(path.join(dir, 'gone'), '/home/me'), '/home/me');
      assert.equal(
        archiveFolder('relative/dir', '/home/me', () => true),
        '/home/me',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
