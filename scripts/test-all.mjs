#!/usr/bin/env node
// `npm test`: every suite, in order — lint (zero warnings), ruff (the Python worker), security-lint (Electronegativity, offline), typecheck, vitest, pytest, Playwright (web).
// Each suite runs even when an earlier one failed, so one run shows everything; the exit code is 1 if any failed.
import { spawnSync } from 'node:child_process';

const suites = [
  ['lint', 'npm', ['run', '-s', 'lint']],
  ['ruff', '.venv/bin/ruff', ['check', 'resources/python']],
  ['security-lint', 'npm', ['run', '-s', 'lint:electron']],
  ['typecheck', 'npm', ['run', '-s', 'typecheck']],
  ['vitest', 'npm', ['run', '-s', 'test:unit']],
  ['pytest', 'npm', ['run', '-s', 'test:python']],
  ['playwright', 'npm', ['run', '-s', 'e2e']],
];
const only = process.argv.slice(2);
const results = [];
for (const [name, cmd, args] of suites) {
  if (only.length && !only.includes(name)) continue;
  const started = Date.now();
  console.log(`\n━━ ${name} ━━`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  const ok = r.status === 0;
  results.push({ name, ok, secs: ((Date.now() - started) / 1000).toFixed(1) });
}
console.log('\n━━ summary ━━');
for (const r of results) console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(11)} ${r.secs}s`);
const failed = results.filter((r) => !r.ok).length;
console.log(`suites: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
