// `tsx bench/curate.ts`: the whole s1 recipe on a 60,000-question project with traces and verdicts.
// Targets (issue 6): whole recipe ≤ 5 s; preview after a knob change ≤ 1 s.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { curate } from '../electron/core/curate/pipeline';
import { s1Recipe } from '../electron/core/curate/recipe';
import { runAndStore } from '../electron/core/curate/runs';
import { rng } from '../electron/core/sample/rng';
import { createProject } from '../electron/core/store/project';

const N = Number(process.env.BENCH_QUESTIONS ?? 60_000);
const DOMAINS = 50;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-bench-curate-'));
const project = createProject(path.join(tmp, 'p'), 'bench');
const r = rng(7);
const words = ['consider', 'the', 'sum', 'of', 'squares', 'modulo', 'prime', 'wait', 'check', 'factor', 'triangle', 'area', 'so', 'therefore', 'case', 'odd', 'even', 'bound'];
const sentence = () => Array.from({ length: 12 }, () => words[Math.floor(r() * words.length)]).join(' ') + ` ${Math.floor(r() * 1000)}.`;

const t0 = performance.now();
const db = project.db;
const now = new Date().toISOString();
const q = db.prepare("INSERT INTO questions (id, question, answer, domain, source, created_at) VALUES (?, ?, ?, ?, 'bench', ?)");
const t = db.prepare("INSERT INTO traces (id, question_id, source, teacher, sample_index, status, thinking, answer, finish_reason, created_at) VALUES (?, ?, 'generated', ?, ?, ?, ?, ?, ?, ?)");
const v = db.prepare("INSERT INTO verdicts (trace_id, equivalent, method, reason, checked_at) VALUES (?, ?, 'exact', 'bench', ?)");
let traceId = 0;
db.transaction(() => {
  for (let i = 1; i <= N; i++) {
    q.run(i, `Problem ${i}: find the remainder when ${i}^${i % 17} is divided by ${(i % 89) + 2}.${i % 97 === 0 ? ' ![fig](a.png)' : ''}`, String(i % 10), `d${i % DOMAINS}`, now);
    const steps = 3 + Math.floor(r() ** 2 * 60);
    const thinking = Array.from({ length: steps }, sentence).join('\n');
    const failed = r() < 0.02;
    t.run(++traceId, i, 'teacher', 0, failed ? 'failed' : 'done', failed ? null : thinking, failed ? null : `\\boxed{${i % 10}}`, r() < 0.01 ? 'length' : 'stop', now);
    if (!failed) v.run(traceId, r() < 0.9 ? 1 : 0, now);
    // Two filter models, one sample each.
    for (const [k, m] of ['qwen-7b', 'qwen-32b'].entries()) {
      t.run(++traceId, i, m, 0, 'done', '', `\\boxed{${i % 10}}`, 'stop', now);
      v.run(traceId, r() < (k === 0 ? 0.3 : 0.5) ? 1 : 0, now);
    }
  }
})();
const buildS = (performance.now() - t0) / 1000;
console.log(`built ${N} questions, ${traceId} traces and verdicts in ${buildS.toFixed(1)} s (${tmp})`);

const recipe = s1Recipe({ seed: 1, target: 1000, quality: { dropWrong: true }, difficulty: { filterModels: ['qwen-7b', 'qwen-32b'] } });
const c0 = performance.now();
const cold = curate(project, recipe);
const coldS = (performance.now() - c0) / 1000;
console.log(`whole recipe, cold (features computed: quality + difficulty from stored verdicts + diversity sampling): ${coldS.toFixed(2)} s (target ≤ 5 s) ${coldS <= 5 ? 'OK' : 'MISSED'}`);
console.log(`  funnel ${cold.funnel.map((s) => `${s.stage} ${s.in}→${s.out}`).join(', ')}; ${cold.selected} selected over ${Object.keys(cold.domains.after).length} domains`);

const k0 = performance.now();
const knob = curate(project, { ...recipe, quality: { ...recipe.quality, maxRepetition: 0.3, thinkingLength: { unit: 'chars', min: 800, max: null } } });
const knobS = (performance.now() - k0) / 1000;
console.log(`preview after a knob change (cached features): ${knobS.toFixed(3)} s (target ≤ 1 s) ${knobS <= 1 ? 'OK' : 'MISSED'}; quality out ${knob.funnel[1]?.out}`);

const s0 = performance.now();
const stored = runAndStore(project, recipe);
console.log(`stored run ${stored.runId} with ${N} decision rows: ${((performance.now() - s0) / 1000).toFixed(2)} s`);
console.log('embeddings of 60,000 questions, k-means and the recipe with clusters as domains: npm run bench:embed');

project.close();
if (!process.env.BENCH_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
