import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../core/pool/importer';
import { createProject } from '../core/store/project';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-cli-fail-'));
const env = { ...process.env, DISTILLERY_CONFIG_DIR: path.join(tmp, 'config') };
const bin = path.join(root, 'bin', 'distillery.mjs');
const cli = (...args: string[]) => execa(process.execPath, [bin, ...args], { reject: false, env, cwd: tmp });

/** Runs the real CLI with its stdout read by a reader that closes the pipe after `lines` lines (0: at once). */
function pipedInto(args: string[], lines: number): Promise<{ code: number | null; signal: string | null; stderr: string; got: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env, cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
    let got = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    if (lines === 0) child.stdout.destroy();
    else {
      child.stdout.on('data', (d: Buffer) => {
        got += d.toString();
        if (got.split('\n').length > lines) child.stdout.destroy(); // like `head -1`: read enough, close
      });
    }
    child.on('close', (code, signal) => resolve({ code, signal, stderr, got }));
  });
}

function questions(n: number, len = 40): string {
  const file = path.join(tmp, `q-${n}-${len}.jsonl`);
  const rows = Array.from({ length: n }, (_, i) => JSON.stringify({ question: `Question number ${i}: ${'what is x? '.repeat(Math.ceil(len / 11))}` }));
  fs.writeFileSync(file, `${rows.join('\n')}\n`);
  return file;
}

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the CLI on a closed output pipe (issue 15, item 4)', { timeout: 180_000 }, () => {
  it('--help into a reader that has already gone: exit 0, no EPIPE, no stack', async () => {
    const r = await pipedInto(['--help'], 0);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('traces PROJECT | head -1 on 3,000 questions (more than a pipe buffer holds): exit 0, nothing on stderr', async () => {
    const dir = path.join(tmp, 'many');
    const p = createProject(dir);
    await importFile(p, questions(3000));
    p.close();
    const r = await pipedInto(['traces', dir], 1);
    expect(r.got.split('\n')[0]).toMatch(/^\s+1\s+pending/);
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('import into a locked or full project: one sentence, exit 2 (issue 15, item 4)', { timeout: 180_000 }, () => {
  it('another connection holds BEGIN EXCLUSIVE on project.sqlite', async () => {
    const dir = path.join(tmp, 'locked');
    createProject(dir).close();
    const dbPath = path.join(dir, 'project.sqlite');
    const holder = new Database(dbPath);
    holder.exec('BEGIN EXCLUSIVE');
    let r;
    try {
      r = await cli('import', dir, questions(5));
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(r.stderr.trim().split('\n')).toEqual([
      `distillery: ${dbPath} is locked by another program (another Distillery window or command, or an SQLite tool holding a write lock): close it or let it finish, then run this again. Nothing was imported; the project is as it was.`,
    ]);
    expect(r.exitCode).toBe(2);
    const db = new Database(dbPath, { readonly: true });
    expect(db.prepare('SELECT (SELECT COUNT(*) FROM questions) + (SELECT COUNT(*) FROM imports)').pluck().get()).toBe(0);
    db.close();
  });

  // A real full disk: a 1 MiB tmpfs (needs root and mount rights, as on this CI machine; skipped elsewhere).
  const mnt = path.join(tmp, 'small-disk');
  let mounted = false;
  beforeAll(() => {
    fs.mkdirSync(mnt, { recursive: true });
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1M', 'tmpfs', mnt], { stdio: 'ignore' });
      mounted = true;
    } catch {
      mounted = false;
    }
  });
  afterAll(() => {
    if (mounted) execFileSync('umount', [mnt]);
  });

  it('the disk fills up part-way (SQLITE_FULL on a 1 MiB tmpfs)', async (ctx) => {
    if (!mounted) ctx.skip();
    const dir = path.join(mnt, 'p');
    createProject(dir).close();
    const dbPath = path.join(dir, 'project.sqlite');
    const r = await cli('import', dir, questions(3000, 800));
    expect(r.stderr.trim().split('\n')).toEqual([
      `distillery: The disk holding ${dbPath} is full: free some space on it, then run this again. Nothing was imported; the project is as it was.`,
    ]);
    expect(r.exitCode).toBe(2);
    const info = await cli('project', 'info', dir, '--json');
    expect(JSON.parse(info.stdout)).toMatchObject({ questions: 0 });
  });
});
