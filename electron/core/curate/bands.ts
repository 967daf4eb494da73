import type { Project } from '../store/project';
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
  const stmt = project.db
    .prepare(
      `SELECT t.id FROM traces t JOIN verdicts v ON v.trace_id = t.id
       WHERE t.question_id = @q AND t.status = 'done' AND v.equivalent = 1
         AND (@teacher IS NULL OR t.teacher = @teacher)
         AND (t.teacher IS NULL OR t.teacher NOT IN (SELECT value FROM json_each(@filters)))
         AND (t.id = @judged OR (TRIM(COALESCE(t.thinking, '')) != '' AND COALESCE(t.finish_reason, '') != 'length'))
       ORDER BY (t.id = @judged) DESC, t.sample_index, t.id LIMIT @m`,
    )
    .pluck();
  const filterJson = JSON.stringify(filters);
  for (const p of picks) {
    const ids = stmt.all({ q: p.id, teacher: recipe.teacher, filters: filterJson, judged: p.traceId ?? -1, m }) as number[];
    if (ids.length) out.set(p.id, ids);
    else if (p.traceId !== null) out.set(p.id, [p.traceId]);
  }
  return out;
}
