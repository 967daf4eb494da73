#!/usr/bin/env node
// llama.cpp's own HF -> GGUF converter (convert_hf_to_gguf.py + its conversion/ package + its vendored gguf-py),
// taken from the llama-cpp-python source distribution on PyPI (it vendors llama.cpp), plus the sentencepiece wheel
// the converter imports. Fetched once by pip into a cache; `distillery model export --format gguf` runs it with the
// project's Python (the vendored gguf-py comes first on its path, so the pip `gguf` package's version does not matter).
//
//   node scripts/llama-converter.mjs                 # fetch if missing; prints {"converter": DIR, "version": ...}
//   node scripts/llama-converter.mjs --sdist FILE    # offline: from a llama_cpp_python-<version>.tar.gz you copied here
//
// The cache is $DISTILLERY_LLAMA_CONVERTER if set (the folder itself), else
// ${XDG_CACHE_HOME:-~/.cache}/distillery/llama-converter/<version>; distillery_worker/model_export.py looks in the same place.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Pinned: 0.3.36 vendors a llama.cpp whose converter imports mistral_common only when asked to, and works with
// transformers 5.x (checked in resources/python/tests/test_model_export.py).
export const LLAMA_CPP_PYTHON = '0.3.36';
const SENTENCEPIECE = '0.2.1'; // the converter's requirements say sentencepiece>=0.1.98,<0.3.0

export function converterDir() {
  if (process.env.DISTILLERY_LLAMA_CONVERTER) return resolve(process.env.DISTILLERY_LLAMA_CONVERTER);
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'distillery', 'llama-converter', LLAMA_CPP_PYTHON);
}

function pythonWithPip() {
  for (const py of ['python3', 'python']) {
    if (spawnSync(py, ['-m', 'pip', '--version'], { encoding: 'utf8' }).status === 0) return py;
  }
  return null;
}

function run(py, args, what) {
  const r = spawnSync(py, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${what}: ${(r.stderr || r.stdout).trim().split('\n').pop()}`);
}

// Extracts only the converter and what it imports from the sdist (50 MB of C++ stays in the tarball).
const EXTRACT = `
import sys, tarfile
src, dest = sys.argv[1], sys.argv[2]
keep = ("vendor/llama.cpp/convert_hf_to_gguf.py", "vendor/llama.cpp/conversion/", "vendor/llama.cpp/gguf-py/gguf/",
        "vendor/llama.cpp/gguf-py/LICENSE", "vendor/llama.cpp/LICENSE")
with tarfile.open(src) as t:
    members = []
    for m in t.getmembers():
        rel = m.name.split("/", 1)[1] if "/" in m.name else ""
        if (m.isfile() or m.isdir()) and any(rel == k or rel.startswith(k) for k in keep):
            m.name = rel[len("vendor/llama.cpp/"):]
            members.append(m)
    if not any(m.name == "convert_hf_to_gguf.py" for m in members):
        sys.exit("this source distribution holds no vendor/llama.cpp/convert_hf_to_gguf.py")
    t.extractall(dest, members=members, filter="data")
`;

/** Sets the converter up if needed; returns its folder. Throws a sentence when it cannot. */
export function ensureConverter({ sdist } = {}) {
  const dest = converterDir();
  if (existsSync(join(dest, 'convert_hf_to_gguf.py')) && existsSync(join(dest, 'site'))) return dest;
  const py = pythonWithPip();
  if (!py) throw new Error('Cannot set up llama.cpp\'s converter: no python3 with pip on PATH.');
  mkdirSync(dirname(dest), { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'distillery-llama-'));
  try {
    let tarball = sdist ? resolve(sdist) : null;
    if (!tarball) {
      run(py, ['-m', 'pip', 'download', '--no-deps', '--no-binary', ':all:', '--quiet', '--disable-pip-version-check', '-d', work, `llama-cpp-python==${LLAMA_CPP_PYTHON}`],
        `pip could not download llama-cpp-python==${LLAMA_CPP_PYTHON}`);
      const f = readdirSync(work).find((n) => n.endsWith('.tar.gz'));
      if (!f) throw new Error(`pip downloaded no source distribution of llama-cpp-python==${LLAMA_CPP_PYTHON}.`);
      tarball = join(work, f);
    }
    const out = join(work, 'converter');
    run(py, ['-c', EXTRACT, tarball, out], `Could not extract the converter from ${tarball}`);
    // sentencepiece as a wheel for the project's Python (3.11, like setup-python), unpacked into site/ for PYTHONPATH.
    const wheels = join(work, 'wheels');
    run(py, ['-m', 'pip', 'download', '--no-deps', '--only-binary', ':all:', '--python-version', '3.11', '--quiet', '--disable-pip-version-check', '-d', wheels, `sentencepiece==${SENTENCEPIECE}`],
      `pip could not download sentencepiece==${SENTENCEPIECE}`);
    const whl = readdirSync(wheels).find((n) => n.endsWith('.whl'));
    run(py, ['-c', 'import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', join(wheels, whl), join(out, 'site')], 'Could not unpack sentencepiece');
    rmSync(dest, { recursive: true, force: true });
    renameSync(out, dest); // last, so an interrupted setup never leaves a half converter in the cache
    return dest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--sdist');
  try {
    const dir = ensureConverter({ sdist: i > 0 ? process.argv[i + 1] : undefined });
    console.log(JSON.stringify({ converter: dir, version: LLAMA_CPP_PYTHON }));
  } catch (e) {
    console.error(`[llama-converter] ${e.message}`);
    process.exit(1);
  }
}
