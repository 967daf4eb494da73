import path from 'node:path';
import { loadChatTemplate } from '../chat/template';
import { questionDetail, type QuestionDetail } from '../pool/review-reads';
import type { DB } from '../store/project';
import { findTeacher } from '../teacher/store';
import { traceOrigin, type TraceOrigin } from '../traces/review-reads';
import { verdictsFor } from '../verify/store';
import { reviewsOf, type ReviewStatus } from './decisions';
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
  const t = traceOrigin(db, traceId) as TraceOrigin;
  const q = questionDetail(db, t.question_id) as QuestionDetail;
  const rv = reviewsOf(db, [traceId]).get(traceId);
  const v = verdictsFor(db, [traceId]).get(traceId);
  const revisions = db.prepare('SELECT COUNT(*) FROM review_revisions WHERE trace_id = ? AND n > 0').pluck().get(traceId) as number;
  return {
    traceId,
    questionId: q.id,
    question: q.question,
    reference: q.answer,
    solution: q.solution,
    domain: q.domain,
    teacher: t.teacher,
    source: t.source,
    thinking: cur.thinking,
    answer: cur.answer,
    original: originalTexts(db, traceId),
    head: headOf(db, traceId),
    revisions,
    status: rv?.status ?? 'todo',
    reviewer: rv?.reviewer ?? null,
    comment: rv?.comment ?? null,
    updatedAt: rv?.updated_at ?? null,
    verdict: v ? { equivalent: v.equivalent, method: v.method, reason: v.reason, extracted: v.extracted } : null,
    tokens: sampleTokens(db, traceId, cur.thinking, cur.answer),
    thinkTags: thinkTagsFor(db, t.teacher),
  };
}
