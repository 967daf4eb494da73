import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../store/project';
import { importFile, writeRejectReport } from './importer';
import { benchmarkRows, trackedProjects, tmpDir, writeAs, writeParquet, type BenchRow, type FixtureFormat } from './fixtures.test-helpers';

let rows: BenchRow[];
const project = trackedProjects();
beforeAll(() => {
  rows = benchmarkRows();
});

const count = (p: Project, sql: string) => (p.db.prepare(sql).get() as { n: number }).n;

describe('every format, on the 1,606 benchmark problems', () => {
  const formats: FixtureFormat[] = ['jsonl', 'json-array', 'json-object', 'csv', 'tsv', 'parquet'];
  let expected: { imported: number; duplicates: number; questions: string[] } | undefined;

  for (const gz of [false, true]) {
    for (const fmt of formats) {
      it(`${fmt}${gz ? '.gz' : ''}`, async () => {
        expect(rows.length).toBe(1606);
        const dir = tmpDir();
        const file = writeAs(dir, fmt, rows.map((r) => ({ problem: r.problem, answer: r.answer, set: r.set })), gz);
        const p = project();
        const r = await importFile(p, file);
        expect(r.compressed).toBe(gz);
        expect(r.read).toBe(1606);
        expect(r.rejected).toEqual([]);
        expect(r.imported + r.duplicates).toBe(1606);
        expect(r.mapping).toMatchObject({ question: 'problem', answer: 'answer' });
        const stored = (p.db.prepare('SELECT question FROM questions ORDER BY id').all() as { question: string }[]).map((q) => q.question);
        expect(stored.length).toBe(r.imported);
        expected ??= { imported: r.imported, duplicates: r.duplicates, questions: stored };
        expect(r.imported).toBe(expected.imported);
        expect(stored).toEqual(expected.questions);
        const imp = p.db.prepare('SELECT read, imported, duplicates, rejected FROM imports').get();
        expect(imp).toEqual({ read: 1606, imported: r.imported, duplicates: r.duplicates, rejected: 0 });
      });
    }
  }
});

describe('shapes', () => {
  it('s1K-1.1: question, solution and both teachers’ traces', async () => {
    const dir = tmpDir();
    const file = writeAs(dir, 'jsonl', [
      {
        question: 'What is 2+2?',
        solution: '4',
        cot_type: 'math',
        source_type: 'x/y',
        metadata: '{}',
        gemini_thinking_trajectory: 'add',
        gemini_attempt: '4',
        deepseek_thinking_trajectory: 'two plus two',
        deepseek_attempt: '\\boxed{4}',
      },
    ]);
    const p = project();
    const r = await importFile(p, file);
    expect(r.shape).toBe('s1k');
    expect(r.traces).toBe(2);
    const q = p.db.prepare('SELECT question, solution, metadata FROM questions').get() as { question: string; solution: string; metadata: string };
    expect(q).toMatchObject({ question: 'What is 2+2?', solution: '4' });
    expect(JSON.parse(q.metadata)).toMatchObject({ cot_type: 'math', source_type: 'x/y' });
    const ts = p.db.prepare("SELECT teacher, thinking, answer, status, source FROM traces ORDER BY teacher").all();
    expect(ts).toEqual([
      { teacher: 'deepseek-r1', thinking: 'two plus two', answer: '\\boxed{4}', status: 'done', source: 'imported' },
      { teacher: 'gemini', thinking: 'add', answer: '4', status: 'done', source: 'imported' },
    ]);
  });

  it('s1K: thinking_trajectories as a list, attempt', async () => {
    const file = writeAs(tmpDir(), 'parquet', [{ question: 'Q1?', solution: 'S', cot_type: 'math', thinking_trajectories: ['step 1'], attempt: 'A' }]);
    const p = project();
    const r = await importFile(p, file);
    expect(r.shape).toBe('s1k');
    expect(p.db.prepare('SELECT thinking, answer FROM traces').get()).toEqual({ thinking: 'step 1', answer: 'A' });
  });

  it('ShareGPT conversations with <think> and messages with reasoning_content', async () => {
    const dir = tmpDir();
    const file = writeAs(dir, 'jsonl', [
      { conversations: [{ from: 'system', value: 'be brief' }, { from: 'human', value: 'Q-a' }, { from: 'gpt', value: '<think>hmm</think>The answer is 3.' }] },
      { messages: [{ role: 'user', content: 'Q-b' }, { role: 'assistant', content: 'B', reasoning_content: 'because' }] },
      { messages: [{ role: 'assistant', content: 'no question' }] },
    ]);
    const p = project();
    const r = await importFile(p, file, { shape: 'sharegpt', mapping: {} });
    expect(r.shape).toBe('sharegpt');
    expect(r.rejected.map((x) => x.line)).toEqual([2, 3]);
    const r2 = await importFile(p, writeAs(tmpDir(), 'jsonl', [{ messages: [{ role: 'user', content: 'Q-b' }, { role: 'assistant', content: 'B', reasoning_content: 'because' }] }]));
    expect(r2.imported).toBe(1);
    const ts = p.db.prepare('SELECT q.question, t.thinking, t.answer FROM traces t JOIN questions q ON q.id = t.question_id ORDER BY q.id').all();
    expect(ts).toEqual([
      { question: 'Q-a', thinking: 'hmm', answer: 'The answer is 3.' },
      { question: 'Q-b', thinking: 'because', answer: 'B' },
    ]);
  });

  it('Alpaca: instruction + input → question, output → answer', async () => {
    const file = writeAs(tmpDir(), 'json-array', [
      { instruction: 'Solve.', input: 'x+1=2', output: 'x=1' },
      { instruction: 'Name a prime.', input: '', output: '2' },
    ]);
    const p = project();
    const r = await importFile(p, file);
    expect(r.shape).toBe('alpaca');
    expect(p.db.prepare('SELECT question, answer FROM questions ORDER BY id').all()).toEqual([
      { question: 'Solve.\n\nx+1=2', answer: 'x=1' },
      { question: 'Name a prime.', answer: '2' },
    ]);
  });

  it('column mapping overrides, with domain and id', async () => {
    const file = writeAs(tmpDir(), 'csv', [{ q: 'Q1', final: '7', area: 'algebra', key: 'k1', problem: 'decoy' }]);
    const p = project();
    const r = await importFile(p, file, { mapping: { question: 'q', answer: 'final', domain: 'area', id: 'key' } });
    expect(r.imported).toBe(1);
    expect(p.db.prepare('SELECT question, answer, domain, ext_id FROM questions').get()).toEqual({ question: 'Q1', answer: '7', domain: 'algebra', ext_id: 'k1' });
  });
});

describe('malformed inputs: exact rejected lines', () => {
  it('JSONL: BOM, CRLF, truncated JSON, invalid UTF-8, blank, missing, empty, wrong type, a 50 MB line', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'bad.jsonl');
    const big = Buffer.alloc(50 * 1024 * 1024, 0x61);
    const parts: Buffer[] = [
      Buffer.from('\uFEFF{"problem":"good one","answer":"1"}\r\n'), // 1
      Buffer.from('{"problem":"truncated", "ans\r\n'), // 2
      Buffer.concat([Buffer.from('{"problem":"bad '), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]), // 3
      Buffer.from('   \r\n'), // 4 blank: not a row
      Buffer.from('{"problem":"good two","answer":2}\r\n'), // 5
      Buffer.from('{"answer":"no question"}\n'), // 6
      Buffer.from('{"problem":"   ","answer":"x"}\n'), // 7
      Buffer.from('{"problem":{"text":"obj"}}\n'), // 8
      Buffer.concat([Buffer.from('{"problem":"'), big, Buffer.from('"}\n')]), // 9
      Buffer.from('[1,2]\n'), // 10
      Buffer.from('{"problem":"good three"}'), // 11, no final newline
    ];
    fs.writeFileSync(file, Buffer.concat(parts));
    const p = project();
    const r = await importFile(p, file);
    expect(r.read).toBe(10);
    expect(r.imported).toBe(3);
    expect(r.rejected.map((x) => [x.line, x.reason.split(':')[0]])).toEqual([
      [2, 'invalid JSON'],
      [3, 'invalid UTF-8'],
      [6, 'missing question (no field "problem")'],
      [7, 'empty question'],
      [8, 'wrong type'],
      [9, 'field over the size limit'],
      [10, 'wrong type'],
    ]);
    expect((p.db.prepare('SELECT question FROM questions ORDER BY id').all() as { question: string }[]).map((q) => q.question)).toEqual(['good one', 'good two', 'good three']);
    const rep = writeRejectReport(p, r.importId!);
    expect(rep.rows).toBe(7);
    const lines = fs.readFileSync(rep.path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { line: number; file: string });
    expect(lines.map((l) => l.line)).toEqual([2, 3, 6, 7, 8, 9, 10]);
    expect(lines[0]!.file).toBe(file);
  }, 120_000);

  it('CSV with broken quoting and a short row, and invalid UTF-8', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'bad.csv');
    fs.writeFileSync(
      file,
      Buffer.concat([
        Buffer.from('\uFEFFproblem,answer\r\n"ok, with comma",1\r\n"bad "quote" here",2\r\nonlyone\r\n'),
        Buffer.from([0x62, 0xff, 0x2c, 0x33, 0x0d, 0x0a]),
        Buffer.from('"multi\nline",4\r\nlast,5\r\n'),
      ]),
    );
    const p = project();
    const r = await importFile(p, file);
    expect(r.rejected.map((x) => [x.line, x.reason.split(':')[0]])).toEqual([
      [2, 'broken CSV quoting'],
      [3, 'wrong number of columns'],
      [4, 'invalid UTF-8 (line 5 of the file)'],
    ]);
    expect(r.read).toBe(6);
    expect(r.imported).toBe(3);
    expect((p.db.prepare('SELECT question FROM questions ORDER BY id').all() as { question: string }[]).map((q) => q.question)).toEqual(['ok, with comma', 'multi\nline', 'last']);
  });

  it('Parquet missing the mapped column: every row rejected with its row number', async () => {
    const file = path.join(tmpDir(), 'x.parquet');
    writeParquet(file, [{ problem: 'a', answer: '1' }, { problem: 'b', answer: '2' }, { problem: 'c', answer: '3' }]);
    const p = project();
    const r = await importFile(p, file, { mapping: { question: 'question_text' } });
    expect(r.read).toBe(3);
    expect(r.rejected).toEqual([1, 2, 3].map((line) => ({ line, reason: 'missing question (no field "question_text")', raw: expect.any(String) })));
    expect(count(p, 'SELECT COUNT(*) AS n FROM questions')).toBe(0);
  });

  it('a truncated gzip and a broken JSON file are refused with a sentence naming the file', async () => {
    const dir = tmpDir();
    const gz = path.join(dir, 'cut.jsonl.gz');
    fs.writeFileSync(gz, zlib.gzipSync(Buffer.from('{"problem":"a"}\n'.repeat(5000))).subarray(0, 200));
    const p = project();
    await expect(importFile(p, gz)).rejects.toThrow(/cut\.jsonl\.gz/);
    const js = path.join(dir, 'broken.json');
    fs.writeFileSync(js, '[{"problem": "a"},\n{"problem": ');
    await expect(importFile(p, js)).rejects.toThrow(/broken\.json is not valid JSON/);
    await expect(importFile(p, path.join(dir, 'nope.jsonl'))).rejects.toThrow(/nope\.jsonl does not exist/);
    expect(count(p, 'SELECT COUNT(*) AS n FROM imports')).toBe(0);
  });
});

describe('transactions and duplicates', () => {
  it('a failure part-way leaves the project as it was', async () => {
    const dir = tmpDir();
    const p = project();
    await importFile(p, writeAs(dir, 'jsonl', [{ problem: 'existing', answer: '0' }]));
    const before = ['questions', 'traces', 'imports', 'import_rejects', 'questions_fts'].map((t) => count(p, `SELECT COUNT(*) AS n FROM ${t}`));
    const file = writeAs(tmpDir(), 'jsonl', [
      ...Array.from({ length: 50 }, (_, i) => ({ messages: [{ role: 'user', content: `q${i}` }, { role: 'assistant', content: `<think>t${i}</think>a${i}` }] })),
      { nope: 1 },
    ]);
    await expect(
      importFile(p, file, {
        beforeInsert: (i) => {
          if (i === 25) throw new Error('disk full (injected)');
        },
      }),
    ).rejects.toThrow('injected');
    const after = ['questions', 'traces', 'imports', 'import_rejects', 'questions_fts'].map((t) => count(p, `SELECT COUNT(*) AS n FROM ${t}`));
    expect(after).toEqual(before);
    const again = await importFile(p, file);
    expect(again).toMatchObject({ read: 51, imported: 50, duplicates: 0 });
    expect(count(p, 'SELECT COUNT(*) AS n FROM traces')).toBe(50);
  });

  it('exact duplicates within the file and against the pool (whitespace, case, LaTeX spacing)', async () => {
    const p = project();
    await importFile(p, writeAs(tmpDir(), 'jsonl', [{ problem: 'Find $x$ if $2x = 4$.' }]));
    const r = await importFile(
      p,
      writeAs(tmpDir(), 'jsonl', [
        { problem: 'find  x if 2x=4.' },
        { problem: 'New \\left( one \\right)' },
        { problem: 'NEW (one)' },
        { problem: 'Find $x$ if $2x\\,=\\,4$.' },
      ]),
    );
    expect(r).toMatchObject({ read: 4, imported: 1, duplicates: 3 });
    expect(r.duplicateRows).toEqual([
      { line: 1, duplicateOf: 1, duplicateOfLine: null },
      { line: 3, duplicateOf: null, duplicateOfLine: 2 },
      { line: 4, duplicateOf: 1, duplicateOfLine: null },
    ]);
  });

  it('preview (dry run) writes nothing and reports the rows as stored', async () => {
    const p = project();
    const file = writeAs(tmpDir(), 'csv', rows.slice(0, 30).map((r) => ({ problem: r.problem, answer: r.answer })));
    const r = await importFile(p, file, { dryRun: true, previewRows: 5 });
    expect(r.preview).toHaveLength(5);
    expect(r.preview[0]).toMatchObject({ line: 1, question: rows[0]!.problem, answer: rows[0]!.answer });
    expect(r.columns).toEqual(['problem', 'answer']);
    expect(count(p, 'SELECT COUNT(*) AS n FROM questions')).toBe(0);
    expect(count(p, 'SELECT COUNT(*) AS n FROM imports')).toBe(0);
  });
});
