import { createHash } from 'node:crypto';
import { redactUrl } from '../teacher/credentials';
import { authHeaders, chatOnce, chatUrl } from '../teacher/client';
import { joinUrl } from '../teacher/http';
import { renderRubricPrompt, scoreRubricReply, type Rubric, type RubricVerdict } from './rubric';
import type { Verdict } from './types';

export const DEFAULT_JUDGE_PROMPT = `You are grading a student's final answer against the reference answer of a math problem.

Problem:
{{question}}

Reference answer:
{{reference}}

Student's attempt:
{{answer}}

Decide whether the attempt's final answer is mathematically equivalent to the reference answer.
Ignore formatting, units written or omitted, and the working that leads to the answer.
Explain briefly, then end your reply with a last line that is exactly "Yes" or "No".`;

export interface JudgeCache {
  get(key: string): Verdict | undefined;
  set(key: string, v: Verdict): void;
}

/** Process-local cache; the project store provides a persistent one with the same interface. */
export class MemoryJudgeCache implements JudgeCache {
  private map = new Map<string, Verdict>();
  get(key: string): Verdict | undefined {
    return this.map.get(key);
  }
  set(key: string, v: Verdict): void {
    this.map.set(key, v);
  }
  get size(): number {
    return this.map.size;
  }
}

export type JudgeOptions = {
  baseUrl: string;
  model: string;
  apiKey?: string;
  headers?: Record<string, string>;
  /** Template with {{question}}, {{reference}} and {{answer}} placeholders. */
  prompt?: string;
  question: string;
  reference: string;
  answer: string;
  fetchImpl?: typeof fetch;
  cache?: JudgeCache;
  timeoutMs?: number;
  maxTokens?: number;
};

export function judgeCacheKey(o: Pick<JudgeOptions, 'question' | 'reference' | 'answer' | 'model' | 'prompt'>): string {
  // Length-prefixed fields so that moving text between fields cannot produce the same key.
  const parts = [o.question, o.reference, o.answer, o.model, o.prompt ?? DEFAULT_JUDGE_PROMPT];
  return createHash('sha256').update(parts.map((p) => `${p.length}:${p}`).join('|')).digest('hex');
}

export function renderJudgePrompt(template: string, v: { question: string; reference: string; answer: string }): string {
  return template.replace(/\{\{\s*(question|reference|answer)\s*\}\}/g, (_m, k: 'question' | 'reference' | 'answer') => v[k]);
}

const YES = /^(?:yes|y|true|correct|equivalent|是|对|正确)$/i;
const NO = /^(?:no|n|false|incorrect|not equivalent|否|不是|错|错误|不正确)$/i;

/**
 * The judge's final Yes/No: the last line that is only a verdict word (markup stripped), else
 * the last verdict word anywhere. Reasoning before the verdict often says "yes" and "no"
 * in passing, so the end of the reply wins.
 */
export function parseYesNo(text: string): boolean | null {
  const body = text.replace(/<think>[\s\S]*?<\/think>/g, '');
  const lines = body.split(/\r?\n/).map((l) => l.replace(/[*_`#>"'“”「」【】[\]()（）]/g, '').replace(/^(?:final\s+)?(?:answer|verdict|judgement|judgment|答案|结论)\s*[:：]\s*/i, '').replace(/[.!。！\s]+$/g, '').trim()).filter(Boolean);
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i] as string;
    if (YES.test(l)) return true;
    if (NO.test(l)) return false;
    break; // only the last non-empty line counts as a verdict line
  }
  // Chinese 是 also means "is", so anywhere-in-text matching is English only.
  const re = /\b(yes|no)\b/gi;
  let last: boolean | null = null;
  for (let m = re.exec(body); m; m = re.exec(body)) last = (m[1] ?? '').toLowerCase() === 'yes';
  return last;
}

/** Where a judge request goes, and with which settings (shared by the Yes/No judge and rubric mode). */
export type JudgeEndpoint = Pick<JudgeOptions, 'baseUrl' | 'model' | 'apiKey' | 'headers' | 'fetchImpl' | 'timeoutMs' | 'maxTokens'>;

/**
 * One non-streaming chat request at temperature 0: the reply's text, or a one-line reason why there is none
 * (HTTP error, empty reply, network failure; URLs redacted). Never throws.
 */
export async function askJudge(o: JudgeEndpoint, content: string): Promise<{ text: string } | { error: string }> {
  // The base may or may not end in /v1; a query string (?api_key=...) stays at the end of the URL.
  const endpoint = /\/v1\/?$/.test(o.baseUrl.split(/[?#]/)[0] ?? '') ? o.baseUrl : joinUrl(o.baseUrl, 'v1');
  const url = chatUrl(endpoint);
  try {
    const body = { model: o.model, messages: [{ role: 'user', content }], temperature: 0, max_tokens: o.maxTokens ?? 1024, stream: false };
    const res = await chatOnce(endpoint, authHeaders({ headers: o.headers ?? {}, apiKey: o.apiKey }), body, { who: 'judge', timeoutMs: o.timeoutMs ?? 120_000, fetchImpl: o.fetchImpl });
    if (!res.ok) {
      const detail = res.body.slice(0, 120);
      return { error: `judge: HTTP ${res.status} from ${redactUrl(url)}${detail ? ` (${detail})` : ''}` };
    }
    const text = res.content;
    if (!text.trim()) return { error: 'judge: empty reply from the model' };
    return { text };
  } catch (e) {
    return { error: `judge: request to ${redactUrl(url)} failed (${(e as Error).message})` };
  }
}

/** Ask an OpenAI-compatible endpoint whether `answer` matches `reference`. Never throws. */
export async function judge(o: JudgeOptions): Promise<Verdict> {
  const key = judgeCacheKey(o);
  const hit = o.cache?.get(key);
  if (hit) return hit;
  const reply = await askJudge(o, renderJudgePrompt(o.prompt ?? DEFAULT_JUDGE_PROMPT, o));
  // Failures are not cached: a retry may succeed.
  if ('error' in reply) return { equivalent: null, method: 'judge', reason: reply.error, extracted: null };
  const text = reply.text;
  const yn = parseYesNo(text);
  if (yn === null) {
    return { equivalent: null, method: 'judge', reason: `judge: reply did not end with Yes or No ('${text.trim().slice(-60)}')`, extracted: null };
  }
  const v: Verdict = { equivalent: yn, method: 'judge', reason: `judge: ${o.model} said ${yn ? 'Yes' : 'No'}`, extracted: null };
  o.cache?.set(key, v);
  return v;
}

/**
 * Rubric mode: the judge scores each criterion of `rubric` (0–10, a one-line reason each) in JSON; the verdict
 * keeps the per-criterion scores and the weighted total against the pass threshold (verify/rubric.ts). Never throws.
 */
export async function judgeRubric(o: JudgeEndpoint & { rubric: Rubric; question: string; reference: string | null; answer: string; prompt?: string }): Promise<RubricVerdict> {
  const reply = await askJudge({ ...o, maxTokens: o.maxTokens ?? 2048 }, renderRubricPrompt(o.rubric, o, o.prompt));
  if ('error' in reply) return { scores: null, total: null, passed: null, reason: reply.error };
  return scoreRubricReply(reply.text, o.rubric);
}
