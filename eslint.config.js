import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist', 'node_modules', '.uploads', 'test-results', 'custom-elements.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // The engine core takes its browser parts as ports (src/engine/ports.ts) and src/browser wires the
  // defaults, so the core imports no browser layer, no storage or hashing library and no Lit.
  {
    files: ['src/engine/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(browser|element|persistence|worker)(/|$)',
              message: 'The engine core takes browser parts as ports; src/browser wires them.',
            },
            {
              regex: '^(idb-keyval|spark-md5|hash-wasm|lit)(/|$)',
              message:
                'The engine core takes storage and hashing as ports and knows nothing of Lit.',
            },
          ],
        },
      ],
    },
  },
  // The adapters (persistence, worker) implement the engine's ports and see nothing else of it.
  {
    files: ['src/persistence/**', 'src/worker/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+engine/(?!(ports|types)\\.ts$)',
              message: 'Adapters import only the ports and types of the engine.',
            },
            {
              regex: '^(\\.\\./)+(browser|element)(/|$)',
              message: 'Adapters are wired by src/browser, never the other way.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'eslint.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
