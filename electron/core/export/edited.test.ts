import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setStatusForQuestions } from '../review/decisions';
import { saveRevision, undo } from '../review/revisions';
import { setStudentDir } from '../review/settings';
import { fixtureThinking, reviewProject } from '../review/testing/fixture';
import type { Project } from '../store/project';
import { loadTokenizerFile } from '../tokens';
import { hasPython, tinyModel } from '../train/testing';
import { exportDataset, exportPreview } from './export';

// Edits made through the review engine's save must show in the dataset card: token statistics of the edited
// text (not the teacher's stored counts), which tokenizer counted, and who edited how many samples.

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-export-edited-'));
let project: Project;
let traceIds: number[];
let n = 0;

interface Stat {
  mean: number;
  median: number;
  p90: number;
}
/** The card's definition: mean to one decimal, median, p90 = the ceil(0.9 n)-th smallest. */
function expected(xs: number[]): Stat {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
  return { mean: Math.round((s.reduce((a, b) => a + b, 0) / s.length) * 10) / 10, median: mid, p90: s[Math.ceil(0.9 * s.length) - 1] as number };
}

function exportCard(): { card: string; length: Record<'thinking' | 'answer', Stat>; manifest: { provenance: { tokens: Record<string, unknown>; edits: unknown } } } {
  const out = path.join(tmp, 'out', String(n++));
  exportDataset(project, { format: 'trl', out, val: 0 });
  const card = fs.readFileSync(path.join(out, 'README.md'), 'utf8');
  const row = (part: string): Stat => {
    const m = new RegExp(`^\\| ${part} \\| ([\\d.]+) \\| ([\\d.]+) \\| ([\\d.]+) \\|$`, 'm').exec(card);
    if (!m) throw new Error(`no ${part} row in the card:\n${card}`);
    return { mean: Number(m[1]), median: Number(m[2]), p90: Number(m[3]) };
  };
  return { card, length: { thinking: row('thinking'), answer: row('answer') }, manifest: JSON.parse(fs.readFileSync(path.join(out, 'export.json'), 'utf8')) };
}

const current = (id: number) => project.db.prepare('SELECT thinking, answer FROM traces WHERE id = ?').get(id) as { thinking: string; answer: string };

beforeAll(() => {
  const f = reviewProject(path.join(tmp, 'p'), 6); // stored counts: thinking 80 + i, answer 6
  project = f.project;
  traceIds = f.traceIds;
  setStatusForQuestions(project.db, f.questionIds, 'accepted', 'ana');
});
afterAll(() => {
  project?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('dataset card after review edits', () => {
  it("without a student tokenizer: edited samples are recounted in the teacher's unit; undo restores the stored counts", async () => {
    const t0 = traceIds[0] as number;
    const t5 = traceIds[5] as number;
    const before = exportCard();
    expect(before.length.thinking).toEqual(expected([80, 81, 82, 83, 84, 85]));
    expect(before.length.answer).toEqual({ mean: 6, median: 6, p90: 6 });
    expect(before.card).toContain("Counted in the teacher's tokens, as stored at generation");
    expect(before.card).toContain("None of the 6 exported samples was edited in review: every text is the teacher's original.");
    expect(before.card).toContain('| ana | 6 | 0 | 0 | 0 | 0 |');

    // bo doubles trace 0's thinking; cy lengthens trace 5's answer (the answer check re-runs).
    const orig0 = current(t0);
    const thinking0 = `${orig0.thinking}\n${orig0.thinking}`;
    expect(await saveRevision(project, { traceId: t0, baseRevision: 0, thinking: thinking0, answer: orig0.answer, author: 'bo', clientId: 'w1', kind: 'edit' })).toMatchObject({ ok: true, head: 1 });
    const orig5 = current(t5);
    const answer5 = `${orig5.answer} Checked twice: the final answer stands as written above.`;
    expect(await saveRevision(project, { traceId: t5, baseRevision: 0, thinking: orig5.thinking, answer: answer5, author: 'cy', clientId: 'w2', kind: 'edit' })).toMatchObject({ ok: true, answerChanged: true });

    // The stored count scaled by the length change (the original's tokens per character).
    const tokens0 = Math.round((80 * thinking0.length) / fixtureThinking(0).length);
    const answerTokens5 = Math.round((6 * answer5.length) / orig5.answer.length);
    expect(tokens0).toBeGreaterThan(150);
    const after = exportCard();
    expect(after.length.thinking).toEqual(expected([tokens0, 81, 82, 83, 84, 85]));
    expect(after.length.answer).toEqual(expected([6, 6, 6, 6, 6, answerTokens5]));
    expect(after.length.thinking).not.toEqual(before.length.thinking);
    expect(after.card).toContain('The 2 samples edited in review were counted again on the edited text: 2 estimated at the original\'s tokens per character');
    expect(after.card).toContain("Edited in review: 2 of the 6 exported samples carry the reviewers' text instead of the teacher's original (by bo: 1, cy: 1).");
    expect(after.card).toContain('| bo | 0 | 0 | 0 | 0 | 1 |');
    expect(after.card).toContain('| cy | 0 | 0 | 0 | 0 | 1 |');
    expect(after.manifest.provenance.tokens).toMatchObject({ unit: 'tokens', thinking: after.length.thinking, tokenizer: { source: 'stored' }, edited: 2, estimated: 2, recounted: 0 });
    expect(after.manifest.provenance.edits).toEqual({ samples: 2, exported: 6, byEditor: [{ editor: 'bo', samples: 1 }, { editor: 'cy', samples: 1 }] });
    expect(exportPreview(project, 'accepted').tokens.thinking).toEqual(after.length.thinking);

    // Undo brings trace 0 back to the teacher's text: its stored count is valid again and bo no longer counts.
    await undo(project, t0, 'bo');
    const undone = exportCard();
    expect(undone.length.thinking).toEqual(before.length.thinking);
    expect(undone.card).toContain('(by cy: 1).');
    expect(undone.card).toContain('Edited in review: 1 of the 6 exported samples carries');
    expect(undone.card).not.toContain('| bo |'); // no decision, and no edit of bo's is left
  });

  describe.skipIf(!hasPython())('with real tokenizers (the tiny Qwen2 model, built by the Python worker)', () => {
    it("an edited trace of a local teacher is recounted with the teacher model's tokenizer", { timeout: 600_000 }, async () => {
      const dir = tinyModel();
      const tok = loadTokenizerFile(path.join(dir, 'tokenizer.json'));
      const t1 = traceIds[1] as number;
      const at = new Date().toISOString();
      project.db.prepare("INSERT INTO teachers (name, base_urls, model, created_at, updated_at) VALUES ('tiny-local', '[]', ?, ?, ?)").run(dir, at, at);
      project.db.prepare("UPDATE traces SET teacher = 'tiny-local' WHERE id = ?").run(t1);
      const orig = current(t1);
      const thinking = `${orig.thinking}\n${'Wait, let me re-check step 3 with 12 × 7 = 84 and $x^2 = 4$.\n'.repeat(8)}`.trim();
      expect(await saveRevision(project, { traceId: t1, baseRevision: 0, thinking, answer: orig.answer, author: 'dee', kind: 'edit' })).toMatchObject({ ok: true });
      const r = exportCard();
      const counted = tok.count(thinking);
      expect(counted).toBeGreaterThan(85);
      expect(r.length.thinking.p90).toBe(counted);
      expect(r.card).toContain("1 recounted with the teacher model's tokenizer; 1 estimated");
      expect(r.card).toContain('(by cy: 1, dee: 1)');
    });

    it("with a student tokenizer every sample is counted in it, and a save changes the card's statistics", { timeout: 600_000 }, async () => {
      const dir = tinyModel();
      const tok = loadTokenizerFile(path.join(dir, 'tokenizer.json'));
      setStudentDir(project.db, dir);
      try {
        const counts = () => traceIds.map((id) => tok.count(current(id).thinking.trim()));
        const first = exportCard();
        expect(first.length.thinking).toEqual(expected(counts()));
        expect(first.length.answer).toEqual(expected(traceIds.map((id) => tok.count(current(id).answer.trim()))));
        expect(first.card).toContain(`Counted by the student's tokenizer (\`${dir}/tokenizer.json\`) on the exported text of every sample, 2 of them edited in review.`);

        const t2 = traceIds[2] as number;
        const orig = current(t2);
        const thinking = `${orig.thinking}\n${'Alternatively, 中文推理步骤：首先计算 \\frac{a}{b}.\n'.repeat(20)}`.trim();
        expect(await saveRevision(project, { traceId: t2, baseRevision: 0, thinking, answer: orig.answer, author: 'ana', kind: 'edit' })).toMatchObject({ ok: true });
        const second = exportCard();
        expect(second.length.thinking).toEqual(expected(counts()));
        expect(second.length.thinking.p90).toBe(tok.count(thinking));
        expect(second.length.thinking).not.toEqual(first.length.thinking);
        expect(second.card).toContain('3 of them edited in review');
        expect(second.card).toContain('| ana | 6 | 0 | 0 | 0 | 1 |');
      } finally {
        setStudentDir(project.db, null);
      }
    });
  });
});
