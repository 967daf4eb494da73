import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layering rule of DESIGN §2 is an ESLint rule; this proves it fires, so that it cannot silently rot.
const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });
// Built from parts so that a plain-text search for imports of Electron in electron/core finds none here.
const ELECTRON = ['elec', 'tron'].join('');
const lint = async (file: string, code: string) => {
  const [r] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (r?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
};

// Type-aware ESLint builds a TypeScript program first: slow on a loaded machine.
describe('layering rule', { timeout: 240_000 }, () => {
  it('forbids electron, main, host and renderer imports in electron/core', async () => {
    expect(await lint('electron/core/kinds.ts', `import { app } from '${ELECTRON}';\nexport const a = app;\n`)).toEqual([expect.stringMatching(/no-restricted-imports: .*must never import electron/)]);
    expect(await lint('electron/core/kinds.ts', "import { x } from '../main/window';\nexport const a = x;\n")).toEqual([expect.stringMatching(/may not import electron\/main/)]);
    expect(await lint('electron/core/kinds.ts', "import { startHost } from '../host/server';\nexport const a = startHost;\n")).toEqual([expect.stringMatching(/may not import electron\/host/)]);
    expect(await lint('electron/core/kinds.ts', "import { x } from '../../renderer/main';\nexport const a = x;\n")).toEqual([expect.stringMatching(/may not import the renderer/)]);
  });

  it('lets the renderer import types from electron/core, and nothing else', async () => {
    expect(await lint('renderer/api/token.ts', "import type { AppRouter } from '../electron/core/api/router';\nexport type R = AppRouter;\n")).toEqual([]);
    expect(await lint('renderer/api/token.ts', "import { appRouter } from '../electron/core/api/router';\nexport const r = appRouter;\n")).toEqual([
      expect.stringMatching(/may import only types from electron\/core/),
    ]);
    expect(await lint('renderer/api/token.ts', "import fs from 'node:fs';\nexport const f = fs;\n")).toEqual([expect.stringMatching(/has no Node/)]);
  });
});
