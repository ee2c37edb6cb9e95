/**
 * Issue 24 item 3: every surface a profile or a container travels through (Inspect, Copy as docker run, Save
 * as Launch Profile, Import docker run, the three exports) keeps secrets out — on the command line too, in the
 * value shapes the detector used to miss, next to a variable — and writes the home folder as `~`. Prints one
 * line with how many of the cases leaked.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  exportNotice,
  importDockerRun,
  parseProfiles,
  profileFromInspect,
  savableProfile,
  toDevcontainerJson,
  toPortableCompose,
  toPortableDockerRun,
  toProfileSettings,
  type ContainerInspectJson,
  type Profile,
} from '../../../src/core/profiles';
import { isSecretValue, maskArgv, maskInspect, redact } from '../../../src/core/secrets';

const TOKEN = 'hf_CmdLineSECRETsecret0123456789ab';
const DB_PASS = 'dbPassw0rdLiteral';
const PASSWORD = 'xyzLiteralPw';
const MYSQL_PW = 'MyS3cretPw';
const COMMAND = ['python', 'train.py', '--hf_token', TOKEN, `--db-pass=${DB_PASS}`, '--password', PASSWORD];
const CMD_SECRETS = [TOKEN, DB_PASS, PASSWORD, MYSQL_PW];
const HOME = '/home/tom';

/** Shapes the detector missed (issue 24): each under a harmless name, never in an export. */
const SHAPES: Record<string, string> = {
  'URL password with /': 'postgres://app:pa/ss@db.example/x',
  'PGP private key block':
    '-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBGSecretPgpKeyMaterial\n-----END PGP PRIVATE KEY BLOCK-----',
  'Azure AccountKey':
    'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0S2V5VmFsdWUxMjM0NTY3ODkw==;EndpointSuffix=core.windows.net',
  'Slack xapp-': 'xapp-1-A0123456789-1234567890123-abcdef0123456789',
  'Stripe sk_live_': 'sk_live_51H8abcdEFGHijklMNOPqrst',
  'Google ya29.': 'ya29.a0AfH6SMBxyzAbCdEfGhIjKlMnOpQrSt',
  'SendGrid SG.': 'SG.abcdefghijABCDEFGHIJkl.mnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01234',
  'PyPI pypi-': 'pypi-AgEIcHlwaS5vcmcCJGFiY2RlZmdoLWlqa2wtbW5vcC1xcnN0LXV2d3h5ejAxMjM0NQ',
};
/** The secret part of each shape (what must not appear). */
const SECRET_PART: Record<string, string> = {
  'URL password with /': 'pa/ss',
  'PGP private key block': 'SecretPgpKeyMaterial',
  'Azure AccountKey': 'c2VjcmV0S2V5VmFsdWUxMjM0NTY3ODkw',
};

const results: Array<{ surface: string; leaked: boolean }> = [];
function check(surface: string, text: string, secrets: readonly string[]): void {
  const found = secrets.filter((s) => text.includes(s));
  results.push({ surface, leaked: found.length > 0 });
  assert.deepEqual(found, [], `${surface} leaked: ${text.slice(0, 600)}`);
}
const exportsOf = (p: Profile) => [
  toPortableDockerRun(p, { userHome: HOME }).text,
  toPortableCompose(p, { userHome: HOME }).text,
  toDevcontainerJson(p, { userHome: HOME }).text,
];
const profile = (o: Record<string, unknown>): Profile => {
  const r = parseProfiles([{ name: 'p', image: 'busybox', ...o }]);
  assert.deepEqual(
    r.problems.filter((x) => x.severity === 'error'),
    [],
  );
  return r.profiles[0];
};

after(() => {
  const leaked = results.filter((r) => r.leaked).length;
  console.log(`[secret surfaces] leaked: ${leaked}/${results.length}`);
});

void describe('secrets on the command line (issue 24)', () => {
  const container: ContainerInspectJson & { Path: string; Args: string[] } = {
    Id: 'c0ffee0123456789',
    Name: '/worker',
    Path: 'python',
    Args: COMMAND.slice(1),
    Config: { Image: 'busybox', Cmd: COMMAND, Env: ['PATH=/bin'] },
    HostConfig: { Binds: [`${HOME}:/h`, `${HOME}/data:/data:ro`, '/homework:/w'] },
  };

  void it('Inspect masks them until Reveal', () => {
    const { json, masked } = maskInspect(container);
    check('Inspect (command line)', JSON.stringify(json), CMD_SECRETS);
    assert.ok(masked >= 6, `masked ${masked}`);
    assert.ok(JSON.stringify(json).includes('--hf_token'), 'the flag names stay');
  });
  void it('Copy as docker run (from a container) takes them from the environment', () => {
    const line = toPortableDockerRun(profileFromInspect(container), { userHome: HOME }).text;
    check('Copy as docker run (command line)', line, CMD_SECRETS);
    assert.match(line, / --hf_token "\$\{HF_TOKEN\}" "--db-pass=\$\{DB_PASS\}" --password "\$\{PASSWORD\}"$/);
  });
  void it('Save as Launch Profile writes ${env:NAME} instead, and says which', () => {
    const { profile: p, notes } = savableProfile(profileFromInspect(container), { userHome: HOME });
    const settings = toProfileSettings(p);
    check('Save as Launch Profile (command line)', JSON.stringify(settings), CMD_SECRETS);
    assert.deepEqual(settings.command, [
      'python',
      'train.py',
      '--hf_token',
      '${env:HF_TOKEN}',
      '--db-pass=${env:DB_PASS}',
      '--password',
      '${env:PASSWORD}',
    ]);
    const note = notes.find((n) => n.field === 'command');
    assert.ok(note && /HF_TOKEN, DB_PASS, PASSWORD/.test(note.message), JSON.stringify(notes));
  });
  const withCmd = () =>
    profile({ command: [...COMMAND, '&&', 'mysql', '-uroot', `-p${MYSQL_PW}`], entrypoint: ['env'] });
  for (const [i, name] of ['docker run export', 'Compose export', 'devcontainer.json export'].entries())
    void it(`the ${name} writes variables for them`, () => {
      const text = exportsOf(withCmd())[i];
      check(`${name} (command line)`, text, CMD_SECRETS);
      assert.ok(/HF_TOKEN/.test(text) && /--db-pass=/.test(text), text);
    });
  void it('mysql -p<pw>, a token inside sh -c, and references stay references', () => {
    assert.deepEqual(maskArgv(['mysql', '-uroot', `-p${MYSQL_PW}`, 'db']).args, ['mysql', '-uroot', '-p***', 'db']);
    assert.deepEqual(maskArgv(['sh', '-c', `curl --token ${TOKEN} x && run --api-key=abc123`]).args, [
      'sh',
      '-c',
      'curl --token *** x && run --api-key=***',
    ]);
    const kept = ['run', '--hf_token', '${env:HF_TOKEN}', '--password=$PW', '-p', '8080', '--token-file', '/run/t'];
    assert.deepEqual(maskArgv(kept).args, kept);
    // Not secrets: ordinary flags, ports, gcc's -pthread, flags naming where a secret is.
    for (const ok of [
      ['python', '-m', 'sk-learn', '--epochs', '3', '--lr=0.1'],
      ['gcc', '-pthread', '-p8080', 'x.c'],
      ['docker', 'login', '--password-stdin', 'registry.example'],
      ['run', '--no-auth', 'serve', '--keyboard', 'us'],
    ])
      assert.deepEqual(maskArgv(ok).args, ok);
  });
});

void describe('value shapes the detector missed (issue 24)', () => {
  for (const [name, value] of Object.entries(SHAPES))
    void it(`${name}: recognised, and no export holds it`, () => {
      assert.ok(isSecretValue(value), name);
      const secret = SECRET_PART[name] ?? value;
      const all = exportsOf(profile({ env: { NOTES: value } })).join('\n');
      check(`shape: ${name}`, all + redact(`x ${value} y`), [secret]);
    });
  void it('ordinary values stay', () => {
    for (const v of [
      'sk-learn',
      'scikit-learn',
      'SG. Smith et al. 2020',
      'pypi-simple',
      'https://example.com:443/user@domain',
      'AccountName=acct;EndpointSuffix=core.windows.net',
      'xapp-settings',
      'ya29',
      'sk_live_x',
    ])
      assert.equal(isSecretValue(v), false, v);
    assert.equal(redact('see SG. Smith and sk-learn'), 'see SG. Smith and sk-learn');
  });
});

void describe('a secret next to a variable (issue 24)', () => {
  void it('only a value that is entirely variable references is safe', () => {
    const p = profile({
      env: {
        DATABASE_URL: 'postgres://app:n3xtToVar@${env:DBHOST}/x',
        CONN: 'postgres://app:n3xtToVar2@${env:DBHOST}/x',
        HF_TOKEN: '${env:HF_TOKEN}',
        SAFE_URL: 'postgres://app:${env:PW}@db/x',
      },
    });
    check('secret next to a variable', exportsOf(p).join('\n'), ['n3xtToVar']);
    const dev = JSON.parse(exportsOf(p)[2]) as { containerEnv: Record<string, string> };
    assert.equal(dev.containerEnv.HF_TOKEN, '${localEnv:HF_TOKEN}');
    assert.equal(dev.containerEnv.SAFE_URL, 'postgres://app:${localEnv:PW}@db/x');
  });
});

void describe('Import docker run saves no secret (issue 24)', () => {
  void it('-e HF_TOKEN=hf_… and --hf_token hf_… become ${env:HF_TOKEN}', () => {
    const { profile: imported } = importDockerRun(`docker run -e HF_TOKEN=${TOKEN} busybox run --hf_token ${TOKEN}`);
    const settings = toProfileSettings(savableProfile(imported).profile);
    check('Import docker run', JSON.stringify(settings), [TOKEN]);
    assert.deepEqual(settings.env, { HF_TOKEN: '${env:HF_TOKEN}' });
  });
});

void describe('home paths and the notice (issue 24)', () => {
  const container: ContainerInspectJson = {
    Id: 'c0ffee',
    Name: '/worker',
    Config: { Image: 'busybox' },
    HostConfig: { Binds: [`${HOME}:/h`, `${HOME}/data:/data:ro`, `${HOME}x:/w`] },
  };
  void it('a mount of the home folder is saved and exported with ~', () => {
    const back = profileFromInspect(container);
    const saved = toProfileSettings(savableProfile(back, { userHome: HOME }).profile);
    assert.deepEqual(saved.volumes, ['~:/h', '~/data:/data:ro', `${HOME}x:/w`]);
    const [run, compose, dev] = exportsOf(back);
    check('home path: settings', JSON.stringify(saved), [`${HOME}:`, `${HOME}/`]);
    check('home path: exports', [run, compose, dev].join('\n'), [`${HOME}:`, `${HOME}/`]);
    assert.match(run, / -v "\$\{HOME\}:\/h" -v ~\/data:\/data:ro -v \/home\/tomx:\/w /);
    assert.ok(dev.includes('source=${localEnv:HOME},target=/h'), dev);
  });
  void it('the export notice names the replaced keys, unmasked, and never a value', () => {
    const out = toDevcontainerJson(profile({ env: { HF_TOKEN: TOKEN, GH_PAT: 'ghp_x', PLAIN: 'v' } }));
    const shown = redact(exportNotice(undefined, out.notes)); // every message goes through redact (safeUi)
    assert.ok(!shown.includes('***'), shown);
    assert.ok(shown.includes('env.HF_TOKEN') && shown.includes('env.GH_PAT'), shown);
    check('the export notice', shown, [TOKEN, 'ghp_x']);
  });
});
