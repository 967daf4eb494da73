import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startChatServer } from '../../core/augment/testing';
import { writeHandbook, HANDBOOK_FACTS } from '../../core/docs/handbook';
import { createProject } from '../../core/store/project';
import { saveTeacher } from '../../core/teacher/store';
import type { CliIO } from '../io';
import { main } from '../main';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = { stdout: (s) => out.push(s), stderr: (s) => err.push(s), readFile: async () => '' };
  return { out, err, cli };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-cli-'));
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of closers) await c();
});

describe('docs and synthesize CLI', () => {
  it('a folder of documents (the sample handbook, English and Chinese) reaches the pool from the command line', async () => {
    const dir = path.join(tmp, 'p');
    const handbook = path.join(tmp, 'handbook');
    writeHandbook(handbook);
    const server = await startChatServer((prompt) => {
      const zh = prompt.includes(HANDBOOK_FACTS.zh);
      const en = prompt.includes(HANDBOOK_FACTS.en);
      if (!zh && !en) return '{"questions": []}';
      return JSON.stringify({ questions: [{ type: 'calculation', question: zh ? '在上海住三晚，每晚九百元，可报销多少？' : 'Three nights in Munich at EUR 150: how much is reimbursed?', answer: zh ? '二千四百元' : 'EUR 390', quote: zh ? HANDBOOK_FACTS.zh : HANDBOOK_FACTS.en }] });
    });
    closers.push(server.close);
    const p = createProject(dir);
    saveTeacher(p.db, { name: 'scripted', baseUrls: [server.url], model: 'scripted-model' });
    p.close();

    const a = io();
    expect(await main(['docs', 'add', dir, handbook, '--json'], a.cli)).toBe(0);
    const added = JSON.parse(a.out[0]!) as { added: number; chunks: number; tokenizer: string; files: { name: string; pages: number; pagesWithText: number }[] };
    expect(added.added).toBe(4);
    expect(added.tokenizer).toMatch(/^estimate/);
    const pdf = added.files.find((f) => f.name === 'handbook-zh.pdf')!;
    expect(pdf.pages).toBeGreaterThan(1);
    expect(pdf.pagesWithText).toBe(pdf.pages);

    const l = io();
    expect(await main(['docs', 'list', dir, '--json'], l.cli)).toBe(0);
    const docs = JSON.parse(l.out[0]!) as { name: string; chunks: number }[];
    expect(docs.map((d) => d.name).sort()).toEqual(['handbook-en.docx', 'handbook-en.pdf', 'handbook-zh.docx', 'handbook-zh.pdf']);

    const pv = io();
    expect(await main(['synthesize', dir, '--teacher', 'scripted', '--preview', '--json'], pv.cli)).toBe(0);
    const preview = JSON.parse(pv.out[0]!) as { chunksTried: number; estimate: { requests: number } };
    expect(preview.chunksTried).toBe(3);
    expect(preview.estimate.requests).toBe(added.chunks);

    const s = io();
    expect(await main(['synthesize', dir, '--teacher', 'scripted', '--per-chunk', '1', '--json'], s.cli)).toBe(0);
    const sum = JSON.parse(s.out.at(-1)!) as { accepted: number; duplicate: number; rejected: number; status: string };
    // One English and one Chinese question: each the PDF's or the DOCX's copy of the same rule, the second a duplicate;
    // every other chunk's empty list is a rejected outcome with its reason (22 chunks, 4 of them with the rule).
    expect(sum).toMatchObject({ status: 'done', accepted: 2, duplicate: 2, rejected: added.chunks - 4 });

    const bad = io();
    expect(await main(['synthesize', dir, '--teacher', 'scripted', '--types', 'essay'], bad.cli)).toBe(2);
    expect(bad.err[0]).toBe('distillery: synthesize: --types: "essay" is not a question type; choose from calculation, multi_step, case_analysis, compare_contrast, what_if.');
  });
});
