import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../../electron/core/api/router';

type Out = inferRouterOutputs<AppRouter>['review'];
type In = inferRouterInputs<AppRouter>['review'];

export type QueuePage = Out['queue'];
export type QueueRow = QueuePage['rows'][number];
export type QueueCounts = Out['counts'];
export type QueueInput = Exclude<In['queue'], void | undefined>;
export type Sample = Out['sample'];
export type SaveResult = Out['save'];
export type Conflict = Extract<SaveResult, { ok: false }>['conflict'];
export type Revisions = Out['revisions'];
export type Proposal = Out['regenerate'];
export type BundleImport = Out['bundleImport'];
export type BundleConflict = BundleImport['conflicts'][number];
export type Reasons = Out['reasons'];
export type Status = QueueRow['status'];
export type Verdict = NonNullable<Sample['verdict']>;

export const STATUSES: readonly Status[] = ['todo', 'accepted', 'rejected', 'needs_work'];

export interface Texts {
  thinking: string;
  answer: string;
}

export const muted = 'text-xs text-slate-500 dark:text-slate-400';
export const pill = 'inline-flex items-center rounded px-1.5 py-0.5 text-[11px] font-medium whitespace-nowrap';

export const STATUS_CLASS: Record<Status, string> = {
  todo: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300',
  accepted: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200',
  rejected: 'bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-200',
  needs_work: 'bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-200',
};

/** One id per window: the engine folds this window's autosaves into one revision and tells windows apart. */
export const CLIENT_ID: string = (() => {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
})();

const REVIEWER_KEY = 'distillery.reviewer';

/** The reviewer's name, remembered in this browser; written as the author of every revision and decision. */
export function savedReviewer(): string {
  return localStorage.getItem(REVIEWER_KEY)?.trim() || 'reviewer';
}

export function saveReviewer(name: string): void {
  localStorage.setItem(REVIEWER_KEY, name.trim());
}
