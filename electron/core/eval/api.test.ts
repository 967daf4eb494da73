import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine';
import { registerJobKinds } from '../kinds';
import { addEvalset } from '../pool/decontam';
import { saveTeacher } from '../teacher/store';
import { loadTokenizerFile } from '../tokens';
import { hasPython, tinyModel } from '../train/testing';
import { evaluateRouter } from './api';
import { builtinDir } from './benchmarks';
import { startCompletionsServer, type CompletionCall, type CompletionsServer } from './testing/completions-server';
import type { PlaygroundEvent } from './types';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-eval-api-'));
const engine = new Engine({ mode: 'cli' });
registerJobKinds(engine);
const api = evaluateRouter.createCaller({ engine });
let server: CompletionsServer;
let modelDir: string;
const inThinking = (c: CompletionCall) => c.prompt.lastIndexOf('</think>') < c.prompt.lastIndexOf('<think>');

describe.skipIf(!hasPython() || !builtinDir())('evaluate API (tRPC procedures as the Evaluate step calls them)', { timeout: 300_000 }, () => {
  beforeAll(async () => {
    process.env.DISTILLERY_CONFIG_DIR = path.join(tmp, 'config');
    modelDir = tinyModel();
    server = await startCompletionsServer(loadTokenizerFile(path.join(modelDir, 'tokenizer.json')), (c) =>
      inThinking(c) ? 'Short thought.\n</think>' : '\n\nThe answer is \\boxed{7}.',
    );
    await engine.create(path.join(tmp, 'p'), 'API test');
    saveTeacher(engine.project!.db, { name: 'remote', baseUrls: [server.url], model: 'org/remote-model' });
  });
  afterAll(async () => {
    await engine.close();
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('lists built-in benchmarks and the project\'s held-out evaluation sets', async () => {
    await addEvalset(engine.project!, 'aime-held', path.join(builtinDir()!, 'aime24.jsonl'));
    const list = await api.benchmarks.list();
    expect(list.find((b) => b.id === 'builtin:math500')).toMatchObject({ source: 'builtin', count: 500, name: 'math500' });
    expect(list.find((b) => b.id === 'builtin:aime24')?.count).toBe(30);
    expect(list.find((b) => b.id === 'evalset:aime-held')).toMatchObject({ source: 'evalset', count: 30 });
    const p = await api.benchmarks.preview({ id: 'evalset:aime-held', limit: 2 });
    expect(p.total).toBe(30);
    expect(p.rows[0]!.question).toContain('Aya');
  });

  it('imports an evaluation file and reports every rejected row with file, line and field', async () => {
    const file = path.join(tmp, 'mine.jsonl');
    fs.writeFileSync(
      file,
      [
        JSON.stringify({ id: 'a', question: 'What is 3+4?', answer: '7' }),
        '{"question": "broken',
        JSON.stringify({ id: 'c', question: 'No answer here' }),
        JSON.stringify({ id: 'd', answer: '5' }),
        JSON.stringify({ id: 'e', question: 'Solve x+1=3.', solution: 'So $x = \\boxed{2}$.' }),
      ].join('\n'),
    );
    const r = await api.benchmarks.import({ file });
    expect(r).toMatchObject({ read: 5, accepted: 2, benchmark: { id: 'imported:mine', count: 2, source: 'imported' } });
    expect(r.rejected.map((x) => [x.file, x.line, x.field])).toEqual([
      [file, 2, '(row)'],
      [file, 3, 'answer'],
      [file, 4, 'question'],
    ]);
    expect(r.rejected[1]!.reason).toContain('missing reference answer');
    // Issue 19 §11: each reason carries a code the UI translates (notes.row_*), the parser's own words as `detail`.
    expect(r.rejected.map((x) => x.reasonMessage?.code)).toEqual(['row_invalid_json', 'row_no_reference_in', 'row_no_question_in']);
    expect(r.rejected[0]!.reasonMessage?.params.detail).toBeTruthy();
    const p = await api.benchmarks.preview({ id: 'imported:mine' });
    expect(p.rows.map((q) => [q.qid, q.reference])).toEqual([['a', '7'], ['e', '2']]);
    await expect(api.benchmarks.import({ file })).rejects.toThrow(/already imported; choose another name or replace it/);
    const csv = path.join(tmp, 'sheet.csv');
    fs.writeFileSync(csv, 'problem,answer\n"What is 2+5?",7\n"Empty",\n');
    const c = await api.benchmarks.import({ file: csv, name: 'sheet' });
    expect(c.accepted).toBe(1);
    expect(c.rejected).toEqual([
      {
        file: csv,
        line: 2,
        field: 'answer',
        reason: expect.stringContaining('missing reference answer'),
        reasonMessage: expect.objectContaining({ code: 'row_no_reference_in', params: { field: 'answer' } }),
      },
    ]);
    const bad = path.join(tmp, 'bad.jsonl');
    fs.writeFileSync(bad, '{"question": "q"}\n');
    await expect(api.benchmarks.import({ file: bad })).rejects.toThrow(/holds no usable questions \(line 1, field "answer"/);
  });

  it('lists teachers and added folders; refuses a folder that cannot be budget-forced', async () => {
    const added = await api.models.addFolder({ dir: modelDir, label: 'tiny' });
    expect(added.spec).toEqual({ label: 'tiny', kind: 'local', dir: modelDir });
    const list = await api.models.list();
    expect(list.find((m) => m.source === 'teacher')).toMatchObject({ spec: { kind: 'endpoint', teacher: 'remote', templateDir: null }, problem: expect.stringContaining('tokenizer.json') });
    expect(list.find((m) => m.source === 'folder')?.problem).toBeNull();
    await expect(api.models.addFolder({ dir: tmp })).rejects.toThrow(/has no tokenizer\.json/);
  });

  it('starts a run, follows it, drills down and exports the report inline', async () => {
    await expect(
      api.runs.start({ models: [{ label: 'r', kind: 'endpoint', teacher: 'remote' }], benchmarks: ['imported:mine'], budgets: [{ maxThinking: 32 }] }),
    ).rejects.toThrow(/needs a template folder/);
    await expect(
      api.runs.start({ models: [{ label: 'r', kind: 'endpoint', teacher: 'remote', templateDir: modelDir }], benchmarks: ['builtin:nope'], budgets: [{ maxThinking: 32 }] }),
    ).rejects.toThrow(/built-in benchmark "nope" is not installed/);
    const started = await api.runs.start({
      name: 'api',
      models: [{ label: 'remote', kind: 'endpoint', teacher: 'remote', templateDir: modelDir }],
      benchmarks: ['imported:mine', 'imported:sheet'],
      budgets: [{ maxThinking: 32 }, { maxThinking: 64, waits: 2 }],
    });
    expect(started.total).toBe(6);
    const seen: string[] = [];
    for await (const p of await api.runs.watch({ runId: started.runId })) {
      seen.push(p.status);
      if (p.status === 'done' || p.status === 'failed') break;
    }
    await engine.runner!.wait(started.jobId);
    expect(seen.at(-1)).toBe('done');
    const d = await api.runs.get({ runId: started.runId });
    expect(d.run).toMatchObject({ name: 'api', status: 'done', done: 6, total: 6 });
    expect(d.config.budgets).toEqual([{ maxThinking: 32, minThinking: 0, waits: 0 }, { maxThinking: 64, minThinking: 64, waits: 2 }]);
    const byKey = Object.fromEntries(d.cells.map((c) => [`${c.benchmark}/${c.budget}`, c]));
    expect(byKey['imported:mine/0']).toMatchObject({ n: 2, accuracy: 0.5, avgWaits: 0 });
    expect(byKey['imported:sheet/1']).toMatchObject({ n: 1, accuracy: 1, avgWaits: 2 });
    const items = await api.runs.items({ runId: started.runId, benchmark: 'imported:mine', outcome: 'wrong' });
    expect(items.rows.map((r) => [r.qid, r.budget])).toEqual([['e', 0], ['e', 1]]);
    expect(items.rows[1]!.samples[0]!.thinking.match(/\nWait/g)).toHaveLength(2);
    const rep = await api.runs.exportReport({ runId: started.runId, format: 'html', inline: true });
    expect(rep.content).toContain('<svg class="plot"');
    expect(fs.statSync(rep.path).size).toBe(rep.bytes);
    expect((await api.runs.list())[0]!.id).toBe(started.runId);
    await expect(api.runs.resume({ runId: started.runId })).rejects.toThrow(/nothing to resume/);
    await api.runs.remove({ runId: started.runId });
    expect(await api.runs.list()).toEqual([]);
  });

  it('streams a Playground turn and reports a model it cannot open as an error event', async () => {
    const events: PlaygroundEvent[] = [];
    const stream = await api.playground.generate({
      model: { label: 'remote', kind: 'endpoint', teacher: 'remote', templateDir: modelDir },
      messages: [{ role: 'user', content: 'What is 3+4?' }],
      maxThinking: 64,
      minThinking: 20,
      waits: 1,
    });
    for await (const e of stream) events.push(e);
    expect(events.filter((e) => e.type === 'wait')).toEqual([{ type: 'wait', waits: 1 }]);
    const done = events.at(-1)!;
    expect(done.type).toBe('done');
    if (done.type === 'done') expect(done.result.answer).toContain('\\boxed{7}');
    const bad: PlaygroundEvent[] = [];
    for await (const e of await api.playground.generate({ model: { label: 'x', kind: 'local', dir: tmp }, messages: [{ role: 'user', content: 'hi' }], maxThinking: 8 })) bad.push(e);
    // Issue 19 §11: the error carries its code, which the UI heads in its language (errors.<code>)
    expect(bad).toEqual([{ type: 'error', message: expect.stringContaining('has no tokenizer.json'), code: 'invalid_model' }]);
  });

  it('sends the Playground status with a code the UI translates (an ONNX model loading), and a prepared question by key', async () => {
    const { key } = await api.playground.prepare({ model: { label: 'my-onnx', kind: 'onnx', dir: tmp }, messages: [{ role: 'user', content: 'hi' }], maxThinking: 8 });
    const events: PlaygroundEvent[] = [];
    for await (const e of await api.playground.generate({ key })) events.push(e);
    expect(events[0]).toMatchObject({ type: 'status', note: { code: 'model_loading_onnx', params: { model: 'my-onnx' } } });
    expect(events.at(-1)?.type).toBe('error');
  });
});
