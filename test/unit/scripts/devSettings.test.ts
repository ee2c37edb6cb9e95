/**
 * scripts/dev.sh (the README's first command) serves code-server with a user-data-dir that lets the user see
 * VS Code's Workspace Trust prompt and Restricted Mode banner (issue 28: both were hidden).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const RIG = path.join(REPO, 'scripts', 'lib', 'rig.mjs');

function devUserDataDir(dir: string): Record<string, unknown> {
  execFileSync(process.execPath, [
    '--input-type=module',
    '-e',
    `import { devUserDataDir } from ${JSON.stringify(RIG)}; devUserDataDir(${JSON.stringify(dir)});`,
  ]);
  return JSON.parse(fs.readFileSync(path.join(dir, 'User', 'settings.json'), 'utf8')) as Record<string, unknown>;
}

void describe('dev.sh settings (issue 28)', () => {
  void it('a fresh dev user-data-dir shows the trust prompt and the Restricted Mode banner', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-dev-'));
    try {
      const s = devUserDataDir(path.join(dir, 'ud'));
      assert.equal(s['security.workspace.trust.enabled'], true);
      assert.equal(s['security.workspace.trust.startupPrompt'], 'once');
      assert.equal(s['security.workspace.trust.banner'], 'untilDismissed');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  void it("an older dev user-data-dir that hid them is fixed; the user's own settings are kept", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-dev-'));
    try {
      fs.mkdirSync(path.join(dir, 'User'), { recursive: true });
      fs.writeFileSync(
        path.join(dir, 'User', 'settings.json'),
        JSON.stringify({
          'security.workspace.trust.startupPrompt': 'never',
          'security.workspace.trust.banner': 'never',
          'editor.fontSize': 17,
        }),
      );
      const s = devUserDataDir(dir);
      assert.equal(s['security.workspace.trust.startupPrompt'], 'once');
      assert.equal(s['security.workspace.trust.banner'], 'untilDismissed');
      assert.equal(s['editor.fontSize'], 17);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
