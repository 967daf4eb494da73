import path from 'node:path';
import { loadChatTemplate } from '../chat/template';
import type { DB } from '../store/project';
import { findTeacher } from '../teacher/store';
import type { ReviewStatus } from './decisions';
import { headOf, originalTexts, traceTexts } from './revisions';
import { cachedStudentCounts, estimateTokens, fastCount, studentTokenizer } from './tokens';
import type { TokenCounts, VerdictInfo } from './types';

export interface SampleView {
  traceId: number;
  questionId: number;
  question: string;
  reference: string | null;
  solution: string | null;
  domain: string | null;
  teacher: string | null;
  source: string;
  thinking: string;
  answer: string;
  original: { thinking: string; answer: string };
  head: number;
  revisions: number;
  status: ReviewStatus;
  reviewer: string | null;
  comment: string | null;
  updatedAt: string | null;
  verdict: VerdictInfo | null;
  tokens: TokenCounts;
  thinkTags: { open: string; close: string };
}

/** The thinking delimiters of the teacher's chat template when its model is a local folder; else <think>. */
export function thinkTagsFor(db: DB, teacher: string | null): { open: string; close: string } {
  const t = teacher ? findTeacher(db, teacher) : undefined;
  if (t && path.isAbsolute(t.model)) {
    try {
      const tpl = loadChatTemplate(t.model);
      return { open: tpl.thinkOpen, close: tpl.thinkClose };
    } catch {
      // the folder moved or has no template: the usual tags
    }
  }
  return { open: '<think>', close: '</think>' };
}

/** Token counts for the editor: the thinking's from the per-trace cache (moving between samples stays fast). */
function sampleTokens(db: DB, traceId: number, thinking: string, answer: string): TokenCounts {
  const tok = studentTokenizer(db);
  if (!tok) return { thinking: estimateTokens(thinking), answer: estimateTokens(answer), source: 'estimate' };
  return { thinking: cachedStudentCounts(db, tok, [traceId]).get(traceId) ?? 0, answer: fastCount(tok, answer), source: 'student' };
}

/** Everything the editor shows for one sample. */
export function getSample(db: DB, traceId: number): SampleView {
  const cur = traceTexts(db, traceId);
  const r = db
    .prepare(
      `SELECT q.id AS question_id, q.question, q.answer AS reference, q.solution, q.domain, t.teacher, t.source,
              COALESCE(rv.status, 'todo') AS status, rv.reviewer, rv.comment, rv.updated_at,
              v.equivalent, v.method, v.reason, v.extracted, v.trace_id AS vt
       FROM traces t JOIN questions q ON q.id = t.question_id
       LEFT JOIN reviews rv ON rv.trace_id = t.id LEFT JOIN verdicts v ON v.trace_id = t.id
       WHERE t.id = ?`,
    )
    .get(traceId) as {
    question_id: number;
    question: string;
    reference: string | null;
    solution: string | null;
    domain: string | null;
    teacher: string | null;
    source: string;
    status: ReviewStatus;
    reviewer: string | null;
    comment: string | null;
    updated_at: string | null;
    equivalent: number | null;
    method: string | null;
    reason: string | null;
    extracted: string | null;
    vt: number | null;
  };
  const revisions = db.prepare('SELECT COUNT(*) FROM review_revisions WHERE trace_id = ? AND n > 0').pluck().get(traceId) as number;
  return {
    traceId,
    questionId: r.question_id,
    question: r.question,
    reference: r.reference,
    solution: r.solution,
    domain: r.domain,
    teacher: r.teacher,
    source: r.source,
    thinking: cur.thinking,
    answer: cur.answer,
    original: originalTexts(db, traceId),
    head: headOf(db, traceId),
    revisions,
    status: r.status,
    reviewer: r.reviewer,
    comment: r.comment,
    updatedAt: r.updated_at,
    verdict: r.vt === null ? null : { equivalent: r.equivalent === null ? null : r.equivalent === 1, method: r.method ?? 'none', reason: r.reason ?? '', extracted: r.extracted },
    tokens: sampleTokens(db, traceId, cur.thinking, cur.answer),
    thinkTags: thinkTagsFor(db, r.teacher),
  };
}
