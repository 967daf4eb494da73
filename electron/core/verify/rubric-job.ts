import { z } from 'zod';
import type { JobKind } from '../jobs';
import { questionById } from '../pool/questions';
import type { DB } from '../store/project';
import { answeredTraceIds } from '../traces/reads';
import { traceText } from '../traces/store';
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

/** The traces this judge already decided (pass or fail) under this rubric: an 'unchecked' run leaves them out. */
function decidedTraces(db: DB, rubricId: number, judge: string): Set<number> {
  return new Set(db.prepare('SELECT trace_id FROM rubric_verdicts WHERE rubric_id = ? AND judge = ? AND passed IS NOT NULL').pluck().all(rubricId, judge) as number[]);
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
    const decided = p.scope === 'all' ? new Set<number>() : decidedTraces(project.db, r.id, p.judge);
    const ids = answeredTraceIds(project.db, p.traceIds ?? null).filter((id) => !decided.has(id));
    for (const id of ids.slice(0, p.limit ?? ids.length)) yield { key: String(id), payload: id };
  },
  async run(item, ctx) {
    const db = ctx.project.db;
    const id = item.payload as number;
    const r = getRubric(db, ctx.params.rubric);
    const trace = traceText(db, id);
    const q = trace && questionById(db, trace.question_id);
    if (!trace || !q) return ctx.complete();
    const v = await judgeRubric({ ...endpointOf(db, ctx.params), rubric: r, question: q.question, reference: q.answer, answer: (trace.answer ?? '').slice(0, 20_000) });
    // An undecided verdict is stored with its reason (the view shows why), and counts as failed for the job's summary.
    if (v.passed === null) ctx.fail(v.reason, () => saveRubricVerdict(db, r.id, id, ctx.params.judge, v));
    else ctx.complete(() => saveRubricVerdict(db, r.id, id, ctx.params.judge, v), { passed: v.passed, total: v.total });
  },
};
