import fs from 'node:fs';
import path from 'node:path';
import type { JobProgress } from '../../core/jobs';
import { openProject, type Project } from '../../core/store/project';
import { findTeacher } from '../../core/teacher/store';
import { resolveBenchmark } from '../../core/eval/benchmarks';
import { comparisonSentence } from '../../core/eval/compare';
import { hasOnnx } from '../../core/eval/models';
import { exportReport } from '../../core/eval/report';
import { runCompare, runDetail, startOrResumeRun } from '../../core/eval/runs';
import type { Cell, Comparison, Interval, ModelSpec, RunInput } from '../../core/eval/types';
import { intFlag, parse } from '../args';
import { openCliEngine } from '../engine';
import { UsageError, type CliIO } from '../io';

const cmd = 'eval';

function modelSpec(project: Project, arg: string, opts: { template?: string; server?: 'transformers' | 'vllm' }, taken: Set<string>): ModelSpec {
  const unique = (base: string) => {
    let l = base.slice(0, 80);
    for (let i = 2; taken.has(l); i++) l = `${base.slice(0, 76)}-${i}`;
    taken.add(l);
    return l;
  };
  const t = findTeacher(project.db, arg);
  if (t) return { label: unique(t.name), kind: 'endpoint', teacher: t.name, templateDir: opts.template ? path.resolve(opts.template) : null };
  const dir = path.resolve(arg);
  if (fs.existsSync(dir) && fs.statSync(dir).isDirectory()) {
    const label = unique(path.basename(dir));
    if (hasOnnx(dir) && !opts.server) return { label, kind: 'onnx', dir };
    return { label, kind: 'local', dir, server: opts.server ?? 'transformers' };
  }
  throw new UsageError(`eval: --model "${arg}" is neither a registered teacher nor a model folder (add a teacher with "distillery teacher add" or pass the folder that holds config.json).`);
}

function list(v: unknown): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).map((s) => s.trim()).filter(Boolean);
}

const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
const ci = (c: Interval | null) => (c ? ` (95% CI ${(c[0] * 100).toFixed(1)}–${(c[1] * 100).toFixed(1)})` : '');

/** One cell: the means with their 95 % intervals, then (indented) each repeat's pass@1 and pass@k. */
function cellLines(c: Cell): string[] {
  const budget = `max ${c.maxThinking}${c.waits ? `, ${c.waits} Wait` : ''}${c.minThinking ? `, min ${c.minThinking}` : ''}`;
  const lines = [
    `  ${c.model}  [${budget}]  accuracy ${pct(c.accuracy)}${ci(c.accuracyCi)}  majority ${pct(c.majority)}${ci(c.majorityCi)}  avg thinking ${c.avgThinkingTokens === null ? '-' : Math.round(c.avgThinkingTokens)} tokens  (n=${c.n}, samples=${c.samples}${c.failed ? `, failed=${c.failed}` : ''})`,
  ];
  const more = [
    ...(c.repeats > 1 ? [`pass@1 per repeat ${c.accuracyByRepeat.map(pct).join(', ')}`] : []),
    ...c.passAtK.map((p) => `pass@${p.k} ${pct(p.value)}${ci(p.ci)}`),
  ];
  if (more.length) lines.push(`    ${more.join('  ')}`);
  return lines;
}

/** "A,B" → [A, B]; a usage error unless it names two different models of `labels`. */
function comparePair(v: string, labels: readonly string[], cmdName: string): [string, string] {
  const parts = v.split(',').map((x) => x.trim());
  if (parts.length !== 2 || !parts[0] || !parts[1] || parts[0] === parts[1]) throw new UsageError(`${cmdName}: --compare takes two different model labels, LABEL_A,LABEL_B, not "${v}".`);
  for (const l of parts) if (!labels.includes(l)) throw new UsageError(`${cmdName}: --compare names "${l}", which is not a model of this evaluation (its labels: ${labels.join(', ')}).`);
  return parts as [string, string];
}

function bar(p: JobProgress): string {
  const total = p.total ?? 0;
  const finished = p.done + p.failed;
  const width = 24;
  const filled = total ? Math.round((finished / total) * width) : 0;
  const eta = p.etaSec === null ? '-' : `${Math.round(p.etaSec)} s`;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${finished}/${total}  failed ${p.failed}  ${p.extra.tokens_per_s ?? 0} tok/s  ${p.extra.current_model ?? ''}  ETA ${eta}`;
}

/**
 * `eval PROJECT --model NAME|DIR --bench FILE|NAME [...]`: a budget-forced evaluation as a durable job. The
 * same command again resumes an unfinished run with the same settings; Ctrl-C pauses it.
 */
export async function runEval(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    cmd,
    args,
    {
      model: { type: 'string', multiple: true },
      bench: { type: 'string', multiple: true },
      'max-thinking': { type: 'string', multiple: true },
      'min-thinking': { type: 'string' },
      wait: { type: 'string' },
      samples: { type: 'string' },
      repeats: { type: 'string' },
      compare: { type: 'string', multiple: true },
      limit: { type: 'string' },
      temperature: { type: 'string' },
      seed: { type: 'string' },
      'max-answer-tokens': { type: 'string' },
      template: { type: 'string' },
      server: { type: 'string' },
      judge: { type: 'string' },
      concurrency: { type: 'string' },
      name: { type: 'string' },
      json: { type: 'boolean' },
    },
    ['PROJECT'],
  );
  const models = list(values.model);
  const benches = list(values.bench);
  if (!models.length) throw new UsageError('eval: --model NAME|DIR is required (a registered teacher or a model folder).');
  if (!benches.length) throw new UsageError('eval: --bench FILE|NAME is required (e.g. --bench math500 or --bench ./my-eval.jsonl).');
  const maxes = list(values['max-thinking']).map((v) => intFlag(cmd, 'max-thinking', v, 0, 131_072) as number);
  const minThinking = intFlag(cmd, 'min-thinking', values['min-thinking'], 0, 131_072);
  const waits = intFlag(cmd, 'wait', values.wait, 0, 16);
  const samples = intFlag(cmd, 'samples', values.samples, 1, 64);
  const repeats = intFlag(cmd, 'repeats', values.repeats, 1, 32);
  const limit = intFlag(cmd, 'limit', values.limit, 1, 100_000);
  const seed = intFlag(cmd, 'seed', values.seed, 0, 2 ** 31 - 1);
  const maxAnswerTokens = intFlag(cmd, 'max-answer-tokens', values['max-answer-tokens'], 1, 32_768);
  const concurrency = intFlag(cmd, 'concurrency', values.concurrency, 1, 64);
  let temperature: number | undefined;
  if (values.temperature !== undefined) {
    temperature = Number(values.temperature);
    if (!Number.isFinite(temperature) || temperature < 0 || temperature > 2) throw new UsageError(`eval: --temperature must be a number from 0 to 2, not "${values.temperature}".`);
  }
  const server = values.server;
  if (server !== undefined && server !== 'transformers' && server !== 'vllm') throw new UsageError(`eval: --server must be transformers or vllm, not "${server}".`);
  for (const m of maxes) if (minThinking !== undefined && minThinking > m) throw new UsageError(`eval: --min-thinking ${minThinking} is above --max-thinking ${m}.`);
  const json = Boolean(values.json);

  // an engine with every job kind (core/kinds.ts), as the browser host has: the run is the Evaluate step's record
  const { engine, project, runner } = await openCliEngine(positionals[0] as string);
  let jobId = 0;
  let stopRequested = false;
  const onSignal = () => {
    if (stopRequested) process.exit(130);
    stopRequested = true;
    io.stderr('Pausing: generations in flight are dropped and made again on resume. Press Ctrl-C again to quit at once.');
    if (jobId) runner.pause(jobId);
  };
  const tty = !json && process.stderr.isTTY;
  try {
    const taken = new Set<string>();
    const specs = models.map((m) => modelSpec(project, m, { template: values.template, server: server }, taken));
    const pairs = (values.compare ?? []).map((v) => comparePair(v, specs.map((x) => x.label), cmd));
    const benchIds: string[] = [];
    for (const b of benches) benchIds.push(await resolveBenchmark(project, b));
    const input: RunInput = {
      name: values.name,
      models: specs,
      benchmarks: benchIds,
      budgets: (maxes.length ? maxes : [2048]).map((maxThinking) => ({ maxThinking, minThinking, waits })),
      samples,
      repeats,
      limit,
      temperature,
      seed,
      maxAnswerTokens,
      judge: (values.judge) ?? null,
      concurrency,
    };
    // the same settings with an unfinished job resume it (the eval domain's rule; the jobs domain refuses a live owner's)
    const started = await startOrResumeRun(project, runner, input);
    const runId = started.runId;
    jobId = started.jobId;
    if (!json) io.stderr(started.resumed ? `Resuming evaluation run ${runId} (job ${jobId}).` : `Started evaluation run ${runId} (job ${jobId}): ${started.total} generations.`);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    let last = 0;
    const off = runner.onProgress((p) => {
      if (p.jobId !== jobId || json) return;
      const now = Date.now();
      if (tty) {
        if (now - last < 200 && p.status === 'running') return;
        last = now;
        process.stderr.write(`\r${bar(p)}\x1b[K`);
      } else if (now - last >= 5_000) {
        last = now;
        io.stderr(bar(p));
      }
    });
    const job = await runner.wait(jobId);
    off();
    if (tty) process.stderr.write('\n');
    const html = exportReport(project, runner, runId, 'html', false);
    const jsonReport = exportReport(project, runner, runId, 'json', false);
    const d = runDetail(project, runner, runId);
    const comparisons: Comparison[] = pairs.flatMap(([a, b]) => runCompare(project, runId, a, b));
    if (json) {
      io.stdout(
        JSON.stringify({
          run: runId,
          job: jobId,
          status: job.status,
          done: d.run.done,
          failed: d.run.failed,
          total: d.run.total,
          cells: d.cells,
          comparisons,
          latency: d.latency,
          report: { html: html.path, json: jsonReport.path },
        }),
      );
    } else {
      for (const b of d.config.benchmarks) {
        io.stdout(`${b}`);
        for (const c of d.cells.filter((x) => x.benchmark === b)) for (const line of cellLines(c)) io.stdout(line);
      }
      for (const c of comparisons) io.stdout(`compare ${comparisonSentence(c)}`);
      for (const l of d.latency) {
        const ms = (x: number | null) => (x === null ? '-' : Math.round(x));
        const target = l.ttftTargetMet === null ? '' : `; first token under ${l.ttftTargetMs} ms at p95 (the target use): ${l.ttftTargetMet ? 'met' : 'not met'}`;
        io.stdout(`latency ${l.model}: TTFT p50 ${ms(l.ttftP50Ms)} ms, p95 ${ms(l.ttftP95Ms)} ms, ${l.tokensPerSecond === null ? '-' : l.tokensPerSecond.toFixed(1)} tokens/s${target}`);
      }
      io.stdout(`Job ${jobId} ${job.status}: ${d.run.done - d.run.failed} scored, ${d.run.failed} failed of ${d.run.total}.${job.error ? ` ${job.error}` : ''}`);
      io.stdout(`Report: ${html.path}`);
    }
    if (job.status === 'failed') return 1;
    return job.status === 'done' ? (job.failed > 0 ? 1 : 0) : 130;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await engine.close();
  }
}

/** `eval-compare PROJECT RUN --a LABEL --b LABEL [--json]`: two models of a finished (or running) evaluation, paired. */
export async function runEvalCompare(args: string[], io: CliIO): Promise<number> {
  const name = 'eval-compare';
  const { values, positionals } = parse(name, args, { a: { type: 'string' }, b: { type: 'string' }, json: { type: 'boolean' } }, ['PROJECT', 'RUN']);
  if (!values.a || !values.b) throw new UsageError(`${name}: --a LABEL and --b LABEL are required (two model labels of the run).`);
  const project = openProject(positionals[0] as string);
  try {
    const cs = runCompare(project, positionals[1] as string, values.a, values.b);
    if (values.json) io.stdout(JSON.stringify({ run: positionals[1], comparisons: cs }));
    else if (!cs.length) io.stdout(`No question has scored samples of both "${values.a}" and "${values.b}" yet.`);
    else for (const c of cs) io.stdout(comparisonSentence(c));
    return 0;
  } finally {
    project.close();
  }
}
