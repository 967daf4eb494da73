import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createProject, openProject, DB_FILE, migrate } from './project';
import { latestVersion } from './migrations';
import { projectStats } from '../api/stats';
import { createSampleProject, SAMPLE_DOMAINS } from '../sample';
import { listRecent, rememberProject } from './registry';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-store-'));
  dirs.push(d);
  return d;
};
const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('project store', () => {
  it('creates a project folder with a migrated WAL database and artifacts/', () => {
    const dir = path.join(tmp(), 'p1');
    const p = createProject(dir, 'My project');
    expect(fs.existsSync(path.join(dir, 'artifacts'))).toBe(true);
    expect(p.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(p.db.pragma('user_version', { simple: true })).toBe(latestVersion);
    const tables = (p.db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['meta', 'questions', 'traces', 'jobs', 'job_items', 'selection', 'reviews']));
    p.close();
    const again = openProject(dir);
    expect(again.name).toBe('My project');
    again.close();
  });

  it('applies pending migrations to an older file and records the version', () => {
    const dir = tmp();
    const db = new Database(path.join(dir, DB_FILE));
    expect(migrate(db)).toBe(latestVersion);
    expect(migrate(db)).toBe(latestVersion); // idempotent
    db.close();
  });

  it('refuses a folder that is not a project, without creating anything', () => {
    const dir = tmp();
    expect(() => openProject(dir)).toThrow(/is not a Distillery project: it has no project\.sqlite/);
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(() => openProject(path.join(dir, 'missing'))).toThrow(/does not exist/);
  });

  it('refuses a corrupt file and leaves it byte for byte unchanged', () => {
    const dir = tmp();
    const f = path.join(dir, DB_FILE);
    fs.writeFileSync(f, crypto.randomBytes(8192));
    const before = sha(f);
    expect(() => openProject(dir)).toThrow(/is damaged and cannot be opened .*Nothing was changed/);
    expect(sha(f)).toBe(before);
    expect(fs.readdirSync(dir)).toEqual([DB_FILE]);
  });

  it('refuses a truncated project file unchanged', () => {
    const dir = path.join(tmp(), 'p');
    createSampleProject(dir).close();
    const f = path.join(dir, DB_FILE);
    const full = fs.readFileSync(f);
    fs.writeFileSync(f, full.subarray(0, Math.floor(full.length / 2)));
    const before = sha(f);
    expect(() => openProject(dir)).toThrow(/damaged|not a Distillery project/);
    expect(sha(f)).toBe(before);
  });

  it('refuses a project from a newer schema unchanged', () => {
    const dir = path.join(tmp(), 'p');
    const p = createProject(dir);
    p.db.pragma(`user_version = ${latestVersion + 5}`);
    p.db.pragma('wal_checkpoint(TRUNCATE)');
    p.close();
    const before = sha(path.join(dir, DB_FILE));
    expect(() => openProject(dir)).toThrow(/newer Distillery \(schema \d+; this version knows up to \d+\)/);
    expect(sha(path.join(dir, DB_FILE))).toBe(before);
  });

  it('refuses an SQLite file that is not a Distillery project', () => {
    const dir = tmp();
    const db = new Database(path.join(dir, DB_FILE));
    db.exec('CREATE TABLE other (x)');
    db.close();
    const before = sha(path.join(dir, DB_FILE));
    expect(() => openProject(dir)).toThrow(/SQLite file but not a Distillery project/);
    expect(sha(path.join(dir, DB_FILE))).toBe(before);
  });

  it('refuses to create a project over an existing one', () => {
    const dir = path.join(tmp(), 'p');
    createProject(dir).close();
    expect(() => createProject(dir)).toThrow(/already holds a Distillery project/);
  });

  it('builds the sample project: ≥300 questions, ≥8 domains, a Chinese subset, exact answers', () => {
    const p = createSampleProject(path.join(tmp(), 's'));
    const s = projectStats(p.db);
    expect(s.questions).toBeGreaterThanOrEqual(300);
    expect(Object.keys(s.domains).sort()).toEqual([...SAMPLE_DOMAINS].sort());
    expect(Object.keys(s.domains).length).toBeGreaterThanOrEqual(8);
    const zh = (p.db.prepare("SELECT COUNT(*) AS n FROM questions WHERE lang = 'zh'").get() as { n: number }).n;
    expect(zh).toBeGreaterThanOrEqual(40);
    const noAnswer = (p.db.prepare("SELECT COUNT(*) AS n FROM questions WHERE answer IS NULL OR answer = ''").get() as { n: number }).n;
    expect(noAnswer).toBe(0);
    // Reproducible: a second sample is identical.
    const q = p.db.prepare('SELECT question, answer FROM questions ORDER BY id').all();
    const p2 = createSampleProject(path.join(tmp(), 's2'));
    expect(p2.db.prepare('SELECT question, answer FROM questions ORDER BY id').all()).toEqual(q);
    p.close();
    p2.close();
  });

  it('remembers recent projects in the config folder, most recent first', () => {
    process.env.DISTILLERY_CONFIG_DIR = tmp();
    rememberProject('/a/one', 'one');
    rememberProject('/a/two', 'two');
    rememberProject('/a/one', 'one');
    expect(listRecent().map((r) => r.name)).toEqual(['one', 'two']);
    fs.writeFileSync(path.join(process.env.DISTILLERY_CONFIG_DIR, 'recent-projects.json'), '{broken');
    expect(listRecent()).toEqual([]);
  });
});
