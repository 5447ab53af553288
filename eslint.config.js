// ESLint: the TypeScript and Vue recommended rules over the engine, the doors, the renderer, the tests and the
// benchmarks; formatting is Prettier's (eslint-config-prettier turns off the rules that would disagree with it).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE = /^node:|^(fs|path|os|child_process|worker_threads|crypto|url|util|stream|zlib|http|https|net)(\/|$)/;
const DOORS = 'a door (CLI, server, Electron) reaches the engine only through main/index.ts, main/api/lab-api.ts and the contract';

/** ESLint config blocks that forbid, in some files, the imports whose path matches a pattern (no-restricted-imports). */
function importZones(zones) {
  return zones.map(({ files, forbid }) => ({
    files,
    rules: {
      'no-restricted-imports': ['error', { patterns: forbid.map(([regex, message]) => ({ regex: regex.source, message })) }],
      '@typescript-eslint/no-restricted-imports': 'off',
    },
  }));
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', '**/*.d.ts', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // numeric kernels use `for (;;)` loops and constant conditions on purpose
      'no-constant-condition': ['error', { checkLoops: false }],
      'vue/multi-word-component-names': 'off',
      // Vue 3 has no filters: the rule only misreads TypeScript unions in templates (`x as number | undefined`)
      'vue/no-deprecated-filter': 'off',
    },
  },
  // The picture, enforced (docs/ARCHITECTURE.md): the renderer imports only the contract and the shared code; the
  // contract and the shared code are free of Node and import nothing of the engine (the contract nothing outside
  // itself, the shared code only the contract); the doors reach the engine only through main/index.ts (and the API
  // layer they serve, main/api/lab-api.ts), besides the contract.
  ...importZones([
    {
      files: ['renderer/src/**/*.{ts,vue}'],
      forbid: [
        [/(^|\/)main\/(?!contract\/|shared\/)/, 'the renderer imports only main/contract and main/shared'],
        [NODE, 'the renderer runs in a browser: no Node modules'],
      ],
    },
    ...[1, 2, 3].map((depth) => ({
      files: [`main/contract/${'*/'.repeat(depth - 1)}*.ts`],
      forbid: [
        [new RegExp(`^(\\.\\./){${depth}}`), 'the contract holds schemas and declarations only: it imports nothing outside main/contract'],
        [NODE, 'the contract is imported by the renderer: no Node modules'],
      ],
    })),
    {
      files: ['main/shared/*.ts'],
      forbid: [
        [/^\.\.\/(?!contract\/)/, 'the shared code imports only the contract and itself'],
        [NODE, 'the shared code is imported by the renderer: no Node modules'],
      ],
    },
    { files: ['main/cli/*.ts'], forbid: [[/^\.\.\/(?!index$|contract\/)/, DOORS]] },
    { files: ['main/cli/commands/*.ts'], forbid: [[/^\.\.\/\.\.\/(?!index$|contract\/|server\/server$)/, DOORS]] },
    { files: ['main/server/*.ts'], forbid: [[/^\.\.\/(?!index$|contract\/|api\/lab-api$)/, DOORS]] },
    { files: ['electron/*.ts'], forbid: [[/^\.\.\/main\/(?!index$|contract\/|api\/lab-api$)/, DOORS]] },
  ]),
  prettier,
);
