import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSampleProject } from '../../core/sample';
import { REASONING_PROMPT } from '../../core/teacher/prompting';
import { startScriptedServer, type ScriptedServer } from '../../core/teacher/testing/scripted-server';
import type { CliIO } from '../io';
import { runGenerate } from './generate';
import { runTeacher } from './teacher';
import { runTraces } from './traces';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-generate-cli-'));
process.env.DISTILLERY_CONFIG_DIR = path.join(tmp, 'config');
let server: ScriptedServer | undefined;

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = { stdout: (s) => out.push(s), stderr: (s) => err.push(s), readFile: (p) => fs.promises.readFile(p, 'utf8') };
  return { cli, out, err };
};

/** A loopback port nobody listens on: bound, then closed, so connecting is refused. */
async function refusedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

beforeAll(() => {
  createSampleProject(path.join(tmp, 'refused')).close();
  createSampleProject(path.join(tmp, 'smol')).close();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('generate says why questions failed (issue 17 item 7)', () => {
  it('summarises refused connections at the end, and traces shows the stored reason', async () => {
    const dir = path.join(tmp, 'refused');
    const port = await refusedPort();
    expect(await runTeacher(['add', dir, '--name', 'down', '--url', `http://127.0.0.1:${port}/v1`, '--model', 'm'], io().cli)).toBe(0);
    const g = io();
    expect(await runGenerate([dir, '--teacher', 'down', '--limit', '3', '--max-attempts', '1', '--concurrency', '2'], g.cli)).toBe(1);
    const text = g.out.join('\n');
    expect(text).toMatch(new RegExp(`3 of 3 failed: 3 × could not connect to http://127\\.0\\.0\\.1:${port}\\S* \\(ECONNREFUSED\\) — is the teacher running\\?`));

    const j = io();
    expect(await runTraces([dir, '--json'], j.cli)).toBe(0);
    const failed = j.out.map((l) => JSON.parse(l) as { status: string; error: string | null }).filter((l) => l.status === 'failed');
    expect(failed).toHaveLength(3);
    for (const f of failed) expect(f.error).toMatch(/^Failed after 1 attempt: could not connect to .*\(ECONNREFUSED\)$/);
    const t = io();
    await runTraces([dir], t.cli);
    expect(t.out.filter((l) => l.includes('[could not connect to http://127.0.0.1:'))).toHaveLength(3);

    const js = io();
    expect(await runGenerate([dir, '--teacher', 'down', '--limit', '3', '--max-attempts', '1', '--json'], js.cli)).toBe(1);
    const last = JSON.parse(js.out.at(-1) as string) as { failures: { reason: string; count: number; hint: string }[] };
    expect(last.failures).toEqual([{ reason: expect.stringMatching(/ECONNREFUSED/), count: 3, hint: 'is the teacher running?' }]);
  });
});

describe('a teacher that does not reason (issue 17 item 3)', () => {
  it('is told after generate; the reasoning prompt is sent once, and --redo-no-thinking replaces only the thinking-less traces', async () => {
    const dir = path.join(tmp, 'smol');
    // Answers without thinking, the way SmolLM2 answers; with the reasoning prompt in the question it thinks in <think> tags.
    // One answer in four is cut at max tokens.
    server = await startScriptedServer((r) =>
      r.prompt.includes('<think>') ? { kind: 'ok', reasoning: 'think', tokens: 10 } : { kind: 'ok', reasoning: 'none', tokens: 6, finish: r.prompt.startsWith('What') ? 'length' : 'stop' },
    );
    expect(await runTeacher(['add', dir, '--name', 'smol', '--url', server.url, '--model', 'scripted'], io().cli)).toBe(0);
    const test = io();
    expect(await runTeacher(['test', dir, '--name', 'smol'], test.cli)).toBe(0);
    expect(test.out.join('\n')).toContain('No thinking came back: "smol" does not reason by itself.');

    const g = io();
    expect(await runGenerate([dir, '--teacher', 'smol', '--limit', '4'], g.cli)).toBe(0);
    expect(g.out.join('\n')).toContain('4 of 4 answers have no thinking: the teacher does not reason.');
    const first = io();
    await runTraces([dir, '--json'], first.cli);
    const before = first.out.map((l) => JSON.parse(l) as { question_id: number; status: string; thinking: string | null; flags: string[] }).filter((l) => l.status === 'done');
    expect(before).toHaveLength(4);
    expect(before.every((l) => l.thinking === null && l.flags.includes('no_thinking'))).toBe(true);

    const tpl = path.join(tmp, 'template.txt');
    fs.writeFileSync(tpl, 'Question: {question}\n\nPlease reason step by step, and put your final answer within \\boxed{}.');
    const sp = io();
    expect(await runTeacher(['set-prompt', dir, '--name', 'smol', '--prompt-template', tpl, '--reasoning', 'prompt', '--json'], sp.cli)).toBe(0);
    expect(JSON.parse(sp.out[0] as string)).toMatchObject({ teacher: 'smol', reasoningMode: 'prompt', reasoningPrompt: null });
    const retest = io();
    await runTeacher(['test', dir, '--name', 'smol', '--json'], retest.cli);
    expect(JSON.parse(retest.out[0] as string)).toMatchObject({ endpoints: [{ ok: true, reasoning: 'think_tag' }] });

    const asked = server.requests.length;
    const redo = io();
    expect(await runGenerate([dir, '--teacher', 'smol', '--limit', '4', '--redo-no-thinking'], redo.cli)).toBe(0);
    const sent = server.requests.slice(asked).map((r) => r.prompt);
    expect(sent).toHaveLength(4);
    for (const p of sent) {
      expect(p.startsWith('Question: ')).toBe(true);
      expect(p.split(REASONING_PROMPT.en).length - 1).toBe(1);
      expect(p.split('Please reason step by step').length - 1).toBe(1);
    }
    const after = io();
    await runTraces([dir, '--json'], after.cli);
    const now = after.out.map((l) => JSON.parse(l) as { question_id: number; status: string; thinking: string | null }).filter((l) => l.status === 'done');
    expect(now.map((l) => l.question_id)).toEqual(before.map((l) => l.question_id));
    expect(now.every((l) => (l.thinking ?? '').startsWith('w0'))).toBe(true);
  });
});
