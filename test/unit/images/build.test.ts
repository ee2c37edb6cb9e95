import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildArgs, parseBuildArgs } from '../../../src/core/images/build';

void describe('buildArgs', () => {
  void it('minimal: tag and context after "--"', () => {
    assert.deepEqual(buildArgs({ context: '.', tag: 'app:dev' }), ['build', '--tag', 'app:dev', '--', '.']);
  });
  void it('every option, values kept as single argv entries (no shell quoting)', () => {
    assert.deepEqual(
      buildArgs({
        context: '/w/my proj',
        dockerfile: '/w/my proj/docker/Dockerfile.gpu',
        tag: 'app:v1',
        buildArgs: { CUDA: '12.4', MSG: 'hello world; rm -rf /' },
        noCache: true,
        pull: true,
        target: 'runtime',
      }),
      [
        'build',
        '--tag',
        'app:v1',
        '--file',
        '/w/my proj/docker/Dockerfile.gpu',
        '--build-arg',
        'CUDA=12.4',
        '--build-arg',
        'MSG=hello world; rm -rf /',
        '--no-cache',
        '--pull',
        '--target',
        'runtime',
        '--',
        '/w/my proj',
      ],
    );
  });
  void it('a context that starts with "-" stays a positional argument', () => {
    const argv = buildArgs({ context: '-ctx', tag: 't' });
    assert.deepEqual(argv.slice(-2), ['--', '-ctx']);
  });
});

void describe('parseBuildArgs', () => {
  void it('space-separated', () => {
    assert.deepEqual(parseBuildArgs('A=1 B=two'), { args: { A: '1', B: 'two' }, problems: [] });
  });
  void it('one per line, comments and blank lines, CRLF', () => {
    assert.deepEqual(parseBuildArgs('# cuda\r\nCUDA=12.4\r\n\r\nPY=3.11\n'), {
      args: { CUDA: '12.4', PY: '3.11' },
      problems: [],
    });
  });
  void it('quotes, escapes, "=" inside values, empty values', () => {
    assert.deepEqual(parseBuildArgs(`MSG="hello world" Q='a "b"' URL=http://x/?a=b E= ESC=a\\ b`).args, {
      MSG: 'hello world',
      Q: 'a "b"',
      URL: 'http://x/?a=b',
      E: '',
      ESC: 'a b',
    });
  });
  void it('empty input', () => {
    assert.deepEqual(parseBuildArgs(''), { args: {}, problems: [] });
    assert.deepEqual(parseBuildArgs('  \n # only a comment'), { args: {}, problems: [] });
  });
  const bad: [string, RegExp][] = [
    ['NOVALUE', /"NOVALUE" has no value; write NOVALUE=value/],
    ['=x', /no name before "="/],
    ['1A=x', /name "1A" is invalid/],
    ['MY-ARG=x', /name "MY-ARG" is invalid/],
    ['A="open', /unclosed quote/],
  ];
  for (const [text, re] of bad) {
    void it(`reports ${JSON.stringify(text)} and skips it`, () => {
      const r = parseBuildArgs(`OK=1 ${text}`);
      assert.equal(r.args.OK, '1');
      assert.equal(r.problems.length, 1, r.problems.join('|'));
      assert.match(r.problems[0], re);
    });
  }
  void it('duplicate key: last wins, with a problem', () => {
    const r = parseBuildArgs('A=1\nA=2');
    assert.deepEqual(r.args, { A: '2' });
    assert.match(r.problems[0], /A is given more than once/);
  });
});
