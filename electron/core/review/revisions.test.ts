import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { selectSamples } from '../export/samples';
import { openProject, type Project } from '../store/project';
import { reviewQueue } from './queue';
import { getRevision, listRevisions, saveRevision, undo, writeRevision } from './revisions';
import { getSample } from './sample';
import { getReasons, setReasons, DEFAULT_REASONS } from './settings';
import { fixtureThinking, reviewProject } from './testing/fixture';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-review-'));
const open: Project[] = [];
afterAll(() => {
  for (const p of open) p.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function fixture(name: string, n = 6) {
  const f = reviewProject(path.join(tmp, name), n);
  open.push(f.project);
  return f;
}

const edit = (traceId: number, baseRevision: number, thinking: string, answer: string, author = 'ana', clientId: string | null = 'w1') =>
  ({ traceId, baseRevision, thinking, answer, author, clientId, kind: 'edit' as const });

describe('autosave, history and undo', () => {
  it('saves with synchronous=FULL, folds an autosave burst, keeps history and undoes across close and reopen', async () => {
    const { project, traceIds } = fixture('history');
    const id = traceIds[0] as number;
    const original = getSample(project.db, id);
    expect(original.head).toBe(0);
    const db = project.db;
    const seen: number[] = [];
    const orig = db.transaction.bind(db);
    const spy = vi.spyOn(db, 'transaction').mockImplementation(((fn: (...a: unknown[]) => unknown) =>
      orig((...a: unknown[]) => {
        seen.push(db.pragma('synchronous', { simple: true }) as number);
        return fn(...a);
      })) as typeof db.transaction);
    const t0 = new Date('2030-01-01T10:00:00Z');
    const at = (ms: number) => new Date(t0.getTime() + ms);
    let r;
    try {
      r = writeRevision(db, edit(id, 0, `${original.thinking}\nStep 9. typed`, original.answer), at(0));
    } finally {
      spy.mockRestore();
    }
    expect(seen).toEqual([2]); // FULL
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(r).toMatchObject({ ok: true, head: 1, coalesced: false });
    // The same window typing on: folded into its head, but the number moves on.
    r = writeRevision(db, edit(id, 1, `${original.thinking}\nStep 9. typed more`, original.answer), at(1000));
    expect(r).toMatchObject({ ok: true, head: 2, coalesced: true });
    r = writeRevision(db, edit(id, 2, `${original.thinking}\nStep 9. typed more and more`, original.answer), at(2000));
    expect(r).toMatchObject({ ok: true, head: 3, coalesced: true });
    // A pause of over a minute starts a new revision.
    r = writeRevision(db, edit(id, 3, `${original.thinking}\nStep 9. after a pause`, original.answer), at(2000 + 61_000));
    expect(r).toMatchObject({ ok: true, head: 4, coalesced: false });
    // Another author (same window id) never folds into someone else's revision.
    r = writeRevision(db, edit(id, 4, `${original.thinking}\nStep 9. bo's words`, original.answer, 'bo'), at(64_000));
    expect(r).toMatchObject({ ok: true, head: 5, coalesced: false });
    // Saving the same text writes nothing.
    r = writeRevision(db, edit(id, 5, `${original.thinking}\nStep 9. bo's words`, original.answer, 'bo'), at(65_000));
    expect(r).toMatchObject({ ok: true, head: 5, unchanged: true });

    const h = listRevisions(db, id);
    expect(h.head).toBe(5);
    expect(h.revisions.map((x) => [x.n, x.kind, x.author, x.saves])).toEqual([
      [5, 'edit', 'bo', 1],
      [4, 'edit', 'ana', 1],
      [3, 'edit', 'ana', 3],
      [0, 'original', null, 1],
    ]);
    expect(getRevision(db, id, 0).thinking).toBe(original.thinking);
    expect(() => getRevision(db, id, 2)).toThrow(/folded into a later autosave/);
    // The current text is the head everywhere: the sample, the queue and the export.
    expect(getSample(db, id)).toMatchObject({ thinking: `${original.thinking}\nStep 9. bo's words`, head: 5, revisions: 3, original: { thinking: original.thinking } });
    const row = reviewQueue(db, { edited: true }).rows;
    expect(row.map((x) => [x.traceId, x.head, x.revisions])).toEqual([[id, 5, 3]]);
    expect(selectSamples(db, 'all').samples.find((s) => s.traceId === id)?.thinking).toBe(`${original.thinking}\nStep 9. bo's words`);

    // Close and reopen: history and undo survive the restart.
    const dir = project.dir;
    project.close();
    const p2 = openProject(dir);
    open.push(p2);
    expect(listRevisions(p2.db, id).head).toBe(5);
    const u1 = await undo(p2, id, 'ana');
    expect(u1).toMatchObject({ ok: true, head: 6 });
    expect(getSample(p2.db, id).thinking).toBe(`${original.thinking}\nStep 9. after a pause`);
    await undo(p2, id, 'ana'); // an undo of an undo goes further back
    expect(getSample(p2.db, id).thinking).toBe(`${original.thinking}\nStep 9. typed more and more`);
    await undo(p2, id, 'ana');
    expect(getSample(p2.db, id).thinking).toBe(original.thinking);
    await expect(undo(p2, id, 'ana')).rejects.toThrow(/back at the teacher's original text/);
    expect(listRevisions(p2.db, id).revisions.slice(0, 3).map((x) => [x.kind, x.restoredFrom])).toEqual([
      ['undo', 0],
      ['undo', 3],
      ['undo', 4],
    ]);
    expect(p2.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('refuses a base revision that does not exist, and traces that are not there', () => {
    const { project, traceIds } = fixture('bad');
    const id = traceIds[0] as number;
    expect(() => writeRevision(project.db, edit(id, 3, 'x', 'y'))).toThrow(/has no revision 3 \(its latest is 0\); reload the sample/);
    expect(() => writeRevision(project.db, edit(999_999, 0, 'x', 'y'))).toThrow(/There is no trace 999999/);
  });
});

describe('two windows on the same sample', () => {
  it('the later save gets a conflict with a clean merge when the edits touch different lines; nothing is overwritten', async () => {
    const { project, traceIds } = fixture('two-windows');
    const id = traceIds[1] as number;
    const s = getSample(project.db, id);
    const lines = s.thinking.split('\n');
    const a = [...lines];
    a[1] = 'Step 2. Window A rewrote this step.';
    const b = [...lines];
    b[6] = 'Step 7. Window B fixed this step.';
    const ra = await saveRevision(project, edit(id, s.head, a.join('\n'), s.answer, 'ana', 'A'));
    expect(ra).toMatchObject({ ok: true, head: 1 });
    const rb = await saveRevision(project, edit(id, s.head, b.join('\n'), s.answer, 'ana', 'B'));
    expect(rb.ok).toBe(false);
    if (rb.ok) return;
    expect(rb.head).toBe(1);
    expect(rb.conflict.base).toMatchObject({ n: 0, thinking: s.thinking });
    expect(rb.conflict.theirs).toMatchObject({ n: 1, thinking: a.join('\n'), author: 'ana' });
    expect(rb.conflict.mine.thinking).toBe(b.join('\n'));
    const both = [...lines];
    both[1] = a[1];
    both[6] = b[6];
    expect(rb.conflict.merged).toEqual({ thinking: both.join('\n'), answer: s.answer, clean: true });
    // Nothing was overwritten: A's text is the head.
    expect(getSample(project.db, id).thinking).toBe(a.join('\n'));
    // B takes the merge.
    const rr = await saveRevision(project, { ...edit(id, rb.head, rb.conflict.merged.thinking, rb.conflict.merged.answer, 'ana', 'B'), kind: 'merge' });
    expect(rr).toMatchObject({ ok: true, head: 2 });
    expect(listRevisions(project.db, id).revisions[0]).toMatchObject({ n: 2, kind: 'merge' });
    // A keeps typing from its old base: now A is the one that sees the conflict.
    const a2 = await saveRevision(project, edit(id, 1, `${a.join('\n')}\nStep 9. more from A`, s.answer, 'ana', 'A'));
    expect(a2.ok).toBe(false);
  });

  it('overlapping edits give a merge that is not clean, with markers; a stale base from the same window is not a conflict', async () => {
    const { project, traceIds } = fixture('overlap');
    const id = traceIds[2] as number;
    const s = getSample(project.db, id);
    const lines = s.thinking.split('\n');
    const a = [...lines];
    a[3] = 'Step 4. A says this.';
    const b = [...lines];
    b[3] = 'Step 4. B says that.';
    expect(await saveRevision(project, edit(id, 0, a.join('\n'), s.answer, 'ana', 'A'))).toMatchObject({ ok: true });
    const rb = await saveRevision(project, edit(id, 0, b.join('\n'), 'The answer is \\boxed{B}.', 'bo', 'B'));
    expect(rb.ok).toBe(false);
    if (rb.ok) return;
    expect(rb.conflict.merged.clean).toBe(false);
    expect(rb.conflict.merged.thinking).toContain(['<<<<<<< mine', 'Step 4. B says that.', '||||||| base', lines[3], '=======', 'Step 4. A says this.', '>>>>>>> theirs'].join('\n'));
    expect(rb.conflict.merged.answer).toBe('The answer is \\boxed{B}.'); // only B changed the answer
    expect(getSample(project.db, id).thinking).toBe(a.join('\n'));
    // Window A sends a save whose base lags behind its own last save: its own work, so it applies.
    const r = writeRevision(project.db, edit(id, 0, `${a.join('\n')}\nmore`, s.answer, 'ana', 'A'));
    expect(r).toMatchObject({ ok: true, head: 2 });
  });
});

describe('the answer check follows edits', () => {
  it('re-checks the answer when the answer changes and returns the new verdict', async () => {
    const { project, traceIds } = fixture('recheck');
    const id = traceIds[3] as number;
    const ref = project.db.prepare('SELECT q.answer FROM traces t JOIN questions q ON q.id = t.question_id WHERE t.id = ?').pluck().get(id) as string;
    const s = getSample(project.db, id);
    expect(s.verdict).toBeNull();
    // No window id: every save is its own revision (nothing folds).
    const right = await saveRevision(project, edit(id, 0, s.thinking, `So the answer is \\boxed{${ref}}.`, 'ana', null));
    expect(right).toMatchObject({ ok: true, answerChanged: true, verdict: { equivalent: true } });
    expect(getSample(project.db, id).verdict).toMatchObject({ equivalent: true });
    expect(reviewQueue(project.db, { verdict: 'correct' }).rows.map((r) => r.traceId)).toEqual([id]);
    // A thinking-only edit leaves the verdict alone.
    const thinking = await saveRevision(project, edit(id, 1, `${s.thinking}\nDouble-check.`, `So the answer is \\boxed{${ref}}.`, 'ana', null));
    expect(thinking).toMatchObject({ ok: true, answerChanged: false, verdict: null });
    const wrong = await saveRevision(project, edit(id, 2, s.thinking, 'So the answer is \\boxed{not-it}.', 'ana', null));
    expect(wrong).toMatchObject({ ok: true, answerChanged: true, verdict: { equivalent: false } });
    expect(project.db.prepare('SELECT equivalent FROM verdicts WHERE trace_id = ?').pluck().get(id)).toBe(0);
    // Undo restores the right answer and re-checks it.
    const u = await undo(project, id, 'ana');
    expect(u).toMatchObject({ ok: true, answerChanged: true, verdict: { equivalent: true } });
  });
});

describe('queue, reasons and tokens', () => {
  it('lists rows with what the queue shows, and keeps per-project reasons', () => {
    const { project, traceIds } = fixture('queue');
    const q = reviewQueue(project.db, { limit: 3 });
    expect(q.filtered).toBe(6);
    expect(q.tokenizer).toEqual({ source: 'stored', dir: null });
    expect(q.rows[0]).toMatchObject({ traceId: traceIds[0], status: 'todo', verdict: null, thinkingTokens: 80, revisions: 0, head: 0, editedAt: null, tokensEstimated: false });
    expect(q.rows[0]?.question.length).toBeLessThanOrEqual(201);
    expect(q.domains.length).toBeGreaterThan(0);
    expect(getReasons(project.db)).toEqual(DEFAULT_REASONS);
    expect(setReasons(project.db, { reject: [' Off topic ', '', 'Off topic', 'Too long'], needsWork: ['Trim'] })).toEqual({ reject: ['Off topic', 'Too long'], needsWork: ['Trim'] });
    expect(getReasons(project.db)).toEqual({ reject: ['Off topic', 'Too long'], needsWork: ['Trim'] });
    expect(() => setReasons(project.db, { reject: ['x'.repeat(201)], needsWork: [] })).toThrow(/longer than 200 characters/);
    expect(fixtureThinking(0)).toContain('Step 1.');
  });
});
