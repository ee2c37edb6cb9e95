/**
 * The extension in Chinese without a language pack: core gets the zh-CN bundle exactly as activation hands it
 * VS Code's (`configureL10n(vscode.l10n.bundle)` in extension.ts), and core's own functions then speak Chinese.
 * Its own process (node --test runs each file apart), so the global @vscode/l10n config reaches no other test.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { configureL10n, t } from '../../src/core/l10n';
import { gpuFit } from '../../src/core/hosts/fit';
import { removalReport } from '../../src/core/ownership';
import { containerCount } from '../../src/core/tree/arrange';
import { formatDuration } from '../../src/core/tree/status';
import { containersViewTexts } from '../../src/core/tree/viewTexts';

const ROOT = path.resolve(__dirname, '../../..');
const bundle = JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<
  string,
  string
>;

void describe("zh-CN through the extension's own bundle (issue 28)", () => {
  before(() => configureL10n(bundle));

  void it('core t() translates, with the arguments in place', () => {
    assert.equal(t('{0} containers', 3), bundle['{0} containers'].replace('{0}', '3'));
    assert.match(t('{0} containers', 3), /^3 个容器$/);
  });

  void it('core functions speak Chinese: fit, counts, durations, reports, view texts', () => {
    assert.equal(gpuFit('none', []).why, bundle['no GPU needed']);
    assert.equal(gpuFit({ count: 1 }, []).why, bundle['no GPUs found']);
    assert.equal(containerCount(1, t), '1 个容器');
    assert.equal(formatDuration(5 * 60_000, t), bundle['{0} minutes'].replace('{0}', '5'));
    assert.equal(
      removalReport(1, [{ name: 'a', reason: 'busy' }]),
      bundle['Removed {0} of 1 container. Not removed: {1}'].replace('{0}', '0').replace('{1}', 'a (busy)'),
    );
    const texts = containersViewTexts({ total: 1, shown: 1, running: 1, filter: 'all', text: 'x', refused: 0, t });
    assert.equal(texts.message, '筛选“x”：1 个容器中的 1 个。');
    // Nothing of it is left in English.
    for (const s of [gpuFit('none', []).why ?? '', containerCount(2, t), texts.message])
      assert.match(s, /[\u4e00-\u9fff]/, s);
  });
});
