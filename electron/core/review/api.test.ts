import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine';
import { loadTokenizerFile } from '../tokens';
import { hasPython, tinyModel } from '../train/testing';
import { reviewRouter } from './api';
import { fastCount } from './tokens';
import { reviewProject } from './testing/fixture';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-review-api-'));
const engine = new Engine({ mode: 'cli' });
const api = reviewRouter.createCaller({ engine });
let traceIds: number[];

beforeAll(async () => {
  const f = reviewProject(path.join(tmp, 'p'), 5);
  traceIds = f.traceIds;
  f.project.close();
  await engine.open(path.join(tmp, 'p'));
});
afterAll(async () => {
  await engine.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('review API (tRPC procedures as the editor calls them)', () => {
  it('queue → sample → autosave → conflict → resolve → history → undo', async () => {
    const q = await api.queue({ search: '', limit: 2 });
    expect(q.rows).toHaveLength(2);
    expect(q.counts.label).toBe('0 / 5 reviewed');
    const id = traceIds[0] as number;
    const s = await api.sample({ traceId: id });
    expect(s).toMatchObject({ traceId: id, head: 0, revisions: 0, thinkTags: { open: '<think>', close: '</think>' }, tokens: { source: 'estimate' } });
    expect(s.reference).not.toBeNull();
    const a = await api.save({ traceId: id, baseRevision: 0, thinking: `${s.thinking}\nA`, answer: s.answer, author: 'ana', clientId: 'win-a' });
    expect(a).toMatchObject({ ok: true, head: 1, coalesced: false });
    const b = await api.save({ traceId: id, baseRevision: 0, thinking: `B\n${s.thinking}`, answer: s.answer, author: 'bo', clientId: 'win-b' });
    expect(b.ok).toBe(false);
    if (b.ok) return;
    expect(b.conflict.merged).toEqual({ thinking: `B\n${s.thinking}\nA`, answer: s.answer, clean: true });
    const m = await api.resolve({ traceId: id, baseRevision: b.head, thinking: b.conflict.merged.thinking, answer: b.conflict.merged.answer, author: 'bo', clientId: 'win-b' });
    expect(m).toMatchObject({ ok: true, head: 2 });
    const h = await api.revisions({ traceId: id });
    expect(h.revisions.map((r) => r.kind)).toEqual(['merge', 'edit', 'original']);
    expect((await api.revision({ traceId: id, n: 1 })).thinking).toBe(`${s.thinking}\nA`);
    const u = await api.undo({ traceId: id, author: 'bo' });
    expect(u).toMatchObject({ ok: true, head: 3 });
    expect((await api.sample({ traceId: id })).thinking).toBe(`${s.thinking}\nA`);
    await expect(api.save({ traceId: id, baseRevision: 99, thinking: 'x', answer: 'y', author: 'ana' })).rejects.toThrow(/has no revision 99/);
    await expect(api.save({ traceId: id, baseRevision: 0, thinking: 'x', answer: 'y', author: '' })).rejects.toThrow(/"author"[\s\S]*>=1 characters/);
    await api.setStatus({ traceIds: [id], status: 'rejected', reviewer: 'bo', comment: (await api.reasons()).reject[0] });
    expect((await api.queue({ status: 'rejected' })).rows[0]).toMatchObject({ traceId: id, comment: 'Wrong final answer', revisions: 3, head: 3 });
  });

  it('bundles through the API; regenerate refuses an unknown teacher with a sentence', async () => {
    const file = path.join(tmp, 'b.jsonl');
    const ex = await api.bundleExport({ out: file, traceIds: traceIds.slice(0, 2) });
    expect(ex.samples).toBe(2);
    expect(await api.bundleImport({ file })).toMatchObject({ applied: 0, unchanged: 2, conflicts: [] });
    await expect(api.regenerate({ traceId: traceIds[1] as number, offset: 0, teacher: 'ghost' })).rejects.toThrow(/no teacher named "ghost"/);
  });
});

describe.skipIf(!hasPython())('student tokens', () => {
  it('counts in the student tokenizer once it is set, and recounts an edited trace', async () => {
    const dir = tinyModel();
    const tok = loadTokenizerFile(path.join(dir, 'tokenizer.json'));
    await expect(api.setStudentDir({ dir: tmp })).rejects.toThrow(/has no tokenizer\.json/);
    expect(await api.setStudentDir({ dir })).toEqual({ source: 'student', dir });
    expect(await api.countTokens({ text: 'Wait, let me check 12 × 7 again.' })).toEqual({ tokens: tok.count('Wait, let me check 12 × 7 again.'), source: 'student' });
    const id = traceIds[2] as number;
    const s = await api.sample({ traceId: id });
    expect(s.tokens).toEqual({ thinking: tok.count(s.thinking), answer: tok.count(s.answer), source: 'student' });
    const row = () => api.queue({ limit: 1000 }).then((q) => q.rows.find((r) => r.traceId === id));
    expect((await row())?.thinkingTokens).toBe(tok.count(s.thinking));
    const longer = `${s.thinking}\nAlternatively, count the steps again: one, two, three.`;
    const r = await api.save({ traceId: id, baseRevision: s.head, thinking: longer, answer: s.answer, author: 'ana' });
    expect(r.ok && r.tokens.thinking).toBe(tok.count(longer));
    expect((await row())?.thinkingTokens).toBe(tok.count(longer));
    expect((await api.queue({})).tokenizer).toEqual({ source: 'student', dir });
    expect(await api.setStudentDir({ dir: null })).toEqual({ source: 'stored', dir: null });
    // Without the setting, the frozen curation run's student folder is used.
    const db = engine.project?.db;
    db?.prepare("INSERT INTO curation_runs (recipe, seed, created_at, funnel, domains, selected, frozen_at) VALUES (?, 0, 'now', '{}', '{}', 0, 'now')").run(JSON.stringify({ studentDir: dir }));
    expect(await api.tokenizer()).toEqual({ source: 'student', dir });
  }, 600_000);

  it('counts long texts in chunks exactly as the whole text, and fast after a small edit', () => {
    const tok = loadTokenizerFile(path.join(tinyModel(), 'tokenizer.json'));
    const questions = engine.project?.db.prepare('SELECT question FROM questions').pluck().all() as string[];
    const text = questions.map((q, i) => (i % 3 === 0 ? `${q}\n\n  Wait — check: $x_{${i}}$.` : q)).join('\n');
    expect(text.length).toBeGreaterThan(20_000);
    expect(fastCount(tok, text)).toBe(tok.count(text));
    const edited = `${text.slice(0, 10_000)}Alternatively, 中文 ${text.slice(10_000)}`;
    expect(fastCount(tok, edited)).toBe(tok.count(edited));
  }, 600_000);
});
