#!/usr/bin/env node
// `npm test`: every suite, one after another — lint (zero warnings), ruff (the Python worker), security-lint (Electronegativity, offline), typecheck, vitest, pytest, Playwright (web).
// Each suite runs even when an earlier one failed, so one run shows everything; the exit code is 1 if any failed.
// DISTILLERY_TEST_PARALLEL=1 runs pytest beside Playwright (pytest's output held and printed whole after Playwright's).
// Not the default: on two cores the pair took 782 s against 671 s in turn, and a Playwright spec with a 20,000-token
// evaluation timed out under the extra load (CI must not be flaky); on a machine with more cores it saves pytest's time.
import { spawn, spawnSync } from 'node:child_process';

const suites = [
  ['lint', 'npm', ['run', '-s', 'lint']],
  ['ruff', '.venv/bin/ruff', ['check', 'resources/python']],
  ['security-lint', 'npm', ['run', '-s', 'lint:electron']],
  ['typecheck', 'npm', ['run', '-s', 'typecheck']],
  ['vitest', 'npm', ['run', '-s', 'test:unit']],
  ['pytest', 'npm', ['run', '-s', 'test:python']],
  ['playwright', 'npm', ['run', '-s', 'e2e']],
];
// A suite started in the background when the suite it names starts (both selected), reported in its own place.
const beside = process.env.DISTILLERY_TEST_PARALLEL === '1' ? { pytest: 'playwright' } : {};
const only = process.argv.slice(2);
const selected = suites.filter(([name]) => !only.length || only.includes(name));
const names = new Set(selected.map(([name]) => name));
const results = new Map();

/** Runs a suite with its output held; resolves to {ok, secs, output} when it ends. */
function background(cmd, args) {
  const started = Date.now();
  return new Promise((resolve) => {
    const chunks = [];
    let child;
    try {
      child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    } catch (e) {
      resolve({ ok: false, secs: '0.0', output: `could not start ${cmd}: ${e.message}\n` });
      return;
    }
    child.stdout.on('data', (d) => chunks.push(d));
    child.stderr.on('data', (d) => chunks.push(d));
    child.on('error', (e) => resolve({ ok: false, secs: '0.0', output: `${Buffer.concat(chunks).toString()}could not start ${cmd}: ${e.message}\n` }));
    child.on('close', (code) => resolve({ ok: code === 0, secs: ((Date.now() - started) / 1000).toFixed(1), output: Buffer.concat(chunks).toString() }));
  });
}

const held = [];
for (const [name, cmd, args] of selected) {
  if (beside[name] && names.has(beside[name])) continue; // started with its partner below
  for (const [other, ocmd, oargs] of selected) {
    if (beside[other] === name) {
      console.log(`\n━━ ${other} (beside ${name}; its output follows ${name}'s) ━━`);
      held.push([other, background(ocmd, oargs)]);
    }
  }
  const started = Date.now();
  console.log(`\n━━ ${name} ━━`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  results.set(name, { name, ok: r.status === 0, secs: ((Date.now() - started) / 1000).toFixed(1) });
  for (const [other, running] of held.splice(0)) {
    const o = await running;
    console.log(`\n━━ ${other} (ran beside ${name}) ━━`);
    process.stdout.write(o.output);
    results.set(other, { name: other, ok: o.ok, secs: o.secs });
  }
}
console.log('\n━━ summary ━━');
const ordered = selected.map(([name]) => results.get(name));
for (const r of ordered) console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(11)} ${r.secs}s`);
const failed = ordered.filter((r) => !r.ok).length;
console.log(`suites: ${ordered.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
