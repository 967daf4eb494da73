import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { exportDataset } from '../export/export';
import { createProject } from '../store/project';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-card-'));
const project = createProject(path.join(tmp, 'p'));
afterAll(() => project.close());

it('the dataset card counts the samples whose question was written from the documents', () => {
  const db = project.db;
  const ts = new Date().toISOString();
  const doc = Number(db.prepare("INSERT INTO documents (name, kind, sha256, bytes, status, created_at, text) VALUES ('h.txt', 'text', 'x', 10, 'ok', ?, 'Meals cost 14.')").run(ts).lastInsertRowid);
  const chunk = Number(db.prepare("INSERT INTO chunks (document_id, seq, page_from, page_to, heading_path, start_char, end_char, tokens, text) VALUES (?, 0, 1, 1, '[]', 0, 14, 4, 'Meals cost 14.')").run(doc).lastInsertRowid);
  for (const [i, source] of ['synthesized', 'synthesized', 'pool.jsonl'].entries()) {
    const q = Number(db.prepare('INSERT INTO questions (question, answer, source, created_at) VALUES (?, ?, ?, ?)').run(`What do meals cost, case ${i}?`, '14', source, ts).lastInsertRowid);
    if (source === 'synthesized') db.prepare("INSERT INTO question_chunks (question_id, chunk_id, quote, created_at) VALUES (?, ?, 'Meals cost 14', ?)").run(q, chunk, ts);
    db.prepare("INSERT INTO traces (question_id, source, teacher, status, thinking, answer, created_at) VALUES (?, 'imported', NULL, 'done', 'think', '14', ?)").run(q, ts);
  }
  const r = exportDataset(project, { format: 'trl', include: 'all', scope: 'pool', out: path.join(tmp, 'out'), val: 0 });
  const card = fs.readFileSync(r.files.find((f) => f.endsWith('README.md'))!, 'utf8');
  expect(card).toContain('Questions written by the teacher from the project\'s documents (source "synthesized", each linked to its passage and quote): 2 samples');
});
