/**
 * The durable `train` job: one item (the run). It launches the Python worker in its own process group,
 * stores every JSON-lines event in train_events (and the run folder's events.jsonl), reports progress,
 * and on pause / cancel / app quit stops the worker gracefully (SIGTERM to the group → the worker saves a
 * checkpoint and exits → anything left in the group is killed). Running the item again — resume, or the
 * app's restart picking the job up — relaunches the worker with `--resume` from the last checkpoint.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ItemContext, JobKind } from '../jobs/types';
import { appRoot } from '../util/root';
import { startWorker, type TrainEvent } from './launch';
import type { RunConfig } from './recipes';
import { getRun, insertEvent, nextSeq, updateRun, type RunStatus } from './store';
import { appendPrivateFile, mkdirPrivate, tightenTree } from '../util/private-fs';
import { message } from '../util/messages';

export const trainParams = z.object({ runId: z.string().regex(/^[\w.-]+$/, 'a run id') });
export type TrainParams = z.infer<typeof trainParams>;

export interface TrainKindOptions {
  /** How long the worker may take to save its checkpoint after SIGTERM before the group is killed. */
  graceMs?: number;
}

/** The numbered `checkpoint-N` folders of a run's output, oldest first. */
export function listCheckpoints(outputDir: string): { step: number; path: string }[] {
  let names: string[];
  try {
    names = fs.readdirSync(outputDir);
  } catch {
    return [];
  }
  return names
    .map((n) => ({ n, m: /^checkpoint-(\d+)$/.exec(n) }))
    .filter((x): x is { n: string; m: RegExpExecArray } => x.m !== null && fs.statSync(path.join(outputDir, x.n)).isDirectory())
    .map((x) => ({ step: Number(x.m[1]), path: path.join(outputDir, x.n) }))
    .sort((a, b) => a.step - b.step);
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when `pid` still runs our worker (guards against a reused pid after a reboot). */
function isOurWorker(pid: number): boolean {
  if (process.platform !== 'linux') return true;
  try {
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmd.includes('distillery_worker') || cmd.includes('accelerate');
  } catch {
    return false;
  }
}

/**
 * A worker left behind by an engine that died without stopping it (a crash, kill -9): stop it the same
 * graceful way (it saves a checkpoint), then end its group, before the run is relaunched.
 */
async function endLeftover(pid: number | null, graceMs: number): Promise<void> {
  if (!pid || !groupAlive(pid) || !isOurWorker(pid)) return;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return;
  }
  const until = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
  if (groupAlive(pid)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

function stopStatus(signal: AbortSignal): RunStatus {
  const reason = signal.reason instanceof Error ? signal.reason.message : String(signal.reason);
  if (reason.includes('cancel')) return 'cancelled';
  if (reason.includes('pause')) return 'paused';
  return 'interrupted';
}

function logTail(file: string, lines = 8): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

async function runTrainItem(ctx: ItemContext<TrainParams>, opts: TrainKindOptions): Promise<void> {
  const db = ctx.project.db;
  const id = ctx.params.runId;
  const run = getRun(db, id);
  if (!run) {
    ctx.fail(`The training run ${id} is not in this project any more.`);
    return;
  }
  const graceMs = opts.graceMs ?? 120_000;
  const dir = path.join(ctx.project.dir, run.dir);
  await endLeftover(run.pid, graceMs);
  if (ctx.signal.aborted) {
    updateRun(db, id, { status: stopStatus(ctx.signal), pid: null });
    throw new Error('stopped before launch');
  }
  const config = JSON.parse(run.config) as RunConfig;
  const plan = JSON.parse(run.plan) as { command?: string[] };
  const command = plan.command;
  if (!command?.length) {
    ctx.fail(`The training run ${id} has no worker command in its plan; start a new run.`);
    return;
  }
  const checkpoints = listCheckpoints(config.output_dir);
  const argv = checkpoints.length > 0 ? [...command, '--resume'] : command;
  const logFile = path.join(dir, 'worker.log');
  const eventsFile = path.join(dir, 'events.jsonl');
  mkdirPrivate(dir);

  let seq = nextSeq(db, id);
  let maxSteps = run.max_steps;
  let done: TrainEvent | undefined;
  let failed: TrainEvent | undefined;
  let stopped: TrainEvent | undefined;
  const onEvent = (e: TrainEvent) => {
    try {
      insertEvent(db, id, seq++, e);
      fs.appendFileSync(eventsFile, `${JSON.stringify(e)}\n`);
    } catch {
      // the project may be closing; the run folder's worker.log still has the worker's output
    }
    if (e.event === 'train_begin' && typeof e.max_steps === 'number') {
      maxSteps = e.max_steps;
      updateRun(db, id, { max_steps: maxSteps });
    } else if (e.event === 'step') {
      if (typeof e.max_steps === 'number') maxSteps = e.max_steps;
      const step = typeof e.step === 'number' ? e.step : null;
      const loss = typeof e.loss === 'number' ? e.loss : null;
      updateRun(db, id, { step, loss, max_steps: maxSteps });
      ctx.report({
        run: id,
        step,
        total_steps: maxSteps,
        loss,
        tokens_per_sec: typeof e.tokens_per_sec === 'number' ? Math.round(e.tokens_per_sec) : null,
      });
    } else if (e.event === 'error') failed = e;
    else if (e.event === 'done') done = e;
    else if (e.event === 'stopped') stopped = e;
    // any other event (log line, eval, checkpoint) changes the run's detail too: the Run view refreshes on progress
    if (e.event !== 'step') ctx.report({});
  };

  appendPrivateFile(logFile, `\n=== ${new Date().toISOString()} ${argv.join(' ')}\n`);
  const worker = startWorker(argv, { cwd: appRoot(), logFile, onEvent });
  updateRun(db, id, { status: 'running', pid: worker.pid, error: null, ended_at: null });
  ctx.report({ run: id, step: run.step, total_steps: maxSteps, loss: run.loss, tokens_per_sec: null, pid: worker.pid });
  const onAbort = () => void worker.cancel(graceMs);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  // the worker's stderr goes straight to worker.log, with no event of its own: a write there is progress too
  const logWatch = watchFile(logFile, () => ctx.report({}));
  let code: number;
  try {
    code = await worker.done;
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    logWatch?.close();
    // the worker writes checkpoints with its own umask: make them the user's only (the folder already is)
    tightenTree(dir);
  }
  const ended = new Date().toISOString();
  if (done) {
    ctx.complete(() => updateRun(db, id, { status: 'done', pid: null, ended_at: ended }));
    return;
  }
  if (ctx.signal.aborted) {
    // the item stays pending: resume (or the next start of the app) relaunches from the checkpoint
    updateRun(db, id, { status: stopStatus(ctx.signal), pid: null });
    throw new Error(`training ${stopStatus(ctx.signal)}`);
  }
  let message: string;
  if (failed) message = `${String(failed.message)} (${String(failed.cause)})`;
  else if (stopped) message = `The worker was stopped from outside Distillery at step ${String(stopped.step)}; resume to continue from its checkpoint.`;
  else {
    const tail = logTail(logFile);
    message = `The training worker exited with code ${code} without finishing.${tail ? ` Its log ends with: ${tail}` : ''}`;
  }
  ctx.fail(message, () => updateRun(db, id, { status: 'failed', pid: null, error: message, ended_at: ended }));
}

/** Calls `onChange` when the file changes (null where it cannot be watched: the run then refreshes on the worker's events only). */
function watchFile(file: string, onChange: () => void): fs.FSWatcher | null {
  try {
    return fs.watch(file, { persistent: false }, onChange).on('error', () => undefined);
  } catch {
    return null;
  }
}

export function makeTrainKind(opts: TrainKindOptions = {}): JobKind<TrainParams> {
  return {
    kind: 'train',
    params: trainParams,
    concurrency: 1,
    labelMessage: (p) => message('job_label_training', { run: p.runId }, `Training ${p.runId}`),
    plan: () => [{ key: 'run' }],
    run: (_item, ctx) => runTrainItem(ctx, opts),
  };
}

export const trainKind = makeTrainKind();
