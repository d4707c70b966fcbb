// Lint: typescript-eslint's strict type-checked set (type-aware rules need the TypeScript
// program, which Biome's linter does not have: docs/decisions/0003-lint-and-layers.md).
// Formatting is prettier's (.prettierrc); no stylistic rules here.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', 'build/**', 'node_modules/**', '.wrangler/**', '**/worker-configuration.d.ts', 'test/fixtures/**', 'coverage/**'],
  },
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: [
          './tsconfig.json',
          './tsconfig.node.json',
          './examples/llm-gateway/tsconfig.json',
          './packages/client/tsconfig.json',
          './ui/tsconfig.json',
        ],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Numbers and booleans read naturally in messages; objects and undefined do not.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `_`-prefixed names are deliberately unused (destructuring a field away, an interface's parameter).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // Hono's c.var builds a fresh object of every variable on each access; on the read path that
    // was 5.5% of CPU (docs/performance-log.md, 'Profiled since'). c.get(name) reads one.
    files: ['src/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='c'][property.name='var']",
          message: "Use c.get('name'): c.var copies every context variable per access.",
        },
        {
          // zod's `z` export is a namespace object holding every locale, which the bundler keeps
          // whole (360 KB, 18% of the bundle); `import * as z` lets it drop what no route uses
          // (docs/performance.md, 'Cold start and the bundle').
          selector: "ImportDeclaration[source.value=/^zod(\\u002F|$)/] > ImportSpecifier[imported.name='z']",
          message: "Use `import * as z from 'zod'`: the named `z` bundles every locale.",
        },
      ],
    },
  },
  {
    // Plain JavaScript (scripts, k6, benchmarks) is outside the TypeScript programs: syntax rules only.
    files: ['**/*.{js,mjs,cjs}', '**/*.d.mts'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Tests drive the API with untyped JSON answers: `any` is how a test reads a body.
    files: ['test/**', 'load/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
