import type { JobProgress } from '../../core/jobs';
import { startOrResume } from '../../core/teacher/generate';
import type { GenerateInput } from '../../core/teacher/params';
import { resolveKey } from '../../core/teacher/secrets';
import { getTeacher } from '../../core/teacher/store';
import { failureSentence, failureSummary, jobTraceQuality } from '../../core/teacher/traces';
import { captureDir, capturedSummary, readMeta } from '../../core/teacher/logprobs-store';
import { intFlag, parse } from '../args';
import { openCliEngine } from '../engine';
import { UsageError, type CliIO } from '../io';

function bar(p: JobProgress): string {
  const total = p.total ?? 0;
  const finished = p.done + p.failed;
  const frac = total ? finished / total : 0;
  const width = 24;
  const filled = Math.round(frac * width);
  const x = p.extra;
  const eta = p.etaSec === null ? '-' : p.etaSec > 3600 ? `${(p.etaSec / 3600).toFixed(1)} h` : `${Math.round(p.etaSec)} s`;
  const cost = x.cost === null || x.cost === undefined ? '' : `  $${x.cost}`;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${finished}/${total}  failed ${p.failed}  ${x.tokens_per_s ?? 0} tok/s  in flight ${x.in_flight ?? 0}  ETA ${eta}${cost}`;
}

/**
 * `generate PROJECT --teacher NAME [...]`: starts the generation job, or resumes the unfinished one with
 * the same settings, and waits for it. Ctrl-C pauses it; running the command again resumes it.
 */
export async function runGenerate(args: string[], io: CliIO): Promise<number> {
  const cmd = 'generate';
  const { values, positionals } = parse(
    cmd,
    args,
    {
      teacher: { type: 'string' },
      limit: { type: 'string' },
      concurrency: { type: 'string' },
      'max-tokens': { type: 'string' },
      temperature: { type: 'string' },
      'top-p': { type: 'string' },
      samples: { type: 'string' },
      'max-attempts': { type: 'string' },
      'redo-no-thinking': { type: 'boolean' },
      logprobs: { type: 'string' },
      json: { type: 'boolean' },
    },
    ['PROJECT'],
  );
  const teacherName = values.teacher;
  if (!teacherName) throw new UsageError('generate: --teacher NAME is required (add one with "distillery teacher add").');
  const input: GenerateInput = { teacher: teacherName };
  const limit = intFlag(cmd, 'limit', values.limit, 1, 10_000_000);
  if (limit !== undefined) input.questions = { mode: 'limit', n: limit };
  const conc = values.concurrency;
  if (conc !== undefined) input.concurrency = conc === 'auto' ? 'auto' : (intFlag(cmd, 'concurrency', conc, 1, 4096));
  const maxTokens = intFlag(cmd, 'max-tokens', values['max-tokens'], 1, 10_000_000);
  if (maxTokens !== undefined) input.maxTokens = maxTokens;
  const samples = intFlag(cmd, 'samples', values.samples, 1, 64);
  if (samples !== undefined) input.samples = samples;
  const attempts = intFlag(cmd, 'max-attempts', values['max-attempts'], 1, 50);
  if (attempts !== undefined) input.maxAttempts = attempts;
  for (const [flag, key, max] of [['temperature', 'temperature', 2], ['top-p', 'topP', 1]] as const) {
    const v = values[flag];
    if (v === undefined) continue;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0 || n > max) throw new UsageError(`generate: --${flag} must be a number from 0 to ${max}, not "${v}".`);
    input[key] = n;
  }
  if (values['redo-no-thinking']) input.redoNoThinking = true;
  const logprobs = intFlag(cmd, 'logprobs', values.logprobs, 1, 20);
  if (logprobs !== undefined) input.logprobs = logprobs;
  const json = Boolean(values.json);

  // an engine with every job kind (core/kinds.ts), as the browser host has: the job is the one the UI shows
  const { engine, project, runner } = await openCliEngine(positionals[0] as string);
  let stopRequested = false;
  const onSignal = () => {
    if (stopRequested) process.exit(130);
    stopRequested = true;
    io.stderr('Pausing: requests in flight are dropped and asked again on resume. Press Ctrl-C again to quit at once.');
    runner.pause(jobId);
  };
  let jobId = 0;
  const tty = !json && process.stderr.isTTY;
  let lastLine = 0;
  try {
    const t = getTeacher(project.db, teacherName);
    resolveKey(t.keyRef, t.name);
    const started = startOrResume(runner, input);
    jobId = started.jobId;
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    if (!json) io.stderr(`${started.resumed ? 'Resuming' : 'Started'} generation job ${jobId} with teacher "${t.name}" (${t.model}).`);
    const off = runner.onProgress((p) => {
      if (p.jobId !== jobId) return;
      const now = Date.now();
      if (json) {
        if (now - lastLine < 1_000 && p.status === 'running') return;
        lastLine = now;
        io.stdout(JSON.stringify({ event: 'progress', job: jobId, status: p.status, total: p.total, done: p.done, failed: p.failed, remaining: p.remaining, eta_s: p.etaSec === null ? null : Math.round(p.etaSec), ...p.extra }));
      } else if (tty) {
        if (now - lastLine < 200 && p.status === 'running') return;
        lastLine = now;
        process.stderr.write(`\r${bar(p)}\x1b[K`);
      } else if (now - lastLine >= 5_000) {
        lastLine = now;
        io.stderr(bar(p));
      }
    });
    const job = await runner.wait(jobId);
    off();
    if (tty) process.stderr.write('\n');
    const remaining = Math.max(0, (job.total ?? 0) - job.done - job.failed);
    // Why questions failed, grouped, and what came back without thinking or cut short: said now, not at export.
    const failures = failureSummary(project.db, jobId);
    const quality = jobTraceQuality(project.db, jobId);
    const captured = logprobs ? captureReport(project.artifactsDir, jobId) : null;
    if (json) io.stdout(JSON.stringify({ done: job.done, failed: job.failed, remaining, failures, no_thinking: quality.noThinking, truncated: quality.truncated, ...(captured ? { logprobs: captured } : {}) }));
    else {
      io.stdout(`Job ${jobId} ${job.status}: ${job.done} done, ${job.failed} failed, ${remaining} remaining.${job.error ? ` ${job.error}` : ''}`);
      if (failures.length) io.stdout(`${failureSentence(failures, failures.reduce((a, g) => a + g.count, 0), job.total ?? 0)}.`);
      if (quality.noThinking) {
        io.stdout(
          `${quality.noThinking} of ${quality.done} answers have no thinking: the teacher does not reason. Turn on a reasoning prompt ("distillery teacher set-prompt PROJECT --name ${teacherName} --reasoning prompt") or split mode ("--reasoning split"), then ask those questions again with "distillery generate PROJECT --teacher ${teacherName} --redo-no-thinking".`,
        );
      }
      if (captured) io.stdout(captured.note ?? `Captured top-${logprobs} logprobs of ${captured.tokens} tokens in ${captured.traces} traces (${captured.bytes} bytes) in ${captured.dir}.`);
      if (quality.truncated) io.stdout(`${quality.truncated} of ${quality.done} answers were cut at the token limit (finish_reason length); raise --max-tokens.`);
    }
    if (job.status === 'failed') return 1;
    return job.status === 'done' ? (job.failed > 0 ? 1 : 0) : 130;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await engine.close();
  }
}

/** What the job captured: its folder, traces, tokens and bytes, and the note when the server sent none. */
function captureReport(artifactsDir: string, jobId: number): { dir: string; traces: number; tokens: number; bytes: number; note: string | null } | null {
  const dir = captureDir(artifactsDir, jobId);
  const meta = readMeta(dir);
  if (!meta) return null;
  const s = capturedSummary(dir);
  return { dir, traces: s.traces, tokens: s.tokens, bytes: s.bytes, note: meta.note };
}
