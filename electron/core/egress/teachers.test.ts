import fs from 'node:fs';
import type http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProject, openProject, type Project } from '../store/project';
import { requestJson } from '../teacher/http';
import { listTeachers, removeTeacher, saveTeacher } from '../teacher/store';
import { judge } from '../verify/judge';
import { egressDecision, isTeacherHost, readEgressLog, resetTeacherSources, setSetting } from '.';
import { modelsServer, ownAddress } from './testing';

// Online, a host off this machine is reached only when it is a registered teacher's endpoint and the user
// allows remote teachers. A real project database, a real HTTP server, real requests through the guarded clients.
let dir: string;
let server: http.Server;
let port: number;
let hits = 0;
let project: Project;
const savedEnv = { ...process.env };
beforeAll(async () => {
  ({ server, port } = await modelsServer(() => hits++));
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-egress-teachers-'));
  process.env.DISTILLERY_CONFIG_DIR = path.join(dir, 'config');
  delete process.env.DISTILLERY_OFFLINE;
  resetTeacherSources();
  project = createProject(path.join(dir, 'p'));
  hits = 0;
});
afterEach(() => {
  vi.restoreAllMocks();
  project.close();
  process.env = { ...savedEnv };
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Counts the TCP connections opened from here on: a refusal must come before any. */
function countConnects(): () => number {
  const spy = vi.spyOn(net.Socket.prototype, 'connect');
  return () => spy.mock.calls.length;
}

describe('the policy online', () => {
  it('allows loopback, a registered teacher endpoint, and nothing else; the remote-teachers setting and offline refuse the teacher too', () => {
    saveTeacher(project.db, { name: 'cloud', baseUrls: ['https://api.example.com/v1', 'http://10.1.2.3:8000/v1'], model: 'm' });
    expect(egressDecision('127.0.0.1', 9)).toEqual({ allowed: true, reason: 'loopback' });
    expect(egressDecision('API.example.com', 443)).toEqual({ allowed: true, reason: 'teacher' });
    expect(egressDecision('10.1.2.3', 8000)).toEqual({ allowed: true, reason: 'teacher' });
    // another port of the same host, or another host, is not the teacher
    expect(egressDecision('api.example.com', 80)).toEqual({ allowed: false, reason: 'not-a-teacher' });
    expect(egressDecision('10.255.255.1', 8000)).toEqual({ allowed: false, reason: 'not-a-teacher' });
    setSetting('allowRemoteTeachers', false);
    expect(egressDecision('api.example.com', 443)).toEqual({ allowed: false, reason: 'remote-teachers-off' });
    expect(egressDecision('127.0.0.1', 9)).toEqual({ allowed: true, reason: 'loopback' });
    setSetting('allowRemoteTeachers', true);
    setSetting('offline', true);
    expect(egressDecision('api.example.com', 443)).toEqual({ allowed: false, reason: 'offline' });
  });

  it('refuses an unregistered host before any socket is opened, with one sentence naming host, port, who and what to do; logged as refused', async () => {
    const connects = countConnects();
    const err = await requestJson({ url: 'http://10.255.255.1:8000/v1/models', method: 'GET', headers: {}, timeoutMs: 60_000 }).catch((e: Error) => e);
    expect((err as Error).message).toBe(
      'Refused the teacher connection to 10.255.255.1:8000 because 10.255.255.1:8000 is not the address of a registered teacher and only teachers may be reached off this machine: register it as a teacher (the Teacher step or "distillery teacher add") and try again, or use a server on 127.0.0.1.',
    );
    const v = await judge({ baseUrl: 'https://judge.example.com/v1', model: 'j', question: 'q', reference: '1', answer: '1' });
    expect(v.equivalent).toBeNull();
    expect(v.reason).toContain('Refused the judge connection to judge.example.com:443 because judge.example.com:443 is not the address of a registered teacher');
    expect(connects()).toBe(0);
    expect(readEgressLog().map((e) => [e.host, e.port, e.who, e.allowed])).toEqual([
      ['10.255.255.1', 8000, 'teacher', false],
      ['judge.example.com', 443, 'judge', false],
    ]);
  });

  it('reaches a registered teacher on 127.0.0.1 (loopback: not logged)', async () => {
    saveTeacher(project.db, { name: 'local', baseUrls: [`http://127.0.0.1:${port}/v1`], model: 'm' });
    const a = (await requestJson({ url: `http://127.0.0.1:${port}/v1/models`, method: 'GET', headers: {}, timeoutMs: 5_000 })) as { data: unknown[] };
    expect(a.data).toHaveLength(1);
    expect(readEgressLog()).toEqual([]);
  });

  it.skipIf(!ownAddress)('reaches a registered teacher off loopback (this machine\'s own address) and logs it allowed; refuses it when remote teachers are off', async () => {
    const url = `http://${ownAddress}:${port}/v1`;
    const before = await requestJson({ url: `${url}/models`, method: 'GET', headers: {}, timeoutMs: 5_000 }).catch((e: Error) => e);
    expect((before as Error).message).toMatch(/is not the address of a registered teacher/);
    expect(hits).toBe(0);
    saveTeacher(project.db, { name: 'lan', baseUrls: [url], model: 'm' });
    const a = (await requestJson({ url: `${url}/models`, method: 'GET', headers: {}, timeoutMs: 5_000 })) as { data: unknown[] };
    expect(a.data).toHaveLength(1);
    expect(hits).toBe(1);
    setSetting('allowRemoteTeachers', false);
    const off = await requestJson({ url: `${url}/models`, method: 'GET', headers: {}, timeoutMs: 5_000 }).catch((e: Error) => e);
    expect((off as Error).message).toBe(
      `Refused the teacher connection to ${ownAddress}:${port} because remote teachers are not allowed (allowRemoteTeachers is false in ${path.join(dir, 'config', 'settings.json')}): turn on "Allow remote teachers" on the Project step or run "distillery config set allowRemoteTeachers true", or use a server on 127.0.0.1.`,
    );
    expect(hits).toBe(1);
    expect(readEgressLog().map((e) => [e.host, e.allowed])).toEqual([
      [ownAddress, false],
      [ownAddress, true],
      [ownAddress, false],
    ]);
  });
});

describe('the registry of teacher hosts', () => {
  it('follows teachers added, edited and removed, in this process and by another one, and forgets a closed project', () => {
    expect(isTeacherHost('a.example', 443)).toBe(false);
    saveTeacher(project.db, { name: 't', baseUrls: ['https://a.example/v1'], model: 'm' });
    expect(isTeacherHost('a.example', 443)).toBe(true);
    saveTeacher(project.db, { name: 't', baseUrls: ['https://b.example:8443/v1'], model: 'm' });
    expect(isTeacherHost('a.example', 443)).toBe(false);
    expect(isTeacherHost('b.example', 8443)).toBe(true);
    // another process (the CLI beside the app) writes the same project: a miss reloads before refusing
    const other = new Database(project.dbPath);
    other.prepare("UPDATE teachers SET base_urls = ? WHERE name = 't'").run(JSON.stringify(['https://c.example/v1']));
    other.close();
    expect(isTeacherHost('c.example', 443)).toBe(true);
    removeTeacher(project.db, 't');
    expect(isTeacherHost('c.example', 443)).toBe(false);
  });

  it('knows the teachers of a project as soon as it is opened, before anything lists them', () => {
    saveTeacher(project.db, { name: 't', baseUrls: ['https://d.example/v1'], model: 'm' });
    project.close();
    resetTeacherSources();
    expect(isTeacherHost('d.example', 443)).toBe(false);
    project = openProject(path.join(dir, 'p'));
    expect(isTeacherHost('d.example', 443)).toBe(true);
    expect(listTeachers(project.db)).toHaveLength(1);
    project.close();
    expect(isTeacherHost('d.example', 443)).toBe(false);
    project = openProject(path.join(dir, 'p'));
  });
});
