import type { Project } from '../store/project';
import { thinkingLookup } from '../traces/store';
import { UserError } from '../util/errors';
import { loadFeatures, type FeatureSet, type QuestionFeatures } from './features';
import type { FormatRule, Recipe } from './recipe';
import { sampleDiverse, type Candidate } from './sampler';
import { labelsOf } from './taxonomy';
import { loadStudentTokenizer, studentTokenCounts } from './tokens';
import { clusterDomains, NOT_EMBEDDED, type ClusterSummary } from './clusters';
import { dominantDropNotes } from './notes';
import { pseudoLabelFailure, pseudoLabelMap, type PseudoLabel } from '../augment/pseudo';
import { judgeBands, keptTraces, sampleModels, unjudgedNotes, type BandResult } from './bands';
import { chainScore } from './chain';
import { message, Notes, type EngineMessage } from '../util/messages';

/** The domain of a question that has none (no label, no imported column); `project info` uses the same word. */
export const UNLABELLED = 'unlabelled';

export type Stage = 'pool' | 'override' | 'pin' | 'quality' | 'difficulty' | 'diversity';

export interface Decision {
  questionId: number;
  kept: boolean;
  stage: Stage;
  rule: string;
  detail: Record<string, unknown>;
  domain: string | null;
  /** Order in which the diversity sampler picked it (pins: 0). */
  pick: number | null;
}

export interface FunnelStep {
  stage: string;
  in: number;
  out: number;
}

export interface Histogram {
  unit: string;
  edges: number[];
  before: number[];
  after: number[];
}

export interface CurationResult {
  funnel: FunnelStep[];
  selected: number;
  selection: number[];
  pinned: number[];
  domains: { before: Record<string, number>; after: Record<string, number> };
  histogram: Histogram;
  lengthUnit: 'tokens' | 'chars/4';
  notes: string[];
  /** The same notes with a code and parameters, for the UI to translate (notes.<code>). */
  messages: EngineMessage[];
  /** The embedding clusters used as domains (domains = 'clusters'). */
  clusters: ClusterSummary | null;
  decisions: Decision[];
  /** Traces kept for the selection (more than one per question with `tracesPerQuestion` > 1). */
  traces: number;
  timings: { featuresMs: number; filterMs: number; cachedFeatures: boolean };
}

export interface Overrides {
  pins: Set<number>;
  excludes: Map<number, string | null>;
}

export function readOverrides(project: Project): Overrides {
  const rows = project.db.prepare('SELECT question_id, action, note FROM curation_overrides').all() as { question_id: number; action: 'pin' | 'exclude'; note: string | null }[];
  const pins = new Set<number>();
  const excludes = new Map<number, string | null>();
  for (const r of rows) {
    if (r.action === 'pin') pins.add(r.question_id);
    else excludes.set(r.question_id, r.note);
  }
  return { pins, excludes };
}

const ruleMatches = new Map<string, Set<number>>();

function compile(rule: FormatRule): RegExp {
  try {
    return new RegExp(rule.pattern, rule.flags);
  } catch (e) {
    throw new UserError(`The formatting rule "${rule.name}" is not a valid regular expression (${(e as Error).message}); correct its pattern.`, 'bad_rule');
  }
}

/** Questions whose field matches a rule. Thinking is not kept in memory: it is scanned once per rule and cached. */
function matching(project: Project, fs: FeatureSet, rule: FormatRule): Set<number> {
  const key = `${fs.key}|${rule.field}|${rule.flags}|${rule.pattern}`;
  const hit = ruleMatches.get(key);
  if (hit) return hit;
  const re = compile(rule);
  const out = new Set<number>();
  if (rule.field === 'thinking') {
    const thinkingOf = thinkingLookup(project.db);
    for (const f of fs.rows) {
      if (f.traceId === null || !f.hasThinking) continue;
      const thinking = thinkingOf(f.traceId);
      if (thinking && re.test(thinking)) out.add(f.id);
    }
  } else {
    for (const f of fs.rows) {
      const text = rule.field === 'question' ? f.question : f.answer;
      if (text && re.test(text)) out.add(f.id);
    }
  }
  if (ruleMatches.size > 200) ruleMatches.clear();
  ruleMatches.set(key, out);
  return out;
}

function qualityFailure(f: QuestionFeatures, q: Recipe['quality'], len: (f: QuestionFeatures, unit: 'chars' | 'tokens') => number, rules: { rule: FormatRule; hits: Set<number> }[]): { rule: string; detail: Record<string, unknown> } | null {
  if (q.requireTrace) {
    if (f.traceId === null) return { rule: 'no_trace', detail: {} };
    if (f.traceStatus !== 'done') return { rule: 'generation_failed', detail: { traceId: f.traceId, error: f.traceError } };
  }
  if (q.requireThinking && !f.hasThinking) return { rule: 'missing_thinking', detail: { traceId: f.traceId } };
  if (q.dropUnterminated && f.unterminated) return { rule: 'unterminated_thinking', detail: { traceId: f.traceId } };
  for (const { rule, hits } of rules) if (hits.has(f.id)) return { rule: `format:${rule.name}`, detail: { pattern: rule.pattern, field: rule.field } };
  if (q.requireExtractableAnswer && !f.extractable) return { rule: 'unextractable_answer', detail: { traceId: f.traceId } };
  if (q.maxRepetition !== null && f.repetition > q.maxRepetition) return { rule: 'repetition', detail: { value: round(f.repetition), max: q.maxRepetition, n: q.repetitionN } };
  if (q.language === 'en' && f.cjk > q.maxCjkRatio) return { rule: 'wrong_language', detail: { expected: 'en', cjkRatio: round(f.cjk), max: q.maxCjkRatio } };
  if (q.language === 'zh' && f.cjk < q.minCjkRatio) return { rule: 'wrong_language', detail: { expected: 'zh', cjkRatio: round(f.cjk), min: q.minCjkRatio } };
  const tl = q.thinkingLength;
  if (tl.min > 0 || tl.max !== null) {
    const value = len(f, tl.unit);
    if (value < tl.min || (tl.max !== null && value > tl.max)) return { rule: 'thinking_length', detail: { value, min: tl.min, max: tl.max, unit: tl.unit } };
  }
  if (q.dropWrong && f.verdict === 0) return { rule: 'wrong_answer', detail: { traceId: f.traceId } };
  return null;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Runs a recipe over the project's features: decisions for every question, the funnel and the selection. Stores nothing. */
export function curate(project: Project, recipe: Recipe): CurationResult {
  const t0 = performance.now();
  const models = sampleModels(recipe);
  const fs = loadFeatures(project, { teacher: recipe.teacher, filterModels: models, repetitionN: recipe.quality.repetitionN });
  const cachedFeatures = fs.cached;
  const t1 = performance.now();
  const notes = new Notes();
  const overrides = readOverrides(project);
  // The teacher's agreement on pseudo-labels (augment/pseudo.ts): a quality rule and a ranking signal, both off by default.
  const pseudo = recipe.quality.dropTeacherUnsure || recipe.diversity.preferConsistent ? pseudoLabelMap(project.db) : new Map<number, PseudoLabel>();

  let tokens: Map<number, number> | null = null;
  if (recipe.studentDir) {
    const tok = loadStudentTokenizer(recipe.studentDir);
    const ids = fs.rows.filter((f) => f.traceId !== null && f.hasThinking).map((f) => f.traceId as number);
    tokens = studentTokenCounts(project.db, tok, ids);
  } else notes.add(message('curate_no_student', {}, 'No student model folder is set: thinking lengths in tokens are estimated as characters / 4.'));
  const lengthUnit = tokens ? 'tokens' : 'chars/4';
  const studentTokens = (f: QuestionFeatures) => (tokens && f.traceId !== null ? (tokens.get(f.traceId) ?? 0) : Math.round(f.thinkingChars / 4));
  const len = (f: QuestionFeatures, unit: 'chars' | 'tokens') => (unit === 'chars' ? f.thinkingChars : studentTokens(f));

  const q = recipe.quality;
  const rules = q.enabled ? q.formatRules.filter((r) => r.enabled).map((rule) => ({ rule, hits: matching(project, fs, rule) })) : [];
  const decisions: Decision[] = [];
  const dec = new Map<number, Decision>();
  const push = (d: Decision) => {
    decisions.push(d);
    dec.set(d.questionId, d);
  };

  const src = recipe.diversity.domains;
  const clusters = src === 'clusters' && recipe.diversity.enabled ? clusterDomains(project, recipe.diversity.clusters, notes) : null;
  const labels = src === 'column' ? null : src === 'clusters' ? (clusters?.labels ?? new Map<number, string>()) : labelsOf(project.db, recipe.diversity.taxonomy);
  if (labels && labels.size === 0 && src === 'labels') {
    const taxonomy = recipe.diversity.taxonomy;
    notes.add(message('curate_no_labels', { taxonomy }, `No question has a "${taxonomy}" label yet: run the labelling job, or take domains from the imported column.`));
  }
  const domainOf = (f: QuestionFeatures): string => {
    const l = labels?.get(f.id);
    if (src === 'clusters') return l ?? NOT_EMBEDDED;
    if (src === 'labels') return l ?? UNLABELLED;
    // One word for "no domain" everywhere (project info, curate, the UI): 'unlabelled'.
    if (recipe.diversity.domains === 'column') return f.domainColumn ?? UNLABELLED;
    return l ?? f.domainColumn ?? UNLABELLED;
  };

  const total = fs.rows.length;
  const pinned: QuestionFeatures[] = [];
  let stage: QuestionFeatures[] = [];
  for (const f of fs.rows) {
    if (f.excluded) push({ questionId: f.id, kept: false, stage: 'pool', rule: 'excluded_from_pool', detail: { reason: f.excludeReason, pinned: overrides.pins.has(f.id) || undefined }, domain: null, pick: null });
    else if (overrides.excludes.has(f.id)) push({ questionId: f.id, kept: false, stage: 'override', rule: 'excluded_by_user', detail: { note: overrides.excludes.get(f.id) ?? null }, domain: null, pick: null });
    else if (overrides.pins.has(f.id)) pinned.push(f);
    else stage.push(f);
  }
  const poolOut = stage.length + pinned.length;
  const funnel: FunnelStep[] = [{ stage: 'pool', in: total, out: poolOut }];
  const before = [...pinned, ...stage];

  if (q.enabled) {
    const next: QuestionFeatures[] = [];
    for (const f of stage) {
      const pl = q.dropTeacherUnsure ? pseudo.get(f.id) : undefined;
      const fail = qualityFailure(f, q, len, rules) ?? pseudoLabelFailure(pl, f.traceId);
      if (fail) push({ questionId: f.id, kept: false, stage: 'quality', rule: fail.rule, detail: fail.detail, domain: null, pick: null });
      else next.push(f);
    }
    funnel.push({ stage: 'quality', in: poolOut, out: next.length + pinned.length });
    notes.addAll(dominantDropNotes(decisions, stage.length));
    stage = next;
  }

  const d = recipe.difficulty;
  const bandsOf = new Map<number, BandResult[]>();
  if (d.enabled) {
    const next: QuestionFeatures[] = [];
    let unattempted = 0;
    const unjudged = new Map<string, number>();
    for (const f of stage) {
      if (d.filterModels.length && f.filterAttempts === 0) unattempted++;
      const br = judgeBands(f, d.bands ?? []);
      const out = br.find((b) => b.inBand === false);
      if (d.filterModels.length && f.filterSolved >= d.solvedAtLeast) {
        push({ questionId: f.id, kept: false, stage: 'difficulty', rule: 'solved_by_filter_model', detail: { solved: f.filterSolved, attempts: f.filterAttempts, solvedAtLeast: d.solvedAtLeast, filterModels: d.filterModels }, domain: null, pick: null });
      } else if (d.minThinkingTokens !== null && studentTokens(f) < d.minThinkingTokens) {
        push({ questionId: f.id, kept: false, stage: 'difficulty', rule: 'short_thinking', detail: { value: studentTokens(f), min: d.minThinkingTokens, unit: lengthUnit }, domain: null, pick: null });
      } else if (out) {
        push({ questionId: f.id, kept: false, stage: 'difficulty', rule: 'outside_band', detail: { band: out, bands: br }, domain: null, pick: null });
      } else {
        if (br.length) bandsOf.set(f.id, br);
        for (const b of br) if (b.inBand === null) unjudged.set(b.name, (unjudged.get(b.name) ?? 0) + 1);
        next.push(f);
      }
    }
    notes.addAll(unjudgedNotes(unjudged));
    if (unattempted) {
      const text = `${unattempted} candidate questions have no checked filter-model attempt; they stay in (run the filter models and the answer check to judge them).`;
      notes.add(message('curate_filter_unattempted', { n: unattempted }, text));
    }
    funnel.push({ stage: 'difficulty', in: stage.length + pinned.length, out: next.length + pinned.length });
    stage = next;
  }

  const slots = Math.max(0, recipe.target - pinned.length);
  if (pinned.length > recipe.target) {
    notes.add(message('curate_pins_over_target', { n: pinned.length, target: recipe.target }, `${pinned.length} pinned questions exceed the target of ${recipe.target}; all pins are kept.`));
  }
  pinned.sort((a, b) => a.id - b.id);
  for (const f of pinned) push({ questionId: f.id, kept: true, stage: 'pin', rule: 'pinned', detail: { note: 'pinned questions are always included first' }, domain: domainOf(f), pick: 0 });
  const byChain = recipe.diversity.rankBy === 'chain_quality';
  const rankBase = (f: QuestionFeatures) => (byChain ? chainScore(f.chain) : studentTokens(f));
  const rankLength = (f: QuestionFeatures) => (recipe.diversity.preferConsistent ? Math.round(rankBase(f) * (pseudo.get(f.id)?.agreement ?? 1)) : rankBase(f));
  const rankUnit = byChain ? 'chain_score' : lengthUnit;
  const candidates: Candidate[] = stage.map((f) => ({ id: f.id, domain: recipe.diversity.enabled ? domainOf(f) : 'all', length: rankLength(f) }));
  const domainSize = new Map<string, number>();
  for (const c of candidates) domainSize.set(c.domain, (domainSize.get(c.domain) ?? 0) + 1);
  const picks = recipe.diversity.enabled
    ? sampleDiverse(candidates, { seed: recipe.seed, target: slots, weighting: recipe.diversity.weighting, rankBy: recipe.diversity.rankBy === 'random' ? 'random' : 'thinking_length' })
    : [...candidates].sort((a, b) => b.length - a.length || a.id - b.id).slice(0, slots).map((c, i) => ({ id: c.id, domain: c.domain, rank: i, order: i + 1 }));
  const picked = new Map(picks.map((p) => [p.id, p]));
  const kept = keptTraces(project, recipe, models, [...pinned.map((f) => f.id), ...picks.map((p) => p.id)].map((id) => ({ id, traceId: fs.byId.get(id)?.traceId ?? null })));
  for (const f of pinned) if (kept.has(f.id)) (dec.get(f.id) as Decision).detail.traces = kept.get(f.id);
  for (const c of candidates) {
    const p = picked.get(c.id);
    const f = fs.byId.get(c.id) as QuestionFeatures;
    const detail = { domain: c.domain, domainCandidates: domainSize.get(c.domain), length: c.length, unit: rankUnit, ...(byChain ? { chain: { ...f.chain, score: chainScore(f.chain) } } : {}), ...(bandsOf.has(c.id) ? { bands: bandsOf.get(c.id) } : {}) };
    const rule = recipe.diversity.enabled ? 'sampled' : byChain ? 'best_chain' : 'longest';
    if (p) push({ questionId: c.id, kept: true, stage: 'diversity', rule, detail: { ...detail, rank: p.rank, order: p.order, ...(kept.has(c.id) ? { traces: kept.get(c.id) } : {}) }, domain: c.domain, pick: p.order });
    else push({ questionId: c.id, kept: false, stage: 'diversity', rule: 'not_sampled', detail: { ...detail, target: recipe.target }, domain: c.domain, pick: null });
  }
  funnel.push({ stage: 'diversity', in: candidates.length + pinned.length, out: picks.length + pinned.length });

  const selection = [...pinned.map((f) => f.id), ...picks.map((p) => p.id)];
  const after = selection.map((id) => fs.byId.get(id) as QuestionFeatures);
  const count = (xs: QuestionFeatures[]) => {
    const m: Record<string, number> = {};
    for (const f of xs) {
      const k = domainOf(f);
      m[k] = (m[k] ?? 0) + 1;
    }
    return m;
  };
  const withTrace = (xs: QuestionFeatures[]) => xs.filter((f) => f.traceId !== null && f.hasThinking).map(studentTokens);
  decisions.sort((a, b) => a.questionId - b.questionId);
  return {
    funnel,
    selected: selection.length,
    selection,
    pinned: pinned.map((f) => f.id),
    domains: { before: count(before), after: count(after) },
    histogram: histogram(withTrace(before), withTrace(after), lengthUnit),
    lengthUnit,
    notes: notes.texts,
    messages: notes.messages,
    clusters: clusters?.summary ?? null,
    decisions,
    traces: [...kept.values()].reduce((s, x) => s + x.length, 0),
    timings: { featuresMs: Math.round(t1 - t0), filterMs: Math.round(performance.now() - t1), cachedFeatures },
  };
}

/** 20 equal bins from 0 to the longest thinking before selection; the same edges for after. */
export function histogram(before: number[], after: number[], unit: string, bins = 20): Histogram {
  let max = 0;
  for (const x of before) if (x > max) max = x;
  const step = Math.max(1, Math.ceil((max + 1) / bins));
  const edges = Array.from({ length: bins + 1 }, (_, i) => i * step);
  const fill = (xs: number[]) => {
    const h = new Array<number>(bins).fill(0);
    for (const x of xs) {
      const i = Math.min(bins - 1, Math.floor(x / step));
      h[i] = (h[i] ?? 0) + 1;
    }
    return h;
  };
  return { unit, edges, before: fill(before), after: fill(after) };
}
