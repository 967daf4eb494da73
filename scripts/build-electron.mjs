#!/usr/bin/env node
// Bundles the Electron shell with esbuild:
//   electron/main/index.ts    -> out/main/index.js     (ESM: package.json is "type": "module"; Electron 45 loads ESM
//                                                       mains, and execa 9 is ESM-only)
//   electron/preload/index.ts -> out/preload/index.cjs (CommonJS: a sandboxed preload cannot be ESM and may
//                                                       require only 'electron', so trpc-electron is bundled in)
// Runs without Electron's binary: it only needs esbuild.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const production = process.env.NODE_ENV === 'production' || process.argv.includes('--production');
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: production ? false : 'linked',
  legalComments: 'none',
  logLevel: 'info',
  define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
};

const started = Date.now();
await Promise.all([
  build({
    ...common,
    entryPoints: ['electron/main/index.ts'],
    outfile: 'out/main/index.js',
    format: 'esm',
    // Every npm dependency (better-sqlite3 and other native modules, execa, tRPC, zod, ...) loads from
    // node_modules at run time: native modules cannot be bundled, and electron-builder rebuilds them for Electron.
    packages: 'external',
    external: ['electron'],
  }),
  build({
    ...common,
    entryPoints: ['electron/preload/index.ts'],
    outfile: 'out/preload/index.cjs',
    format: 'cjs',
    platform: 'browser',
    external: ['electron'],
  }),
]);

// The in-app engine's worker thread is plain JavaScript loaded by path (electron/core/infer/folder.ts looks
// for it in out/main/infer/ when packaged): copy it beside the bundle.
fs.mkdirSync(path.join(root, 'out/main/infer'), { recursive: true });
for (const f of ['worker.mjs', 'decode.mjs']) fs.copyFileSync(path.join(root, 'electron/core/infer', f), path.join(root, 'out/main/infer', f));

// The sandboxed preload must not reach for anything but 'electron'.
const preload = fs.readFileSync(path.join(root, 'out/preload/index.cjs'), 'utf8');
const required = [...preload.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
const stray = required.filter((r) => r !== 'electron');
if (stray.length) {
  console.error(`The preload bundle requires ${stray.join(', ')}; a sandboxed preload may require only 'electron'.`);
  process.exit(1);
}
console.log(`Electron shell bundled into out/main/index.js and out/preload/index.cjs in ${Date.now() - started} ms.`);
