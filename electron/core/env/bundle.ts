/**
 * `distillery offline-bundle`: everything an air-gapped machine needs, collected on a connected one:
 *   python/wheels/            the wheelhouse for the pinned lock (pip download, binary wheels for the platform)
 *   python/requirements.lock  the lock those wheels satisfy (CPU bundles: without the CUDA libraries)
 *   npm/cache/                npm's tarball cache for package-lock.json (`npm ci --offline --cache npm/cache`)
 *   benchmarks/               the built-in benchmark sets
 *   models/<name>/            model folders given with --with-models
 *   manifest.json             SHA-256 and size of every file (verifyBundle checks them on arrival)
 * The commands it runs (pip, npm) are the only network access, and they happen here, not on the target.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { userCommandRefusal } from '../egress/policy';
import { childEnv } from '../egress/child-env';
import { UserError } from '../util/errors';
import { builtinDir } from '../util/benchmarks';
import { appRoot, appVersion } from '../util/root';
import { hashTree, MANIFEST, type BundleManifest } from './manifest';

export interface BundleOptions {
  out: string;
  platform?: 'linux-x86_64' | 'linux-aarch64';
  /** The CUDA build of torch and NVIDIA's libraries (GBs); without it torch comes from PyTorch's CPU index. */
  cuda?: boolean;
  models?: string[];
  /** Only these packages of the lock (CI builds a small bundle this way); all when absent. */
  pythonSubset?: string[];
  npm?: boolean;
  python?: boolean;
  /** The Python that runs `pip download` (any CPython 3.11 with pip). */
  pip?: string;
  onStep?: (msg: string) => void;
}

const UV_VERSION = '0.13.9';
const PLATFORM_TAGS: Record<NonNullable<BundleOptions['platform']>, string[]> = {
  'linux-x86_64': ['manylinux_2_28_x86_64', 'manylinux_2_17_x86_64', 'manylinux2014_x86_64', 'linux_x86_64'],
  'linux-aarch64': ['manylinux_2_28_aarch64', 'manylinux_2_17_aarch64', 'manylinux2014_aarch64', 'linux_aarch64'],
};
const CUDA_ONLY = /^(nvidia-|cuda-|triton$)/;

/** The lock as blocks (a pin line and its indented comments), with the package name of each. */
export function lockBlocks(text: string): { name: string; pin: string; block: string }[] {
  const out: { name: string; pin: string; block: string }[] = [];
  for (const line of text.split('\n')) {
    if (/^[A-Za-z0-9]/.test(line)) {
      const name = (line.split(/[=<>!~ ;[]/)[0] ?? '').toLowerCase().replace(/_/g, '-');
      out.push({ name, pin: line.trim(), block: line });
    } else if (out.length && line.trim()) (out.at(-1) as { block: string }).block += `\n${line}`;
  }
  return out;
}

async function downloadWheels(o: BundleOptions, dir: string): Promise<void> {
  const lock = fs.readFileSync(path.join(appRoot(), 'resources', 'python', 'requirements.lock'), 'utf8');
  let blocks = lockBlocks(lock);
  if (o.pythonSubset?.length) {
    const want = new Set(o.pythonSubset.map((n) => n.toLowerCase().replace(/_/g, '-')));
    const unknown = [...want].filter((n) => !blocks.some((b) => b.name === n));
    if (unknown.length) throw new UserError(`--python-only names ${unknown.join(', ')}, which resources/python/requirements.lock does not pin; give package names from the lock.`, 'bundle_bad_subset');
    blocks = blocks.filter((b) => want.has(b.name));
  }
  const cpuTorch = !o.cuda && blocks.some((b) => b.name === 'torch');
  if (!o.cuda) blocks = blocks.filter((b) => !CUDA_ONLY.test(b.name));
  const wheels = path.join(dir, 'wheels');
  fs.mkdirSync(wheels, { recursive: true });
  const bundleLock = path.join(dir, 'requirements.lock');
  const head = `# Distillery offline bundle: the pins of resources/python/requirements.lock${o.pythonSubset?.length ? ` (only ${o.pythonSubset.join(', ')})` : ''}${o.cuda ? '' : ', without the CUDA libraries (torch from the CPU index)'}.\n`;
  fs.writeFileSync(bundleLock, `${head}${blocks.map((b) => b.block).join('\n')}\n`);
  const platform = o.platform ?? 'linux-x86_64';
  const common = ['-m', 'pip', 'download', '--disable-pip-version-check', '--no-deps', '--only-binary', ':all:', '--python-version', '3.11', '--implementation', 'cp', ...PLATFORM_TAGS[platform].flatMap((t) => ['--platform', t]), '--dest', wheels];
  const pip = o.pip ?? 'python3';
  const run = async (args: string[], what: string) => {
    const r = await execa(pip, [...common, ...args], { reject: false, all: true, env: childEnv() });
    if (r.exitCode !== 0) throw new UserError(`pip could not download ${what} (exit ${r.exitCode}): ${String(r.all).trim().split('\n').slice(-3).join(' ')}; check the network access to PyPI and that ${pip} has pip.`, 'bundle_pip_failed');
  };
  const reqs = path.join(os.tmpdir(), `distillery-bundle-${process.pid}.txt`);
  // --no-deps: the lock is already the complete closure; pip would otherwise re-resolve it for the host.
  fs.writeFileSync(reqs, blocks.filter((b) => !(cpuTorch && b.name === 'torch')).map((b) => b.pin).join('\n'));
  try {
    o.onStep?.(`downloading ${blocks.length} pinned wheels for ${platform}${o.cuda ? ' with CUDA' : ''}`);
    await run(['-r', reqs], 'the pinned wheels');
    if (cpuTorch) {
      const pin = blocks.find((b) => b.name === 'torch')?.pin.split(';')[0]?.trim() ?? 'torch';
      o.onStep?.(`downloading ${pin} (CPU build) from PyTorch's index`);
      await run(['--index-url', 'https://download.pytorch.org/whl/cpu', pin], `${pin} (CPU build)`);
    }
    if (!o.pythonSubset?.length) {
      // What setup:python needs beyond the lock: uv itself and the worker's build backend.
      await run([`uv==${UV_VERSION}`, 'setuptools>=69', 'wheel'], 'uv and setuptools');
    }
  } finally {
    fs.rmSync(reqs, { force: true });
  }
}

async function npmCache(dir: string, onStep?: (m: string) => void): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-npm-'));
  try {
    for (const f of ['package.json', 'package-lock.json', '.npmrc']) if (fs.existsSync(path.join(appRoot(), f))) fs.copyFileSync(path.join(appRoot(), f), path.join(work, f));
    onStep?.('filling the npm cache from package-lock.json');
    const r = await execa('npm', ['ci', '--cache', path.join(dir, 'cache'), '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: work, reject: false, all: true, env: childEnv() });
    if (r.exitCode !== 0) throw new UserError(`npm ci could not fill the cache (exit ${r.exitCode}): ${String(r.all).trim().split('\n').slice(-3).join(' ')}.`, 'bundle_npm_failed');
    fs.copyFileSync(path.join(appRoot(), 'package-lock.json'), path.join(dir, 'package-lock.json'));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export async function buildBundle(o: BundleOptions): Promise<BundleManifest> {
  const out = path.resolve(o.out);
  if (fs.existsSync(out) && fs.readdirSync(out).length) throw new UserError(`${out} is not empty; give --out a new or empty folder (nothing in it is overwritten).`, 'bundle_out_not_empty');
  for (const m of o.models ?? []) if (!fs.existsSync(m)) throw new UserError(`--with-models ${m} does not exist; give a model folder.`, 'bundle_no_model');
  // Building downloads (that is its purpose): the policy refuses it while offline and logs it, like every other connection.
  const hosts: [string, string][] = [...(o.python !== false ? [['pypi.org', 'offline-bundle (pip)'] as [string, string]] : []), ...(o.npm !== false ? [['registry.npmjs.org', 'offline-bundle (npm)'] as [string, string]] : [])];
  for (const [host, who] of hosts) {
    const refused = userCommandRefusal(host, 443, who);
    if (refused) throw new UserError(`${refused} A bundle is built on a connected machine and carried to the offline one.`, 'egress_refused');
  }
  fs.mkdirSync(out, { recursive: true });
  const contents: Record<string, string> = {};
  if (o.python !== false) {
    await downloadWheels(o, path.join(out, 'python'));
    contents.python = `python/wheels for python/requirements.lock: npm run setup:python -- --wheelhouse BUNDLE/python/wheels --lock BUNDLE/python/requirements.lock`;
  }
  if (o.npm !== false) {
    await npmCache(path.join(out, 'npm'), o.onStep);
    contents.npm = 'npm/cache: npm ci --offline --cache BUNDLE/npm/cache';
  }
  const bench = builtinDir();
  if (bench) {
    o.onStep?.(`copying the benchmarks from ${bench}`);
    fs.cpSync(bench, path.join(out, 'benchmarks'), { recursive: true });
    contents.benchmarks = 'benchmarks/*.jsonl: point DISTILLERY_BENCHMARKS at BUNDLE/benchmarks';
  }
  for (const m of o.models ?? []) {
    const name = path.basename(path.resolve(m));
    o.onStep?.(`copying the model folder ${m}`);
    fs.cpSync(m, path.join(out, 'models', name), { recursive: true, dereference: true });
    contents[`models/${name}`] = `a copy of ${path.resolve(m)}`;
  }
  o.onStep?.('hashing every file (SHA-256)');
  const manifest: BundleManifest = {
    format: 'distillery-offline-bundle/1',
    created: new Date().toISOString(),
    app_version: appVersion(),
    platform: o.platform ?? 'linux-x86_64',
    cuda: Boolean(o.cuda),
    contents,
    files: await hashTree(out),
  };
  fs.writeFileSync(path.join(out, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
