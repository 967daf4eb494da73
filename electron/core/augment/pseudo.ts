import { z } from 'zod';
import type { ItemContext, JobItem, JobKind, JobRunner } from '../jobs';
import type { DB, Project } from '../store/project';
import { doneSampleCounter, doneSamples } from '../traces/store';
import { questionById, unansweredPoolIds } from '../pool/questions';
import { teacherConnection } from '../teacher/credentials';
import { generateKind, startOrResume } from '../teacher/generate';
import { getTeacher } from '../teacher/store';
import { UserError } from '../util/errors';
import { SqliteJudgeCache } from '../verify/store';
import { judge } from '../verify';
import { voteAnswers, type SameAnswer, type Sample } from './vote';
import { message } from '../util/messages';

export const PSEUDO_KIND = 'pseudo-label';

export const pseudoParams = z.object({
  teacher: z.string().trim().min(1),
  samples: z.number().int().min(2).max(64).default(8),
  /** Below this share of agreeing samples the question is flagged "teacher unsure". */
  minAgreement: z.number().min(0).max(1).default(0.6),
  /** A registered teacher that decides whether two free-text answers mean the same; left out, the rules only. */
  judge: z.string().trim().min(1).optional(),
});
export type PseudoParams = z.infer<typeof pseudoParams>;
export type PseudoInput = z.input<typeof pseudoParams>;

/** Questions the pool holds without a reference answer (excluded ones left out). */
export function unansweredIds(db: DB): number[] {
  return unansweredPoolIds(db);
}

function samplesOf(db: DB, q: number, p: PseudoParams): Sample[] {
  return doneSamples(db, q, p.teacher, p.samples);
}

/** Questions among `ids` that lack some of their K finished samples from the teacher. */
export function missingSamples(db: DB, ids: readonly number[], p: PseudoParams): number[] {
  const have = doneSampleCounter(db);
  return ids.filter((q) => have(q, p.teacher, p.samples) < p.samples);
}

interface JudgeConfig {
  baseUrl: string;
  model: string;
  apiKey: string | undefined;
  headers: Record<string, string>;
  cache: SqliteJudgeCache;
}
/** The judge's endpoint, resolved once per running job (its secrets stay in memory). */
const judges = new WeakMap<PseudoParams, JudgeConfig>();

function sameAnswer(project: Project, p: PseudoParams, question: string): SameAnswer | undefined {
  if (!p.judge) return undefined;
  let cfg = judges.get(p);
  if (!cfg) {
    const t = getTeacher(project.db, p.judge);
    const conn = teacherConnection(t);
    const baseUrl = conn.baseUrls[0];
    if (!baseUrl) throw new UserError(`The judge "${p.judge}" has no endpoint; add its URL in the Teacher step.`, 'no_endpoint');
    cfg = { baseUrl, model: t.model, apiKey: conn.apiKey, headers: conn.headers, cache: new SqliteJudgeCache(project.db) };
    judges.set(p, cfg);
  }
  const c = cfg;
  return async (a, b) => (await judge({ ...c, question, reference: a, answer: b })).equivalent;
}

async function runItem(item: JobItem, ctx: ItemContext<PseudoParams>): Promise<void> {
  const db = ctx.project.db;
  const p = ctx.params;
  const q = item.payload as number;
  const row = questionById(db, q);
  if (!row) return ctx.complete();
  if (row.answer?.trim()) return ctx.complete(() => db.prepare('DELETE FROM pseudo_labels WHERE question_id = ?').run(q)); // answered since: a real reference wins
  const samples = samplesOf(db, q, p);
  if (!samples.length) {
    ctx.fail(`Question ${q} has no finished answer from teacher "${p.teacher}"; run the generation with --samples ${p.samples} first.`);
    return;
  }
  const v = await voteAnswers(samples, sameAnswer(ctx.project, p, row.question));
  const unsure = v.answer === null || v.agreement < p.minAgreement ? 1 : 0;
  const groups = JSON.stringify({ groups: v.groups.map((g) => ({ answer: g.answer, votes: g.votes, forms: g.forms, traces: g.traceIds })), noAnswer: v.noAnswer, judged: v.judged });
  ctx.complete(
    () =>
      db
        .prepare(
          `INSERT INTO pseudo_labels (question_id, answer, votes, samples, agreement, unsure, teacher, groups, job_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(question_id) DO UPDATE SET answer = excluded.answer, votes = excluded.votes, samples = excluded.samples, agreement = excluded.agreement,
             unsure = excluded.unsure, teacher = excluded.teacher, groups = excluded.groups, job_id = excluded.job_id, created_at = excluded.created_at`,
        )
        .run(q, v.answer, v.votes, v.samples, v.agreement, unsure, p.teacher, groups, ctx.jobId, new Date().toISOString()),
    { votes: v.votes, samples: v.samples, unsure },
  );
}

export const pseudoKind: JobKind<PseudoParams> = {
  kind: PSEUDO_KIND,
  params: pseudoParams,
  concurrency: (p) => (p.judge ? 4 : 1),
  plan: (project) => unansweredIds(project.db).map((q) => ({ key: String(q), payload: q })),
  run: runItem,
  labelMessage: (p) => message('job_label_pseudo', { teacher: p.teacher, samples: p.samples }, `Pseudo-labels from ${p.teacher} (${p.samples} samples)`),
};

export interface PseudoLabel {
  questionId: number;
  answer: string | null;
  votes: number;
  samples: number;
  agreement: number;
  unsure: boolean;
  teacher: string;
  /** The samples (trace ids) whose answer is the pseudo-label's: the majority group. */
  majorityTraces: number[];
}

interface Row {
  question_id: number;
  answer: string | null;
  votes: number;
  samples: number;
  agreement: number;
  unsure: number;
  teacher: string;
  groups: string | null;
}

function majorityOf(groups: string | null): number[] {
  try {
    const g = (JSON.parse(groups ?? '{}') as { groups?: { traces?: unknown }[] }).groups?.[0]?.traces;
    return Array.isArray(g) ? g.filter((x): x is number => typeof x === 'number') : [];
  } catch {
    return [];
  }
}

const fromRow = (r: Row): PseudoLabel => ({
  questionId: r.question_id,
  answer: r.answer,
  votes: r.votes,
  samples: r.samples,
  agreement: r.agreement,
  unsure: r.unsure === 1,
  teacher: r.teacher,
  majorityTraces: majorityOf(r.groups),
});

/**
 * Curation's agreement rule for one question: "teacher unsure" below the pseudo-label run's minimum, else a judged
 * trace whose answer is not the majority's (a minority sample must not be exported under the pseudo-label). Null: keep.
 */
export function pseudoLabelFailure(pl: PseudoLabel | undefined, traceId: number | null): { rule: string; detail: Record<string, unknown> } | null {
  if (!pl) return null;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  if (pl.unsure) return { rule: 'teacher_unsure', detail: { agreement: round(pl.agreement), votes: pl.votes, samples: pl.samples } };
  if (traceId !== null && pl.majorityTraces.length > 0 && !pl.majorityTraces.includes(traceId)) {
    return { rule: 'pseudo_label_disagrees', detail: { traceId, pseudoLabel: pl.answer, votes: pl.votes, samples: pl.samples } };
  }
  return null;
}

export function pseudoLabelsFor(db: DB, ids: readonly number[]): PseudoLabel[] {
  const stmt = db.prepare('SELECT * FROM pseudo_labels WHERE question_id = ?');
  return ids.map((id) => stmt.get(id) as Row | undefined).filter((r) => r !== undefined).map(fromRow);
}

export interface PseudoSummary {
  labelled: number;
  unsure: number;
  unanswered: number;
  /** Questions per agreement bucket: "1/8" … "8/8" style keys are per K; here tenths, "0.9-1.0". */
  histogram: { bucket: string; count: number }[];
}

/** Ten buckets of agreement (0–0.1 … 0.9–1.0): the dataset card and the Questions panel show the same figures. */
export function pseudoSummary(db: DB, ids?: readonly number[]): PseudoSummary {
  const rows = (ids ? pseudoLabelsFor(db, ids) : (db.prepare('SELECT * FROM pseudo_labels').all() as Row[]).map(fromRow));
  const counts = new Array<number>(10).fill(0);
  for (const r of rows) counts[Math.min(9, Math.floor(r.agreement * 10 + 1e-9))]!++;
  return {
    labelled: rows.length,
    unsure: rows.filter((r) => r.unsure).length,
    unanswered: unansweredIds(db).length,
    histogram: counts.map((count, i) => ({ bucket: `${(i / 10).toFixed(1)}-${((i + 1) / 10).toFixed(1)}`, count })),
  };
}

/**
 * Pseudo-labels for every unanswered question: the teacher's K samples are reused where the generation job
 * already made them; the missing ones are generated first (the same durable, resumable generation job), then the
 * labelling job groups the answers. `onJob` hears each job id as it starts (the CLI prints progress).
 */
export async function runPseudoLabels(runner: JobRunner, input: PseudoInput, onJob?: (kind: string, id: number) => void): Promise<{ generateJob: number | null; labelJob: number; generated: number }> {
  const p = pseudoParams.parse(input);
  const db = runner.project.db;
  getTeacher(db, p.teacher);
  if (p.judge) getTeacher(db, p.judge);
  const ids = unansweredIds(db);
  if (!ids.length) throw new UserError('Every question in the pool has a reference answer; pseudo-labels are for questions without one.', 'nothing_to_label');
  const missing = missingSamples(db, ids, p);
  let generateJob: number | null = null;
  if (missing.length) {
    if (!runner.hasKind(generateKind.kind)) runner.register(generateKind);
    generateJob = startOrResume(runner, { teacher: p.teacher, questions: { mode: 'ids', ids: missing }, samples: p.samples }).jobId;
    onJob?.('generate', generateJob);
    const g = await runner.wait(generateJob);
    if (g.status !== 'done') throw new UserError(`The generation of the missing samples stopped (${g.status}${g.error ? `: ${g.error}` : ''}); run the same command again to resume it.`, 'generation_stopped');
  }
  if (!runner.hasKind(PSEUDO_KIND)) runner.register(pseudoKind);
  const labelJob = runner.start(PSEUDO_KIND, p);
  onJob?.(PSEUDO_KIND, labelJob);
  await runner.wait(labelJob);
  return { generateJob, labelJob, generated: missing.length };
}

/** Every pseudo-label by question (curation reads the teacher's agreement through this, not the table). */
export function pseudoLabelMap(db: DB): Map<number, PseudoLabel> {
  return new Map((db.prepare('SELECT * FROM pseudo_labels').all() as Row[]).map((r) => [r.question_id, fromRow(r)]));
}
