import type { api } from '../../api/client';

export type TraceRow = Awaited<ReturnType<typeof api.teacher.traces.query>>['rows'][number];
export type Verdict = Awaited<ReturnType<typeof api.verification.forTraces.query>>[number];
export type GenerateInput = Parameters<typeof api.teacher.generate.mutate>[0];

/** The engine's default prompt (electron/core/teacher/params.ts); shown so the user can edit it. */
export const DEFAULT_PROMPT = '{question}\n\nPlease reason step by step, and put your final answer within \\boxed{}.';

export type VerdictKey = 'correct' | 'wrong' | 'undecided' | 'unchecked';
export function verdictKey(v: Verdict | undefined): VerdictKey {
  if (!v) return 'unchecked';
  return v.equivalent === true ? 'correct' : v.equivalent === false ? 'wrong' : 'undecided';
}

export function duration(sec: number): string {
  if (sec < 90) return `${Math.round(sec)} s`;
  if (sec < 5400) return `${Math.round(sec / 60)} min`;
  return `${(sec / 3600).toFixed(1)} h`;
}

export const muted = 'text-xs text-slate-500 dark:text-slate-400';
export const pill = 'rounded px-1.5 py-0.5 text-[11px] font-medium';
