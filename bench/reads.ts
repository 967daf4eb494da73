/**
 * npm run bench:reads — the hot reads of a 60,000-question project, before and after the ownership refactor
 * (issue 16 §3: cross-domain joins moved behind owner modules), in one process: the same user-level calls through
 * the tRPC server-side caller of this tree and of an old checkout (default: 18ace96, the commit before it).
 *
 * The old checkout is a git worktree with this checkout's node_modules linked in:
 *   git worktree add --detach /tmp/reads-base 18ace96 && ln -s "$PWD/node_modules" /tmp/reads-base/node_modules
 *   BENCH_BASE=/tmp/reads-base npm run bench:reads          (or: npm run bench:reads -- --base /tmp/reads-base)
 *   git worktree remove --force /tmp/reads-base             (afterwards)
 * Both trees share the schema (18ace96 added no migration), so one project built here is opened by both engines.
 * BENCH_QUESTIONS (60000), BENCH_RUNS (5, the median's sample) and BENCH_KEEP=1 (keep the project) are optional.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { appRouter as AppRouterValue } from '../electron/core/api/router';
import type { Engine } from '../electron/core/engine';
import { freezeRun, runAndStore } from '../electron/core/curate/runs';
import { s1Recipe } from '../electron/core/curate/recipe';
import { rng } from '../electron/core/sample/rng';
import { createProject, type Project } from '../electron/core/store/project';
import type { verifyKind as VerifyKindValue, verifyParams as VerifyParamsValue } from '../electron/core/verify/job';

const argv = process.argv.slice(2);
const flag = argv.indexOf('--base');
const BASE = path.resolve(flag >= 0 && argv[flag + 1] ? argv[flag + 1]! : (process.env.BENCH_BASE ?? '/tmp/reads-base'));
const N = Number(process.env.BENCH_QUESTIONS ?? 60_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SELECTED = 1_000;

if (!fs.existsSync(path.join(BASE, 'electron', 'core', 'api', 'router.ts')) || !fs.existsSync(path.join(BASE, 'node_modules'))) {
  console.error(`No old checkout with node_modules at ${BASE}. Create one (from this checkout's root) with:
  git worktree add --detach /tmp/reads-base 18ace96 && ln -s "$PWD/node_modules" /tmp/reads-base/node_modules
then run BENCH_BASE=/tmp/reads-base npm run bench:reads (and git worktree remove --force /tmp/reads-base afterwards).`);
  process.exit(2);
}

type Api = ReturnType<typeof AppRouterValue.createCaller>;
interface Side {
  name: 'base' | 'current';
  engine: Engine;
  api: Api;
  verifyKind: typeof VerifyKindValue;
  verifyParams: typeof VerifyParamsValue;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-bench-reads-'));
process.env.DISTILLERY_CONFIG_DIR = path.join(tmp, 'config');
const dir = path.join(tmp, 'p');

/** The project: N questions over 40 domains, one done trace each (2–4 KB of thinking), a verdict for every trace. */
function build(): void {
  const project = createProject(dir, 'bench reads');
  const r = rng(11);
  const words = ['consider', 'the', 'sum', 'of', 'squares', 'modulo', 'prime', 'wait', 'check', 'factor', 'triangle', 'area', 'so', 'therefore', 'case', 'odd', 'even', 'bound', 'hmm', 'let'];
  const sentence = () => Array.from({ length: 14 }, () => words[Math.floor(r() * words.length)]).join(' ') + ` ${Math.floor(r() * 1000)}.`;
  const now = new Date().toISOString();
  const db = project.db;
  const q = db.prepare("INSERT INTO questions (id, question, answer, domain, source, created_at) VALUES (?, ?, ?, ?, 'bench', ?)");
  const t = db.prepare(
    "INSERT INTO traces (id, question_id, source, teacher, sample_index, status, thinking, answer, thinking_tokens, answer_tokens, finish_reason, created_at) VALUES (?, ?, 'generated', 'teacher', 0, 'done', ?, ?, ?, 8, 'stop', ?)",
  );
  const v = db.prepare("INSERT INTO verdicts (trace_id, equivalent, method, reason, checked_at) VALUES (?, ?, 'exact', 'bench', ?)");
  db.transaction(() => {
    for (let i = 1; i <= N; i++) {
      q.run(i, `Problem ${i}: find the remainder when ${i}^${i % 17} is divided by ${(i % 89) + 2}.`, String(i % 10), `d${i % 40}`, now);
      const target = 2000 + r() * 2000;
      const parts: string[] = [];
      let len = 0;
      while (len < target) {
        const s = sentence();
        parts.push(s);
        len += s.length + 1;
      }
      const thinking = parts.join('\n');
      t.run(i, i, thinking, `\\boxed{${i % 10}}`, Math.round(thinking.length / 4), now);
      v.run(i, r() < 0.85 ? 1 : 0, now);
    }
  })();
  const { runId } = runAndStore(project, s1Recipe({ seed: 1, target: SELECTED }));
  freezeRun(project, runId);
  project.close();
}

/** Some reviews, through the current API: 300 decisions in the selection, 2,000 in the pool, 20 edited traces. */
async function review(api: Api, project: Project): Promise<void> {
  const selected = project.db.prepare('SELECT t.id FROM selection s JOIN traces t ON t.question_id = s.question_id ORDER BY t.id').pluck().all() as number[];
  const inSelection = new Set(selected);
  const pool = (project.db.prepare('SELECT id FROM traces ORDER BY id').pluck().all() as number[]).filter((id, i) => i % 20 === 0 && !inSelection.has(id)).slice(0, 2000);
  await api.review.setStatus({ traceIds: selected.slice(0, 200), status: 'accepted', reviewer: 'ana' });
  await api.review.setStatus({ traceIds: selected.slice(200, 260), status: 'rejected', reviewer: 'bo' });
  await api.review.setStatus({ traceIds: selected.slice(260, 300), status: 'needs_work', reviewer: 'ana' });
  await api.review.setStatus({ traceIds: pool, status: 'accepted', reviewer: 'cy' });
  for (const id of selected.slice(0, 20)) {
    const s = await api.review.sample({ traceId: id });
    await api.review.save({ traceId: id, baseRevision: 0, thinking: `${s.thinking}\nChecked again.`, answer: s.answer, author: 'ana', clientId: 'bench' });
  }
}

async function side(name: Side['name'], root: string): Promise<Side> {
  const load = async (rel: string): Promise<unknown> => import(pathToFileURL(path.join(root, rel)).href);
  const router = (await load('electron/core/api/router.ts')) as { appRouter: typeof AppRouterValue };
  const eng = (await load('electron/core/engine/index.ts')) as { Engine: typeof Engine };
  const verify = (await load('electron/core/verify/job.ts')) as { verifyKind: typeof VerifyKindValue; verifyParams: typeof VerifyParamsValue };
  const engine = new eng.Engine({ mode: 'cli' });
  await engine.open(dir, { resumeUnfinished: false });
  return { name, engine, api: router.appRouter.createCaller({ engine }), ...verify };
}

/** The user-level operations, each a call (or a job's planning) as the app makes it. */
const ops: { name: string; interactive: boolean; run: (s: Side) => Promise<unknown> }[] = [
  { name: 'review queue, first page (selection)', interactive: true, run: (s) => s.api.review.queue({ offset: 0, limit: 100 }) },
  { name: 'review queue, verdict=wrong (selection)', interactive: true, run: (s) => s.api.review.queue({ verdict: 'wrong', offset: 0, limit: 100 }) },
  { name: 'review queue, first page (pool)', interactive: true, run: (s) => s.api.review.queue({ scope: 'pool', offset: 0, limit: 100 }) },
  { name: 'review queue, verdict=wrong (pool)', interactive: true, run: (s) => s.api.review.queue({ scope: 'pool', verdict: 'wrong', offset: 0, limit: 100 }) },
  { name: 'review queue, middle page (pool)', interactive: true, run: (s) => s.api.review.queue({ scope: 'pool', offset: Math.floor(N / 2), limit: 100 }) },
  { name: 'review counts (pool)', interactive: true, run: (s) => s.api.review.counts({ scope: 'pool' }) },
  { name: 'review sample (open one trace)', interactive: true, run: (s) => s.api.review.sample({ traceId: Math.ceil(N / 5) }) },
  { name: 'pool list, has traces, first page', interactive: true, run: (s) => s.api.pool.list({ hasTrace: true, offset: 0, limit: 100 }) },
  { name: 'pool list, no traces, first page', interactive: true, run: (s) => s.api.pool.list({ hasTrace: false, offset: 0, limit: 100 }) },
  { name: 'pool list, has traces, by length', interactive: true, run: (s) => s.api.pool.list({ hasTrace: true, sort: 'length', dir: 'desc', offset: 0, limit: 100 }) },
  { name: 'traces page (done, first 100)', interactive: true, run: (s) => s.api.teacher.traces({ status: 'done', offset: 0, limit: 100 }) },
  { name: 'traces page at 80% (done)', interactive: true, run: (s) => s.api.teacher.traces({ status: 'done', offset: Math.floor(N * 0.8), limit: 100 }) },
  { name: 'traces counts', interactive: true, run: (s) => s.api.teacher.counts() },
  { name: 'project info (overview)', interactive: true, run: (s) => s.api.project.info() },
  { name: 'export preview (selection)', interactive: false, run: (s) => s.api.export.preview({ include: 'accepted', scope: 'selection', val: 0.05, seed: 0 }) },
  { name: 'export preview (pool, all)', interactive: false, run: (s) => s.api.export.preview({ include: 'all', scope: 'pool', val: 0.05, seed: 0 }) },
  { name: 'curate preview (s1, 1,000)', interactive: false, run: (s) => s.api.curate.preview({ recipe: { seed: 1, target: SELECTED }, sample: 200 }) },
  {
    name: 'verify job planning (all done traces)',
    interactive: false,
    run: async (s) => {
      const project = s.engine.project;
      if (!project) throw new Error('no project open');
      let n = 0;
      for (const item of s.verifyKind.plan(project, s.verifyParams.parse({ scope: 'all' }))) n += item.key ? 1 : 0;
      return n;
    },
  },
];

/** Where two results first differ ('' when they are equal): a path of keys, e.g. 'rows.3.thinkingChars'. */
function firstDifference(a: unknown, b: unknown, at = ''): string | null {
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    for (const k of [...new Set([...ka, ...kb])]) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], at ? `${at}.${k}` : k);
      if (d !== null) return d;
    }
  }
  return at || '(value)';
}

/** The value at a path of keys that firstDifference gave. */
function at(value: unknown, keys: string): unknown {
  if (keys === '(value)') return value;
  return keys.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value);
}

const show = (v: unknown): string => (JSON.stringify(v) ?? 'undefined').slice(0, 160);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

async function time(s: Side, run: (s: Side) => Promise<unknown>): Promise<{ ms: number; value: unknown }> {
  const t0 = performance.now();
  const value = await run(s);
  return { ms: performance.now() - t0, value };
}

async function main(): Promise<void> {
  const t0 = performance.now();
  build();
  const current = await side('current', path.resolve(import.meta.dirname, '..'));
  const project = current.engine.project;
  if (!project) throw new Error('no project open');
  await review(current.api, project);
  console.log(`built ${N.toLocaleString('en-US')} questions, traces and verdicts, a frozen selection of ${SELECTED}, reviews: ${((performance.now() - t0) / 1000).toFixed(1)} s (${dir})`);
  const base = await side('base', BASE);
  console.log(`base: ${BASE}; ${RUNS} runs per side after a warm-up, base and current alternating\n`);

  const rows: string[][] = [];
  const slow: string[] = [];
  const notes: string[] = [];
  for (const op of ops) {
    const a = await time(base, op.run);
    const b = await time(current, op.run);
    const differs = firstDifference(a.value, b.value);
    if (differs !== null) notes.push(`${op.name}: results differ first at ${differs}: base ${show(at(a.value, differs))}, current ${show(at(b.value, differs))}`);
    const ms: Record<Side['name'], number[]> = { base: [], current: [] };
    for (let i = 0; i < RUNS; i++) {
      for (const s of i % 2 ? [current, base] : [base, current]) ms[s.name].push((await time(s, op.run)).ms);
    }
    const mb = median(ms.base);
    const mc = median(ms.current);
    rows.push([op.name, mb.toFixed(1), mc.toFixed(1), (mc / mb).toFixed(2), differs === null ? 'same' : 'differs']);
    console.error(`  ${rows.at(-1)!.join('  ')}`);
    if (op.interactive && mc > 1.5 * mb && mc > 50) slow.push(op.name);
  }
  const head = ['operation', 'base ms', 'current ms', 'current/base', 'result'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  for (const n of notes) console.log(n);
  console.log(`\npeak RSS of the process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (both trees loaded, one project)`);
  console.log(slow.length ? `interactive reads over 1.5× the base and 50 ms: ${slow.join('; ')}` : 'no interactive read is over 1.5× the base and 50 ms');

  await base.engine.close();
  await current.engine.close();
  if (!process.env.BENCH_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
}

await main();
