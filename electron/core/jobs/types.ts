import type { z } from 'zod';
import type { Project } from '../store/project';
import type { EngineMessage } from '../util/messages';

export type JobStatus = 'queued' | 'running' | 'paused' | 'cancelled' | 'failed' | 'done';

export interface JobRow {
  id: number;
  kind: string;
  label: string | null;
  params: string;
  status: JobStatus;
  total: number | null;
  done: number;
  failed: number;
  error: string | null;
  owner_pid: number | null;
  owner_host: string | null;
  heartbeat_at: string | null;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  updated_at: string;
}

export interface JobItem {
  key: string;
  payload: unknown;
  attempts: number;
}

export interface PlannedItem {
  key: string;
  payload?: unknown;
}

/** What a job kind may do while running one item. */
export interface ItemContext<P> {
  project: Project;
  params: P;
  jobId: number;
  signal: AbortSignal;
  /**
   * Commits the item: `write` runs inside the same SQLite transaction that marks the item done, so a
   * crash either keeps both or neither. This is what makes resume exact: no result lost, none twice.
   */
  complete(write?: () => void, result?: unknown): void;
  /** Marks the item failed for good (after the kind's own retries), with a sentence saying why. */
  fail(error: string, write?: () => void): void;
  /** Free-form progress detail for the UI (tokens/s, requests in flight, cost ...). */
  report(extra: Record<string, number | string | null>): void;
}

export interface JobKind<P = unknown> {
  kind: string;
  params: z.ZodType<P>;
  /** How many items may run at once; a function lets a kind adapt (e.g. `auto` concurrency). */
  concurrency?: number | ((params: P) => number);
  /**
   * Lists the work once, when the job starts for the first time. Keys must be unique. Read rows with
   * `.all()`, not `.iterate()`: the runner writes the items while the generator runs.
   */
  plan(project: Project, params: P): Iterable<PlannedItem>;
  run(item: JobItem, ctx: ItemContext<P>): Promise<void>;
  label?(params: P): string;
  /** The label as a message the UI translates (jobs show their name in the UI's language); its text is the stored label. */
  labelMessage?(params: P): EngineMessage;
}

/** Where a domain registers its job kinds (the engine): a domain's kinds.ts needs nothing else of it. */
export interface JobKindRegistry {
  registerJobKind<P>(kind: JobKind<P>): void;
}

export interface JobProgress {
  jobId: number;
  kind: string;
  label: string | null;
  /** The label with a code and params, for the UI's language (null: a kind without one, or an unknown kind). */
  labelMessage: EngineMessage | null;
  status: JobStatus;
  total: number | null;
  done: number;
  failed: number;
  remaining: number | null;
  ratePerSec: number | null;
  etaSec: number | null;
  error: string | null;
  extra: Record<string, number | string | null>;
  /** Set once the job is done: all items ok, some failed, or every one failed. */
  outcome: 'ok' | 'partial' | 'all_failed' | null;
  /** The most frequent reasons of failed items, with the likely cause of the first (null when none failed). */
  failures: { reason: string; count: number }[];
  failureHint: 'unreachable' | 'auth' | 'not_found' | 'timeout' | 'overloaded' | 'bad_request' | 'server_error' | null;
}
