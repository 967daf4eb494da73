#!/usr/bin/env node
// Runs the Python worker's tests: .venv/bin/python -m pytest resources/python/tests -q
// Extra arguments are passed to pytest (npm run test:python -- -k tiny).
// Offline: HF_HUB_OFFLINE=1 and TRANSFORMERS_OFFLINE=1, so no test can reach the Hub.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const venvPython =
  process.platform === 'win32'
    ? join(repoRoot, '.venv', 'Scripts', 'python.exe')
    : join(repoRoot, '.venv', 'bin', 'python');

if (!existsSync(venvPython)) {
  console.error(`[pytest] ${venvPython} is missing: run \`npm run setup:python\` first to create the Python environment.`);
  process.exit(1);
}

const args = ['-m', 'pytest', 'resources/python/tests', '-q', ...process.argv.slice(2)];
const r = spawnSync(venvPython, args, {
  cwd: repoRoot,
  stdio: 'inherit',
  env: {
    ...process.env,
    HF_HUB_OFFLINE: '1',
    TRANSFORMERS_OFFLINE: '1',
    HF_DATASETS_OFFLINE: '1',
    TOKENIZERS_PARALLELISM: 'false',
  },
});

if (r.error) {
  console.error(`[pytest] could not start ${venvPython}: ${r.error.message}. Rerun \`npm run setup:python\`.`);
  process.exit(1);
}
if (r.status === 5) {
  console.error('[pytest] pytest collected no tests (exit 5); resources/python/tests should never be empty, so this counts as a failure.');
  process.exit(1);
}
if (r.status !== 0) {
  console.error(`[pytest] Python tests failed (pytest exit ${r.status ?? r.signal}).`);
}
process.exit(r.status ?? 1);
