import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProject, openProject } from '../store/project';
import { redactUrl, redactUrls, teacherConnection } from './credentials';
import { joinUrl } from './http';
import { FileSecretStore, setSecretStore } from './secrets';
import { findTeacher, normaliseBaseUrl, publicTeacher, removeTeacher, saveTeacher } from './store';

let dir: string;
let store: FileSecretStore;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-cred-'));
  store = new FileSecretStore(path.join(dir, 'config', 'secrets.json'));
  setSecretStore(store);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Every byte of the project's database files, to search for a secret. */
function projectBytes(p: string): string {
  return ['project.sqlite', 'project.sqlite-wal']
    .map((f) => path.join(p, f))
    .filter((f) => fs.existsSync(f))
    .map((f) => fs.readFileSync(f).toString('latin1'))
    .join('');
}

describe('URLs', () => {
  it('appends a path to the pathname and keeps the query string at the end', () => {
    expect(joinUrl('https://h/v1?api_key=K', 'chat/completions')).toBe('https://h/v1/chat/completions?api_key=K');
    expect(joinUrl('http://127.0.0.1:8000/v1/', '/models')).toBe('http://127.0.0.1:8000/v1/models');
    expect(joinUrl('https://u:p@h/v1?a=1&b=2#f', 'completions')).toBe('https://u:p@h/v1/completions?a=1&b=2#f');
  });

  it('redacts user, password, query values and fragments, and leaves plain URLs alone', () => {
    expect(redactUrl('https://user:PASS@h:8443/v1?api_key=K&api-version=2024')).toBe('https://***:***@h:8443/v1?api_key=***&api-version=***');
    expect(redactUrl('https://KEY@h/v1')).toBe('https://***@h/v1');
    expect(redactUrl('http://127.0.0.1:8000/v1')).toBe('http://127.0.0.1:8000/v1');
    expect(redactUrls('could not connect to https://u:PASS@h/v1?sig=S/chat/completions.')).toBe('could not connect to https://***:***@h/v1?sig=***.');
  });

  it('normalises the path of a base URL without touching its query', () => {
    expect(normaliseBaseUrl('https://h/v1/chat/completions?api_key=K')).toBe('https://h/v1?api_key=K');
    expect(normaliseBaseUrl(' http://h/v1/ ')).toBe('http://h/v1');
  });
});

describe('teacher secrets', () => {
  it('keeps header values and URL credentials in the key store, round-trips *** from the form, and cleans up', () => {
    const p = createProject(path.join(dir, 'p'));
    const url = 'https://alice:URLPASSWORD1@api.example.com/v1?api_key=QUERYKEY1';
    const t = saveTeacher(p.db, { name: 'g', baseUrls: [url], model: 'm', headers: { 'X-Goog-Api-Key': 'HEADERKEY1', Authorization: 'Bearer AUTHKEY1' } });
    expect(t.baseUrls).toEqual(['https://***:***@api.example.com/v1?api_key=***']);
    expect(t.headers).toEqual({ 'X-Goog-Api-Key': '***', Authorization: '***' });
    expect(JSON.stringify(publicTeacher(t))).not.toMatch(/URLPASSWORD1|QUERYKEY1|HEADERKEY1|AUTHKEY1|store:/);
    expect(teacherConnection(t)).toEqual({ baseUrls: [url], headers: { 'X-Goog-Api-Key': 'HEADERKEY1', Authorization: 'Bearer AUTHKEY1' }, apiKey: undefined });

    // The form sends back what it showed: the secrets stay; a new value replaces the old one.
    const again = saveTeacher(p.db, { name: 'g', baseUrls: t.baseUrls, model: 'm2', headers: { 'X-Goog-Api-Key': '***', Authorization: 'Bearer AUTHKEY2' } });
    expect(teacherConnection(again)).toEqual({ baseUrls: [url], headers: { 'X-Goog-Api-Key': 'HEADERKEY1', Authorization: 'Bearer AUTHKEY2' }, apiKey: undefined });
    expect(() => saveTeacher(p.db, { name: 'n', baseUrls: ['https://h/v1?key=***'], model: 'm' })).toThrow(/placeholder \*\*\*/);
    expect(() => saveTeacher(p.db, { name: 'n', baseUrls: ['https://h/v1'], model: 'm', headers: { 'X-Key': '***' } })).toThrow(/placeholder \*\*\*/);
    const ids = Object.keys(JSON.parse(fs.readFileSync(store.file, 'utf8')) as object);
    expect(ids).toHaveLength(3);
    p.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(projectBytes(p.dir)).not.toMatch(/URLPASSWORD1|QUERYKEY1|HEADERKEY1|AUTHKEY/);

    expect(removeTeacher(p.db, 'g')).toBe(true);
    expect(JSON.parse(fs.readFileSync(store.file, 'utf8'))).toEqual({});
    p.close();
  });

  it('moves secrets that an older version kept in clear out of the project when it opens', () => {
    const pdir = path.join(dir, 'old');
    const p = createProject(pdir);
    const url = 'http://bob:OLDPASSWORD9@10.0.0.5:8000/v1?token=OLDTOKEN9';
    const now = new Date().toISOString();
    // What versions before this one wrote: the URL and the header value as given.
    p.db
      .prepare("INSERT INTO teachers (name, base_urls, model, headers, created_at, updated_at) VALUES ('old', ?, 'm', ?, ?, ?)")
      .run(JSON.stringify([url]), JSON.stringify({ 'Ocp-Apim-Subscription-Key': 'OLDHEADER9' }), now, now);
    p.db.prepare("INSERT INTO questions (question, source, created_at) VALUES ('q', 'x', ?)").run(now);
    p.db
      .prepare("INSERT INTO traces (question_id, source, teacher, status, endpoint, error, created_at) VALUES (1, 'teacher', 'old', 'failed', ?, ?, ?)")
      .run(url, `Failed after 5 attempts: could not connect to ${url}/chat/completions (ECONNREFUSED)`, now);
    p.close();
    expect(projectBytes(pdir)).toContain('OLDPASSWORD9');

    const q = openProject(pdir);
    const t = findTeacher(q.db, 'old');
    if (!t) throw new Error('teacher lost');
    expect(t.baseUrls).toEqual(['http://***:***@10.0.0.5:8000/v1?token=***']);
    expect(teacherConnection(t)).toEqual({ baseUrls: [url], headers: { 'Ocp-Apim-Subscription-Key': 'OLDHEADER9' }, apiKey: undefined });
    const trace = q.db.prepare('SELECT endpoint, error FROM traces').get() as { endpoint: string; error: string };
    expect(trace.endpoint).toBe('http://***:***@10.0.0.5:8000/v1?token=***');
    expect(trace.error).toContain('could not connect to http://***:***@10.0.0.5:8000/v1?token=***/chat/completions');
    q.close();
    const bytes = projectBytes(pdir);
    for (const s of ['OLDPASSWORD9', 'OLDTOKEN9', 'OLDHEADER9']) expect(bytes).not.toContain(s);
  });
});
