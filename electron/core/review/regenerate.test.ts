import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalServers } from '../localserve/manager';
import type { Project } from '../store/project';
import { startScriptedServer, type ScriptedServer } from '../teacher/testing/scripted-server';
import { saveTeacher } from '../teacher/store';
import { hasPython, tinyModel } from '../train/testing';
import { insertJob } from '../jobs/store';
import { regenerate } from './regenerate';
import { listRevisions, saveRevision } from './revisions';
import { getSample } from './sample';
import { reviewProject } from './testing/fixture';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-regen-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A model folder holding only a chat template (all regenerate needs locally). */
function templateDir(name: string, template: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ chat_template: template, eos_token: '<|im_end|>', bos_token: null }));
  return dir;
}
const CHATML =
  "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";
const R1 = "{{ bos_token }}{% for m in messages %}{% if m.role == 'user' %}<｜User｜>{{ m.content }}{% endif %}{% endfor %}{% if add_generation_prompt %}<｜Assistant｜><think>\n{% endif %}";

describe('regenerate from a step (scripted server)', () => {
  let server: ScriptedServer;
  let project: Project;
  let traceId: number;
  let otherTraceId: number;
  beforeAll(async () => {
    server = await startScriptedServer((r) => (String((r.body as { prompt?: string }).prompt).includes('FAIL') ? { kind: 'status', status: 500 } : { kind: 'ok', tokens: 8, reasoning: 'think' }));
    const f = reviewProject(path.join(tmp, 'scripted'), 3);
    project = f.project;
    traceId = f.traceIds[0] as number;
    otherTraceId = f.traceIds[1] as number;
    saveTeacher(project.db, { name: 'local', baseUrls: [server.url], model: templateDir('chatml', CHATML) });
    saveTeacher(project.db, { name: 'remote', baseUrls: [server.url], model: 'deepseek-reasoner' });
  });
  afterAll(async () => {
    project?.close();
    await server?.close();
  });

  it('sends the question and the edited prefix as a raw completions prompt and splits the continuation at </think>', async () => {
    const s = getSample(project.db, traceId);
    const offset = s.thinking.indexOf('Step 3.');
    const p = await regenerate(project, { traceId, offset, teacher: 'local', maxTokens: 64, temperature: 0 });
    const sent = server.requests.at(-1)?.body as { prompt: string; max_tokens: number; model: string; temperature: number };
    expect(sent.prompt).toBe(
      `<|im_start|>user\n${s.question}<|im_end|>\n<|im_start|>assistant\n<think>\nStep 1. Work on part 1 of question 0.\nStep 2. Work on part 2 of question 0.\n`,
    );
    expect(sent).toMatchObject({ max_tokens: 64, model: path.join(tmp, 'chatml'), temperature: 0 });
    expect(p).toMatchObject({
      prefix: 'Step 1. Work on part 1 of question 0.\nStep 2. Work on part 2 of question 0.\n',
      continuation: '<think>w0 w1 w2 w3 ',
      answer: 'w0 w1 w2 The answer is \\boxed{1}',
      closed: true,
      finishReason: 'stop',
      completionTokens: 8,
      prompt: sent.prompt,
    });
    expect(p.thinking).toBe(`${p.prefix}<think>w0 w1 w2 w3`);
    // Nothing was saved until the reviewer accepts the proposal.
    expect(getSample(project.db, traceId).head).toBe(0);
    const r = await saveRevision(project, { traceId, baseRevision: 0, thinking: p.thinking, answer: p.answer, author: 'ana', clientId: 'w', kind: 'regenerate' });
    expect(r).toMatchObject({ ok: true, head: 1, answerChanged: true });
    expect(listRevisions(project.db, traceId).revisions[0]).toMatchObject({ n: 1, kind: 'regenerate', author: 'ana' });
  });

  it('uses a template that opens the thinking itself without a second tag, and a templateDir for remote models', async () => {
    const dir = templateDir('r1', R1);
    const s = getSample(project.db, traceId);
    await regenerate(project, { traceId, offset: 5, teacher: 'remote', templateDir: dir, maxTokens: 8 });
    const sent = server.requests.at(-1)?.body as { prompt: string; model: string };
    expect(sent.prompt).toBe(`<｜User｜>${s.question}<｜Assistant｜><think>\n${s.thinking.slice(0, 5)}`);
    expect(sent.model).toBe('deepseek-reasoner');
  });

  it("applies the prompt template and system prompt of the generate job that made the trace; another kind's job is not a prompt", async () => {
    const other = otherTraceId;
    const s = getSample(project.db, other);
    const gen = insertJob(project.db, 'generate', { promptTemplate: 'Solve #{id}: {question}', systemPrompt: 'Be brief.' }, null);
    project.db.prepare('UPDATE traces SET job_id = ? WHERE id = ?').run(gen, other);
    await regenerate(project, { traceId: other, offset: 0, teacher: 'local', maxTokens: 4 });
    const qid = project.db.prepare('SELECT question_id FROM traces WHERE id = ?').pluck().get(other) as number;
    expect((server.requests.at(-1)?.body as { prompt: string }).prompt).toBe(
      `<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nSolve #${qid}: ${s.question}<|im_end|>\n<|im_start|>assistant\n<think>\n`,
    );
    const aug = insertJob(project.db, 'augment', { promptTemplate: 'IGNORED {question}' }, null);
    project.db.prepare('UPDATE traces SET job_id = ? WHERE id = ?').run(aug, other);
    await regenerate(project, { traceId: other, offset: 0, teacher: 'local', maxTokens: 4 });
    expect((server.requests.at(-1)?.body as { prompt: string }).prompt).toBe(`<|im_start|>user\n${s.question}<|im_end|>\n<|im_start|>assistant\n<think>\n`);
  });

  it('explains what is wrong: offset, missing template, server errors, no local server', async () => {
    const len = getSample(project.db, traceId).thinking.length;
    await expect(regenerate(project, { traceId, offset: len + 1, teacher: 'local' })).rejects.toThrow(new RegExp(`outside the thinking of trace ${traceId} \\(0 to ${len} characters\\)`));
    await expect(regenerate(project, { traceId, offset: 0, teacher: 'remote' })).rejects.toThrow(/"deepseek-reasoner", which is not a local folder.*templateDir/);
    await expect(regenerate(project, { traceId, offset: 0, teacher: 'nobody' })).rejects.toThrow(/no teacher named "nobody"/);
    await expect(regenerate(project, { traceId, offset: 0, modelDir: path.join(tmp, 'chatml') })).rejects.toThrow(/No local server is running for/);
    await expect(regenerate(project, { traceId, offset: 0 })).rejects.toThrow(/a registered teacher or a running local model folder/);
    // A question whose prompt makes the scripted server fail with HTTP 500.
    project.db.prepare("UPDATE questions SET question = 'FAIL ' || question WHERE id = (SELECT question_id FROM traces WHERE id = ?)").run(traceId);
    await expect(regenerate(project, { traceId, offset: 0, teacher: 'local' })).rejects.toThrow(/check that the teacher "local" is running and serves \/v1\/completions/);
  });
});

const servers = new LocalServers();
describe.skipIf(!hasPython())('regenerate from a step (real transformers serve, tiny random Qwen2)', () => {
  let project: Project;
  let traceId: number;
  let model: string;
  let baseUrl: string;
  beforeAll(async () => {
    model = tinyModel();
    const info = await servers.start(model, { kind: 'transformers', device: 'cpu', readyTimeoutMs: 600_000 });
    baseUrl = info.baseUrl;
    const f = reviewProject(path.join(tmp, 'real'), 2);
    project = f.project;
    traceId = f.traceIds[1] as number;
    saveTeacher(project.db, { name: 'tiny', preset: 'transformers', baseUrls: [baseUrl], model });
  }, 900_000);
  afterAll(async () => {
    project?.close();
    await servers.stopAll();
  }, 60_000);

  it('continues the edited prefix through the completions endpoint, by teacher name or by the running model folder', async () => {
    const s = getSample(project.db, traceId);
    const offset = s.thinking.indexOf('Step 2.');
    const p = await regenerate(project, { traceId, offset, teacher: 'tiny', maxTokens: 12, temperature: 0 });
    expect(p.prompt).toBe(`<|im_start|>user\n${s.question}<|im_end|>\n<|im_start|>assistant\n<think>\nStep 1. Work on part 1 of question 1.\n`);
    expect(p.prefix).toBe('Step 1. Work on part 1 of question 1.\n');
    expect(p.continuation.length).toBeGreaterThan(0);
    expect(p.thinking.startsWith(p.prefix)).toBe(true);
    expect(['length', 'stop']).toContain(p.finishReason);
    expect(p.model).toBe(model);
    expect(p.templateFile).toBe(path.join(model, 'chat_template.jinja'));
    const q = await regenerate(project, { traceId, offset, modelDir: model, maxTokens: 12, temperature: 0 }, () => servers.list());
    expect(q.prompt).toBe(p.prompt);
    expect(q.continuation.length).toBeGreaterThan(0);
    const r = await saveRevision(project, { traceId, baseRevision: 0, thinking: p.thinking, answer: p.answer || s.answer, author: 'ana', clientId: null, kind: 'regenerate' });
    expect(r).toMatchObject({ ok: true, head: 1 });
    expect(getSample(project.db, traceId).thinking).toBe(p.thinking);
  }, 300_000);
});
