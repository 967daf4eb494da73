import { EventEmitter, setMaxListeners } from 'node:events';
import { UserError } from '../util/errors';
import type { EngineMessage } from '../util/messages';
import type { Project } from '../store/project';
import { failureHint, failureReasons, outcomeOf, type FailureReason } from './outcome';
import * as store from './store';
import type { ItemContext, JobItem, JobKind, JobProgress, JobRow, JobStatus } from './types';

interface Active {
  abort: AbortController;
  stop: 'paused' | 'cancelled' | 'queued' | null;
  extra: Record<string, number | string | null>;
  started: number;
  doneAtStart: number;
  lastEmit: number;
  finished: Promise<void>;
}

export interface RunnerOptions {
  /** A running job whose owner has not beaten its heart for this long may be taken over. */
  staleMs?: number;
  heartbeatMs?: number;
  /** Smallest gap between two progress events of one job (status changes always go out). */
  emitEveryMs?: number;
}

/**
 * Runs durable jobs of one project (DESIGN §4). The job and each of its items live in SQLite; an item is
 * committed together with its output, so a crash, a kill or a quit resumes exactly where it stopped.
 */
export class JobRunner {
  private readonly kinds = new Map<string, JobKind<unknown>>();
  private readonly active = new Map<number, Active>();
  private readonly events = new EventEmitter();
  private readonly opts: Required<RunnerOptions>;
  private closed = false;

  constructor(
    readonly project: Project,
    opts: RunnerOptions = {},
  ) {
    this.opts = { staleMs: opts.staleMs ?? 30_000, heartbeatMs: opts.heartbeatMs ?? 2_000, emitEveryMs: opts.emitEveryMs ?? 100 };
    this.events.setMaxListeners(0);
  }

  register<P>(kind: JobKind<P>): this {
    this.kinds.set(kind.kind, kind as JobKind<unknown>);
    return this;
  }

  hasKind(kind: string): boolean {
    return this.kinds.has(kind);
  }

  /** Creates a job and starts it. Parameters are validated by the kind's schema first. */
  start(kindName: string, rawParams: unknown): number {
    const { kind, params } = this.parse(kindName, rawParams);
    return this.create(kind, params);
  }

  /**
   * "The same command resumes": resumes the newest unfinished job (queued, running, paused or failed) of this
   * kind whose params are exactly these (after the kind's schema), else creates and starts a new one. A job
   * that another live process runs is refused with 'job_running' (see `resume`); a dead owner's is taken over.
   */
  startOrResume(kindName: string, rawParams: unknown): { jobId: number; resumed: boolean } {
    const { kind, params } = this.parse(kindName, rawParams);
    const id = store.unfinishedJobWithParams(this.project.db, kindName, JSON.stringify(params));
    if (id === undefined) return { jobId: this.create(kind, params), resumed: false };
    this.resume(id);
    return { jobId: id, resumed: true };
  }

  private parse(kindName: string, rawParams: unknown): { kind: JobKind<unknown>; params: unknown } {
    const kind = this.kinds.get(kindName);
    if (!kind) throw new UserError(`There is no job kind named "${kindName}".`, 'unknown_job_kind');
    const parsed = kind.params.safeParse(rawParams);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new UserError(`The ${kindName} job's setting "${first?.path.join('.') || '(root)'}" is invalid: ${first?.message ?? 'unknown problem'}.`, 'bad_params');
    }
    return { kind, params: parsed.data };
  }

  private create(kind: JobKind<unknown>, params: unknown): number {
    const id = store.insertJob(this.project.db, kind.kind, params, kind.label?.(params) ?? kind.labelMessage?.(params).text ?? null);
    this.launch(id);
    return id;
  }

  /** Picks up every queued or interrupted job of a known kind (called when a project is opened). */
  resumeUnfinished(): number[] {
    const ids: number[] = [];
    for (const job of store.unfinishedJobs(this.project.db)) {
      if (!this.kinds.has(job.kind) || this.active.has(job.id)) continue;
      if (this.launch(job.id)) ids.push(job.id);
    }
    return ids;
  }

  resume(id: number): void {
    const job = this.require(id);
    if (job.status === 'done') throw new UserError(`Job ${id} has already finished; there is nothing to resume.`, 'job_finished');
    if (this.active.has(id)) return;
    // resetting the status to queued would let this process take over a job another one is running
    if (store.runningElsewhere(job, this.opts.staleMs)) {
      throw new UserError(`Job ${id} (${job.label ?? job.kind}) is already running in process ${job.owner_pid} on ${job.owner_host}; wait for it, or stop that process first.`, 'job_running');
    }
    store.setStatus(this.project.db, id, 'queued');
    this.launch(id);
  }

  pause(id: number): void {
    this.stop(id, 'paused');
  }

  cancel(id: number): void {
    this.stop(id, 'cancelled');
  }

  /** Resolves when the job is no longer running in this process. */
  async wait(id: number): Promise<JobRow> {
    await this.active.get(id)?.finished;
    return this.require(id);
  }

  get(id: number): JobRow | undefined {
    return store.getJob(this.project.db, id);
  }

  list(limit?: number): JobRow[] {
    return store.listJobs(this.project.db, limit);
  }

  progress(id: number): JobProgress {
    const job = this.require(id);
    const a = this.active.get(id);
    let rate: number | null = null;
    if (a) {
      const secs = (Date.now() - a.started) / 1000;
      const doneHere = job.done + job.failed - a.doneAtStart;
      rate = secs > 0.5 && doneHere > 0 ? doneHere / secs : null;
    }
    const remaining = job.total === null ? null : Math.max(0, job.total - job.done - job.failed);
    const failures = this.failuresOf(job.id, job.failed);
    return {
      jobId: job.id,
      kind: job.kind,
      label: job.label,
      labelMessage: this.labelMessageOf(job),
      status: job.status,
      total: job.total,
      done: job.done,
      failed: job.failed,
      remaining,
      ratePerSec: rate,
      etaSec: rate && remaining !== null ? remaining / rate : null,
      error: job.error,
      extra: a?.extra ?? {},
      outcome: outcomeOf(job.status, job.done, job.failed),
      failures,
      failureHint: failures[0] ? failureHint(failures[0].reason) : null,
    };
  }

  /** A job's label as a message, from its stored params (computed once per job: progress is emitted often). */
  private readonly labelCache = new Map<number, EngineMessage | null>();
  private labelMessageOf(job: JobRow): EngineMessage | null {
    if (this.labelCache.has(job.id)) return this.labelCache.get(job.id) ?? null;
    const kind = this.kinds.get(job.kind);
    let m: EngineMessage | null = null;
    try {
      if (kind?.labelMessage) m = kind.labelMessage(kind.params.parse(JSON.parse(job.params)));
    } catch {
      // Params of an older version that no longer parse: the stored label says it in English.
    }
    this.labelCache.set(job.id, m);
    return m;
  }

  /** Grouped failure reasons, recomputed only when the job's failed count moves (progress is emitted often). */
  private readonly failureCache = new Map<number, { failed: number; reasons: FailureReason[] }>();
  private failuresOf(id: number, failed: number): FailureReason[] {
    if (failed === 0) return [];
    const hit = this.failureCache.get(id);
    if (hit && hit.failed === failed) return hit.reasons;
    const reasons = failureReasons(this.project.db, id);
    this.failureCache.set(id, { failed, reasons });
    return reasons;
  }

  onProgress(listener: (p: JobProgress) => void): () => void {
    this.events.on('progress', listener);
    return () => this.events.off('progress', listener);
  }

  /** Stops every running job so that it resumes when the project is opened again. */
  async close(): Promise<void> {
    this.closed = true;
    const waits = [...this.active.keys()].map((id) => {
      this.stop(id, 'queued');
      return this.active.get(id)?.finished;
    });
    await Promise.all(waits);
  }

  private require(id: number): JobRow {
    const job = store.getJob(this.project.db, id);
    if (!job) throw new UserError(`There is no job ${id} in this project.`, 'job_not_found');
    return job;
  }

  private stop(id: number, to: 'paused' | 'cancelled' | 'queued'): void {
    const job = this.require(id);
    const a = this.active.get(id);
    if (a) {
      a.stop = to;
      a.abort.abort(new Error(`job ${to}`));
      return;
    }
    if (job.status === 'done' || job.status === 'cancelled') return;
    store.setStatus(this.project.db, id, to);
    this.emit(id, true);
  }

  private launch(id: number): boolean {
    if (this.closed) return false;
    if (!store.claimJob(this.project.db, id, this.opts.staleMs)) return false;
    const active: Active = {
      abort: new AbortController(),
      stop: null,
      extra: {},
      started: Date.now(),
      doneAtStart: 0,
      lastEmit: 0,
      finished: Promise.resolve(),
    };
    // Every in-flight item listens to the job's signal (fetch does too); hundreds at once are expected.
    setMaxListeners(0, active.abort.signal);
    this.active.set(id, active);
    active.finished = this.execute(id, active).finally(() => {
      this.active.delete(id);
      this.emit(id, true);
    });
    return true;
  }

  private async execute(id: number, a: Active): Promise<void> {
    const db = this.project.db;
    const beat = setInterval(() => store.heartbeat(db, id), this.opts.heartbeatMs);
    beat.unref();
    try {
      const job = this.require(id);
      const kind = this.kinds.get(job.kind);
      if (!kind) throw new UserError(`This version of Distillery cannot run jobs of kind "${job.kind}".`, 'unknown_job_kind');
      const params = kind.params.parse(JSON.parse(job.params));
      if (!store.hasItems(db, id)) store.insertItems(db, id, kind.plan(this.project, params));
      const startCounts = store.counts(db, id);
      a.doneAtStart = startCounts.done + startCounts.failed;
      this.emit(id, true);
      await this.drain(id, a, kind, params);
      const final: JobStatus = a.stop ?? 'done';
      store.setStatus(db, id, final);
    } catch (e) {
      if (a.stop) store.setStatus(db, id, a.stop);
      else store.setStatus(db, id, 'failed', e instanceof Error ? e.message : String(e));
    } finally {
      clearInterval(beat);
    }
  }

  private async drain(id: number, a: Active, kind: JobKind<unknown>, params: unknown): Promise<void> {
    const db = this.project.db;
    const inFlight = new Set<Promise<void>>();
    let cursor = -1;
    let buffer: store.PendingRow[] = [];
    let exhausted = false;
    // One wake-up per completion: `Promise.race` over hundreds of in-flight items would attach a
    // handler to every one of them on every turn.
    let wake: (() => void) | null = null;
    const limit = () => {
      const c = typeof kind.concurrency === 'function' ? kind.concurrency(params) : (kind.concurrency ?? 1);
      return Math.max(1, Math.floor(c));
    };
    for (;;) {
      // Top up to the concurrency limit first, loading the next page of pending items whenever the
      // buffer runs dry, so that a job with hundreds of streams never waits on a finished page.
      while (!a.stop && inFlight.size < limit()) {
        if (buffer.length === 0) {
          if (exhausted) break;
          buffer = store.pendingItems(db, id, cursor, 1024);
          if (buffer.length === 0) {
            exhausted = true;
            break;
          }
        }
        const row = buffer.shift() as store.PendingRow;
        cursor = row.seq;
        const p = this.runItem(id, a, kind, params, row).finally(() => {
          inFlight.delete(p);
          const w = wake;
          wake = null;
          w?.();
        });
        inFlight.add(p);
      }
      if (inFlight.size === 0) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }
    await Promise.all(inFlight);
  }

  private async runItem(id: number, a: Active, kind: JobKind<unknown>, params: unknown, row: store.PendingRow): Promise<void> {
    const db = this.project.db;
    const item: JobItem = { key: row.key, payload: row.payload === null ? null : (JSON.parse(row.payload) as unknown), attempts: row.attempts };
    let settled = false;
    const ctx: ItemContext<unknown> = {
      project: this.project,
      params,
      jobId: id,
      signal: a.abort.signal,
      complete: (write, result) => {
        if (settled) return;
        settled = true;
        store.finishItem(db, id, row.key, 'done', result, null, write);
        this.emit(id);
      },
      fail: (error, write) => {
        if (settled) return;
        settled = true;
        store.finishItem(db, id, row.key, 'failed', undefined, error, write);
        this.emit(id);
      },
      report: (extra) => {
        Object.assign(a.extra, extra);
        this.emit(id);
      },
    };
    try {
      await kind.run(item, ctx);
    } catch (e) {
      // An item interrupted by pause, cancel or close stays pending and runs again on resume.
      if (a.abort.signal.aborted || settled) return;
      ctx.fail(e instanceof Error ? e.message : String(e));
    }
  }

  private emit(id: number, force = false): void {
    const a = this.active.get(id);
    const t = Date.now();
    if (!force && a && t - a.lastEmit < this.opts.emitEveryMs) return;
    if (a) a.lastEmit = t;
    try {
      this.events.emit('progress', this.progress(id));
    } catch {
      // The project may have been closed under us; progress is advisory.
    }
  }
}
