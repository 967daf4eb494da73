import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSampleProject } from '../../core/sample';
import type { CliIO } from '../io';
import { runTeacher } from './teacher';

// Issue 17 §1: `teacher add` says at once when the server's /v1/models does not list the model name it was given
// (transformers serve answers 400 to every request for another name). A real loopback HTTP server lists one model.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-teacher-name-'));
const served = '/models/SmolLM2-135M-Instruct';
let server: http.Server;
let url: string;
let dir: string;

function capture(): { cli: CliIO; lines: { out: string[]; err: string[] } } {
  const lines = { out: [] as string[], err: [] as string[] };
  return { lines, cli: { stdout: (s) => lines.out.push(s), stderr: (s) => lines.err.push(s), readFile: (f) => fs.promises.readFile(f, 'utf8') } };
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(req.url === '/v1/models' ? JSON.stringify({ object: 'list', data: [{ id: served, object: 'model', owned_by: 'local' }] }) : '{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  dir = path.join(tmp, 'p');
  createSampleProject(dir).close();
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('teacher add checks the model name against /v1/models', () => {
  it('warns, naming the served model, when the name is not listed', async () => {
    const c = capture();
    expect(await runTeacher(['add', dir, '--name', 'smol', '--url', url, '--model', './smollm2'], c.cli)).toBe(0);
    expect(c.lines.err).toEqual([
      `warning: the server serves "${served}"; the teacher is set to "./smollm2" — set the teacher's model to one of them (distillery teacher add PROJECT --name smol --url URL --model ID again, or the Teacher step).`,
    ]);
  });

  it('says nothing when the name is listed, or when the server cannot be reached', async () => {
    const ok = capture();
    await runTeacher(['add', dir, '--name', 'smol', '--url', url, '--model', served], ok.cli);
    expect(ok.lines.err).toEqual([]);
    const down = capture();
    await runTeacher(['add', dir, '--name', 'other', '--url', 'http://127.0.0.1:9/v1', '--model', 'x'], down.cli);
    expect(down.lines.err).toEqual([]);
  });
});
