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

  it('keeps each electron/core folder to the folders its row of layers.mjs names', async () => {
    expect(await lint('electron/core/store/project.ts', "import { getTeacher } from '../teacher/store';\nexport const a = getTeacher;\n")).toEqual([
      expect.stringMatching(/^layers\/folders: electron\/core\/store may not import teacher\/ \(layer table in electron\/core\/layers\.mjs: store may import util\)/),
    ]);
    // A domain never imports the composition layer (its kinds.ts registers with jobs' JobKindRegistry), except
    // that its router (api.ts) is built with api/trpc.
    expect(await lint('electron/core/verify/job.ts', "import type { Engine } from '../engine';\nexport type E = Engine;\n")).toEqual([expect.stringMatching(/verify may not import engine\//)]);
    expect(await lint('electron/core/verify/kinds.ts', "import type { Engine } from '../engine';\nexport type E = Engine;\n")).toEqual([expect.stringMatching(/verify may not import engine\//)]);
    expect(await lint('electron/core/verify/api.ts', "import { router } from '../api/trpc';\nexport const r = router;\n")).toEqual([]);
    expect(await lint('electron/core/verify/api.ts', "import { appRouter } from '../api/router';\nexport const r = appRouter;\n")).toEqual([expect.stringMatching(/verify may not import api\//)]);
    expect(await lint('electron/core/pool/dedup.ts', "import { registerJobKinds } from '../kinds';\nexport const r = registerJobKinds;\n")).toEqual([
      expect.stringMatching(/root of electron\/core compose the engine/),
    ]);
    // Allowed edges, dynamic imports and tests.
    expect(await lint('electron/core/teacher/live.ts', "import { ensureServer } from '../localserve/ondemand';\nexport const a = ensureServer;\n")).toEqual([]);
    expect(await lint('electron/core/localserve/manager.ts', "export const a = () => import('../teacher/store');\n")).toEqual([expect.stringMatching(/localserve may not import teacher\//)]);
    expect(await lint('electron/core/pool/import.test.ts', "import { getTeacher } from '../teacher/store';\nexport const a = getTeacher;\n")).toEqual([]);
  });

  it('lets the renderer import types from electron/core, and nothing else', async () => {
    expect(await lint('renderer/api/token.ts', "import type { AppRouter } from '../electron/core/api/router';\nexport type R = AppRouter;\n")).toEqual([]);
    expect(await lint('renderer/api/token.ts', "import { appRouter } from '../electron/core/api/router';\nexport const r = appRouter;\n")).toEqual([
      expect.stringMatching(/may import only types from electron\/core/),
    ]);
    expect(await lint('renderer/api/token.ts', "import fs from 'node:fs';\nexport const f = fs;\n")).toEqual([expect.stringMatching(/has no Node/)]);
  });
});
