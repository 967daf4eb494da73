import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createProject } from '../store/project';
import { chatOnce } from './client';
import { teacherConnection } from './credentials';
import { isLocalEndpoint, resolveEndpoint } from './live';
import { FileSecretStore, setSecretStore } from './secrets';
import { saveTeacher } from './store';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-live-'));
setSecretStore(new FileSecretStore(path.join(dir, 'config', 'secrets.json')));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the connection of a local teacher goes through its folder, every other teacher keeps its URL', () => {
  const p = createProject(path.join(dir, 'p'));
  const folder = path.join(dir, 'no-model-here');
  const local = saveTeacher(p.db, { name: 'local', preset: 'transformers', baseUrls: ['http://127.0.0.1:1/v1'], model: folder, localDir: folder });
  const remote = saveTeacher(p.db, { name: 'remote', baseUrls: ['https://api.example.com/v1', 'http://10.0.0.2:8000/v1'], model: 'm' });

  it('a local teacher: its saved URL (a placeholder or an old port) is replaced by its folder; a remote one is unchanged', () => {
    const lc = teacherConnection(local);
    expect(lc.baseUrls).toEqual([`local+transformers:${folder}/v1`]);
    expect(isLocalEndpoint(lc.baseUrls[0]!)).toBe(true);
    expect(teacherConnection(remote).baseUrls).toEqual(['https://api.example.com/v1', 'http://10.0.0.2:8000/v1']);
  });

  it('resolving leaves a URL as it is and starts a local teacher from its folder (here: one sentence naming it)', async () => {
    expect(await resolveEndpoint('http://10.0.0.2:8000/v1')).toBe('http://10.0.0.2:8000/v1');
    await expect(resolveEndpoint(teacherConnection(local).baseUrls[0]!)).rejects.toThrow(`The model folder ${folder} does not exist`);
    // The client resolves before every request: the judge's call fails on the folder, not on the old port.
    await expect(chatOnce(teacherConnection(local).baseUrls[0]!, {}, {}, { who: 'judge', timeoutMs: 1_000 })).rejects.toThrow(folder);
  });
});
