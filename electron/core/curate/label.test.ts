import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../jobs';
import { createSampleProject } from '../sample';
import type { Project } from '../store/project';
import { saveTeacher } from '../teacher/store';
import { LocalServers } from '../localserve/manager';
import { LABEL_KIND, labelKind, labelsFromColumn } from './label';
import { curate } from './pipeline';
import { s1Recipe } from './recipe';
import { getTaxonomy, labelsOf, parseLabel, parseTaxonomyText, setTaxonomy } from './taxonomy';
import { loadStudentTokenizer } from './tokens';

const root = path.resolve(import.meta.dirname, '../../..');
const venv = path.join(root, '.venv');
const hasVenv = fs.existsSync(path.join(venv, 'bin', 'python'));
if (!hasVenv) console.warn(`Skipping the transformers serve labelling test and the student-tokenizer test: ${venv} does not exist (run "npm run setup:python").`);

function sampleWithTraces(dir: string): Project {
  const p = createSampleProject(dir);
  const now = new Date().toISOString();
  const put = p.db.prepare("INSERT INTO traces (question_id, source, teacher, status, thinking, answer, finish_reason, created_at) VALUES (?, 'generated', 'teacher', 'done', ?, ?, 'stop', ?)");
  p.db.transaction(() => {
    for (const q of p.db.prepare('SELECT id, answer FROM questions').all() as { id: number; answer: string }[]) {
      put.run(q.id, `Let me think. `.repeat(5 + (q.id % 40)) + `Checking case ${q.id}.`, `\\boxed{${q.answer}}`, now);
    }
  })();
  return p;
}

describe('parseLabel', () => {
  const msc = getTaxonomy(null as never);
  it('reads a code out of the replies models give, and says other for anything else', () => {
    expect(parseLabel(msc, '11')).toBe('11');
    expect(parseLabel(msc, '<think>maybe 05 or 11</think>\n**60**')).toBe('60');
    expect(parseLabel(msc, 'The answer is \\boxed{05}.')).toBe('05');
    expect(parseLabel(msc, 'This is Number theory.')).toBe('11');
    expect(parseLabel(msc, 'banana')).toBe('other');
    expect(parseLabel(msc, '')).toBe('other');
    expect(msc.entries).toHaveLength(61);
  });
  it('imports a user taxonomy from lines or JSON', () => {
    const t = parseTaxonomyText('mine', 'alg: Algebra\ngeo: Geometry\n');
    expect(t).toEqual({ name: 'mine', entries: [{ code: 'alg', title: 'Algebra' }, { code: 'geo', title: 'Geometry' }] });
  });
});

describe('label-domains job against a scripted server (content)', () => {
  let tmp: string;
  let project: Project;
  let server: http.Server;
  let calls = 0;
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-label-'));
    process.env.DISTILLERY_CONFIG_DIR = path.join(tmp, 'config');
    project = sampleWithTraces(path.join(tmp, 'p'));
    // Answers by what the question is about; one in seven replies is junk (→ other), first calls of id 5 fail once.
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        calls++;
        const j = JSON.parse(body) as { messages: { content: string }[]; stream?: boolean };
        const prompt = j.messages[0]?.content ?? '';
        if (calls === 2) {
          res.writeHead(503).end('busy');
          return;
        }
        const problem = prompt.slice(prompt.indexOf('Problem:'));
        const code = /prime|divis|gcd|remainder|mod/i.test(problem) ? '11' : /triangle|circle|angle|area/i.test(problem) ? '51' : /probab|dice|coin/i.test(problem) ? '60' : calls % 7 === 0 ? 'no idea' : '<think>hmm</think>05';
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: code }, finish_reason: 'stop' }] }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    saveTeacher(project.db, { name: 'labeller', baseUrls: [`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`], model: 'scripted' });
  });
  afterAll(() => {
    project.close();
    server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('labels every question with a taxonomy code (unknown → other), and the sampler uses those domains', async () => {
    const runner = new JobRunner(project).register(labelKind);
    const id = runner.start(LABEL_KIND, { teacher: 'labeller', concurrency: 4 });
    const job = await runner.wait(id);
    await runner.close();
    expect(job.status).toBe('done');
    const labels = labelsOf(project.db, 'msc2020');
    const n = (project.db.prepare('SELECT COUNT(*) AS n FROM questions WHERE excluded = 0').get() as { n: number }).n;
    expect(labels.size).toBe(n);
    const values = [...labels.values()];
    expect(new Set(values).size).toBeGreaterThanOrEqual(3);
    for (const v of values) expect(['11', '51', '60', '05', 'other']).toContain(v);
    const r = curate(project, s1Recipe({ target: 50, diversity: { domains: 'labels' } }));
    expect(Object.keys(r.domains.after).every((d) => ['11', '51', '60', '05', 'other'].includes(d))).toBe(true);
    // A second run with scope 'unlabelled' has nothing to do.
    const again = new JobRunner(project).register(labelKind);
    const before = calls;
    const j2 = await again.wait(again.start(LABEL_KIND, { teacher: 'labeller' }));
    await again.close();
    expect(j2.total).toBe(0);
    expect(calls).toBe(before);
  });

  it('labels with a user taxonomy', async () => {
    setTaxonomy(project.db, parseTaxonomyText('mine', '11: Numbers\n51: Shapes\n60: Chance'));
    const runner = new JobRunner(project).register(labelKind);
    const job = await runner.wait(runner.start(LABEL_KIND, { teacher: 'labeller', taxonomy: 'mine', concurrency: 4 }));
    await runner.close();
    expect(job.status).toBe('done');
    for (const v of labelsOf(project.db, 'mine').values()) expect(['11', '51', '60', 'other']).toContain(v);
  });
});

describe.skipIf(!hasVenv)('with the tiny Qwen2 model (student tokenizer.json, real transformers serve)', () => {
  let tmp: string;
  let modelDir: string;
  let project: Project;
  const servers = new LocalServers();
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-label-tserve-'));
    process.env.DISTILLERY_CONFIG_DIR = path.join(tmp, 'config');
    modelDir = path.join(tmp, 'model');
    await execa(path.join(venv, 'bin', 'python'), ['-m', 'distillery_worker', 'tiny-model', '--out', modelDir], { cwd: root });
    project = sampleWithTraces(path.join(tmp, 'p'));
  }, 900_000);
  afterAll(async () => {
    await servers.stopAll();
    project?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('counts thinking in the student tokens and stores the counts', () => {
    const tok = loadStudentTokenizer(modelDir);
    expect(tok.count('Let me think. Checking case 3.')).toBeGreaterThan(3);
    const r = curate(project, s1Recipe({ target: 40, studentDir: modelDir, difficulty: { minThinkingTokens: 60 } }));
    expect(r.lengthUnit).toBe('tokens');
    expect(r.notes.join(' ')).not.toMatch(/characters \/ 4/);
    expect(r.decisions.some((d) => d.rule === 'short_thinking' && d.detail.unit === 'tokens')).toBe(true);
    expect((project.db.prepare('SELECT COUNT(*) AS n FROM curation_token_counts').get() as { n: number }).n).toBeGreaterThan(300);
  });

  it('labelling completes against transformers serve and every question gets some label (format only)', async () => {
    // Started the way the app starts a local teacher (free loopback port, own process group).
    const info = await servers.start(modelDir, { kind: 'transformers', device: 'cpu', readyTimeoutMs: 600_000 });
    saveTeacher(project.db, { name: 'tiny', baseUrls: [info.baseUrl], model: modelDir });
    // Format only: a handful of questions keeps the CPU time small.
    const ids = (project.db.prepare('SELECT id FROM questions ORDER BY id LIMIT 6').all() as { id: number }[]).map((r) => r.id);
    project.db.prepare(`UPDATE questions SET excluded = 1, exclude_reason = 'test' WHERE id NOT IN (${ids.join(',')})`).run();
    const runner = new JobRunner(project).register(labelKind);
    const job = await runner.wait(runner.start(LABEL_KIND, { teacher: 'tiny', maxTokens: 8, concurrency: 2 }));
    await runner.close();
    expect(job.status, servers.log(info.id).slice(-20).join('\n')).toBe('done');
    const labels = labelsOf(project.db, 'msc2020');
    expect([...labels.keys()].sort((a, b) => a - b)).toEqual(ids);
    const codes = new Set(getTaxonomy(project.db).entries.map((e) => e.code));
    for (const v of labels.values()) expect(v === 'other' || codes.has(v)).toBe(true);
  }, 900_000);
});

describe('labelsFromColumn', () => {
  it("copies the imported domain column into a taxonomy once; a question's existing label is kept", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-label-column-'));
    const p = createSampleProject(path.join(tmp, 'p'));
    try {
      const rows = p.db.prepare("SELECT id, domain FROM questions WHERE domain IS NOT NULL AND TRIM(domain) != '' ORDER BY id").all() as { id: number; domain: string }[];
      expect(rows.length).toBeGreaterThan(1);
      const first = rows[0] as { id: number; domain: string };
      p.db.prepare("UPDATE questions SET domain = '  ' WHERE id = ?").run(first.id);
      const second = rows[1] as { id: number; domain: string };
      p.db.prepare("INSERT INTO domain_labels (question_id, taxonomy, label, source, created_at) VALUES (?, 'mine', 'by hand', 'teacher', 'now')").run(second.id);
      expect(labelsFromColumn(p.db, 'mine')).toBe(rows.length - 2);
      const labels = labelsOf(p.db, 'mine');
      expect(labels.has(first.id)).toBe(false);
      expect(labels.get(second.id)).toBe('by hand');
      expect(labels.get((rows[2] as { id: number }).id)).toBe((rows[2] as { domain: string }).domain);
      expect(labelsFromColumn(p.db, 'mine')).toBe(0);
    } finally {
      p.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
