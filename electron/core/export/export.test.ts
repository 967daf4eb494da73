import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runExport } from '../../cli/commands/export';
import { runReview } from '../../cli/commands/review';
import type { CliIO } from '../../cli/io';
import { pythonExecutable } from '../env/python';
import { setStatusForQuestions } from '../review/decisions';
import { queueCounts, reviewQueue } from '../review/queue';
import { createSampleProject } from '../sample';
import type { Project } from '../store/project';
import { UserError } from '../util/errors';
import { exportDataset } from './export';
import { seededSplit } from './split';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-export-'));
let project: Project;
let qids: number[];

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = { stdout: (s) => out.push(s), stderr: (s) => err.push(s), readFile: (p) => fs.promises.readFile(p, 'utf8') };
  return { cli, out, err };
};
const readJson = <T>(f: string) => JSON.parse(fs.readFileSync(f, 'utf8')) as T;

beforeAll(() => {
  project = createSampleProject(path.join(tmp, 'proj'));
  qids = project.db.prepare('SELECT id FROM questions ORDER BY id LIMIT 12').pluck().all() as number[];
  const put = project.db.prepare(
    "INSERT INTO traces (question_id, source, teacher, status, thinking, answer, thinking_tokens, answer_tokens, created_at) VALUES (?, 'imported', NULL, 'done', ?, ?, ?, ?, ?)",
  );
  const at = new Date().toISOString();
  qids.forEach((q, i) => put.run(q, `Step 1. Think about question ${q}.\nWait, check it: 中文 "quotes" | pipes.`, `The answer is \\boxed{${i}}.`, 20 + i, 5 + i, at));
  // A second, failed trace for the first question must never be chosen.
  project.db.prepare("INSERT INTO traces (question_id, source, status, error, created_at) VALUES (?, 'imported', 'failed', 'x', ?)").run(qids[0], at);
});

afterAll(() => {
  project?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('review decisions', () => {
  it('writes decisions with synchronous=FULL and counts "N / M reviewed"', () => {
    const db = project.db;
    const seen: number[] = [];
    const orig = db.transaction.bind(db);
    const spy = vi.spyOn(db, 'transaction').mockImplementation(((fn: (...a: unknown[]) => unknown) =>
      orig((...a: unknown[]) => {
        seen.push(db.pragma('synchronous', { simple: true }) as number);
        return fn(...a);
      })) as typeof db.transaction);
    try {
      setStatusForQuestions(db, qids.slice(0, 8), 'accepted', 'ana');
      setStatusForQuestions(db, qids.slice(8, 10), 'rejected', 'bo', 'wrong step');
      setStatusForQuestions(db, qids.slice(10, 11), 'needs_work', 'ana');
    } finally {
      spy.mockRestore();
    }
    expect(seen).toEqual([2, 2, 2]); // 2 = FULL
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // back to NORMAL
    const c = queueCounts(db);
    expect(c).toMatchObject({ scope: 'pool', total: 12, reviewed: 11, accepted: 8, rejected: 2, needsWork: 1, todo: 1, label: '11 / 12 reviewed' });
    expect(c.withoutTrace).toBe(320 - 12);
    const q = reviewQueue(db, { status: 'accepted', limit: 3 });
    expect(q.filtered).toBe(8);
    expect(q.rows).toHaveLength(3);
    expect(q.rows[0]).toMatchObject({ status: 'accepted', reviewer: 'ana', thinkingTokens: 20 });
  });

  it('CLI review refuses unknown ids with a sentence and changes nothing', async () => {
    const { cli } = io();
    await expect(runReview([project.dir, '--set', 'accepted', '--ids', '999999'], cli)).rejects.toThrow(/no question 999999/);
    await expect(runReview([project.dir, '--set', 'maybe', '--ids', '1'], cli)).rejects.toThrow(/--set must be one of/);
    const none = project.db.prepare('SELECT id FROM questions WHERE id NOT IN (SELECT question_id FROM traces) LIMIT 1').pluck().get() as number;
    await expect(runReview([project.dir, '--set', 'accepted', '--ids', String(none)], cli)).rejects.toThrow(/no finished trace/);
    const ok = io();
    expect(await runReview([project.dir, '--set', 'todo', '--ids', String(qids[11]), '--reviewer', 'cy', '--json'], ok.cli)).toBe(0);
    expect(JSON.parse(ok.out[0] as string)).toMatchObject({ updated: 1, status: 'todo', total: 12 });
  });
});

describe('export', () => {
  const out = (name: string) => path.join(tmp, 'out', name);

  it('TRL messages JSONL: lines parse, roles are right, the thinking sits in <think> tags', async () => {
    const { cli, out: lines } = io();
    expect(await runExport([project.dir, '--format', 'trl', '--out', out('trl'), '--val', '0.25', '--seed', '7', '--json'], cli)).toBe(0);
    const r = JSON.parse(lines[0] as string) as { train: number; validation: number; files: string[] };
    expect(r).toMatchObject({ train: 6, validation: 2 });
    expect(r.files.map((f) => path.basename(f))).toEqual(['train.jsonl', 'validation.jsonl', 'README.md', 'export.json']);
    const recs = fs.readFileSync(path.join(out('trl'), 'train.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { messages: { role: string; content: string }[] });
    expect(recs).toHaveLength(6);
    for (const m of recs) {
      expect(m.messages.map((x) => x.role)).toEqual(['user', 'assistant']);
      expect(m.messages[1]?.content).toMatch(/^<think>\nStep 1\.[\s\S]*\n<\/think>\n\nThe answer is \\boxed\{\d+\}\.$/);
    }
    const card = fs.readFileSync(path.join(out('trl'), 'README.md'), 'utf8');
    expect(card).toContain('| ana | 8 | 0 | 1 | 0 |');
    expect(card).toContain('| bo | 0 | 2 | 0 | 0 |');
    expect(card).toMatch(/## Length \(tokens\)/);
    expect(card).toContain('Imported traces (teacher unknown): 8 samples');
    expect(card).toContain('No evaluation set was registered');
    const manifest = readJson<{ project: { id: string }; counts: { samples: number }; seed: number }>(path.join(out('trl'), 'export.json'));
    expect(manifest).toMatchObject({ project: { id: project.id }, counts: { samples: 8 }, seed: 7 });
  });

  it('TRL with a reasoning field and a system prompt', () => {
    const r = exportDataset(project, { format: 'trl', out: out('trl-rf'), reasoningField: true, systemPrompt: 'You are careful.', val: 0 });
    expect(r).toMatchObject({ train: 8, validation: 0 });
    const m = JSON.parse(fs.readFileSync(path.join(out('trl-rf'), 'train.jsonl'), 'utf8').split('\n')[0] as string) as { messages: Record<string, string>[] };
    expect(m.messages.map((x) => x.role)).toEqual(['system', 'user', 'assistant']);
    expect(m.messages[2]?.content).toMatch(/^The answer is/);
    expect(m.messages[2]?.reasoning_content).toMatch(/^Step 1\./);
  });

  it('s1K Parquet reads back with hyparquet', async () => {
    exportDataset(project, { format: 's1k', out: out('s1k'), val: 0.25, seed: 7 });
    const rows = (await parquetReadObjects({ file: await asyncBufferFromFile(path.join(out('s1k'), 'train.parquet')) })) as Record<string, unknown>[];
    expect(rows).toHaveLength(6);
    expect(Object.keys(rows[0] ?? {})).toEqual(['question', 'solution', 'thinking_trajectories', 'attempt', 'cot_type', 'source_type', 'metadata']);
    const r0 = rows[0] as { thinking_trajectories: string[]; metadata: string; attempt: string; cot_type: string };
    expect(r0.thinking_trajectories).toHaveLength(1);
    expect(r0.thinking_trajectories[0]).toMatch(/^Step 1\./);
    expect(r0.attempt).toMatch(/^The answer is/);
    expect(JSON.parse(r0.metadata)).toMatchObject({ review: 'accepted', reviewer: 'ana' });
  });

  it('LLaMA-Factory ShareGPT JSON and dataset_info.json agree; Alpaca JSON has instruction/input/output', () => {
    exportDataset(project, { format: 'llamafactory', out: out('lf'), val: 0.25, seed: 7 });
    const info = readJson<Record<string, { file_name: string; formatting: string; columns: Record<string, string>; tags: Record<string, string> }>>(path.join(out('lf'), 'dataset_info.json'));
    expect(Object.keys(info)).toEqual(['distillery_train', 'distillery_validation']);
    for (const e of Object.values(info)) {
      expect(e.formatting).toBe('sharegpt');
      const data = readJson<Record<string, { from: string; value: string }[]>[]>(path.join(out('lf'), e.file_name));
      for (const row of data) {
        const conv = row[e.columns.messages as string] as { from: string; value: string }[];
        expect(conv.map((c) => c.from)).toEqual([e.tags.user_tag, e.tags.assistant_tag]);
        expect(Object.keys(conv[0] ?? {})).toEqual([e.tags.role_tag, e.tags.content_tag]);
      }
    }
    exportDataset(project, { format: 'alpaca', out: out('alpaca'), val: 0.25, seed: 7 });
    const a = readJson<{ instruction: string; input: string; output: string }[]>(path.join(out('alpaca'), 'train.json'));
    expect(a).toHaveLength(6);
    expect(a[0]).toEqual({ instruction: expect.any(String), input: '', output: expect.stringMatching(/^<think>\n/) });
  });

  it('the split is reproducible from the seed, disjoint and complete', () => {
    const split = (dir: string) => readJson<{ split: { train: number[]; validation: number[] } }>(path.join(dir, 'export.json')).split;
    const a = split(out('trl'));
    expect(split(out('s1k'))).toEqual(a);
    expect(a.train.filter((x) => a.validation.includes(x))).toEqual([]);
    expect([...a.train, ...a.validation].sort((x, y) => x - y)).toEqual(qids.slice(0, 8));
    const items = Array.from({ length: 200 }, (_, i) => i);
    const s1 = seededSplit(items, (x) => x, 0.05, 1);
    expect(seededSplit([...items].reverse(), (x) => x, 0.05, 1).validation.sort((x, y) => x - y)).toEqual(s1.validation);
    expect(s1.validation).toHaveLength(10);
    expect(seededSplit(items, (x) => x, 0.05, 2).validation).not.toEqual(s1.validation);
  });

  it('--include all adds unreviewed traces but never rejected ones; an out folder in use is refused', () => {
    const r = exportDataset(project, { format: 'alpaca', out: out('all'), include: 'all', val: 0 });
    expect(r.train).toBe(10); // 12 traced questions minus 2 rejected
    expect(() => exportDataset(project, { format: 'alpaca', out: out('all'), include: 'all' })).toThrow(/not empty/);
  });

  it('an empty export says to review or use --include all', async () => {
    const empty = createSampleProject(path.join(tmp, 'empty'));
    empty.close();
    const { cli } = io();
    const p = runExport([path.join(tmp, 'empty'), '--format', 'trl', '--out', out('empty')], cli);
    await expect(p).rejects.toBeInstanceOf(UserError);
    await expect(p).rejects.toThrow(/Review the samples first.*--include all/);
    await expect(runExport([project.dir, '--format', 'csv'], cli)).rejects.toThrow(/--format must be one of trl, s1k, llamafactory, alpaca/);
  });
});

const python = pythonExecutable();
const hasVenv = fs.existsSync(python);

// The libraries that consume the exports: datasets, pyarrow, and a chat template through transformers.
const READBACK = String.raw`
import json, os, sys
os.environ["HF_HUB_OFFLINE"] = "1"; os.environ["HF_DATASETS_OFFLINE"] = "1"
out, model = sys.argv[1], sys.argv[2]
import datasets, pyarrow.parquet as pq
from transformers import AutoTokenizer
res = {}
trl = datasets.load_dataset("json", data_files={"train": f"{out}/trl/train.jsonl", "validation": f"{out}/trl/validation.jsonl"}, cache_dir=f"{out}/.hf")
res["trl"] = [len(trl["train"]), len(trl["validation"])]
assert [m["role"] for m in trl["train"][0]["messages"]] == ["user", "assistant"]
s1k = datasets.load_dataset("parquet", data_files={"train": f"{out}/s1k/train.parquet"}, cache_dir=f"{out}/.hf")["train"]
res["s1k_features"] = {k: str(v) for k, v in s1k.features.items()}
t = pq.read_table(f"{out}/s1k/validation.parquet")
res["s1k_pyarrow"] = [t.num_rows, str(t.schema.field("thinking_trajectories").type)]
lf = datasets.load_dataset("json", data_files=f"{out}/lf/train.json", cache_dir=f"{out}/.hf")["train"]
res["lf"] = [len(lf), lf[0]["conversations"][0]["from"]]
tok = AutoTokenizer.from_pretrained(model)
ids = tok.apply_chat_template(trl["train"][0]["messages"], tokenize=True)
text = tok.apply_chat_template(trl["train"][0]["messages"], tokenize=False)
rf = [json.loads(l) for l in open(f"{out}/trl-rf/train.jsonl")]
text_rf = tok.apply_chat_template(rf[0]["messages"], tokenize=False)
res["template"] = [len(ids) > 0, "</think>" in text, "You are careful." in text_rf]
print(json.dumps(res))
`;

describe.skipIf(!hasVenv)('exports read back by the libraries that consume them (needs .venv)', () => {
  it('datasets/pyarrow load the JSONL and the Parquet; the tiny model chat template applies to the messages', { timeout: 600_000 }, async () => {
    const model = path.join(tmp, 'tiny');
    await execa(python, ['-m', 'distillery_worker', 'tiny-model', '--out', model], { env: { HF_HUB_OFFLINE: '1' } });
    const script = path.join(tmp, 'readback.py');
    fs.writeFileSync(script, READBACK);
    const r = await execa(python, [script, path.join(tmp, 'out'), model], { env: { HF_HUB_OFFLINE: '1', TOKENIZERS_PARALLELISM: 'false' } });
    const res = JSON.parse(r.stdout.trim().split('\n').pop() as string) as Record<string, unknown>;
    expect(res.trl).toEqual([6, 2]);
    expect(res.s1k_features).toMatchObject({ question: expect.stringContaining('string'), thinking_trajectories: expect.stringMatching(/List|Sequence/) });
    expect(res.s1k_pyarrow).toEqual([2, 'list<element: string>']);
    expect(res.lf).toEqual([6, 'human']);
    expect(res.template).toEqual([true, true, true]);
  });
});
