// generate --logprobs survives SIGKILL: the CLI (one plain node process) is killed mid-job and run again; every
// stored trace then has exactly one index line, every line points at whole bytes with a matching CRC, and the
// shard holds nothing else.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSampleProject } from '../sample';
import { captureDir, readIndex, readRecord } from './logprobs-store';
import { saveTeacher } from './store';
import { startScriptedServer, type ScriptedServer } from './testing/scripted-server';

const root = path.resolve(import.meta.dirname, '../../..');
let dir: string;
let server: ScriptedServer;
let projectDir: string;
const N = 10;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-lpkill-'));
  projectDir = path.join(dir, 'p');
  server = await startScriptedServer(() => ({ kind: 'ok', tokens: 12, delayPerTokenMs: 30 }));
  const p = createSampleProject(projectDir);
  saveTeacher(p.db, { name: 'scripted', baseUrls: [server.url], model: 'scripted' });
  p.close();
});

afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('generate --logprobs after SIGKILL', () => {
  it('resumes with one whole record per stored trace and nothing else in the shard', async () => {
    const args = ['--import', 'tsx', 'electron/cli/index.ts', 'generate', projectDir, '--teacher', 'scripted', '--limit', String(N), '--concurrency', '3', '--logprobs', '4', '--json'];
    const env = { DISTILLERY_CONFIG_DIR: path.join(dir, 'config') };
    const first = execa('node', args, { cwd: root, env, reject: false });
    const db = new Database(path.join(projectDir, 'project.sqlite'), { readonly: true });
    const done = () => {
      try {
        return db.prepare("SELECT COUNT(*) FROM traces WHERE status = 'done'").pluck().get() as number;
      } catch {
        return 0;
      }
    };
    const deadline = Date.now() + 60_000;
    while (done() < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    first.kill('SIGKILL');
    expect((await first).signal).toBe('SIGKILL');
    expect(done()).toBeLessThan(N);

    const second = await execa('node', args, { cwd: root, env, reject: false });
    expect(second.exitCode, String(second.stderr)).toBe(0);
    const last = JSON.parse(String(second.stdout).trim().split('\n').at(-1) as string) as { done: number; logprobs: { traces: number } };
    expect(last.done).toBe(N);
    const traces = db.prepare("SELECT id FROM traces WHERE status = 'done' ORDER BY id").pluck().all() as number[];
    const jobId = db.prepare('SELECT id FROM jobs').pluck().get() as number;
    db.close();
    const cap = captureDir(path.join(projectDir, 'artifacts'), jobId);
    const lines = fs.readFileSync(path.join(cap, 'index.jsonl'), 'utf8').trim().split('\n');
    const { entries, dirty } = readIndex(cap);
    expect(dirty).toBe(false);
    expect(lines).toHaveLength(entries.length); // one line per trace, none torn
    expect(entries.map((e) => e.trace).sort((a, b) => a - b)).toEqual(traces);
    let bytes = 0;
    for (const e of entries) {
      expect(readRecord(cap, e)).toHaveLength(e.n); // throws on a CRC mismatch
      bytes += e.len;
    }
    const shard = fs.readFileSync(path.join(cap, 'shard-00000.bin'));
    expect(shard.length).toBe(bytes);
    expect(zlib.crc32(shard)).toBe(zlib.crc32(Buffer.concat([...entries].sort((a, b) => a.off - b.off).map((e) => shard.subarray(e.off, e.off + e.len)))));
  }, 180_000);
});
