import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMoreRow, PAGE_SIZE, Pages } from '../../../src/core/tree/paging';

const rows = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

void describe('Pages: a level longer than a page ends with a "Show more" row', () => {
  void it('a level of at most one page is handed over whole, with no "Show more" row', () => {
    const pages = new Pages(3);
    assert.deepEqual(pages.page('', undefined, rows(3)), { rows: [0, 1, 2] });
    assert.deepEqual(pages.page('', undefined, []), { rows: [] });
  });

  void it('a longer level is cut to its page; the row says how many are shown of how many', () => {
    const pages = new Pages(3);
    const parent = { group: 'exited' };
    const p = pages.page('g', parent, rows(8));
    assert.deepEqual(p.rows, [0, 1, 2]);
    assert.deepEqual(p.more, { moreRows: true, key: 'g', parent, shown: 3, total: 8 });
    assert.ok(isMoreRow(p.more));
    assert.ok(!isMoreRow({ id: 'abc', name: 'x', state: 'running' }) && !isMoreRow(null) && !isMoreRow('more'));
  });

  void it('"Show more" adds a page to its level only, until the level fits', () => {
    const pages = new Pages(3);
    pages.showMore('g');
    assert.deepEqual(pages.page('g', undefined, rows(8)).rows, rows(6));
    assert.equal(pages.page('', undefined, rows(8)).rows.length, 3, 'another level keeps one page');
    pages.showMore('g');
    assert.deepEqual(pages.page('g', undefined, rows(8)), { rows: rows(8) });
  });

  void it('include() grows a level to the page holding a row, and says whether it had to', () => {
    const pages = new Pages(3);
    assert.equal(pages.include('', 2), false);
    assert.equal(pages.include('', 3), true);
    assert.equal(pages.limit(''), 6);
    assert.equal(pages.include('', 7), true);
    assert.equal(pages.limit(''), 9);
    assert.equal(pages.include('', 8), false);
  });

  void it('reset() goes back to one page everywhere (another filter is another list)', () => {
    const pages = new Pages(3);
    pages.showMore('');
    pages.showMore('g');
    pages.reset();
    assert.equal(pages.limit(''), 3);
    assert.equal(pages.limit('g'), 3);
  });

  void it('the default page is what a sidebar shows many times over, and far below 1,000 rows', () => {
    assert.equal(new Pages().limit(''), PAGE_SIZE);
    assert.ok(PAGE_SIZE >= 100 && PAGE_SIZE <= 300);
  });
});
