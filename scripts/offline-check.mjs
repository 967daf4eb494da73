#!/usr/bin/env node
// The no-network check (issue 21), run by .ci/run:
//   1. builds a small offline bundle (a few pins of the lock; CI does not download torch's GBs) while online,
//   2. re-runs itself inside a network namespace that has only loopback (unshare -n; -r where not root),
//   3. there: proves the namespace has no route out, verifies the bundle, installs it into a fresh venv with
//      uv --offline, alters a file and sees --verify refuse it (exit 2),
//   4. runs the whole pipeline on the sample project with DISTILLERY_OFFLINE=1: import (sample) → a local
//      teacher (transformers serve on a tiny random Qwen2) → generate → verify → curate → export → train
//      (2 steps) → evaluate, each through the CLI,
//   5. runs `distillery doctor --json` there (it must report offline),
//   6. fails if the egress log holds any refused (or any allowed) connection.
// Prints the seconds of every stage. Usage: node scripts/offline-check.mjs [--keep] [--skip-bundle]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const py = path.join(root, '.venv', 'bin', 'python');
const cli = path.join(root, 'bin', 'distillery.mjs');
const args = process.argv.slice(2);
const inside = args.indexOf('--inside');
const started = Date.now();
const times = [];

function fail(msg) {
  console.error(`[offline-check] FAIL: ${msg}`);
  process.exit(1);
}
function log(msg) {
  console.log(`[offline-check] ${msg}`);
}
async function stage(name, fn) {
  const t = Date.now();
  log(`${name}…`);
  const r = await fn();
  const s = (Date.now() - t) / 1000;
  times.push([name, s]);
  log(`${name}: ${s.toFixed(1)} s`);
  return r;
}
function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts, env: { ...process.env, ...(opts.env ?? {}) } });
  if (opts.expect !== undefined ? r.status !== opts.expect : r.status !== 0) {
    fail(`${path.basename(cmd)} ${argv.slice(0, 3).join(' ')} … exited ${r.status}${r.error ? ` (${r.error.message})` : ''}\n${(r.stdout ?? '').slice(-3000)}\n${(r.stderr ?? '').slice(-3000)}`);
  }
  return r;
}
const distillery = (argv, opts) => run(process.execPath, [cli, ...argv], opts);

// ---------------------------------------------------------------- outside: build the bundle, enter the namespace
if (inside < 0) {
  if (!fs.existsSync(py)) fail(`${py} does not exist: run "npm run setup:python" first.`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-offline-'));
  if (!args.includes('--skip-bundle')) {
    await stage('bundle: build (online; pyyaml, packaging, iniconfig from the lock; no npm)', () =>
      distillery(['offline-bundle', '--out', path.join(work, 'bundle'), '--python-only', 'pyyaml,packaging,iniconfig', '--no-npm', '--json'], { env: { DISTILLERY_CONFIG_DIR: path.join(work, 'build-config') } }),
    );
  }
  const asRoot = process.getuid?.() === 0;
  const probe = spawnSync('unshare', [asRoot ? '-n' : '-rn', 'true']);
  if (probe.status !== 0) fail('unshare cannot make a network namespace here (needs root or unprivileged user namespaces); this check needs one.');
  const inner = `ip link set lo up && exec "${process.execPath}" "${fileURLToPath(import.meta.url)}" --inside "${work}" ${args.join(' ')}`;
  const child = spawn('unshare', [asRoot ? '-n' : '-rn', 'sh', '-c', inner], { stdio: 'inherit', cwd: root });
  const code = await new Promise((r) => child.on('exit', (c) => r(c ?? 1)));
  if (!args.includes('--keep')) fs.rmSync(work, { recursive: true, force: true });
  else log(`kept ${work}`);
  log(`total ${((Date.now() - started) / 1000).toFixed(1)} s (bundle build included)`);
  process.exit(code);
}

// ---------------------------------------------------------------- inside the namespace: loopback only
const work = args[inside + 1];
const config = path.join(work, 'config');
process.env.DISTILLERY_CONFIG_DIR = config;
process.env.DISTILLERY_OFFLINE = '1';
process.env.HF_HUB_OFFLINE = '1';
process.env.TRANSFORMERS_OFFLINE = '1';

await stage('namespace: no route out, loopback up', async () => {
  const links = run('ip', ['-o', 'link']).stdout.trim().split('\n');
  if (links.length !== 1 || !/: lo:/.test(links[0])) fail(`the namespace has more than loopback: ${links.join(' | ')}`);
  const err = await new Promise((resolve) => {
    const s = net.connect({ host: '1.1.1.1', port: 443, timeout: 3000 });
    s.on('connect', () => resolve(null));
    s.on('error', (e) => resolve(e.code));
    s.on('timeout', () => resolve('timeout'));
  });
  if (err === null) fail('a connection to 1.1.1.1:443 succeeded: this is not an isolated namespace.');
  log(`1.1.1.1:443 → ${err}`);
});

const bundle = path.join(work, 'bundle');
if (fs.existsSync(bundle)) {
  await stage('bundle: verify, install into a fresh venv with no network, refuse an altered copy', () => {
    const v = JSON.parse(distillery(['offline-bundle', '--verify', bundle, '--json']).stdout);
    if (!v.ok || !v.checked) fail(`the fresh bundle did not verify: ${JSON.stringify(v)}`);
    const uv = [process.env.UV, path.join(os.homedir(), '.cache', 'distillery', 'uv-0.13.9', 'bin', 'uv'), 'uv'].find((c) => c && spawnSync(c, ['--version']).status === 0);
    if (!uv) fail('uv is not installed (npm run setup:python installs it).');
    const base = run(py, ['-c', 'import sys; print(sys._base_executable)']).stdout.trim();
    const venv = path.join(work, 'venv');
    run(uv, ['venv', '--python', base, venv], { env: { UV_PYTHON_DOWNLOADS: 'never' } });
    run(uv, ['pip', 'install', '--python', path.join(venv, 'bin', 'python'), '--offline', '--no-index', '--find-links', path.join(bundle, 'python', 'wheels'), '-r', path.join(bundle, 'python', 'requirements.lock')], { env: { UV_CACHE_DIR: path.join(work, 'uv-cache') } });
    const got = run(path.join(venv, 'bin', 'python'), ['-c', 'import yaml, packaging, iniconfig; print(yaml.__version__)']).stdout.trim();
    log(`installed from the bundle with no network: pyyaml ${got}`);
    const wheel = fs.readdirSync(path.join(bundle, 'python', 'wheels'))[0];
    const f = path.join(bundle, 'python', 'wheels', wheel);
    fs.appendFileSync(f, 'x');
    const bad = distillery(['offline-bundle', '--verify', bundle], { expect: 2 });
    if (!bad.stderr.includes(`altered     python/wheels/${wheel}`)) fail(`--verify did not name the altered wheel:\n${bad.stderr}`);
  });
}

// The pipeline. A tiny random Qwen2 (built by the worker, cached in the temp folder) is teacher, base and student.
const proj = path.join(work, 'project');
const model = process.env.DISTILLERY_TINY_MODEL ?? path.join(os.tmpdir(), 'distillery-tiny-qwen2-v2');
await stage('tiny model', () => {
  if (!fs.existsSync(path.join(model, 'model.safetensors'))) run(py, ['-m', 'distillery_worker', 'tiny-model', '--out', model]);
});
await stage('import: the sample project, plus 6 questions with reasoning traces (the tiny teacher writes noise)', () => {
  distillery(['project', 'sample', proj, '--json']);
  const file = path.join(work, 'traces.jsonl');
  const rows = Array.from({ length: 6 }, (_, i) => ({ question: `Offline check ${i}: what is ${i} + ${i + 2}?`, answer: String(2 * i + 2), thinking: `Add ${i} and ${i + 2}: the sum is ${2 * i + 2}.`, attempt: `The answer is \\boxed{${2 * i + 2}}.` }));
  fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  distillery(['import', proj, file, '--map', 'question=question,answer=answer,thinking=thinking,attempt=attempt', '--source', 'offline-check', '--json']);
});

const port = await new Promise((r) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => r(p));
  });
});
const serve = spawn(path.join(root, '.venv', 'bin', 'transformers'), ['serve', model, '--host', '127.0.0.1', '--port', String(port), '--device', 'cpu'], { stdio: 'ignore', detached: true });
const stopServe = () => {
  try {
    process.kill(-serve.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
};
process.on('exit', stopServe);
try {
  await stage('teacher: transformers serve on loopback', async () => {
    for (let i = 0; i < 600; i++) {
      const ok = await fetch(`http://127.0.0.1:${port}/v1/models`).then((r) => r.ok).catch(() => false);
      if (ok) return;
      if (serve.exitCode !== null) fail(`transformers serve exited ${serve.exitCode}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    fail('transformers serve did not answer in 10 minutes');
  });
  await stage('teacher add', () => distillery(['teacher', 'add', proj, '--name', 'tiny', '--url', `http://127.0.0.1:${port}/v1`, '--model', model, '--preset', 'transformers']));
  await stage('generate (4 questions)', () => distillery(['generate', proj, '--teacher', 'tiny', '--limit', '4', '--max-tokens', '24', '--concurrency', '2', '--temperature', '0', '--json']));
  await stage('verify', () => distillery(['verify', proj, '--json']));
  await stage('curate', () => {
    distillery(['curate', proj, '--target', '3', '--json']);
    distillery(['curate', proj, '--freeze']);
  });
  const out = path.join(work, 'export');
  await stage('export', () => distillery(['export', proj, '--format', 'trl', '--out', out, '--include', 'all', '--scope', 'pool', '--val', '0', '--allow-empty-thinking', '--json']));
  const trained = await stage('train (2 steps)', () => {
    const lines = distillery(['train', proj, '--base', model, '--dataset', out, '--recipe', 's1', '--max-steps', '2', '--max-length', '256', '--micro-batch', '1', '--json']).stdout.trim().split('\n');
    const last = JSON.parse(lines.at(-1));
    if (!last.output_dir) fail(`train printed no output_dir: ${lines.at(-1)}`);
    return last.output_dir;
  });
  stopServe();
  await stage('evaluate the trained student (2 questions, budget 8)', () => {
    const bench = path.join(work, 'bench.jsonl');
    fs.writeFileSync(bench, '{"problem":"What is 1+1?","answer":"2"}\n{"problem":"What is 2+3?","answer":"5"}\n');
    distillery(['eval', proj, '--model', trained, '--bench', bench, '--max-thinking', '8', '--limit', '2', '--json']);
  });
} finally {
  stopServe();
}

await stage('doctor --json (the preflight inside the namespace: says offline, answers without importing torch)', () => {
  const r = spawnSync(process.execPath, [cli, 'doctor', proj, '--json'], { cwd: root, encoding: 'utf8' });
  let rep;
  try {
    rep = JSON.parse(r.stdout);
  } catch {
    fail(`doctor --json printed no JSON (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  log(`doctor: ${rep.status} in ${rep.elapsed_ms} ms: ${rep.checks.map((c) => `${c.id}=${c.status}`).join(' ')}`);
  const off = rep.checks.find((c) => c.id === 'offline');
  if (!off?.detail?.offline) fail(`doctor does not report the offline setting: ${JSON.stringify(off)}`);
});

const logFile = path.join(config, 'egress.jsonl');
const entries = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
const refused = entries.filter((e) => !e.allowed);
log(`egress log ${logFile}: ${entries.length} entries, ${refused.length} refused`);
for (const e of entries) log(`  ${e.t} ${e.allowed ? 'allowed' : 'REFUSED'} ${e.host}:${e.port} (${e.who})`);
for (const [n, s] of times) log(`  ${s.toFixed(1).padStart(6)} s  ${n}`);
if (entries.length) fail('the pipeline tried to connect outside this machine (see the egress log above).');
log(`the whole pipeline ran with loopback only and no connection left the machine (${((Date.now() - started) / 1000).toFixed(1)} s inside the namespace).`);
