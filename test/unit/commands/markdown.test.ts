import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRequire } from 'node:module';
import { escapeMarkdown, markdownCode, neutralizeLinks } from '../../../src/core/markdown';
import { containerTooltip } from '../../../src/core/tree/containerRows';
import { imageTooltip } from '../../../src/core/tree/imageRows';
import type { ContainerSummary } from '../../../src/core/docker';

// VS Code's notification link syntax (src/vs/base/common/linkedText.ts).
const LINKED_TEXT = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
// markdown-it (a devDependency of vsce) stands in for the hover renderer: CommonMark plus linkify.
interface Md {
  render(s: string): string;
  renderInline(s: string): string;
  utils: { unescapeAll(s: string): string };
}
const MarkdownIt = createRequire(__filename)('markdown-it') as new (o: object) => Md;
const md = new MarkdownIt({ linkify: true });
const PAYLOADS = [
  '[Open …](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D)',
  '[x](https://evil.example/a)',
  '<a href="command:x">y</a>',
  '![i](https://evil.example/i.png)',
  'https://evil.example/auto',
  'a`b [c](command:d) `e',
  '**bold** _it_ # h\n- list',
];

describe('markdown escaping of settings/engine text', () => {
  for (const p of PAYLOADS) {
    it(`escapeMarkdown renders ${JSON.stringify(p)} as the same text, no link or html`, () => {
      const html = md.renderInline(escapeMarkdown(p));
      assert.doesNotMatch(html, /<a |<img |<strong>|<em>/);
      assert.equal(md.utils.unescapeAll(html), p.replace(/\n/g, ' '));
    });
    it(`markdownCode keeps ${JSON.stringify(p)} verbatim inside one code span`, () => {
      const html = md.renderInline(markdownCode(p));
      assert.match(html, /^<code>[^]*<\/code>$/);
      assert.doesNotMatch(html, /<a /);
      assert.equal((html.match(/<code>/g) ?? []).length, 1);
    });
    it(`neutralizeLinks leaves no VS Code link in ${JSON.stringify(p)}`, () => {
      assert.equal([...neutralizeLinks(p).matchAll(LINKED_TEXT)].length, 0);
      assert.equal(neutralizeLinks(p).replace(/\u200B/g, ''), p);
    });
  }

  it('the payload really is a link without the helpers (the test can fail)', () => {
    assert.equal([...PAYLOADS[0].matchAll(LINKED_TEXT)].length, 1);
    assert.match(md.renderInline(PAYLOADS[1]), /<a /);
  });

  it('container and image tooltips render no link from names, labels or mount paths', () => {
    const c: ContainerSummary = {
      id: 'a'.repeat(64),
      name: 'gpuc-x',
      image: 'img`[x](https://evil.example)`',
      imageId: 'sha256:1',
      state: 'running',
      status: 'Up [s](https://evil.example)',
      created: 0,
      labels: {},
      owner: '[Open](command:workbench.action.openSettings)',
      ports: [],
      mounts: [{ type: 'bind', source: '/tmp/a`[m](https://evil.example)`', destination: '/w', readOnly: false }],
    } as unknown as ContainerSummary;
    const html = md.render(containerTooltip(c, { now: 1 }));
    assert.doesNotMatch(html, /<a /);
    const img = md.render(
      imageTooltip(
        {
          image: {
            id: 'sha256:' + 'b'.repeat(64),
            tags: ['a:1', 'b`[t](https://evil.example)`:2'],
            size: 1,
            created: 0,
          },
          tag: 'a:1',
        } as never,
        { now: 1 },
      ),
    );
    assert.doesNotMatch(img, /<a /);
  });
});
