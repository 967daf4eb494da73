import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import type { Project } from '../store/project';
import { addEvalset, runDecontamination } from './decontam';
import { applyDedup, keepQuestion, listClusters, proposeDedup } from './dedup';
import { importFile } from './importer';
import { benchmarkRows, BENCH_DIR, trackedProjects, tmpDir, writeAs } from './fixtures.test-helpers';
import { lshParams } from './minhash';

const project = trackedProjects();
const reason = (p: Project, id: number) => (p.db.prepare('SELECT exclude_reason AS r FROM questions WHERE id = ?').get(id) as { r: string | null }).r;

describe('dedup', () => {
  it('finds planted near-duplicates against the pool and honours the user override', async () => {
    const bench = benchmarkRows().filter((r) => r.set === 'olympiadbench' || r.set === 'minervamath');
    const p = project();
    await importFile(p, writeAs(tmpDir(), 'jsonl', bench.map((r) => ({ problem: r.problem }))));
    // 20 planted near-duplicates of long problems: one word changed.
    const long = bench.filter((r) => r.problem.split(/\s+/).length > 60).slice(0, 20);
    const planted = long.map((r) => ({ problem: r.problem.replace(/\b(the)\b/, 'a').replace(/\.\s*$/, '!') }));
    const imp = await importFile(p, writeAs(tmpDir(), 'jsonl', planted));
    expect(imp.imported).toBe(20);
    const res = proposeDedup(p, { threshold: 0.8 });
    // A proposal excludes nothing.
    expect((p.db.prepare('SELECT COUNT(*) AS n FROM questions WHERE excluded = 1').get() as { n: number }).n).toBe(0);
    expect(res.wouldRemove).toBeGreaterThanOrEqual(20);
    expect(applyDedup(p).excluded).toBe(res.wouldRemove);
    expect(res.checked).toBe((p.db.prepare('SELECT COUNT(*) AS n FROM questions').get() as { n: number }).n);
    const orig = new Map((p.db.prepare('SELECT id, question FROM questions').all() as { id: number; question: string }[]).map((q) => [q.question, q.id]));
    const plantedIds = (p.db.prepare('SELECT id, question FROM questions WHERE import_id = ? ORDER BY id').all(imp.importId) as { id: number }[]).map((q) => q.id);
    plantedIds.forEach((id, i) => {
      const o = orig.get(long[i]!.problem)!;
      const r = reason(p, id) ?? reason(p, o);
      expect(r, `planted #${id}`).toMatch(/^duplicate of #\d+$/);
      const c1 = p.db.prepare('SELECT cluster_id FROM dup_members WHERE question_id = ?').get(id);
      const c2 = p.db.prepare('SELECT cluster_id FROM dup_members WHERE question_id = ?').get(o);
      expect(c1).toEqual(c2);
    });
    // Override: keep the planted copy instead of the original.
    const first = plantedIds[0]!;
    keepQuestion(p, first, true);
    expect(reason(p, first)).toBeNull();
    const cl = listClusters(p, 0, 1000).clusters.find((c) => c.members.some((m) => m.question_id === first))!;
    expect(cl.representative).toBe(first);
    // The original is now proposed as the copy's duplicate; applying excludes it.
    expect(cl.members.filter((m) => m.question_id !== first).every((m) => m.proposed)).toBe(true);
    applyDedup(p);
    expect(listClusters(p, 0, 1000).clusters.find((c) => c.id === cl.id)!.members.filter((m) => m.question_id !== first).every((m) => m.excluded === 1)).toBe(true);
    // The keep survives a re-run.
    proposeDedup(p);
    expect(reason(p, first)).toBeNull();
  });

  it('picks LSH bands that keep recall at the threshold', () => {
    for (const t of [0.5, 0.7, 0.8, 0.9]) {
      const { bands, rows } = lshParams(t, 120);
      expect(1 - Math.pow(1 - Math.pow(t, rows), bands)).toBeGreaterThanOrEqual(0.995);
    }
  });
});

describe('decontamination', () => {
  it('flags planted AIME and MATH500 leaks with the right item and excludes them', async () => {
    const p = project();
    const bench = benchmarkRows();
    const aime = bench.find((r) => r.set === 'aime24' && r.item === 7)!;
    const math = bench.find((r) => r.set === 'math500' && r.item === 42)!;
    const clean = bench.filter((r) => r.set === 'olympiadbench').slice(0, 200).map((r) => ({ problem: r.problem }));
    const leaks = [
      { problem: `Here is a problem from a contest. ${aime.problem} Think carefully.` },
      { problem: `Solve this: ${math.problem.replace(/\.\s*$/, '')} and explain.` },
    ];
    const imp = await importFile(p, writeAs(tmpDir(), 'jsonl', [...clean.slice(0, 100), ...leaks, ...clean.slice(100)]));
    const [aimeId, mathId] = (p.db.prepare('SELECT id FROM questions WHERE source_line IN (101, 102) AND import_id = ? ORDER BY source_line').all(imp.importId) as { id: number }[]).map((r) => r.id);
    await addEvalset(p, 'aime24', path.join(BENCH_DIR, 'aime24.jsonl'));
    await addEvalset(p, 'math500', path.join(BENCH_DIR, 'math500.jsonl'));
    const r = runDecontamination(p, 8);
    expect(r.checked).toBe(imp.imported);
    const byQ = new Map(r.items.map((i) => [i.question_id, i]));
    expect(byQ.get(aimeId!)).toMatchObject({ evalset: 'aime24', evalset_item: 7 });
    expect(byQ.get(mathId!)).toMatchObject({ evalset: 'math500', evalset_item: 42 });
    expect(byQ.get(aimeId!)!.overlap.split(' ').length).toBeGreaterThanOrEqual(8);
    expect(reason(p, aimeId!)).toBe('contaminated: aime24#7');
    expect(reason(p, mathId!)).toBe('contaminated: math500#42');
    // The instruction suffix shared by every benchmark item is not a leak: only generic 8-gram phrases remain.
    expect(r.flagged).toBeLessThan(20);
  });
});

describe('accounting (property)', () => {
  type Kind = 'good' | 'dup' | 'badjson' | 'missing' | 'empty' | 'blank' | 'wrongtype';
  it('read = imported + duplicates + rejected, with the exact rejected lines', async () => {
    const p = project();
    const dir = tmpDir();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom<Kind>('good', 'good', 'dup', 'badjson', 'missing', 'empty', 'blank', 'wrongtype'), { maxLength: 40 }), async (kinds) => {
        run++;
        const lines: string[] = [];
        const goods: string[] = [];
        const expectRejected: number[] = [];
        let expectDup = 0;
        kinds.forEach((k, i) => {
          const line = i + 1;
          switch (k) {
            case 'good': {
              const q = `run ${run} question ${i} about ${i * 7}`;
              goods.push(q);
              lines.push(JSON.stringify({ problem: q }));
              break;
            }
            case 'dup':
              if (goods.length) {
                lines.push(JSON.stringify({ problem: `  ${goods[i % goods.length]!.toUpperCase()} ` }));
                expectDup++;
              } else {
                lines.push('{"problem": ');
                expectRejected.push(line);
              }
              break;
            case 'badjson':
              lines.push('{"problem": "x"');
              expectRejected.push(line);
              break;
            case 'missing':
              lines.push('{"answer": 1}');
              expectRejected.push(line);
              break;
            case 'empty':
              lines.push('{"problem": ""}');
              expectRejected.push(line);
              break;
            case 'wrongtype':
              lines.push('{"problem": [1]}');
              expectRejected.push(line);
              break;
            case 'blank':
              lines.push('');
              break;
          }
        });
        const file = path.join(dir, `run${run}.jsonl`);
        fs.writeFileSync(file, lines.join('\n'));
        const before = (p.db.prepare('SELECT COUNT(*) AS n FROM questions').get() as { n: number }).n;
        const r = await importFile(p, file, { shape: 'plain', mapping: { question: 'problem' } });
        const read = kinds.filter((k) => k !== 'blank').length;
        expect(r.read).toBe(read);
        expect(r.imported + r.duplicates + r.rejected.length).toBe(r.read);
        expect(r.rejected.map((x) => x.line)).toEqual(expectRejected);
        expect(r.duplicates).toBe(expectDup);
        expect(r.imported).toBe(goods.length);
        expect((p.db.prepare('SELECT COUNT(*) AS n FROM questions').get() as { n: number }).n - before).toBe(goods.length);
      }),
      { numRuns: 40 },
    );
  });
});
