import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import { lockBlocks } from './bundle';

let dir: string;
const saved = { ...process.env };
const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s), readFile: async () => '' } };
};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-bundle-'));
  process.env.DISTILLERY_CONFIG_DIR = path.join(dir, 'config');
  const bench = path.join(dir, 'benchmarks');
  fs.mkdirSync(bench);
  fs.writeFileSync(path.join(bench, 'tiny.jsonl'), '{"problem":"1+1?","answer":"2"}\n');
  process.env.DISTILLERY_BENCHMARKS = bench;
  const model = path.join(dir, 'student');
  fs.mkdirSync(model);
  fs.writeFileSync(path.join(model, 'config.json'), '{"model_type":"qwen2"}');
  fs.writeFileSync(path.join(model, 'model.safetensors'), Buffer.alloc(4096, 7));
});
afterAll(() => {
  process.env = { ...saved };
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('offline-bundle', () => {
  it('builds a bundle with a SHA-256 manifest, verifies it, then lists every altered, missing and unexpected file (exit 2)', async () => {
    const out = path.join(dir, 'bundle');
    const b = io();
    expect(await main(['offline-bundle', '--out', out, '--no-python', '--no-npm', '--with-models', path.join(dir, 'student'), '--json'], b.io)).toBe(0);
    expect(JSON.parse(b.out[0] as string)).toMatchObject({ files: 3 });
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { files: Record<string, { sha256: string; bytes: number }> };
    expect(Object.keys(manifest.files)).toEqual(['benchmarks/tiny.jsonl', 'models/student/config.json', 'models/student/model.safetensors']);
    expect(manifest.files['models/student/model.safetensors']).toEqual({ sha256: createHash('sha256').update(Buffer.alloc(4096, 7)).digest('hex'), bytes: 4096 });

    const ok = io();
    expect(await main(['offline-bundle', '--verify', out], ok.io)).toBe(0);
    expect(ok.out[0]).toBe(`All 3 files of ${out} match the manifest.`);

    // Same size, one byte changed: only the hash can tell.
    const weights = path.join(out, 'models', 'student', 'model.safetensors');
    const buf = fs.readFileSync(weights);
    buf[100] = 8;
    fs.writeFileSync(weights, buf);
    fs.rmSync(path.join(out, 'benchmarks', 'tiny.jsonl'));
    fs.writeFileSync(path.join(out, 'models', 'student', 'extra.bin'), 'x');
    const bad = io();
    expect(await main(['offline-bundle', '--verify', out], bad.io)).toBe(2);
    expect(bad.err).toEqual([
      `distillery: ${out} does not match its manifest (3 files listed): 1 missing, 1 altered, 1 not in the manifest. Copy the bundle again from its source.`,
      'missing     benchmarks/tiny.jsonl',
      'altered     models/student/model.safetensors',
      'unexpected  models/student/extra.bin',
    ]);
  });

  it('refuses a folder with no manifest, and a non-empty --out, with a sentence', async () => {
    const none = io();
    expect(await main(['offline-bundle', '--verify', dir], none.io)).toBe(2);
    expect(none.err[0]).toBe(`distillery: ${path.join(dir, 'manifest.json')} is missing: this is not a complete offline bundle; copy the whole bundle folder again.`);
    const busy = io();
    expect(await main(['offline-bundle', '--out', dir, '--no-python', '--no-npm'], busy.io)).toBe(2);
    expect(busy.err[0]).toMatch(/is not empty; give --out a new or empty folder/);
  });

  it('refuses to download while offline, naming the host and the setting', async () => {
    process.env.DISTILLERY_OFFLINE = '1';
    const r = io();
    expect(await main(['offline-bundle', '--out', path.join(dir, 'b2'), '--no-npm'], r.io)).toBe(2);
    delete process.env.DISTILLERY_OFFLINE;
    expect(r.err[0]).toMatch(/^distillery: Refused the offline-bundle \(pip\) connection to pypi\.org:443 because Distillery is offline.*A bundle is built on a connected machine/);
    expect(fs.existsSync(path.join(dir, 'b2'))).toBe(false);
  });

  it('reads the lock as pins with their comment blocks, names normalised', () => {
    const blocks = lockBlocks(fs.readFileSync(path.resolve(import.meta.dirname, '../../../resources/python/requirements.lock'), 'utf8'));
    const torch = blocks.find((b) => b.name === 'torch');
    expect(torch?.pin).toMatch(/^torch==\d/);
    expect(blocks.some((b) => b.name.startsWith('nvidia-'))).toBe(true);
    expect(blocks.every((b) => !b.pin.startsWith('#'))).toBe(true);
  });
});
