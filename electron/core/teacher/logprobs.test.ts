import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobRunner } from '../jobs';
import { createSampleProject } from '../sample';
import type { Project } from '../store/project';
import { generateKind, startOrResume } from './generate';
import { decodeRecord, encodeRecord, fromHalf, toHalf, type TokenLogprob } from './logprobs';
import { ChatStream } from './stream';
import { noLogprobsNote } from './logprobs-capture';
import { captureDir, LogprobWriter, readIndex, readMeta, readRecord, traceKey, CAPTURED_FORMAT } from './logprobs-store';
import { saveTeacher } from './store';
import { startScriptedServer, type Behaviour, type ScriptedServer } from './testing/scripted-server';

let dir: string;
let project: Project;
let server: ScriptedServer | undefined;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-logprobs-'));
  process.env.DISTILLERY_CONFIG_DIR = path.join(dir, 'config');
  project = createSampleProject(path.join(dir, 'p'));
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  project.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function generate(b: Behaviour, logprobs: number | undefined, n = 4) {
  server = await startScriptedServer(() => b);
  saveTeacher(project.db, { name: 't', baseUrls: [server.url], model: 'scripted' });
  const runner = new JobRunner(project).register(generateKind);
  let note: unknown = null;
  runner.onProgress((p) => (note = p.extra.logprobs_note ?? note));
  const { jobId } = startOrResume(runner, { teacher: 't', questions: { mode: 'limit', n }, concurrency: 2, ...(logprobs ? { logprobs } : {}) });
  const job = await runner.wait(jobId);
  await runner.close();
  return { job, jobId, note, requests: server.requests };
}

const bytes = (x: string | Buffer) => (typeof x === 'string' ? Buffer.from(x) : x);
const text = (t: TokenLogprob[]) => Buffer.concat(t.map((x) => bytes(x.token))).toString('utf8');

describe('float16 and the record format', () => {
  it('round-trips logprobs within half precision and keeps token bytes exactly', () => {
    for (const v of [0, -0.25, -1.5, -3.14159, -17.2, -1e-5, -65504]) expect(Math.abs(fromHalf(toHalf(v)) - v)).toBeLessThanOrEqual(Math.abs(v) * 1e-3 + 1e-7);
    expect(fromHalf(toHalf(-Infinity))).toBe(-Infinity);
    const half = Buffer.from([0xe4, 0xb8]); // part of a UTF-8 character, as byte-level tokens are
    const tokens: TokenLogprob[] = [
      { token: Buffer.from(' hello'), logprob: -0.5, top: [{ token: Buffer.from(' hello'), logprob: -0.5 }, { token: half, logprob: -2 }] },
      { token: half, logprob: -1, top: [{ token: half, logprob: -1 }] },
    ];
    const back = decodeRecord(encodeRecord(tokens, 3));
    expect(back.map((t) => t.token)).toEqual([Buffer.from(' hello'), half]);
    expect(back[0]?.top.map((t) => [bytes(t.token).toString('hex'), t.logprob])).toEqual([[Buffer.from(' hello').toString('hex'), -0.5], ['e4b8', -2]]);
    expect(back[1]?.top).toHaveLength(1); // the missing alternatives stay missing
  });
});

describe('logprobs in streamed chunks', () => {
  it('reads vLLM and llama.cpp chunk shapes, a token that is part of a character, and the completions format', () => {
    const s = new ChatStream({ logprobs: true });
    const c1 = { choices: [{ index: 0, delta: { content: 'a "q"' }, logprobs: { content: [{ token: 'a "q"', logprob: -0.5, bytes: [97], top_logprobs: [{ token: 'a', logprob: -0.5, bytes: [97] }] }] }, finish_reason: null }] };
    const c2 = { choices: [{ delta: { content: '中' }, logprobs: { content: [{ id: 5, token: '\ufffd', bytes: [228, 184], logprob: -2, top_logprobs: [] }, { id: 6, token: 'x', bytes: null, logprob: null, top_logprobs: [] }] }, finish_reason: null }] };
    const c3 = { choices: [{ text: 'b', logprobs: { tokens: ['b'], token_logprobs: [-1], top_logprobs: [{ b: -1, c: -2 }] }, finish_reason: 'stop' }] };
    s.push([c1, c2, c3].map((c) => `data: ${JSON.stringify(c)}\n\n`).join(''));
    expect(s.logprobs).toEqual([
      { token: 'a "q"', logprob: -0.5, top: [{ token: 'a', logprob: -0.5 }] },
      { token: Buffer.from([228, 184]), logprob: -2, top: [] },
      { token: 'x', logprob: -Infinity, top: [] },
      { token: 'b', logprob: -1, top: [{ token: 'b', logprob: -1 }, { token: 'c', logprob: -2 }] },
    ]);
    expect(s.content.join('')).toBe('a "q"中b');
  });
});

describe('generate --logprobs against a scripted server', () => {
  it('asks for top-k, and stores one record per trace whose tokens spell the streamed text', async () => {
    const { job, jobId, note, requests } = await generate({ kind: 'ok', tokens: 10, reasoning: 'reasoning_content' }, 5);
    expect(job.status).toBe('done');
    expect(note).toBeNull();
    expect(requests[0]?.body).toMatchObject({ logprobs: true, top_logprobs: 5 });
    const d = captureDir(project.artifactsDir, jobId);
    expect(readMeta(d)).toMatchObject({ format: CAPTURED_FORMAT, job: jobId, top_k: 5, teacher: 't', note: null });
    const { entries, dirty } = readIndex(d);
    expect(dirty).toBe(false);
    const traces = project.db.prepare("SELECT id, thinking, answer, raw FROM traces WHERE status = 'done' ORDER BY id").all() as { id: number; thinking: string; answer: string; raw: string }[];
    expect(entries.map((e) => e.trace).sort()).toEqual(traces.map((t) => t.id));
    for (const t of traces) {
      const e = entries.find((x) => x.trace === t.id);
      if (!e) throw new Error('no entry');
      expect(e.tkey).toBe(traceKey(t.thinking, t.answer));
      const toks = readRecord(d, e);
      expect(toks.length).toBe(e.n);
      const raw = JSON.parse(t.raw) as { reasoning: string; content: string };
      expect(text(toks)).toBe(raw.reasoning + raw.content);
      expect(toks[0]?.top).toHaveLength(5);
      expect(toks[0]?.top[0]?.logprob).toBe(-0.25);
    }
  });

  it('parses a non-streamed answer (one JSON object) the same way', async () => {
    const { job, jobId } = await generate({ kind: 'ok', tokens: 8, reasoning: 'think', whole: true }, 3, 2);
    expect(job.status).toBe('done');
    const d = captureDir(project.artifactsDir, jobId);
    const { entries } = readIndex(d);
    expect(entries).toHaveLength(2);
    const row = project.db.prepare('SELECT thinking, answer, raw FROM traces WHERE id = ?').get(entries[0]?.trace) as { thinking: string; answer: string; raw: string };
    expect(row.thinking).toContain('w0');
    expect(text(readRecord(d, entries[0] as (typeof entries)[0]))).toBe((JSON.parse(row.raw) as { content: string }).content);
  });

  it('says once, in the job, when the server sent no logprobs', async () => {
    const { job, jobId } = await generate({ kind: 'ok', tokens: 6, noLogprobs: true }, 4);
    expect(job.status).toBe('done');
    const d = captureDir(project.artifactsDir, jobId);
    expect(readMeta(d)?.note).toBe(noLogprobsNote(4));
    expect(readIndex(d).entries).toHaveLength(0);
  });

  it('sends nothing about logprobs and writes no folder when not asked', async () => {
    const { jobId, requests } = await generate({ kind: 'ok', tokens: 6 }, undefined, 2);
    expect(requests[0]?.body).not.toHaveProperty('logprobs');
    expect(fs.existsSync(captureDir(project.artifactsDir, jobId))).toBe(false);
  });
});

describe('a killed capture is repaired when the job resumes', () => {
  it('drops the torn index line and the bytes after the last indexed record, and keeps one line per trace', () => {
    const d = path.join(dir, 'cap');
    const meta = { format: CAPTURED_FORMAT, job: 1, teacher: 't', model: 'm', top_k: 2, note: null };
    const rec = (s: string) => encodeRecord([{ token: Buffer.from(s), logprob: -1, top: [] }], 2);
    const w = new LogprobWriter(d, meta);
    w.write(rec('a'), { trace: 1, q: 1, s: 0, n: 1, tkey: 'x' });
    w.write(rec('b'), { trace: 2, q: 2, s: 0, n: 1, tkey: 'y' });
    w.write(rec('c'), { trace: 1, q: 1, s: 0, n: 1, tkey: 'z' }); // asked again (redo): the later one counts
    const shard = path.join(d, 'shard-00000.bin');
    const good = fs.statSync(shard).size;
    // the kill: half a record appended, and half an index line
    fs.appendFileSync(shard, rec('d').subarray(0, 7));
    fs.appendFileSync(path.join(d, 'index.jsonl'), '{"trace":3,"q":3,"s":0,"sha');
    expect(readIndex(d).dirty).toBe(true);
    const again = new LogprobWriter(d, meta);
    expect(fs.statSync(shard).size).toBe(good);
    const { entries, dirty } = readIndex(d);
    expect(dirty).toBe(false);
    expect(entries.map((e) => [e.trace, e.tkey])).toEqual([[2, 'y'], [1, 'z']]);
    expect(text(readRecord(d, entries[1] as (typeof entries)[0]))).toBe('c');
    const e4 = again.write(rec('e'), { trace: 4, q: 4, s: 0, n: 1, tkey: 'w' });
    expect(e4.off).toBe(good);
    expect(text(readRecord(d, e4))).toBe('e');
    // a line whose trace never reached the database (killed before the commit) goes, with its bytes
    const end = fs.statSync(shard).size;
    again.write(rec('f'), { trace: 5, q: 5, s: 0, n: 1, tkey: 'v' });
    new LogprobWriter(d, meta, (t) => t !== 5);
    expect(readIndex(d).entries.map((e) => e.trace)).toEqual([2, 1, 4]);
    expect(fs.statSync(shard).size).toBe(end);
  });
});
