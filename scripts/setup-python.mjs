#!/usr/bin/env node
// Creates the repo-root `.venv` with uv and installs the Python worker
// (resources/python, editable) with the exact pins of resources/python/requirements.lock.
//
//   npm run setup:python                        # online (PyPI)
//   npm run setup:python -- --wheelhouse DIR    # offline: only wheels from DIR
//   npm run setup:python -- --wheelhouse DIR --lock FILE   # an offline bundle's lock (distillery offline-bundle)
//   npm run setup:python -- --force             # reinstall even if the stamp matches
//
// Only Node built-ins. Idempotent: a stamp in .venv records a hash of the pins; when it
// matches and the interpreter works, nothing is installed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const UV_VERSION = '0.13.9';
const PYTHON_VERSION = '3.11';
const isWin = process.platform === 'win32';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const workerDir = join(repoRoot, 'resources', 'python');
const pyproject = join(workerDir, 'pyproject.toml');
const lockFile = join(workerDir, 'requirements.lock');
const venvDir = join(repoRoot, '.venv');
const venvPython = isWin ? join(venvDir, 'Scripts', 'python.exe') : join(venvDir, 'bin', 'python');
const stampFile = join(venvDir, '.distillery-setup.json');
const bootstrapDir = join(
  process.env.XDG_CACHE_HOME || join(homedir(), '.cache'),
  'distillery',
  `uv-${UV_VERSION}`,
);

const log = (msg) => console.log(`[setup:python] ${msg}`);

function fail(msg) {
  console.error(`[setup:python] ERROR: ${msg}`);
  process.exit(1);
}

function parseArgs(argv) {
  const opts = { wheelhouse: null, force: false, lock: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--wheelhouse') {
      const v = argv[++i];
      if (!v) fail('--wheelhouse needs a directory argument, e.g. --wheelhouse ./wheels.');
      opts.wheelhouse = resolve(v);
    } else if (a.startsWith('--wheelhouse=')) {
      opts.wheelhouse = resolve(a.slice('--wheelhouse='.length));
    } else if (a === '--lock') {
      const v = argv[++i];
      if (!v) fail('--lock needs a file argument, e.g. --lock BUNDLE/python/requirements.lock.');
      opts.lock = resolve(v);
    } else if (a === '--force') {
      opts.force = true;
    } else if (a === '-h' || a === '--help') {
      console.log(
        'Usage: npm run setup:python [-- --wheelhouse DIR] [-- --force]\n' +
          '  Creates .venv (Python 3.11) with uv and installs resources/python with its pinned deps.\n' +
          '  --wheelhouse DIR  install offline from the wheels in DIR (no network)\n' +
          '  --lock FILE       install these pins instead of resources/python/requirements.lock (an offline bundle\'s lock)\n' +
          '  --force           reinstall even if the environment is up to date',
      );
      process.exit(0);
    } else {
      fail(`unknown argument "${a}"; run with --help to see the options.`);
    }
  }
  return opts;
}

/** Runs a command; returns {status, stdout, stderr}. `inherit` streams output to the terminal. */
function run(cmd, args, { inherit = false, env = process.env } = {}) {
  const r = spawnSync(cmd, args, {
    cwd: repoRoot,
    env,
    stdio: inherit ? 'inherit' : 'pipe',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.error ? -1 : r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

function works(cmd, args) {
  const r = run(cmd, args);
  return r.status === 0 ? r.stdout.trim() : null;
}

function findBootstrapPython() {
  const candidates = [process.env.PYTHON, `python${PYTHON_VERSION}`, 'python3', 'python'].filter(Boolean);
  for (const c of candidates) {
    if (works(c, ['-c', 'import sys; print(sys.version)'])) return c;
  }
  return null;
}

function findUv(opts) {
  const local = isWin ? join(bootstrapDir, 'bin', 'uv.exe') : join(bootstrapDir, 'bin', 'uv');
  const candidates = [process.env.UV, 'uv', local, join(homedir(), '.local', 'bin', 'uv'), join(homedir(), '.cargo', 'bin', 'uv')].filter(Boolean);
  for (const c of candidates) {
    if (works(c, ['--version'])) return c;
  }
  // Not found: install uv from PyPI (or the wheelhouse) into a per-user bootstrap folder.
  const py = findBootstrapPython();
  if (!py) {
    fail('uv is not installed and no python3 was found to install it; install uv (https://docs.astral.sh/uv/) or Python 3.11, then rerun `npm run setup:python`.');
  }
  log(`uv not found; installing uv==${UV_VERSION} into ${bootstrapDir} with ${py} -m pip`);
  mkdirSync(bootstrapDir, { recursive: true });
  const pipArgs = ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--upgrade', '--target', bootstrapDir, `uv==${UV_VERSION}`];
  if (opts.wheelhouse) pipArgs.push('--no-index', '--find-links', opts.wheelhouse);
  const r = run(py, pipArgs, { inherit: true });
  if (r.status !== 0 || !works(local, ['--version'])) {
    fail(`could not install uv with "${py} -m pip" (exit ${r.status}); install uv yourself (pip install uv, or see https://docs.astral.sh/uv/)${opts.wheelhouse ? ' or add the uv wheel to the wheelhouse' : ''} and rerun.`);
  }
  return local;
}

function pinsHash(lock = lockFile) {
  const h = createHash('sha256');
  h.update(readFileSync(pyproject));
  h.update(readFileSync(lock));
  h.update(`python=${PYTHON_VERSION};platform=${process.platform}-${process.arch}`);
  return h.digest('hex');
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return null;
  }
}

function main() {
  const started = Date.now();
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(pyproject) || !existsSync(lockFile)) {
    fail(`missing ${pyproject} or ${lockFile}; the checkout looks incomplete.`);
  }
  if (opts.wheelhouse && !existsSync(opts.wheelhouse)) {
    fail(`wheelhouse directory ${opts.wheelhouse} does not exist.`);
  }

  if (opts.lock && !existsSync(opts.lock)) fail(`lock file ${opts.lock} does not exist.`);
  const hash = pinsHash(opts.lock ?? lockFile);
  const stamp = readStamp();
  if (!opts.force && stamp?.hash === hash && existsSync(venvPython)) {
    if (works(venvPython, ['-c', 'import distillery_worker']) !== null) {
      log(`.venv is up to date (pins ${hash.slice(0, 12)}); nothing to do. Use --force to reinstall.`);
      return;
    }
    log('.venv stamp matches but the worker package does not import; reinstalling.');
  }

  const uv = findUv(opts);
  log(`using ${works(uv, ['--version'])} (${uv})`);

  const env = { ...process.env };
  const offlineArgs = [];
  if (opts.wheelhouse) {
    offlineArgs.push('--offline', '--no-index', '--find-links', opts.wheelhouse);
    env.UV_PYTHON_DOWNLOADS = 'never';
    log(`offline install from wheelhouse ${opts.wheelhouse}`);
  }

  // Create (or recreate) the venv when it is missing or has the wrong Python.
  const ver = existsSync(venvPython)
    ? works(venvPython, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'])
    : null;
  if (ver !== PYTHON_VERSION) {
    log(ver ? `.venv has Python ${ver}; recreating it with Python ${PYTHON_VERSION}` : `creating .venv with Python ${PYTHON_VERSION}`);
    const r = run(uv, ['venv', '--clear', '--python', PYTHON_VERSION, venvDir], { inherit: true, env });
    if (r.status !== 0) {
      fail(`uv could not create .venv with Python ${PYTHON_VERSION} (exit ${r.status}); install Python ${PYTHON_VERSION} (e.g. pyenv install ${PYTHON_VERSION}) or let uv download one (uv python install ${PYTHON_VERSION}), then rerun.`);
    }
  } else {
    log(`reusing .venv (Python ${ver})`);
  }

  log('installing pinned dependencies from resources/python/requirements.lock (torch is large; the first run can take several minutes)');
  const install = run(
    uv,
    ['pip', 'install', '--python', venvPython, '-r', opts.lock ?? lockFile, '-e', workerDir, ...offlineArgs],
    { inherit: true, env },
  );
  if (install.status !== 0) {
    fail(
      `uv pip install failed (exit ${install.status}); read the uv error above. ` +
        (opts.wheelhouse
          ? 'The wheelhouse must hold a wheel for every pin in resources/python/requirements.lock plus setuptools (see resources/python/README.md).'
          : 'Check your network access to PyPI and free disk space, then rerun `npm run setup:python`.'),
    );
  }

  log('checking the worker: python -m distillery_worker env --json');
  const check = run(venvPython, ['-m', 'distillery_worker', 'env', '--json'], { env: { ...env, HF_HUB_OFFLINE: '1' } });
  let info;
  try {
    info = JSON.parse(check.stdout);
  } catch {
    process.stderr.write(check.stderr);
    fail(`the installed worker does not run (exit ${check.status}); see the error above, then rerun with --force.`);
  }
  writeFileSync(stampFile, JSON.stringify({ hash, installedAt: new Date().toISOString(), env: info }, null, 2) + '\n');
  const gpus = info.gpus?.length ? info.gpus.map((g) => g.name).join(', ') : 'no CUDA GPU';
  log(
    `done in ${((Date.now() - started) / 1000).toFixed(0)}s: Python ${info.python}, torch ${info.torch}, transformers ${info.libraries?.transformers}, ${gpus}.`,
  );
}

try {
  main();
} catch (err) {
  fail(`unexpected error: ${err?.stack || err}`);
}
