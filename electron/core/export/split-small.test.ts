import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExport } from '../../cli/commands/export';
import { runReview } from '../../cli/commands/review';
import type { CliIO } from '../../cli/io';
import { createSampleProject } from '../sample';
import { seededSplit } from './split';

// Issue 17 §2–3: a small export rounds its validation count down, and a frozen run that kept nothing leaves the
// export on the pool, so a decision made then is exported (and the review CLI says so).
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-split-small-'));
let dir: string;
let qids: number[];

function io(): { cli: CliIO; out: string[]; err: string[] } {
  const r = { out: [] as string[], err: [] as string[] };
  return { ...r, cli: { stdout: (s) => r.out.push(s), stderr: (s) => r.err.push(s), readFile: (f) => fs.promises.readFile(f, 'utf8') } };
}

beforeAll(() => {
  dir = path.join(tmp, 'proj');
  const p = createSampleProject(dir);
  qids = p.db.prepare('SELECT id FROM questions ORDER BY id LIMIT 2').pluck().all() as number[];
  const put = p.db.prepare("INSERT INTO traces (question_id, source, status, thinking, answer, created_at) VALUES (?, 'imported', 'done', ?, ?, ?)");
  for (const q of qids) put.run(q, `Think about ${q}.`, `\\boxed{${q}}`, new Date().toISOString());
  // a frozen curation run that kept none of the pool (as with a teacher that does not reason)
  p.db
    .prepare("INSERT INTO curation_runs (recipe, seed, created_at, funnel, domains, selected, frozen_at) VALUES ('{}', 1, ?, '[]', '{}', 0, ?)")
    .run(new Date().toISOString(), new Date().toISOString());
  p.close();
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('validation split of a small export', () => {
  it('rounds the validation count down and always keeps a train sample', () => {
    const items = (n: number) => Array.from({ length: n }, (_, i) => i);
    const counts = (n: number, val: number) => {
      const s = seededSplit(items(n), (x) => x, val, 42);
      return [s.train.length, s.validation.length];
    };
    expect(counts(2, 0.05)).toEqual([2, 0]);
    expect(counts(19, 0.05)).toEqual([19, 0]);
    expect(counts(20, 0.05)).toEqual([19, 1]);
    expect(counts(100, 0.29)).toEqual([71, 29]);
    expect(counts(2, 0.5)).toEqual([1, 1]);
    expect(counts(1, 0.9)).toEqual([1, 0]);
  });

  it('review with an empty frozen selection notes the export takes the pool; export --val 0.05 of 2 gives 2 train, 0 validation and says why', async () => {
    const r = io();
    await runReview([dir, '--set', 'accepted', '--ids', qids.join(',')], r.cli);
    expect(r.err.join('\n')).not.toMatch(/outside the frozen/);
    expect(r.err.join('\n')).toMatch(/frozen curation selection is empty, so the export takes the whole pool and includes this decision/);

    const e = io();
    await runExport([dir, '--format', 'trl', '--val', '0.05', '--out', path.join(tmp, 'out'), '--json'], e.cli);
    const j = JSON.parse(e.out[0]!) as { train: number; validation: number; note: string | null };
    expect([j.train, j.validation]).toEqual([2, 0]);
    expect(j.note).toMatch(/^No validation split: 0\.05 × 2 samples is below 1/);
    const m = JSON.parse(fs.readFileSync(path.join(tmp, 'out', 'export.json'), 'utf8')) as { scope: string; split: { train: number[] } };
    expect(m.scope).toBe('pool');
    expect(m.split.train.sort((a, b) => a - b)).toEqual(qids);
  });
});
