import type { DB } from '../store/project';
import { questionTextLookup } from '../pool/questions';
import { traceAnswerHeads } from '../traces/reads';
import { traceExists } from '../traces/store';
import { UserError } from '../util/errors';
import { agreementOf, MIN_AGREEMENT, MIN_MARKS, trustWarning, type Agreement } from './calibration';
import { rubricSchema, type CriterionScore, type Rubric, type RubricInput, type RubricVerdict } from './rubric';

/** The rubrics of a project and their verdicts and calibration marks (tables of migration 013). */
export interface StoredRubric extends Rubric {
  id: number;
  name: string;
  updatedAt: string;
}

interface RubricRow {
  id: number;
  name: string;
  criteria: string;
  threshold: number;
  updated_at: string;
}
const fromRow = (r: RubricRow): StoredRubric => ({ id: r.id, name: r.name, criteria: JSON.parse(r.criteria) as Rubric['criteria'], threshold: r.threshold, updatedAt: r.updated_at });

const NAME = /^[\w.\-+ ]{1,100}$/;

/** Creates or replaces a rubric; its verdicts and marks stay (they name the rubric, not its wording). */
export function saveRubric(db: DB, name: string, input: RubricInput): StoredRubric {
  const clean = name.trim();
  if (!NAME.test(clean)) throw new UserError(`"${name}" is not a usable rubric name; use letters, digits, spaces, dots, dashes or underscores (at most 100).`, 'bad_name');
  const parsed = rubricSchema.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new UserError(`The rubric "${clean}" is not valid: ${i?.path.length ? `${i.path.join('.')}: ` : ''}${i?.message ?? 'unknown problem'}.`, 'bad_rubric');
  }
  const now = new Date().toISOString();
  db.prepare(
    `INSERT INTO rubrics (name, criteria, threshold, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET criteria = excluded.criteria, threshold = excluded.threshold, updated_at = excluded.updated_at`,
  ).run(clean, JSON.stringify(parsed.data.criteria), parsed.data.threshold, now, now);
  return getRubric(db, clean);
}

export function listRubrics(db: DB): StoredRubric[] {
  return (db.prepare('SELECT * FROM rubrics ORDER BY name').all() as RubricRow[]).map(fromRow);
}

export function getRubric(db: DB, name: string): StoredRubric {
  const r = db.prepare('SELECT * FROM rubrics WHERE name = ?').get(name.trim()) as RubricRow | undefined;
  if (!r) throw new UserError(`There is no rubric named "${name}"; create it first (Traces step, or "distillery rubric set PROJECT --name ${name} --file rubric.json").`, 'not_found');
  return fromRow(r);
}

export function saveRubricVerdict(db: DB, rubricId: number, traceId: number, judge: string, v: RubricVerdict): void {
  db.prepare(
    `INSERT INTO rubric_verdicts (rubric_id, trace_id, judge, scores, total, passed, reason, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(rubric_id, trace_id, judge) DO UPDATE SET scores = excluded.scores, total = excluded.total, passed = excluded.passed,
       reason = excluded.reason, checked_at = excluded.checked_at`,
  ).run(rubricId, traceId, judge, v.scores ? JSON.stringify(v.scores) : null, v.total, v.passed === null ? null : v.passed ? 1 : 0, v.reason, new Date().toISOString());
}

export interface RubricVerdictRow {
  traceId: number;
  questionId: number;
  question: string;
  answer: string;
  judge: string;
  scores: CriterionScore[] | null;
  total: number | null;
  passed: boolean | null;
  reason: string;
  /** The user's own pass/fail for this trace, when marked. */
  mark: boolean | null;
}

/** Verdicts of a rubric (one judge, or all), with the user's marks, for the calibration view. */
export function rubricVerdicts(db: DB, rubric: string, opts: { judge?: string; limit?: number; offset?: number } = {}): { total: number; rows: RubricVerdictRow[] } {
  const r = getRubric(db, rubric);
  const where = `v.rubric_id = @id AND (@judge IS NULL OR v.judge = @judge)`;
  const total = db.prepare(`SELECT COUNT(*) FROM rubric_verdicts v WHERE ${where}`).pluck().get({ id: r.id, judge: opts.judge ?? null }) as number;
  const rows = db
    .prepare(
      `SELECT v.trace_id AS traceId, v.judge, v.scores, v.total, v.passed, v.reason, m.passed AS mark
       FROM rubric_verdicts v LEFT JOIN rubric_marks m ON m.rubric_id = v.rubric_id AND m.trace_id = v.trace_id
       WHERE ${where} ORDER BY v.trace_id, v.judge LIMIT @limit OFFSET @offset`,
    )
    .all({ id: r.id, judge: opts.judge ?? null, limit: opts.limit ?? 100, offset: opts.offset ?? 0 }) as (Pick<RubricVerdictRow, 'traceId' | 'judge' | 'total' | 'reason'> & { scores: string | null; passed: number | null; mark: number | null })[];
  // A verdict's trace, and a trace's question, always exist (both cascade on delete): traces/ and pool/ give their text.
  const traces = traceAnswerHeads(db, [...new Set(rows.map((x) => x.traceId))], 4000);
  const question = questionTextLookup(db);
  return {
    total,
    rows: rows.flatMap((x) => {
      const t = traces.get(x.traceId);
      const q = t ? question(t.questionId) : undefined;
      if (!t || q === undefined) return [];
      const scores = x.scores ? (JSON.parse(x.scores) as CriterionScore[]) : null;
      const passed = x.passed === null ? null : x.passed === 1;
      return [{ traceId: x.traceId, questionId: t.questionId, question: q, answer: t.answer, judge: x.judge, scores, total: x.total, passed, reason: x.reason, mark: x.mark === null ? null : x.mark === 1 }];
    }),
  };
}

/** The user's pass/fail for a trace under a rubric (null clears it). Human work: written with synchronous=FULL by the caller's connection. */
export function markTrace(db: DB, rubric: string, traceId: number, passed: boolean | null): void {
  const r = getRubric(db, rubric);
  if (!traceExists(db, traceId)) throw new UserError(`There is no trace ${traceId} in this project.`, 'not_found');
  if (passed === null) db.prepare('DELETE FROM rubric_marks WHERE rubric_id = ? AND trace_id = ?').run(r.id, traceId);
  else db.prepare('INSERT OR REPLACE INTO rubric_marks (rubric_id, trace_id, passed, marked_at) VALUES (?, ?, ?, ?)').run(r.id, traceId, passed ? 1 : 0, new Date().toISOString());
}

export interface Calibration {
  rubric: string;
  marks: number;
  minMarks: number;
  minAgreement: number;
  /** Each judge against the user's marks. */
  judges: (Agreement & { judge: string; verdicts: number; warning: 'too_few_marks' | 'low_agreement' | null })[];
  /** Two judges against each other, on the traces both decided. */
  pairs: (Agreement & { a: string; b: string })[];
}

export function calibration(db: DB, rubric: string): Calibration {
  const r = getRubric(db, rubric);
  const marks = db.prepare('SELECT trace_id, passed FROM rubric_marks WHERE rubric_id = ?').all(r.id) as { trace_id: number; passed: number }[];
  const mark = new Map(marks.map((m) => [m.trace_id, m.passed === 1]));
  const verdicts = db.prepare('SELECT judge, trace_id, passed FROM rubric_verdicts WHERE rubric_id = ? AND passed IS NOT NULL ORDER BY judge, trace_id').all(r.id) as { judge: string; trace_id: number; passed: number }[];
  const byJudge = new Map<string, Map<number, boolean>>();
  for (const v of verdicts) {
    let m = byJudge.get(v.judge);
    if (!m) byJudge.set(v.judge, (m = new Map()));
    m.set(v.trace_id, v.passed === 1);
  }
  const judges = [...byJudge].map(([judge, m]) => {
    const pairs = [...m].filter(([t]) => mark.has(t)).map(([t, p]) => [p, mark.get(t) as boolean] as const);
    const a = agreementOf(pairs);
    return { judge, verdicts: m.size, ...a, warning: trustWarning(a) };
  });
  const names = [...byJudge.keys()];
  const pairs: Calibration['pairs'] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const A = byJudge.get(names[i] as string) as Map<number, boolean>;
      const B = byJudge.get(names[j] as string) as Map<number, boolean>;
      pairs.push({ a: names[i] as string, b: names[j] as string, ...agreementOf([...A].filter(([t]) => B.has(t)).map(([t, p]) => [p, B.get(t) as boolean] as const)) });
    }
  }
  return { rubric: r.name, marks: marks.length, minMarks: MIN_MARKS, minAgreement: MIN_AGREEMENT, judges, pairs };
}
