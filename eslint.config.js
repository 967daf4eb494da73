// The layering rule of DESIGN.md §2 lives here, so that breaking it fails `npm run lint`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import path from 'node:path';
import { layerViolation } from './electron/core/layers.mjs';

const coreForbidden = {
  paths: [{ name: 'electron', message: 'electron/core is plain Node: it must never import electron (DESIGN §2).' }],
  patterns: [
    { group: ['**/electron/main/**', '../main/*', '../../main/*', '**/main/**'], message: 'electron/core may not import electron/main (DESIGN §2).' },
    { group: ['**/host/**', '../host/*', '../../host/*'], message: 'electron/core may not import electron/host (DESIGN §2).' },
    { group: ['**/renderer/**'], message: 'electron/core may not import the renderer (DESIGN §2).' },
  ],
};

// The engine's folder graph (electron/core/layers.mjs): a folder imports only the folders its row names.
const coreDir = path.join(import.meta.dirname, 'electron/core');
const layersPlugin = {
  rules: {
    folders: {
      meta: { type: 'problem', docs: { description: 'electron/core folders import only what electron/core/layers.mjs allows' }, schema: [] },
      create(context) {
        const check = (node) => {
          const spec = node.source?.type === 'Literal' ? node.source.value : null;
          const why = typeof spec === 'string' ? layerViolation(coreDir, context.filename, spec) : null;
          if (why) context.report({ node: node.source, message: why });
        };
        return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
      },
    },
  },
};

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'out/**', 'dist/**', '.venv/**', 'test-results/**', 'playwright-report/**', 'resources/python/**', 'bench/.cache/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['electron/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false }],
      // A promise handed where a void callback is expected (onClick={save}) drops its rejection unseen.
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', coreForbidden] },
  },
  {
    files: ['electron/core/**/*.ts', 'electron/core/**/*.mjs'],
    plugins: { layers: layersPlugin },
    rules: { 'layers/folders': 'error' },
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/host/**', '../host/*'], message: 'electron/main reaches the engine through electron/core, not the browser-mode host.' },
            { group: ['**/cli/**', '../cli/*'], message: 'electron/main may not import the CLI.' },
            { group: ['**/renderer/**'], message: 'electron/main may not import the renderer.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/main/policy.ts', 'electron/main/policy.test.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'policy.ts holds pure rules, testable without Electron.' }] }] },
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!electron$|trpc-electron/main$).*', message: 'The preload exposes only the transport: it may import electron and trpc-electron/main, nothing else.' }] },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // The renderer reaches the engine only through the typed API: type imports are allowed, values are not.
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer has no Node and no electron: use the typed API.' }],
          patterns: [
            { group: ['**/electron/core/**', '**/electron/main/**', '**/electron/host/**', '**/electron/preload/**'], allowTypeImports: true, message: 'The renderer may import only types from electron/core (DESIGN §2).' },
            { group: ['node:*'], message: 'The renderer has no Node (DESIGN §2).' },
          ],
        },
      ],
    },
  },
  {
    // Tests run in Node under vitest, not in the renderer: they may read files (e.g. the engine's sources, to
    // check that every engine message code has a translation). Engine values stay forbidden.
    files: ['renderer/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer has no Node and no electron: use the typed API.' }],
          patterns: [{ group: ['**/electron/core/**', '**/electron/main/**', '**/electron/host/**', '**/electron/preload/**'], allowTypeImports: true, message: 'The renderer may import only types from electron/core (DESIGN §2).' }],
        },
      ],
    },
  },
);
