import { questionExclusion, questionSnippet, questionSnippets } from '../pool/question-rows';
import { withFullSync, type Project } from '../store/project';
import { UserError } from '../util/errors';
import { loadFeatures } from './features';
import { curate, readOverrides, type CurationResult, type Decision } from './pipeline';
import { parseRecipe, type Recipe } from './recipe';
import { judgeBands, sampleModels, type BandResult } from './bands';
import { chainScore } from './chain';

export interface RunSummary {
  id: number;
  name: string | null;
  seed: number;
  target: number;
  createdAt: string;
  selected: number;
  frozenAt: string | null;
  funnel: CurationResult['funnel'];
}

interface RunRow {
  id: number;
  name: string | null;
  recipe: string;
  seed: number;
  created_at: string;
  funnel: string;
  domains: string;
  histogram: string | null;
  notes: string | null;
  selected: number;
  frozen_at: string | null;
}

const summary = (r: RunRow): RunSummary => ({
  id: r.id,
  name: r.name,
  seed: r.seed,
  target: (JSON.parse(r.recipe) as Recipe).target,
  createdAt: r.created_at,
  selected: r.selected,
  frozenAt: r.frozen_at,
  funnel: JSON.parse(r.funnel) as CurationResult['funnel'],
});

/** Runs a recipe and stores it with every decision. */
export function runAndStore(project: Project, rawRecipe: unknown): { runId: number; result: CurationResult; recipe: Recipe } {
  const recipe = parseRecipe(rawRecipe);
  const result = curate(project, recipe);
  const db = project.db;
  const runId = db.transaction(() => {
    const r = db
      .prepare('INSERT INTO curation_runs (name, recipe, seed, created_at, funnel, domains, histogram, notes, selected) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(recipe.name ?? null, JSON.stringify(recipe), recipe.seed, new Date().toISOString(), JSON.stringify(result.funnel), JSON.stringify(result.domains), JSON.stringify(result.histogram), JSON.stringify(result.notes), result.selected);
    const id = Number(r.lastInsertRowid);
    const put = db.prepare('INSERT INTO curation_decisions (run_id, question_id, kept, stage, rule, detail, domain, pick) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const d of result.decisions) put.run(id, d.questionId, d.kept ? 1 : 0, d.stage, d.rule, JSON.stringify(d.detail), d.domain, d.pick);
    return id;
  })();
  return { runId, result, recipe };
}

export function listRuns(project: Project): RunSummary[] {
  return (project.db.prepare('SELECT * FROM curation_runs ORDER BY id DESC').all() as RunRow[]).map(summary);
}

function requireRun(project: Project, id: number): RunRow {
  const r = project.db.prepare('SELECT * FROM curation_runs WHERE id = ?').get(id) as RunRow | undefined;
  if (!r) throw new UserError(`There is no curation run ${id} in this project; list the runs to see their numbers.`, 'run_not_found');
  return r;
}

export function latestRunId(project: Project): number | null {
  return (project.db.prepare('SELECT MAX(id) AS id FROM curation_runs').get() as { id: number | null }).id;
}

export function runDetail(project: Project, id: number) {
  const r = requireRun(project, id);
  return {
    ...summary(r),
    recipe: JSON.parse(r.recipe) as Recipe,
    domains: JSON.parse(r.domains) as CurationResult['domains'],
    histogram: r.histogram ? (JSON.parse(r.histogram) as CurationResult['histogram']) : null,
    notes: r.notes ? (JSON.parse(r.notes) as string[]) : [],
    rules: project.db.prepare('SELECT stage, rule, kept, COUNT(*) AS n FROM curation_decisions WHERE run_id = ? GROUP BY stage, rule, kept ORDER BY n DESC').all(id) as { stage: string; rule: string; kept: number; n: number }[],
  };
}

export interface DecisionRow extends Decision {
  question: string;
}

export function runDecisions(project: Project, id: number, f: { kept?: boolean; stage?: string; rule?: string; offset: number; limit: number }): { total: number; rows: DecisionRow[] } {
  requireRun(project, id);
  const where = ['d.run_id = @id'];
  if (f.kept !== undefined) where.push('d.kept = @kept');
  if (f.stage) where.push('d.stage = @stage');
  if (f.rule) where.push('d.rule = @rule');
  const params = { id, kept: f.kept ? 1 : 0, stage: f.stage ?? null, rule: f.rule ?? null, limit: f.limit, offset: f.offset };
  const w = where.join(' AND ');
  const total = (project.db.prepare(`SELECT COUNT(*) AS n FROM curation_decisions d WHERE ${w}`).get(params) as { n: number }).n;
  const rows = project.db
    .prepare(`SELECT d.* FROM curation_decisions d WHERE ${w} ORDER BY d.kept DESC, d.pick IS NULL, d.pick, d.question_id LIMIT @limit OFFSET @offset`)
    .all(params) as { question_id: number; kept: number; stage: Decision['stage']; rule: string; detail: string | null; domain: string | null; pick: number | null }[];
  const texts = questionSnippets(project.db, rows.map((r) => r.question_id), 300);
  return {
    total,
    rows: rows.map((r) => ({ questionId: r.question_id, kept: r.kept === 1, stage: r.stage, rule: r.rule, detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : {}, domain: r.domain, pick: r.pick, question: texts.get(r.question_id) ?? '' })),
  };
}

export function runSelection(project: Project, id: number): number[] {
  requireRun(project, id);
  return (project.db.prepare('SELECT question_id FROM curation_decisions WHERE run_id = ? AND kept = 1 ORDER BY pick, question_id').all(id) as { question_id: number }[]).map((r) => r.question_id);
}

/** What entered and what left the selection between run `a` and run `b`. */
export function compareRuns(project: Project, a: number, b: number) {
  const sa = new Set(runSelection(project, a));
  const sb = new Set(runSelection(project, b));
  const entered = [...sb].filter((x) => !sa.has(x)).sort((x, y) => x - y);
  const left = [...sa].filter((x) => !sb.has(x)).sort((x, y) => x - y);
  return { a, b, kept: [...sa].filter((x) => sb.has(x)).length, entered, left };
}

/** Freezes a run's selection as THE selection for review: replaces every row of `selection` in one transaction. */
export function freezeRun(project: Project, id?: number): { runId: number; frozen: number; pinned: number } {
  const runId = id ?? latestRunId(project);
  if (runId === null) throw new UserError('There is no curation run to freeze yet; run a curation first ("distillery curate PROJECT").', 'no_run');
  requireRun(project, runId);
  const rows = project.db.prepare("SELECT question_id, stage = 'pin' AS pinned FROM curation_decisions WHERE run_id = ? AND kept = 1").all(runId) as { question_id: number; pinned: number }[];
  const at = new Date().toISOString();
  withFullSync(project.db, () => {
    project.db.prepare('DELETE FROM selection').run();
    const put = project.db.prepare('INSERT INTO selection (question_id, run_id, pinned, frozen_at) VALUES (?, ?, ?, ?)');
    for (const r of rows) put.run(r.question_id, runId, r.pinned, at);
    project.db.prepare('UPDATE curation_runs SET frozen_at = NULL WHERE frozen_at IS NOT NULL').run();
    project.db.prepare('UPDATE curation_runs SET frozen_at = ? WHERE id = ?').run(at, runId);
  });
  return { runId, frozen: rows.length, pinned: rows.filter((r) => r.pinned).length };
}

export function setOverride(project: Project, questionId: number, action: 'pin' | 'exclude' | 'clear', note?: string): void {
  const q = questionExclusion(project.db, questionId);
  if (!q) throw new UserError(`There is no question ${questionId} in this project.`, 'not_found');
  if (action === 'pin' && q.excluded) {
    throw new UserError(`Question ${questionId} was excluded from the pool (${q.exclude_reason ?? 'excluded'}), so it cannot be pinned; restore it in the Questions step first.`, 'excluded');
  }
  withFullSync(project.db, () => {
    if (action === 'clear') project.db.prepare('DELETE FROM curation_overrides WHERE question_id = ?').run(questionId);
    else project.db.prepare('INSERT OR REPLACE INTO curation_overrides (question_id, action, note, created_at) VALUES (?, ?, ?, ?)').run(questionId, action, note ?? null, new Date().toISOString());
  });
}

export function listOverrides(project: Project) {
  return project.db.prepare('SELECT question_id AS questionId, action, note, created_at AS createdAt FROM curation_overrides ORDER BY created_at').all() as { questionId: number; action: 'pin' | 'exclude'; note: string | null; createdAt: string }[];
}

/** Why a question was kept or dropped: its decision in a run (the latest by default) and the measured features. */
export function explain(project: Project, questionId: number, runId?: number) {
  const q = questionSnippet(project.db, questionId, 500);
  if (!q) throw new UserError(`There is no question ${questionId} in this project.`, 'not_found');
  const id = runId ?? latestRunId(project);
  let decision: Decision | null = null;
  let recipe: Recipe;
  if (id !== null) {
    const r = requireRun(project, id);
    recipe = parseRecipe(JSON.parse(r.recipe));
    const d = project.db.prepare('SELECT * FROM curation_decisions WHERE run_id = ? AND question_id = ?').get(id, questionId) as { kept: number; stage: Decision['stage']; rule: string; detail: string | null; domain: string | null; pick: number | null } | undefined;
    if (d) decision = { questionId, kept: d.kept === 1, stage: d.stage, rule: d.rule, detail: d.detail ? (JSON.parse(d.detail) as Record<string, unknown>) : {}, domain: d.domain, pick: d.pick };
  } else {
    recipe = parseRecipe({});
    decision = curate(project, recipe).decisions.find((d) => d.questionId === questionId) ?? null;
  }
  const f = loadFeatures(project, { teacher: recipe.teacher, filterModels: sampleModels(recipe), repetitionN: recipe.quality.repetitionN }).byId.get(questionId);
  const bands = (decision?.detail.bands as BandResult[] | undefined) ?? (decision?.detail.band ? [decision.detail.band as BandResult] : f ? judgeBands(f, recipe.difficulty.bands) : []);
  const o = readOverrides(project);
  const sel = project.db.prepare('SELECT run_id, pinned FROM selection WHERE question_id = ?').get(questionId) as { run_id: number; pinned: number } | undefined;
  return {
    questionId,
    question: q.question,
    runId: id,
    stored: id !== null,
    decision,
    preset: recipe.preset ?? null,
    /** Where the question fell for each pass-rate band of the recipe (the one that dropped it, or all it passed). */
    bands,
    override: o.pins.has(questionId) ? 'pin' : o.excludes.has(questionId) ? 'exclude' : null,
    frozen: sel ? { runId: sel.run_id, pinned: sel.pinned === 1 } : null,
    features: f
      ? {
          traceId: f.traceId,
          traceStatus: f.traceStatus,
          thinkingChars: f.thinkingChars,
          unterminated: f.unterminated,
          extractable: f.extractable,
          repetition: Math.round(f.repetition * 1000) / 1000,
          cjkRatio: Math.round(f.cjk * 1000) / 1000,
          verdict: f.verdict,
          filterAttempts: f.filterAttempts,
          filterSolved: f.filterSolved,
          samples: f.samples,
          chain: { ...f.chain, score: chainScore(f.chain) },
          domainColumn: f.domainColumn,
        }
      : null,
  };
}
