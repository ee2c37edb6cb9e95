import tseslint from 'typescript-eslint';

const DOCKERODE_ONLY_IN_CORE_DOCKER = ['dockerode', 'docker-modem'].map((name) => ({
  name,
  message: `Only the backends (src/core/docker, src/core/podman) talk to ${name}: use the Engine contract (src/core/docker/engineContract.ts).`,
}));

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '**/*.mjs', '**/*.js', 'test/fixtures/**'] },
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
    // Pure logic lives in src/core and must run under plain Node: no VS Code API there.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'src/core/** never imports vscode (see ARCHITECTURE.md, Invariants).' }] },
      ],
    },
  },
  {
    // One door to the engine: only src/core/docker talks to dockerode; everything else uses the Engine contract.
    files: ['src/**/*.ts'],
    ignores: ['src/core/**'],
    rules: { 'no-restricted-imports': ['error', { paths: DOCKERODE_ONLY_IN_CORE_DOCKER }] },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/docker/**', 'src/core/podman/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'src/core/** never imports vscode (see ARCHITECTURE.md, Invariants).' },
            ...DOCKERODE_ONLY_IN_CORE_DOCKER,
          ],
        },
      ],
    },
  },
  {
    files: ['src/core/podman/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'src/core/** never imports vscode (see ARCHITECTURE.md, Invariants).' }] },
      ],
    },
  },
);
