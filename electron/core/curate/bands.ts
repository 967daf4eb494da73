import type { Project } from '../store/project';
import { doneTracesOf } from '../traces/sample-reads';
import { verdictValues } from '../verify/verdict-reads';
import type { QuestionFeatures } from './features';
import type { PassBand, Recipe } from './recipe';
import { message, type EngineMessage } from '../util/messages';

/** Where a question fell for one pass-rate band: solved `solved` of `attempts` (at most k) checked samples. */
export interface BandResult {
  name: string;
  model: string;
  role: 'filter' | 'student';
  k: number;
  min: number;
  max: number;
  solved: number;
  attempts: number;
  /** true: inside [min, max]; false: outside (dropped); null: the model has no checked sample (not judged). */
  inBand: boolean | null;
}

/** Every model whose stored samples curation reads: the filter models and the bands' models. */
export function sampleModels(recipe: Recipe): string[] {
  const d = recipe.difficulty;
  if (!d.enabled) return [];
  return [...new Set([...d.filterModels, ...(d.bands ?? []).map((b) => b.model)])];
}

/** Judges a question against each band on the model's first k checked samples. */
export function judgeBands(f: QuestionFeatures, bands: readonly PassBand[]): BandResult[] {
  return bands.map((b) => {
    const seen = (f.samples[b.model] ?? []).slice(0, b.k);
    const solved = seen.reduce((s, x) => s + x, 0);
    return { name: b.name, model: b.model, role: b.role, k: b.k, min: b.min, max: b.max, solved, attempts: seen.length, inBand: seen.length === 0 ? null : solved >= b.min && solved <= b.max };
  });
}

/** A note per band whose model has not attempted some candidates (they stay in, unjudged). */
export function unjudgedNotes(counts: Map<string, number>): EngineMessage[] {
  return [...counts].map(([name, n]) =>
    message('curate_band_unjudged', { n, band: name }, `${n} candidate questions have no checked sample for the band "${name}"; they stay in (generate with its model and run the answer check to judge them).`),
  );
}

/**
 * Rejection sampling: up to `m` verified traces (verdict equal) of the recipe's teacher per selected question,
 * the judged trace first when it is verified, then by sample order; the others must have thinking and not be cut
 * at the token limit. None verified: the judged trace alone.
 */
export function keptTraces(project: Project, recipe: Recipe, filters: readonly string[], picks: readonly { id: number; traceId: number | null }[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const m = recipe.tracesPerQuestion ?? 1;
  if (m <= 1) {
    for (const p of picks) if (p.traceId !== null) out.set(p.id, [p.traceId]);
    return out;
  }
  const candidates = new Map<number, { id: number; usable: number }[]>();
  const traces = doneTracesOf(project.db, picks.map((p) => p.id), recipe.teacher, filters);
  for (const t of traces) {
    const list = candidates.get(t.question_id);
    if (list) list.push(t);
    else candidates.set(t.question_id, [t]);
  }
  const verdicts = verdictValues(project.db, traces.map((t) => t.id));
  for (const p of picks) {
    const judged = p.traceId ?? -1;
    const verified = (candidates.get(p.id) ?? []).filter((t) => verdicts.get(t.id) === 1 && (t.id === judged || t.usable === 1));
    // The judged trace first, then sample order (a stable sort keeps it).
    const ids = verified.sort((a, b) => Number(b.id === judged) - Number(a.id === judged)).slice(0, m).map((t) => t.id);
    if (ids.length) out.set(p.id, ids);
    else if (p.traceId !== null) out.set(p.id, [p.traceId]);
  }
  return out;
}
