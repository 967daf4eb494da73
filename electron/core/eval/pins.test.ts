import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject, type Project } from '../store/project';
import { CHECKER_VERSION } from '../verify';
import { computePins, FileHasher } from './pins';
import { normaliseConfig } from './runs';

let dir: string;
let model: string;
let project: Project;

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('pins: what changes a number, hashed once per file version', () => {
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-pins-'));
    process.env.DISTILLERY_CONFIG_DIR = path.join(dir, 'config');
    model = path.join(dir, 'model');
    fs.mkdirSync(path.join(model, 'onnx'), { recursive: true });
    fs.writeFileSync(path.join(model, 'config.json'), '{"model_type":"qwen2"}');
    fs.writeFileSync(path.join(model, 'tokenizer.json'), '{"model":{}}');
    fs.writeFileSync(path.join(model, 'chat_template.jinja'), '{{ messages }}');
    fs.writeFileSync(path.join(model, 'model.safetensors'), Buffer.alloc(3 * 1024 * 1024, 7));
    fs.writeFileSync(path.join(model, 'onnx', 'model.onnx'), 'onnx');
    fs.writeFileSync(path.join(model, 'README.md'), 'not pinned');
    project = createProject(path.join(dir, 'p'), 'Pins');
  });

  afterAll(() => {
    project?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const config = (over: { seed?: number; repeats?: number } = {}) =>
    normaliseConfig({ models: [{ label: 'm', kind: 'local', dir: model }], benchmarks: ['builtin:x'], budgets: [{ maxThinking: 32 }], ...over });
  const qs = [{ benchmark: 'builtin:x', qid: '1', question: 'What is 1+1?', reference: '2' }];

  it('pins the checker, prompt, questions, seeds and every model file with its sha256', async () => {
    const p = await computePins(project, config({ seed: 5, repeats: 3 }), qs);
    expect(p.checker.version).toBe(CHECKER_VERSION);
    expect(p.checker.judge).toBeNull();
    expect(p.seeds.run).toBe(5);
    expect(p.seeds.repeats).toHaveLength(3);
    expect(p.seeds.repeats[0]).toBe(5);
    expect(p.sampling).toMatchObject({ repeats: 3, samples: 1, temperature: 0.7 });
    expect(p.questions).toEqual([{ benchmark: 'builtin:x', count: 1, sha256: sha(JSON.stringify([['1', 'What is 1+1?', '2']])) }]);
    const m = p.models[0]!;
    expect(m.files.map((f) => f.file)).toEqual(['chat_template.jinja', 'config.json', 'model.safetensors', 'onnx/model.onnx', 'tokenizer.json']);
    expect(m.files.find((f) => f.file === 'model.safetensors')).toEqual({ file: 'model.safetensors', bytes: 3 * 1024 * 1024, sha256: sha(Buffer.alloc(3 * 1024 * 1024, 7)) });
    expect(m.chatTemplateSha256).toBe(sha('{{ messages }}'));
    // Same settings, same pins; another seed changes only the seeds.
    expect(await computePins(project, config({ seed: 5, repeats: 3 }), qs)).toEqual(p);
    const other = await computePins(project, config({ seed: 6, repeats: 3 }), qs);
    expect(other.seeds).not.toEqual(p.seeds);
    expect({ ...other, seeds: null }).toEqual({ ...p, seeds: null });
  });

  it('reads a file once while its size and mtime stay, and again when it changes', async () => {
    const cache = path.join(dir, 'hashes.json');
    const weights = path.join(model, 'model.safetensors');
    const first = new FileHasher(cache);
    const a = await first.hash(weights);
    expect(first.read).toBe(1);
    first.save();
    // A new hasher (another process) answers from the cache file.
    const second = new FileHasher(cache);
    expect(await second.hash(weights)).toEqual(a);
    expect(second.read).toBe(0);
    // A changed file (new content and mtime) is read again.
    fs.writeFileSync(weights, Buffer.alloc(3 * 1024 * 1024, 8));
    fs.utimesSync(weights, new Date(), new Date(Date.now() + 5_000));
    const b = await second.hash(weights);
    expect(second.read).toBe(1);
    expect(b.sha256).toBe(sha(Buffer.alloc(3 * 1024 * 1024, 8)));
  });

  it('a model file it cannot read stops with a sentence naming it', async () => {
    const broken = path.join(dir, 'broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, 'config.json'), '{}');
    fs.symlinkSync(path.join(broken, 'gone.safetensors'), path.join(broken, 'model.safetensors'));
    const c = normaliseConfig({ models: [{ label: 'b', kind: 'local', dir: broken }], benchmarks: ['builtin:x'], budgets: [{ maxThinking: 32 }] });
    await expect(computePins(project, c, qs)).rejects.toThrow(/Could not read .*model\.safetensors to pin the model "b" .*make the model folder readable/);
  });
});
