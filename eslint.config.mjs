import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const DOCKERODE_ONLY_IN_CORE_DOCKER = ['dockerode', 'docker-modem'].map((name) => ({
  name,
  message: `Only the backends (src/core/docker, src/core/podman) talk to ${name}: use the Engine contract (src/core/docker/engineContract.ts).`,
}));

const BACKENDS = ['docker', 'podman'];

const NO_VSCODE_IN_CORE = {
  name: 'vscode',
  message: 'src/core/** never imports vscode (see ARCHITECTURE.md, Invariants).',
};

/**
 * A relative import that climbs out of src/core from a file `depth` folders below it (src/core/x.ts: 1): any
 * glue file or folder (extension, hostsService, commands/…, tree/…), now or added later, by pattern.
 */
const climbsOutOfCore = (depth) => ({
  regex: `^(\\.\\./){${depth}}(?!core(/|$))`,
  message:
    'src/core/** imports nothing outside src/core: glue depends on core, never the other way (see ARCHITECTURE.md, Invariants).',
});

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '**/*.js', 'test/fixtures/**'] },
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's describe/it return promises the runner tracks itself.
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-console': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // Tests read untyped JSON (`docker inspect`, nvidia-smi and settings fixtures) and poke at results with
    // assert; typing every such read would add noise, not safety. src/ and bench/ keep the no-unsafe-* rules.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // One door to the engine: only src/core/docker talks to dockerode; everything else uses the Engine contract.
    files: ['src/**/*.ts'],
    ignores: ['src/core/**'],
    rules: { 'no-restricted-imports': ['error', { paths: DOCKERODE_ONLY_IN_CORE_DOCKER }] },
  },
  // src/core/** is plain Node: no VS Code API, and nothing outside src/core (glue depends on core, never the
  // other way). One block per folder depth (the rule's options replace, never merge), each with all of core's
  // restrictions; the backends' folders (src/core/docker, src/core/podman) may use dockerode.
  ...[1, 2, 3].flatMap((depth) => {
    const below = '*/'.repeat(depth - 1);
    const backends = depth > 1 ? BACKENDS.map((b) => `src/core/${b}/${'*/'.repeat(depth - 2)}*.ts`) : [];
    const rule = (paths) => ({
      'no-restricted-imports': ['error', { paths: [NO_VSCODE_IN_CORE, ...paths], patterns: [climbsOutOfCore(depth)] }],
    });
    return [
      { files: [`src/core/${below}*.ts`], ignores: backends, rules: rule(DOCKERODE_ONLY_IN_CORE_DOCKER) },
      ...(backends.length ? [{ files: backends, rules: rule([]) }] : []),
    ];
  }),
  {
    // Plain Node ESM scripts (the rig, the test runners, esbuild.mjs): eslint's recommended rules, Node's globals,
    // no type information.
    files: ['scripts/**/*.mjs', '*.mjs'],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: Object.fromEntries(Object.getOwnPropertyNames(globalThis).map((name) => [name, 'readonly'])),
    },
    rules: {
      ...js.configs.recommended.rules,
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
    },
  },
);
