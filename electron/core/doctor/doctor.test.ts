import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createProject, type Project } from '../store/project';
import { saveTeacher } from '../teacher/store';
import { main } from '../../cli/main';

// A stand-in interpreter in a venv layout: a real child process that answers the probe and counts its runs,
// so that the cache's keying is observed, not assumed.
let dir: string;
let venv: string;
let counter: string;
let server: http.Server;
let port: number;
let project: Project;
const saved = { ...process.env };

function fakeVenv(): void {
  venv = path.join(dir, 'venv');
  fs.mkdirSync(path.join(venv, 'bin'), { recursive: true });
  fs.mkdirSync(path.join(venv, 'lib', 'python3.11', 'site-packages'), { recursive: true });
  fs.writeFileSync(path.join(venv, 'pyvenv.cfg'), 'version_info = 3.11.7\n');
  const answer = { python: '3.11.7', executable: path.join(venv, 'bin', 'python'), torch: '2.15.0', cuda_available: false, cuda_version: null, gpus: [], libraries: { transformers: '5', trl: '1', peft: '0.2', accelerate: '1', datasets: '5' } };
  fs.writeFileSync(path.join(venv, 'bin', 'python'), `#!/bin/sh\necho run >> '${counter}'\necho '${JSON.stringify(answer)}'\n`, { mode: 0o755 });
}
const runs = () => (fs.existsSync(counter) ? fs.readFileSync(counter, 'utf8').trim().split('\n').length : 0);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-doctor-'));
  counter = path.join(dir, 'runs.txt');
  fakeVenv();
  process.env.DISTILLERY_CONFIG_DIR = path.join(dir, 'config');
  process.env.DISTILLERY_PYTHON = path.join(venv, 'bin', 'python');
  delete process.env.DISTILLERY_OFFLINE;
  server = http.createServer((_q, r) => r.end(JSON.stringify({ data: [{ id: 'm' }] })));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  project = createProject(path.join(dir, 'p'));
});
afterAll(async () => {
  project.close();
  await new Promise<void>((r) => server.close(() => r()));
  process.env = { ...saved };
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the Python probe cache', () => {
  it('runs the probe once per environment: again only when site-packages changes or on refresh, and a new session reads the config folder', async () => {
    const { checkPythonEnv } = await import('../env/python');
    expect((await checkPythonEnv()).cached).toBe(false);
    expect((await checkPythonEnv()).cached).toBe(true);
    expect(runs()).toBe(1);
    vi.resetModules(); // a new engine process: nothing in memory
    const fresh = await import('../env/python');
    const again = await fresh.checkPythonEnv();
    expect(again).toMatchObject({ ok: true, cached: true, torch: '2.15.0' });
    expect(runs()).toBe(1);
    // Installing a package changes site-packages' mtime: the key changes, the probe runs again.
    const sp = path.join(venv, 'lib', 'python3.11', 'site-packages');
    fs.mkdirSync(path.join(sp, 'newpkg'));
    fs.utimesSync(sp, new Date(), new Date(Date.now() + 5_000));
    expect((await fresh.checkPythonEnv()).cached).toBe(false);
    expect(runs()).toBe(2);
    await fresh.checkPythonEnv(true);
    expect(runs()).toBe(3);
  });
});

describe('the quick Python probe', () => {
  it('reads versions without importing anything, once per session: again only when the environment changes or on refresh', async () => {
    const { quickPythonEnv } = await import('../env/quick-python');
    const before = runs();
    expect(await quickPythonEnv()).toMatchObject({ ok: true, cached: false, python: '3.11.7', torch: '2.15.0', libraries: { transformers: '5' } });
    expect(await quickPythonEnv()).toMatchObject({ ok: true, cached: true });
    expect(runs()).toBe(before + 1);
    await quickPythonEnv(true);
    expect(runs()).toBe(before + 2);
  });

  const realPython = path.resolve(import.meta.dirname, '../../../.venv/bin/python');
  it.skipIf(!fs.existsSync(realPython))('reports the real environment: the versions importlib.metadata gives, and the CUDA version torch was built for', async () => {
    process.env.DISTILLERY_PYTHON = realPython;
    vi.resetModules();
    const { quickPythonEnv } = await import('../env/quick-python');
    try {
      const env = await quickPythonEnv();
      const truth = JSON.parse(
        (
          await execa(realPython, ['-c', 'import json, platform; from importlib import metadata as m; print(json.dumps([platform.python_version(), m.version("torch"), m.version("transformers"), m.version("trl")]))'])
        ).stdout,
      ) as string[];
      expect([env.python, env.torch, env.libraries.transformers, env.libraries.trl]).toEqual(truth);
      const versionPy = fs.readFileSync(path.join(path.dirname(path.dirname(realPython)), 'lib', `python${truth[0]?.split('.').slice(0, 2).join('.')}`, 'site-packages', 'torch', 'version.py'), 'utf8');
      expect(env.cuda_version).toBe(/^cuda\b[^=\n]*=\s*'([^']+)'/m.exec(versionPy)?.[1] ?? null);
      expect(env.libraries).toHaveProperty('vllm');
    } finally {
      process.env.DISTILLERY_PYTHON = path.join(venv, 'bin', 'python');
    }
  });
});

describe('doctor', () => {
  it('lists every check with a status and a sentence, for a project with a reachable and an offline-refused teacher and a broken model folder', async () => {
    const model = path.join(dir, 'model');
    fs.mkdirSync(model);
    fs.writeFileSync(path.join(model, 'config.json'), '{}');
    fs.writeFileSync(path.join(model, 'model.safetensors'), 'x');
    saveTeacher(project.db, { name: 'local', baseUrls: [`http://127.0.0.1:${port}/v1`], model });
    saveTeacher(project.db, { name: 'remote', baseUrls: ['https://api.example.com/v1'], model: 'deepseek-reasoner' });
    project.db.prepare('INSERT INTO eval_models (dir, label, created_at) VALUES (?, ?, ?)').run(path.join(dir, 'gone'), 'gone', new Date().toISOString());
    process.env.DISTILLERY_OFFLINE = '1';
    const lines: string[] = [];
    const code = await main(['doctor', project.dir, '--json'], { stdout: (s) => lines.push(s), stderr: (s) => lines.push(s), readFile: async () => '' });
    delete process.env.DISTILLERY_OFFLINE;
    const r = JSON.parse(lines.join('\n')) as { status: string; elapsed_ms: number; checks: { id: string; status: string; message: string }[] };
    expect(code).toBe(1);
    expect(Number.isInteger(r.elapsed_ms) && r.elapsed_ms >= 0).toBe(true);
    expect(r.status).toBe('fail');
    const by = Object.fromEntries(r.checks.map((c) => [c.id, c]));
    expect(Object.keys(by)).toEqual(expect.arrayContaining(['node', 'python', 'python-libraries', 'gpu', 'disk', 'teacher-local', 'teacher-remote', 'offline', 'egress']));
    for (const c of r.checks) {
      expect(['ok', 'warn', 'fail']).toContain(c.status);
      expect(c.message).toMatch(/[.)]$/);
    }
    expect(by['teacher-local']).toMatchObject({ status: 'ok', message: `Teacher "local" answers at http://127.0.0.1:${port}/v1.` });
    expect(by['teacher-remote']).toMatchObject({ status: 'fail', message: 'Teacher "remote": https://api.example.com/v1 is not on this machine and Distillery is offline.' });
    expect(by.offline?.message).toMatch(/^Offline: only this machine/);
    const models = r.checks.filter((c) => c.id.startsWith('model-'));
    expect(models.map((c) => [c.status, c.message])).toEqual([
      ['fail', `${model} (teacher "local") lacks a tokenizer (tokenizer.json); copy the model folder there or change teacher "local".`],
      ['fail', `${path.join(dir, 'gone')} (the Evaluate step) does not exist; copy the model folder there or change the Evaluate step.`],
    ]);
    expect(by['python']).toMatchObject({ status: 'ok' });
  });

  it('online with remote teachers off: the remote teacher is refused by the policy (no connection), the offline check says so', async () => {
    const { setSetting } = await import('../egress');
    setSetting('allowRemoteTeachers', false);
    const lines: string[] = [];
    await main(['doctor', project.dir, '--json'], { stdout: (s) => lines.push(s), stderr: (s) => lines.push(s), readFile: async () => '' });
    setSetting('allowRemoteTeachers', true);
    const by = Object.fromEntries((JSON.parse(lines.join('\n')) as { checks: { id: string; status: string; message: string }[] }).checks.map((c) => [c.id, c]));
    expect(by['teacher-remote']).toMatchObject({ status: 'fail', message: 'Teacher "remote": https://api.example.com/v1 is not on this machine and remote teachers are not allowed.' });
    expect(by['teacher-local']).toMatchObject({ status: 'ok' });
    expect(by.offline?.message).toMatch(/^Online, but remote teachers are not allowed: only this machine \(loopback\) is reached/);
  });
});
