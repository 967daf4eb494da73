import { z } from 'zod';
import type { JobKind } from '../jobs';
import { questionById } from '../pool/questions';
import type { DB, Project } from '../store/project';
import { getTeacher } from '../teacher/store';
import { teacherConnection } from '../teacher/credentials';
import { doneTraceIds } from '../traces/reads';
import { traceText } from '../traces/store';
import type { Verdict } from './types';
import { verify, type VerifyOptions } from './verify';
import { UserError } from '../util/errors';
import { saveVerdict, SqliteJudgeCache } from './store';
import { message } from '../util/messages';

export const verifyParams = z.object({
  /** A registered teacher used as the LLM judge; without one only the rules run. */
  judge: z.string().trim().min(1).optional(),
  mode: z.enum(['fallback', 'always', 'never']).default('fallback'),
  prompt: z.string().min(1).max(20_000).optional(),
  /** 'unchecked' skips traces that already have a verdict. */
  scope: z.enum(['unchecked', 'all']).default('all'),
});
export type VerifyParams = z.infer<typeof verifyParams>;

interface TraceRow {
  id: number;
  answer: string | null;
  thinking: string | null;
  question: string;
  reference: string | null;
}

function judgeConfig(project: Project, p: VerifyParams): VerifyOptions['judgeConfig'] {
  if (!p.judge || p.mode === 'never') return undefined;
  const t = getTeacher(project.db, p.judge);
  const conn = teacherConnection(t);
  const baseUrl = conn.baseUrls[0];
  if (!baseUrl) throw new UserError(`The judge "${p.judge}" has no endpoint; add its URL in the Teacher step.`, 'no_endpoint');
  return {
    baseUrl,
    model: t.model,
    apiKey: conn.apiKey,
    headers: conn.headers,
    prompt: p.prompt,
    question: '',
    cache: new SqliteJudgeCache(project.db),
  };
}

/** Checks one trace against its question's reference answer. */
export async function checkTrace(project: Project, row: TraceRow, p: VerifyParams): Promise<Verdict> {
  if (row.reference === null || row.reference.trim() === '') {
    return { equivalent: null, method: 'none', reason: 'the question has no reference answer', extracted: null };
  }
  const response = row.answer ?? '';
  if (response.trim() === '') return { equivalent: null, method: 'none', reason: 'the trace has no final answer', extracted: null };
  const cfg = judgeConfig(project, p);
  return verify(response, row.reference, { judge: p.mode, judgeConfig: cfg ? { ...cfg, question: row.question } : undefined });
}

/** A done trace with its question's text and reference answer, or undefined when there is no such done trace. */
function traceToCheck(db: DB, id: number): TraceRow | undefined {
  const t = traceText(db, id);
  const q = t?.status === 'done' ? questionById(db, t.question_id) : undefined;
  return t && q ? { id, answer: t.answer, thinking: t.thinking, question: q.question, reference: q.answer } : undefined;
}

/** Re-runs the check of one trace (after a reviewer edits its answer) and stores the verdict. */
export async function recheckTrace(project: Project, traceId: number, p: Partial<VerifyParams> = {}): Promise<Verdict> {
  const row = traceToCheck(project.db, traceId);
  if (!row) throw new UserError(`There is no finished trace ${traceId} in this project.`, 'not_found');
  const params = verifyParams.parse(p);
  const v = await checkTrace(project, row, params);
  saveVerdict(project.db, traceId, v, v.method === 'judge' ? (params.judge ?? null) : null);
  return v;
}

/** The verification job: a verdict (equivalent, method, reason) for every finished trace. */
export const verifyKind: JobKind<VerifyParams> = {
  kind: 'verify',
  params: verifyParams,
  concurrency: (p) => (p.judge && p.mode !== 'never' ? 8 : 1),
  labelMessage: (p) =>
    p.judge && p.mode !== 'never'
      ? message('job_label_verify_judge', { judge: p.judge, mode: p.mode }, `check answers (judge: ${p.judge}, ${p.mode})`)
      : message('job_label_verify_rules', {}, 'check answers (rules)'),
  *plan(project, p) {
    // Read whole, not iterated: the runner inserts the items while this generator runs. Every trace has its
    // question (traces.question_id cascades on delete), so every done trace is checked.
    const checked = p.scope === 'unchecked' ? new Set(project.db.prepare('SELECT trace_id FROM verdicts').pluck().all() as number[]) : null;
    for (const id of doneTraceIds(project.db)) if (!checked?.has(id)) yield { key: String(id), payload: id };
  },
  async run(item, ctx) {
    const id = item.payload as number;
    const row = traceToCheck(ctx.project.db, id);
    if (!row) {
      ctx.complete(); // the trace was deleted since the job was planned
      return;
    }
    const v = await checkTrace(ctx.project, row, ctx.params);
    ctx.complete(() => saveVerdict(ctx.project.db, id, v, v.method === 'judge' ? (ctx.params.judge ?? null) : null), { equivalent: v.equivalent, method: v.method });
  },
};
