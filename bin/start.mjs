#!/usr/bin/env node
// `npm start`: the desktop app where Electron's binary is installed, browser mode everywhere else.
// Electron's installer downloads its binary from GitHub, outside the npm registry, so on air-gapped
// machines and locked-down CI the package is present but the binary is not. Then this starts exactly
// what `npx distillery serve` starts, passing on any extra arguments (--port, --project, --host).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

/** The Electron executable, or null with the reason it is not usable. */
function electronBinary() {
  if (process.env.DISTILLERY_NO_ELECTRON) return { path: null, why: 'DISTILLERY_NO_ELECTRON is set' };
  try {
    // The electron package's main returns the binary's path, and throws (or would download) when it is missing.
    // Check for its path.txt first, so that requiring it never tries to download anything.
    const pkgDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    if (!process.env.ELECTRON_OVERRIDE_DIST_PATH && !fs.existsSync(path.join(pkgDir, 'path.txt'))) {
      return { path: null, why: "its installer downloads it from GitHub, outside the npm registry, and that download is blocked or impossible here (air-gapped machine or CI)" };
    }
    const bin = createRequire(import.meta.url)('electron');
    if (typeof bin === 'string' && fs.existsSync(bin)) return { path: bin, why: '' };
    return { path: null, why: 'the electron package points at a binary that is not on disk (its download from GitHub, outside the npm registry, did not happen)' };
  } catch {
    return { path: null, why: "the electron package is not installed or its binary was never downloaded (it comes from GitHub, outside the npm registry)" };
  }
}

/** Runs a child with our stdio, forwards SIGINT/SIGTERM to it, and exits with its code. */
function runForwarding(command, argv, env = process.env) {
  const child = spawn(command, argv, { cwd: root, stdio: 'inherit', env });
  const forward = (signal) => () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('error', (err) => {
    console.error(`Could not start ${path.basename(command)}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : 1)));
}

function buildStep(what, argv) {
  console.error(`Building ${what} (first start)…`);
  const r = spawnSync(process.execPath, argv, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`Building ${what} failed (exit code ${r.status ?? r.signal}); fix the error above and run npm start again.`);
    process.exit(r.status ?? 1);
  }
}

const electron = electronBinary();
if (electron.path) {
  if (!fs.existsSync(path.join(root, 'out/renderer/index.html'))) {
    buildStep('the interface', [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.config.ts', '--logLevel', 'warn']);
  }
  if (!fs.existsSync(path.join(root, 'out/main/index.js')) || !fs.existsSync(path.join(root, 'out/preload/index.cjs'))) {
    buildStep('the desktop shell', [path.join(root, 'scripts/build-electron.mjs')]);
  }
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  runForwarding(electron.path, [path.join(root, 'out/main/index.js'), ...args], env);
} else {
  console.error(`Electron's binary is not installed here: ${electron.why}; starting browser mode instead (same as npx distillery serve).`);
  runForwarding(process.execPath, [path.join(root, 'bin/distillery.mjs'), 'serve', ...args]);
}
