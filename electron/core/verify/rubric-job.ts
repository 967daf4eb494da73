import { z } from 'zod';
import type { JobKind } from '../jobs';
import { teacherConnection } from '../teacher/credentials';
import { getTeacher } from '../teacher/store';
import { UserError } from '../util/errors';
import { judgeRubric, type JudgeEndpoint } from './judge';
import { getRubric, saveRubricVerdict } from './rubrics';
import { message } from '../util/messages';

export const RUBRIC_KIND = 'rubric-judge';

export const rubricJudgeParams = z.object({
  rubric: z.string().trim().min(1),
  /** A registered teacher that acts as the judge; a second judge is another run with another name. */
  judge: z.string().trim().min(1),
  /** 'unchecked' skips traces this judge already scored under this rubric. */
  scope: z.enum(['unchecked', 'all']).default('unchecked'),
  /** The first N finished traces (calibration wants 20–50 before the whole pool). */
  limit: z.number().int().positive().max(1_000_000).optional(),
  traceIds: z.array(z.number().int().positive()).max(100_000).optional(),
});
export type RubricJudgeParams = z.infer<typeof rubricJudgeParams>;

interface Row {
  id: number;
  answer: string | null;
  question: string;
  reference: string | null;
}

const endpoints = new WeakMap<RubricJudgeParams, JudgeEndpoint>();

function endpointOf(db: Parameters<typeof getTeacher>[0], p: RubricJudgeParams): JudgeEndpoint {
  let e = endpoints.get(p);
  if (!e) {
    const t = getTeacher(db, p.judge);
    const conn = teacherConnection(t);
    const baseUrl = conn.baseUrls[0];
    if (!baseUrl) throw new UserError(`The judge "${p.judge}" has no endpoint; add its URL in the Teacher step.`, 'no_endpoint');
    e = { baseUrl, model: t.model, apiKey: conn.apiKey, headers: conn.headers };
    endpoints.set(p, e);
  }
  return e;
}

/** The rubric judge: per-criterion scores and a pass/fail for every finished trace (or the first N). */
export const rubricJudgeKind: JobKind<RubricJudgeParams> = {
  kind: RUBRIC_KIND,
  params: rubricJudgeParams,
  concurrency: 8,
  labelMessage: (p) => message('job_label_rubric', { rubric: p.rubric, judge: p.judge }, `Rubric "${p.rubric}" judged by ${p.judge}`),
  *plan(project, p) {
    const r = getRubric(project.db, p.rubric);
    getTeacher(project.db, p.judge);
    const ids = project.db
      .prepare(
        `SELECT t.id FROM traces t WHERE t.status = 'done' AND TRIM(COALESCE(t.answer, '')) != ''
           AND (@all = 1 OR NOT EXISTS (SELECT 1 FROM rubric_verdicts v WHERE v.rubric_id = @rid AND v.trace_id = t.id AND v.judge = @judge AND v.passed IS NOT NULL))
           AND (@ids IS NULL OR t.id IN (SELECT value FROM json_each(@ids)))
         ORDER BY t.id LIMIT @limit`,
      )
      .pluck()
      .all({ all: p.scope === 'all' ? 1 : 0, rid: r.id, judge: p.judge, ids: p.traceIds ? JSON.stringify(p.traceIds) : null, limit: p.limit ?? -1 }) as number[];
    for (const id of ids) yield { key: String(id), payload: id };
  },
  async run(item, ctx) {
    const db = ctx.project.db;
    const id = item.payload as number;
    const r = getRubric(db, ctx.params.rubric);
    const row = db.prepare('SELECT t.id, t.answer, q.question, q.answer AS reference FROM traces t JOIN questions q ON q.id = t.question_id WHERE t.id = ?').get(id) as Row | undefined;
    if (!row) return ctx.complete();
    const v = await judgeRubric({ ...endpointOf(db, ctx.params), rubric: r, question: row.question, reference: row.reference, answer: (row.answer ?? '').slice(0, 20_000) });
    // An undecided verdict is stored with its reason (the view shows why), and counts as failed for the job's summary.
    if (v.passed === null) ctx.fail(v.reason, () => saveRubricVerdict(db, r.id, id, ctx.params.judge, v));
    else ctx.complete(() => saveRubricVerdict(db, r.id, id, ctx.params.judge, v), { passed: v.passed, total: v.total });
  },
};
