import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSecretName, maskInspect, redact, redactEnv } from '../../../src/core/secrets';

const SECRET = 'Sup3r-s3cret-value';
// At least the 20 names people keep secrets under (issue 18 item 7 found 8 of these passing through).
const SECRET_NAMES = [
  'HF_TOKEN',
  'HUGGING_FACE_HUB_TOKEN',
  'GH_TOKEN',
  'GITHUB_TOKEN',
  'GH_PAT',
  'GITHUB_PAT',
  'GITLAB_PAT',
  'DOCKER_PASS',
  'DOCKER_PASSWORD',
  'PGPASS',
  'PGPASSWORD',
  'MYSQL_ROOT_PASSWORD',
  'DATABASE_URL',
  'REDIS_URL',
  'MONGODB_URI',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SESSION_TOKEN',
  'WANDB_API_KEY',
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'NGC_API_KEY',
  'NPM_TOKEN',
  'SENTRY_DSN',
  'SLACK_WEBHOOK_URL',
  'KAGGLE_KEY',
  'AZURE_CLIENT_SECRET',
  'JUPYTER_TOKEN',
  'TWINE_PASSWORD',
  'MLFLOW_TRACKING_PASSWORD',
  'COMET_API_KEY',
  'GOOGLE_APPLICATION_CREDENTIALS',
  'REGISTRY_AUTH',
  'DB_PWD',
  'apiKey',
  'db.password',
];
const PLAIN_NAMES = [
  'PATH',
  'HOME',
  'PWD',
  'CUDA_VISIBLE_DEVICES',
  'NVIDIA_VISIBLE_DEVICES',
  'TOKENIZERS_PARALLELISM',
  'PYTHONPATH',
  'HF_HOME',
  'WANDB_PROJECT',
  'OMP_NUM_THREADS',
  'SSH_AUTH_SOCK',
  'NCCL_DEBUG',
  'AUTHOR',
  'KEYBOARD',
];

describe('secret names', () => {
  for (const name of SECRET_NAMES) {
    it(`${name} is redacted as NAME=value, quoted with spaces, JSON, YAML and in env lists`, () => {
      assert.ok(isSecretName(name));
      const forms = [
        `docker run -e ${name}=${SECRET} -e FOO=bar img`,
        `-e "${name}=${SECRET} with spaces" img`,
        `["-e","${name}=${SECRET} two words"]`,
        `{"${name}": "${SECRET} x"}`,
        `env:\n  ${name}: ${SECRET} and more\n  FOO: bar`,
        `  - ${name}=${SECRET}`,
      ];
      for (const text of forms) {
        const out = redact(text);
        assert.ok(!out.includes('s3cret') && !out.includes('spaces') && !out.includes('two words'), `${text} → ${out}`);
      }
      assert.match(redact(`docker run -e ${name}=${SECRET} -e FOO=bar img`), /-e FOO=bar img$/);
      assert.deepEqual(redactEnv([`${name}=${SECRET}`]), [`${name}=***`]);
    });
  }
  for (const name of PLAIN_NAMES) {
    it(`${name} is not a secret`, () => {
      assert.equal(isSecretName(name), false);
      assert.equal(redact(`${name}=/usr/bin`), `${name}=/usr/bin`);
    });
  }
});

describe('secret values by shape, under any name', () => {
  const shapes = [
    'hf_AbCdEfGhIjKlMnOpQrStUvWx',
    'ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789',
    'gho_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789',
    'github_pat_11ABCDEFG0123456789_abcdefghijklmnop',
    'glpat-AbCdEfGhIjKlMnOpQrSt',
    'sk-AbCdEfGhIjKlMnOpQrStUvWx',
    'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWx',
    'xoxb-1234567890-abcdefghij',
    'AKIAIOSFODNN7EXAMPLE',
    'npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789',
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig_nature',
  ];
  for (const v of shapes) {
    it(`${v.slice(0, 12)}… is redacted in free text and under a harmless name`, () => {
      assert.ok(!redact(`MY_VAR=${v} rest`).includes(v));
      assert.ok(!redact(`could not be split: --label x=${v}`).includes(v));
      assert.deepEqual(redactEnv([`SOMETHING=${v}`]), ['SOMETHING=***']);
    });
  }
  it('URLs keep the user but lose the password', () => {
    assert.equal(
      redact('pulling from https://tom:pa55w0rd@registry.example/v2/'),
      'pulling from https://tom:***@registry.example/v2/',
    );
    assert.equal(redact('postgres://u:p@db:5432/x'), 'postgres://u:***@db:5432/x');
  });
  it('flags and headers', () => {
    assert.equal(redact('docker login --password hunter2 reg'), 'docker login --password *** reg');
    assert.equal(redact('Authorization: Bearer abc.def'), 'Authorization: ***');
  });
  it('private keys', () => {
    assert.equal(redact('x -----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY----- y'), 'x *** y');
  });
});

describe('maskInspect', () => {
  it('masks secret env values in docker inspect JSON and counts them', () => {
    const raw = {
      Id: 'abc',
      Config: { Env: ['PATH=/bin', `GH_PAT=${SECRET}`, 'X=hf_AbCdEfGhIjKlMnOpQrStUvWx'], Labels: { a: 'b' } },
    };
    const { json, masked } = maskInspect(raw);
    assert.equal(masked, 2);
    assert.deepEqual((json as typeof raw).Config.Env, ['PATH=/bin', 'GH_PAT=***', 'X=***']);
    assert.equal(raw.Config.Env[1], `GH_PAT=${SECRET}`, 'the input is not modified');
  });
});
