import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { realMiniLM } from '../../core/embed/testing';
import { createSampleProject } from '../../core/sample';
import { openProject } from '../../core/store/project';

const root = path.resolve(import.meta.dirname, '../../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-cli-embed-'));
const cli = (...args: string[]) => execa(process.execPath, [path.join(root, 'bin', 'distillery.mjs'), ...args], { reject: false, cwd: tmp, env: { HF_HUB_OFFLINE: '1' } });
const models = realMiniLM();

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Out {
  questions: number;
  embedded: number;
  model: string;
  identity: string;
  dtype: string;
  maxLength: number;
  converted: { cached?: boolean; check?: { fp32_min_cosine: number } } | null;
  k: number;
  clusters: { id: number; size: number }[];
  job: { id: number; status: string };
}

describe.skipIf(!models)('distillery embed (real all-MiniLM-L6-v2, real child process)', () => {
  it('converts a sentence-transformers folder once, runs the durable job, clusters, and prints JSON', async () => {
    const dir = path.join(tmp, 'p');
    const p = createSampleProject(dir);
    p.db.prepare("UPDATE questions SET excluded = 1, exclude_reason = 'test' WHERE id > 40").run();
    p.close();

    const a = await cli('embed', dir, '--model', models?.src ?? '', '--k', '4', '--json');
    expect(a.exitCode, a.stderr).toBe(0);
    expect(a.stderr).toMatch(/is a sentence-transformers folder: converting it for in-app use into .*artifacts[\\/]models[\\/]all-MiniLM-L6-v2-/);
    const out = JSON.parse(a.stdout) as Out;
    expect(out).toMatchObject({ questions: 40, embedded: 40, dtype: 'fp32', maxLength: 256, k: 4, job: { status: 'done' } });
    expect(out.model.startsWith(path.join(dir, 'artifacts', 'models'))).toBe(true);
    expect(out.converted?.check?.fp32_min_cosine).toBeGreaterThanOrEqual(0.999);
    expect(out.clusters.map((c) => c.id)).toEqual([1, 2, 3, 4]);
    expect(out.clusters.reduce((s, c) => s + c.size, 0)).toBe(40);

    // The job is the record the UI shows; the labels are those curation reads.
    const q = openProject(dir);
    const job = q.db.prepare('SELECT kind, status FROM jobs WHERE id = ?').get(out.job.id);
    const labels = q.db.prepare("SELECT COUNT(*) FROM domain_labels WHERE source = 'cluster'").pluck().get();
    q.close();
    expect(job).toEqual({ kind: 'embed', status: 'done' });
    expect(labels).toBe(40);

    // Again with int8: the conversion is reused, the vectors are another identity.
    const b = await cli('embed', dir, '--model', models?.src ?? '', '--k', '4', '--precision', 'q8', '--json');
    expect(b.exitCode, b.stderr).toBe(0);
    expect(b.stderr).not.toMatch(/converting/);
    const again = JSON.parse(b.stdout) as Out;
    expect(again).toMatchObject({ embedded: 40, dtype: 'q8', model: out.model, converted: { cached: true } });
    expect(again.identity).not.toBe(out.identity);
  }, 900_000);

  it('says what is wrong in one sentence: a decoder LLM folder, a bad precision', async () => {
    const dir = path.join(tmp, 'p2');
    createSampleProject(dir).close();
    const llm = path.join(tmp, 'llm');
    fs.mkdirSync(llm);
    fs.writeFileSync(path.join(llm, 'config.json'), JSON.stringify({ model_type: 'llama' }));
    fs.writeFileSync(path.join(llm, 'modules.json'), '[]');
    const a = await cli('embed', dir, '--model', llm, '--json');
    expect(a.exitCode).not.toBe(0);
    expect(a.stderr).toMatch(/model_type 'llama', which is not a sentence-embedding encoder the conversion supports; it supports BERT/);
    const b = await cli('embed', dir, '--model', llm, '--precision', 'int4');
    expect(b.exitCode).toBe(2);
    expect(b.stderr).toMatch(/--precision must be fp32 or q8, not "int4"/);
  }, 300_000);
});
