/**
 * What a user makes is readable by that user only, whatever the umask: the project database and its
 * WAL files, artifacts/ and what the engine writes there (an export, a run folder, a report), the config
 * folder and the recent-projects registry. Real files, real modes from fs.statSync.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportDataset } from '../export/export';
import { setStatusForQuestions } from '../review/decisions';
import { createRun } from '../train/api';
import { hasPython } from '../train/testing';
import { mkdirPrivate, tightenTree, writePrivateFile } from '../util/private-fs';
import { createProject, openProject, DB_FILE, type Project } from './project';
import { rememberProject } from './registry';

const posix = process.platform !== 'win32';
const mode = (p: string) => fs.statSync(p).mode & 0o777;
const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-private-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Every entry under `root` (itself included) with its mode, for one readable assertion. */
function modes(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (p: string) => {
    const st = fs.lstatSync(p);
    out[path.relative(root, p) || '.'] = (st.mode & 0o777).toString(8);
    if (st.isDirectory()) for (const n of fs.readdirSync(p)) visit(path.join(p, n));
  };
  visit(root);
  return out;
}
const allPrivate = (root: string) =>
  Object.entries(modes(root)).filter(([, m]) => (parseInt(m, 8) & 0o077) !== 0);

/** A few accepted traces, so that an export has something to write. */
function withAcceptedTraces(p: Project): void {
  const qs = [1, 2, 3, 4].map((i) =>
    Number(p.db.prepare("INSERT INTO questions (question, answer, source, created_at) VALUES (?, ?, 'test', datetime('now'))").run(`What is ${i} + ${i}?`, String(2 * i)).lastInsertRowid),
  );
  const put = p.db.prepare("INSERT INTO traces (question_id, source, status, thinking, answer, created_at) VALUES (?, 'imported', 'done', ?, ?, datetime('now'))");
  qs.forEach((q, i) => put.run(q, `Add ${i + 1} twice.`, `\\boxed{${2 * (i + 1)}}`));
  setStatusForQuestions(p.db, qs, 'accepted', 'ana');
}

/** A model folder as the Train step inspects it (config, tokenizer, weights); createRun loads no weights. */
function modelFolder(): string {
  const dir = path.join(tmp(), 'base');
  fs.mkdirSync(dir);
  fs.writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({ architectures: ['Qwen2ForCausalLM'], model_type: 'qwen2', hidden_size: 64, intermediate_size: 128, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 512 }),
  );
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), '{}');
  fs.writeFileSync(path.join(dir, 'model.safetensors'), Buffer.alloc(64));
  return dir;
}

describe.skipIf(!posix).each([
  ['022', 0o022],
  ['000', 0o000],
])('with umask %s', (_label, mask) => {
  let old: number;
  beforeEach(() => {
    old = process.umask(mask);
  });
  afterEach(() => {
    process.umask(old);
  });

  it('a new project: project.sqlite and its -wal/-shm 0600, artifacts/ 0700; the folder itself follows the umask', () => {
    const dir = path.join(tmp(), 'p');
    const p = createProject(dir);
    expect(mode(path.join(dir, DB_FILE))).toBe(0o600);
    expect(mode(path.join(dir, `${DB_FILE}-wal`))).toBe(0o600);
    expect(mode(path.join(dir, `${DB_FILE}-shm`))).toBe(0o600);
    expect(mode(path.join(dir, 'artifacts'))).toBe(0o700);
    expect(mode(dir)).toBe(0o777 & ~mask); // a folder the user chose: not Distillery's to restrict
    p.close();
  });

  it('an export and a run folder under artifacts/ are the user’s only', async () => {
    const p = createProject(path.join(tmp(), 'p'));
    try {
      withAcceptedTraces(p);
      const ex = exportDataset(p, { format: 'trl', val: 0.25, seed: 1 });
      expect(ex.dir.startsWith(path.join(p.dir, 'artifacts', 'exports'))).toBe(true);
      expect(mode(path.join(p.dir, 'artifacts', 'exports'))).toBe(0o700);
      expect(mode(path.join(ex.dir, 'README.md'))).toBe(0o600);
      expect(mode(path.join(ex.dir, 'train.jsonl'))).toBe(0o600);
      expect(allPrivate(ex.dir)).toEqual([]);

      if (hasPython()) {
        const run = await createRun(p, {
          preset: 'lora', base: modelFolder(), dataset: ex.dir, learningRate: 1e-3, epochs: 1, batchSize: 1, maxLength: 128, microBatch: 1,
          gpus: 1, gpuMemoryGib: 8, gradientCheckpointing: false, maxSteps: 2, saveSteps: 1000,
        });
        expect(mode(path.join(p.dir, 'artifacts', 'runs'))).toBe(0o700);
        expect(mode(run.dir)).toBe(0o700);
        expect(mode(path.join(run.dir, 'config.json'))).toBe(0o600);
        expect(mode(path.join(run.dir, 'events.jsonl'))).toBe(0o600);
        expect(allPrivate(run.dir)).toEqual([]);
      }
      expect(allPrivate(p.artifactsDir)).toEqual([]);
    } finally {
      p.close();
    }
  });

  it('the config folder and the recent-projects registry', () => {
    const cfg = path.join(tmp(), 'config', 'distillery');
    const prev = process.env.DISTILLERY_CONFIG_DIR;
    process.env.DISTILLERY_CONFIG_DIR = cfg;
    try {
      rememberProject('/a/one', 'one');
      expect(mode(cfg)).toBe(0o700);
      expect(mode(path.join(cfg, 'recent-projects.json'))).toBe(0o600);
      expect(mode(path.dirname(cfg))).toBe(0o700); // created by Distillery too
    } finally {
      if (prev === undefined) delete process.env.DISTILLERY_CONFIG_DIR;
      else process.env.DISTILLERY_CONFIG_DIR = prev;
    }
  });
});

describe.skipIf(!posix)('projects made before private modes', () => {
  it('are tightened on open: database files and everything under artifacts/, but not the folder, a symlink target or a loose config', () => {
    const old = process.umask(0o022);
    try {
      const dir = path.join(tmp(), 'p');
      createProject(dir).close();
      const shared = path.join(tmp(), 'shared-models');
      fs.mkdirSync(shared, { mode: 0o755 });
      fs.chmodSync(shared, 0o755);
      // as an older Distillery left it: world-readable database, artifacts and a run with a script
      fs.chmodSync(path.join(dir, DB_FILE), 0o644);
      fs.chmodSync(path.join(dir, 'artifacts'), 0o755);
      fs.mkdirSync(path.join(dir, 'artifacts', 'runs', 'r1'), { recursive: true, mode: 0o755 });
      fs.writeFileSync(path.join(dir, 'artifacts', 'runs', 'r1', 'config.json'), '{}', { mode: 0o644 });
      fs.writeFileSync(path.join(dir, 'artifacts', 'runs', 'r1', 'launch.sbatch'), '#!/bin/sh\n', { mode: 0o755 });
      fs.symlinkSync(shared, path.join(dir, 'artifacts', 'runs', 'r1', 'base'));

      const p = openProject(dir);
      p.close();
      expect(mode(path.join(dir, DB_FILE))).toBe(0o600);
      expect(modes(path.join(dir, 'artifacts'))).toMatchObject({
        '.': '700',
        runs: '700',
        'runs/r1': '700',
        'runs/r1/config.json': '600',
        'runs/r1/launch.sbatch': '700', // the owner keeps the execute bit
      });
      expect(mode(shared)).toBe(0o755); // reached through a link: not ours to change
      expect(mode(dir)).toBe(0o755);
    } finally {
      process.umask(old);
    }
  });
});

describe.skipIf(!posix)('private-fs helpers', () => {
  it('mkdirPrivate makes only the folders it creates private; writePrivateFile fixes an existing file', () => {
    const old = process.umask(0o000);
    try {
      const base = tmp();
      fs.chmodSync(base, 0o755);
      mkdirPrivate(path.join(base, 'a', 'b'));
      expect([mode(base), mode(path.join(base, 'a')), mode(path.join(base, 'a', 'b'))]).toEqual([0o755, 0o700, 0o700]);
      const f = path.join(base, 'f.txt');
      fs.writeFileSync(f, 'x', { mode: 0o666 });
      writePrivateFile(f, 'y');
      expect(mode(f)).toBe(0o600);
      expect(fs.readFileSync(f, 'utf8')).toBe('y');
      expect(tightenTree(path.join(base, 'a'))).toBe(0);
    } finally {
      process.umask(old);
    }
  });
});
